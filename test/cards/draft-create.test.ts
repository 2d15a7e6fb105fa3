import { randomBytes } from 'node:crypto';

import { setupBench } from '../bench';
import { CHUNK_BYTES } from '../../nodes/GmailWorkspace/v1/transport/upload';
import { createStandin } from '../standin/server';
import { cardWorkflow, storedMessage } from './helpers';
import { ALICE, addresses, draftParams, receiveFile, storedDraft, storedDrafts, withFile } from './draft-kit';

const bench = setupBench();

const createParams = (extra: Record<string, unknown> = {}) =>
	draftParams('create', { to: 'bob@example.com', subject: 'Draft from n8n', emailType: 'text', message: 'Line one\nline two', ...extra });

describe('Draft → Create', () => {
	it('saves text + HTML, CC/BCC, Reply-To, sender name and custom headers; the stored MIME reads back as given', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(
			standin,
			createParams({
				emailType: 'both',
				html: '<p>Hello <b>Bob</b><br>second line</p>',
				options: {
					cc: 'dave@example.com', bcc: 'audit@example.com', replyTo: 'support@example.com', senderName: 'Alice Drafts',
					headers: { header: [{ name: 'X-Campaign', value: 'spring' }] },
				},
			}),
		);
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const out = result.nodes.Gmail.json[0] as { id: string; message: { id: string; threadId: string; labelIds: string[] } };
		expect(out).toEqual({ id: expect.stringMatching(/^r/), message: { id: expect.any(String), threadId: expect.any(String), labelIds: ['DRAFT'] } });
		const d = await storedDraft(standin, /Draft from n8n/);
		expect(d.id).toBe(out.id);
		expect(d.message.id).toBe(out.message.id);
		expect(d.message.labelIds).toEqual(['DRAFT']);
		expect(d.parsed.from!.value).toEqual([{ name: 'Alice Drafts', address: ALICE }]);
		expect(addresses(d.parsed.to)).toEqual(['bob@example.com']);
		expect(addresses(d.parsed.cc)).toEqual(['dave@example.com']);
		expect(addresses(d.parsed.bcc)).toEqual(['audit@example.com']);
		expect(addresses(d.parsed.replyTo)).toEqual(['support@example.com']);
		expect(d.parsed.text!.trim()).toBe('Line one\nline two');
		expect(d.parsed.html).toContain('<b>Bob</b><br>second line');
		expect(d.parsed.headers.get('x-campaign')).toBe('spring');
		// nothing went to anyone: a draft is not sent
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.send' || e.routeId === 'gmail.users.drafts.send')).toEqual([]);
		// by upload (multipart), not JSON
		const creates = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.create');
		expect(creates.map((e) => [e.path, new URLSearchParams(e.query).get('uploadType')])).toEqual([['/upload/gmail/v1/users/me/drafts', 'multipart']]);
	});

	it('a non-ASCII subject set by expression arrives intact (n8n #17514), RFC 2047-encoded in the header', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, createParams({ subject: "={{ 'Grüße aus Zürich – ✓ ' + 'Ωmega' }}" }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const d = await storedDraft(standin, /Line one/);
		expect(d.parsed.subject).toBe('Grüße aus Zürich – ✓ Ωmega');
		const header = /^Subject:(.*(?:\r\n[ \t].*)*)/m.exec(d.message.raw.toString('latin1'))![1];
		expect(header).toMatch(/=\?UTF-8\?[BQ]\?/i);
		expect(/^[\x20-\x7e\r\n\t]*$/.test(header)).toBe(true);
	});

	it('threaded by "Reply to Message ID": threadId, In-Reply-To, References and "Re:" subject', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, createParams({ subject: '', options: { replyToMessageId: original.id } }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const d = await storedDraft(standin, /Line one/);
		expect(d.message.threadId).toBe(original.threadId);
		expect(result.nodes.Gmail.json[0]).toMatchObject({ message: { threadId: original.threadId } });
		expect(d.parsed.subject).toBe('Re: Quarterly report');
		expect(d.parsed.inReplyTo).toBe('<seed-q2-report@example.com>');
		expect([d.parsed.references].flat()).toEqual(['<seed-q2-report@example.com>']);
	});

	it('threaded by "Thread ID": a reply to the thread\'s latest message', async () => {
		const standin = createStandin({ noCorpus: true });
		const latest = storedMessage(standin, ALICE, /Subject: Re: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, createParams({ subject: '', options: { threadId: latest.threadId } }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const d = await storedDraft(standin, /Line one/);
		expect(d.message.threadId).toBe(latest.threadId);
		expect(d.parsed.subject).toBe('Re: Quarterly report');
		expect(d.parsed.inReplyTo).toBe('<seed-q2-report-reply@example.com>');
		expect(d.parsed.references).toEqual(['<seed-q2-report@example.com>', '<seed-q2-report-reply@example.com>']);
	});

	it.each(['default', 'filesystem'] as const)('attachments from binary data, byte for byte (%s mode): the draft is made once and the card succeeds (n8n #18310)', async (binaryMode) => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(200_000);
		const source = receiveFile(standin, bytes);
		const result = await bench.run(
			withFile(conn, source, createParams({ attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: 'report.bin' }] } })),
			{ credentials: store, standin, binaryMode },
		);
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		const drafts = (await storedDrafts(standin)).filter((d) => d.parsed.subject === 'Draft from n8n');
		expect(drafts).toHaveLength(1);
		expect(drafts[0].parsed.attachments.map((a: { filename: string }) => a.filename)).toEqual(['report.bin']);
		expect(drafts[0].parsed.attachments[0].content.equals(bytes)).toBe(true);
		expect(result.nodes.Draft.json[0].id).toBe(drafts[0].id);
	});

	it('an unknown Thread ID or Reply to Message ID fails naming it, before anything is saved', async () => {
		const standin = createStandin({ noCorpus: true });
		for (const [options, message] of [
			[{ threadId: '18f00000000000aa' }, /Thread "18f00000000000aa" was not found/],
			[{ replyToMessageId: '18f00000000000bb' }, /"Reply to Message ID" 18f00000000000bb was not found/],
		] as const) {
			const { store, workflow } = await cardWorkflow(standin, createParams({ options }));
			const result = await bench.run(workflow, { credentials: store, standin });
			expect(result.status).toBe('error');
			expect(result.error?.message).toMatch(message);
		}
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.create')).toEqual([]);
	});
});

describe('Draft → Create at most once', () => {
	it.each([
		['a connection reset after Gmail saved it', { action: 'reset', phase: 'after' }],
		['a 503 after Gmail saved it', { action: 503, phase: 'after' }],
		['a 503 before Gmail saw it', { action: 503, phase: 'before' }],
	])('multipart, %s: exactly one draft', async (_, fault) => {
		const standin = createStandin({ noCorpus: true });
		standin.faults = [{ match: { routeId: 'gmail.users.drafts.create' }, nth: [1], ...(fault as object) } as never];
		const { store, workflow } = await cardWorkflow(standin, createParams({ subject: 'Exactly one draft' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const drafts = (await storedDrafts(standin)).filter((d) => d.parsed.subject === 'Exactly one draft');
		expect(drafts).toHaveLength(1);
		expect(result.nodes.Gmail.json[0]).toMatchObject({ id: drafts[0].id, message: { id: drafts[0].message.id, labelIds: ['DRAFT'] } });
		expect(standin.log.some((e) => e.fault)).toBe(true);
		// the lookup that decided: drafts.list by the draft's Message-ID, when the fault came after Gmail saved it
		const lookups = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.list');
		if ((fault as { phase: string }).phase === 'after') {
			expect(lookups).toHaveLength(1);
			expect(decodeURIComponent(lookups[0].query)).toContain(`rfc822msgid:${drafts[0].parsed.messageId!.replace(/^<|>$/g, '')}`);
		}
	}, 60_000);

	it('resumable, the final chunk\'s answer lost: the gone session sends the card to the Message-ID lookup, one draft', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(3 * 1024 * 1024); // ~4.3 MB once base64-encoded: three chunks
		const source = receiveFile(standin, bytes);
		standin.faults = [{ match: { routeId: 'standin.gmail.uploadSession', method: 'PUT' }, nth: [3], phase: 'after', action: 'reset' } as never];
		const result = await bench.run(
			withFile(conn, source, createParams({ subject: 'Resumable once', attachments: { attachment: [{ binaryPropertyName: 'attachment_0' }] } })),
			{ credentials: store, standin, binaryMode: 'filesystem' },
		);
		expect(result.error).toBeUndefined();
		const drafts = (await storedDrafts(standin)).filter((d) => d.parsed.subject === 'Resumable once');
		expect(drafts).toHaveLength(1);
		expect(drafts[0].parsed.attachments[0].content.equals(bytes)).toBe(true);
		expect(result.nodes.Draft.json[0].id).toBe(drafts[0].id);
		const puts = standin.log.filter((e) => e.routeId === 'standin.gmail.uploadSession');
		// two 308s, the final chunk (handled, answer reset), then the status query finds no session (404)
		expect(puts.map((e) => e.status)).toEqual([308, 308, 200, 404]);
		expect(puts[2].fault).toMatch(/^reset after handling/);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.list')).toHaveLength(1);
	}, 60_000);
});

/** V8's gc(), switched on at run time (tests only), so memory samples measure what is retained. */
function getGc(): () => void {
	require('v8').setFlagsFromString('--expose-gc');
	return require('vm').runInNewContext('gc') as () => void;
}

describe('Draft → Create, 25 MiB attachment', () => {
	// 25 MiB is about the largest file Gmail takes: base64 makes it 33.4 MiB of the 35 MiB a message may have
	it('goes up in resumable CHUNK_BYTES chunks, arrives intact, and the card holds about one chunk (filesystem mode)', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(25 * 1024 * 1024);
		const source = receiveFile(standin, bytes, 'big.bin');

		// Memory: at every request the stand-in receives from the draft upload, after a full GC, ArrayBuffer memory
		// minus what the test harness itself keeps (the bench's copy of every request and reply body, the stand-in's
		// session chunks, the request in hand): what is left is what n8n and the card hold.
		const gc = getGc();
		const exchanges = bench.http.exchanges;
		const g = (await import('../standin/gmail/common')).gmailState(standin);
		const harness = (inFlight: number) =>
			exchanges.reduce((n, x) => n + x.requestBody.length + x.responseBody.length, 0) +
			[...g.uploads.values()].reduce((n, s) => n + s.chunks.reduce((m, c) => m + c.length, 0), 0) +
			inFlight;
		const samples: number[] = [];
		const dispatch = standin.dispatch.bind(standin);
		standin.dispatch = async (req) => {
			if (/\/drafts/.test(req.url) && req.method !== 'GET') {
				gc();
				samples.push(process.memoryUsage().arrayBuffers - harness(req.body.length));
			}
			return await dispatch(req);
		};

		const result = await bench.run(
			withFile(conn, source, createParams({ subject: 'Big draft', attachments: { attachment: [{ binaryPropertyName: 'attachment_0' }] } })),
			{ credentials: store, standin, binaryMode: 'filesystem' },
		);
		standin.dispatch = dispatch;
		expect(result.error).toBeUndefined();
		const d = await storedDraft(standin, /Subject: Big draft/);
		expect(d.parsed.attachments[0].content.equals(bytes)).toBe(true);
		const puts = standin.log.filter((e) => e.method === 'PUT' && e.routeId === 'standin.gmail.uploadSession');
		const chunks = Math.ceil(d.message.raw.length / CHUNK_BYTES);
		expect(chunks).toBeGreaterThan(15);
		expect(puts.map((e) => e.status)).toEqual([...Array(chunks - 1).fill(308), 200]);
		expect(puts.every((e) => e.bodySize <= CHUNK_BYTES)).toBe(true);
		// the card's share above the upload's start: steadily about two chunks (its one reused chunk buffer and the
		// request in flight), with brief peaks while a request's buffers await release, never the 34 MiB message;
		// and nothing piles up from chunk to chunk
		const above = samples.map((x) => x - samples[0]);
		const median = [...above].sort((a, b) => a - b)[Math.floor(above.length / 2)];
		const mib = (n: number) => (n / 1048576).toFixed(1);
		console.log(
			`25 MiB draft: ${chunks} chunks of ${mib(CHUNK_BYTES)} MiB, message ${mib(d.message.raw.length)} MiB; ArrayBuffers held by n8n + the card above the upload's start (after a full GC, at each of ${samples.length} requests): median ${mib(median)} MiB, peak ${mib(Math.max(...above))} MiB, last ${mib(above.at(-1)!)} MiB`,
		);
		expect(samples.length).toBe(chunks + 1);
		expect(median).toBeLessThan(3 * CHUNK_BYTES);
		expect(Math.max(...above)).toBeLessThan(d.message.raw.length / 2);
		expect(above.at(-1)!).toBeLessThan(3 * CHUNK_BYTES);
	}, 180_000);
});
