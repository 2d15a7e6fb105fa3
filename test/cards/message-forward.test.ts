import { createHash, randomBytes } from 'node:crypto';

import { setupBench } from '../bench';
import { CHUNK_BYTES } from '../../nodes/GmailWorkspace/v1/transport/upload';
import { downloadAttachment, PartBodyDecoder } from '../../nodes/GmailWorkspace/v1/transport/download';
import { gmailState } from '../standin/gmail/common';
import { compose } from '../standin/gmail/seed';
import { addMessage } from '../standin/gmail/store';
import { createStandin } from '../standin/server';
import { cardWorkflow, parseWithMailparser, storedMessage, storedMessages } from './helpers';

const bench = setupBench();
const ALICE = 'alice@example.com';
type Standin = ReturnType<typeof createStandin>;

const forwardParams = (id: string, extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'forward',
	messageId: { __rl: true, mode: 'id', value: id },
	to: 'dave@example.com',
	emailType: 'text',
	message: 'FYI, see below.',
	...extra,
});

/** A message with these attachments, received in alice's mailbox. */
function withAttachments(standin: Standin, subject: string, attachments: Array<{ filename: string; mimeType: string; data: Buffer }>) {
	const g = gmailState(standin);
	return addMessage(
		g,
		g.mailbox(ALICE)!,
		compose({ from: 'Bob Example <bob@example.com>', to: ALICE, subject, text: 'files attached', date: Date.UTC(2024, 6, 1, 8), messageId: `<${subject.replace(/\W/g, '')}@example.com>`, attachments }),
		{ labelIds: ['INBOX'], internalDate: Date.UTC(2024, 6, 1, 8) },
	);
}

async function delivered(standin: Standin, who: string, subject: string) {
	const [m] = storedMessages(standin, who, new RegExp(`Subject: ${subject}`));
	return { stored: m, parsed: await parseWithMailparser(m.raw) };
}
const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const uploads = (standin: Standin) => standin.log.filter((e) => e.routeId === 'gmail.users.messages.send' || e.path.includes('/upload/'));

describe('Message → Forward card', () => {
	it('forwards the message with a note above Gmail\'s forwarded block and its attachment byte for byte', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, forwardParams(original.id, { options: { cc: 'carol@gmail.com' } }));

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json[0]).toMatchObject({ id: expect.any(String), forwardedId: original.id, labelIds: ['SENT'] });
		const dave = await delivered(standin, 'dave@example.com', 'Fwd: Quarterly report');
		expect(dave.parsed.subject).toBe('Fwd: Quarterly report');
		expect(dave.parsed.text).toBe(
			"FYI, see below.\n\n---------- Forwarded message ---------\nFrom: Bob Example <bob@example.com>\nDate: Mon, 03 Jun 2024 09:30:00 +0000\nSubject: Quarterly report\nTo: Alice Example <alice@example.com>\n\nHi Alice,\n\nHere's the Q2 report as a PDF. Numbers look good.\n\nBob",
		);
		expect(dave.parsed.cc.value.map((a: { address: string }) => a.address)).toEqual(['carol@gmail.com']);
		const before = (await parseWithMailparser(original.raw)).attachments;
		expect(dave.parsed.attachments.map((a: { filename: string; contentType: string }) => [a.filename, a.contentType])).toEqual([['Q2-report.pdf', 'application/pdf']]);
		expect(dave.parsed.attachments[0].content.equals(before[0].content)).toBe(true);
		// the bytes came from Gmail's attachments.get, once
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.attachments.get').map((e) => e.status)).toEqual([200]);
	});

	it('several attachments and an HTML original: each file byte-equal, the HTML forwarded below the note', async () => {
		const standin = createStandin({ noCorpus: true });
		const files = [
			{ filename: 'a.bin', mimeType: 'application/octet-stream', data: randomBytes(70_000) },
			{ filename: 'notes.txt', mimeType: 'text/plain', data: Buffer.from('line 1\nline 2\n') },
			{ filename: 'photo.jpg', mimeType: 'image/jpeg', data: randomBytes(1_500_000) },
		];
		const original = withAttachments(standin, 'Three files', files);
		const welcome = storedMessage(standin, ALICE, /Subject: Welcome to example.com/);
		const { store, workflow } = await cardWorkflow(standin, forwardParams(original.id));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const dave = await delivered(standin, 'dave@example.com', 'Fwd: Three files');
		expect(dave.parsed.attachments.map((a: { filename: string }) => a.filename)).toEqual(files.map((f) => f.filename));
		for (const [n, f] of files.entries()) expect(sha(dave.parsed.attachments[n].content)).toBe(sha(f.data));

		const html = await cardWorkflow(standin, forwardParams(welcome.id, { emailType: 'html', html: '<p>Look <b>here</b></p>' }));
		const r2 = await bench.run(html.workflow, { credentials: html.store, standin });
		expect(r2.error).toBeUndefined();
		const got = await delivered(standin, 'dave@example.com', 'Fwd: Welcome to example.com');
		expect(got.parsed.html).toMatch(/^<p>Look <b>here<\/b><\/p><br><br><div class="gmail_quote">---------- Forwarded message ---------<br>From: Ada Admin &lt;admin@example.com&gt;<br>Date: Sat, 04 May 2024 09:30:00 \+0000<br>Subject: Welcome to example.com<br>To: alice@example.com, bob@example.com, dave@example.com<br>/);
		expect(got.parsed.html).toContain('<p>Welcome aboard! Your <b>Google Workspace</b> account is ready.</p></div>');
		expect(got.parsed.text).toMatch(/^Look here\n\n---------- Forwarded message ---------\n/);
	}, 60_000);

	it('a 20 MiB attachment is streamed from attachments.get into the resumable upload and arrives intact', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const bytes = randomBytes(20 * 1024 * 1024);
		const original = withAttachments(standin, 'Big file', [{ filename: 'big.bin', mimeType: 'application/octet-stream', data: bytes }]);
		const { store, workflow } = await cardWorkflow(standin, forwardParams(original.id));
		const result = await bench.run(workflow, { credentials: store, standin, binaryMode: 'filesystem' });
		expect(result.error).toBeUndefined();
		const dave = await delivered(standin, 'dave@example.com', 'Fwd: Big file');
		expect(sha(dave.parsed.attachments[0].content)).toBe(sha(bytes));
		// the upload held one CHUNK_BYTES buffer at a time: every chunk but the last is exactly that size
		const puts = standin.log.filter((e) => e.method === 'PUT' && e.routeId === 'standin.gmail.uploadSession');
		expect(puts.length).toBe(Math.ceil(dave.stored.raw.length / CHUNK_BYTES));
		expect(puts.slice(0, -1).every((e) => e.bodySize === CHUNK_BYTES)).toBe(true);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.attachments.get')).toHaveLength(1);
	}, 120_000);

	it('over 35 MiB: refused before any upload (and before any attachment is read), naming the sizes', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const original = withAttachments(standin, 'Too big', [
			{ filename: 'part1.bin', mimeType: 'application/octet-stream', data: randomBytes(14 * 1024 * 1024) },
			{ filename: 'part2.bin', mimeType: 'application/octet-stream', data: randomBytes(13 * 1024 * 1024) },
		]);
		const { store, workflow } = await cardWorkflow(standin, forwardParams(original.id));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/would make a 36\.\d MiB message \(\d+ bytes\); Gmail accepts at most 35 MiB \(36700160 bytes\) including attachments\. Nothing was uploaded\./);
		expect(result.error?.description).toContain('part1.bin 14.0 MiB, part2.bin 13.0 MiB');
		expect(uploads(standin)).toEqual([]);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.attachments.get')).toEqual([]);
	}, 60_000);

	it('an unknown message ID fails naming it; nothing is sent', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, forwardParams('18f0000000000bad'));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Message "18f0000000000bad" was not found in this mailbox/);
		expect(uploads(standin)).toEqual([]);
	});
});

describe('attachment download (transport/download.ts)', () => {
	/** Gmail's MessagePartBody JSON for `data`, produced lazily in `piece`-byte network pieces; counts what was produced. */
	function source(data: Buffer, piece: number, failAfter?: number) {
		const json = Buffer.from(`{\n  "attachmentId": "ANGjdJ_x\\"y",\n  "size": ${data.length},\n  "data": "${data.toString('base64url')}"\n}\n`);
		const counter = { produced: 0 };
		const gen = async function* () {
			for (let o = 0; o < json.length; o += piece) {
				if (failAfter !== undefined && o >= failAfter) throw Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
				counter.produced = Math.min(json.length, o + piece);
				yield json.subarray(o, o + piece);
			}
		};
		return { gen, counter };
	}
	const fakeCtx = (responses: Array<() => AsyncIterable<Buffer>>) => {
		let calls = 0;
		return {
			ctx: {
				getNode: () => ({ name: 'Gmail', type: 'x', typeVersion: 1, parameters: {}, credentials: { gmailWorkspaceOAuth2Api: { id: 'download-test', name: 'x' } } }),
				getNodeParameter: () => 'oAuth2',
				getInputData: () => [],
				getCredentials: async () => ({ quotaTier: 'legacy' }),
				helpers: { httpRequestWithAuthentication: async () => responses[calls++]() },
			} as never,
			calls: () => calls,
		};
	};

	it('decodes the data string piece by piece: memory held is about one network piece, not the attachment', async () => {
		const data = randomBytes(20 * 1024 * 1024);
		const piece = 64 * 1024;
		const src = source(data, piece);
		const { ctx } = fakeCtx([src.gen]);
		const hash = createHash('sha256');
		let got = 0;
		let maxAhead = 0;
		let maxPiece = 0;
		for await (const b of downloadAttachment(ctx, { messageId: 'm1', attachmentId: 'a1', size: data.length })) {
			hash.update(b);
			got += b.length;
			maxPiece = Math.max(maxPiece, b.length);
			// base64 text produced by the "network" but not yet handed on as bytes
			maxAhead = Math.max(maxAhead, src.counter.produced - Math.floor((got * 4) / 3));
		}
		expect(got).toBe(data.length);
		expect(hash.digest('hex')).toBe(sha(data));
		expect(maxPiece).toBeLessThanOrEqual((piece * 3) / 4 + 3);
		expect(maxAhead).toBeLessThan(piece + 200);
		console.log(`download of 20 MiB: largest piece handed on ${maxPiece} B; base64 read ahead at most ${maxAhead} B`);
	});

	it('a connection lost midway is reopened and the bytes already handed on are skipped', async () => {
		const data = randomBytes(3 * 1024 * 1024 + 7);
		const first = source(data, 100_000, 1_500_000);
		const second = source(data, 100_000);
		const { ctx, calls } = fakeCtx([first.gen, second.gen]);
		const chunks: Buffer[] = [];
		for await (const b of downloadAttachment(ctx, { messageId: 'm1', attachmentId: 'a1', size: data.length })) chunks.push(Buffer.from(b));
		expect(calls()).toBe(2);
		expect(Buffer.concat(chunks).equals(data)).toBe(true);
	});

	it('skips other strings, escapes included, whatever the piece boundaries', () => {
		const data = randomBytes(1000);
		const json = Buffer.from(`{"attachmentId":"da\\"ta","x":"data","size":1000,"data":"${data.toString('base64url')}"}`);
		for (const piece of [1, 3, 7, 64]) {
			const d = new PartBodyDecoder();
			const out: Buffer[] = [];
			for (let o = 0; o < json.length; o += piece) out.push(...d.push(json.subarray(o, o + piece)));
			expect([piece, Buffer.concat(out).equals(data), d.done]).toEqual([piece, true, true]);
		}
	});
});
