import { createHash, randomBytes } from 'node:crypto';

import { chain, gmailNode, manualTrigger, setupBench } from '../bench';
import { CHUNK_BYTES } from '../../nodes/GmailWorkspace/v1/transport/upload';
import { gmailState } from '../standin/gmail/common';
import { addMessage } from '../standin/gmail/store';
import { compose } from '../standin/gmail/seed';
import { createStandin } from '../standin/server';
import { cardWorkflow, parseWithMailparser, storedMessage, storedMessages } from './helpers';

const bench = setupBench();

const sendParams = (extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'send',
	to: 'bob@example.com',
	subject: 'Hello from n8n',
	emailType: 'text',
	message: 'First line\nsecond line',
	...extra,
});

/** Messages in bob's mailbox with this subject, parsed by mailparser. */
async function delivered(standin: ReturnType<typeof createStandin>, who: string, subject: string) {
	const found = storedMessages(standin, who, new RegExp(`Subject: ${subject}`));
	return await Promise.all(found.map(async (m) => ({ stored: m, parsed: await parseWithMailparser(m.raw) })));
}

describe('Send Email card', () => {
	it('sends text mail: Gmail stores it in SENT and delivers it to the recipient', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, sendParams({ options: { cc: 'dave@example.com', senderName: 'Alice from n8n' } }));

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.status).toBe('success');
		const out = result.nodes.Gmail.json[0];
		expect(out).toEqual({ id: expect.any(String), threadId: expect.any(String), labelIds: expect.arrayContaining(['SENT']) });
		const [bob] = await delivered(standin, 'bob@example.com', 'Hello from n8n');
		expect(bob.parsed.text.trim()).toBe('First line\nsecond line');
		expect(bob.parsed.from.value).toEqual([{ name: 'Alice from n8n', address: 'alice@example.com' }]);
		expect(bob.parsed.cc.value).toEqual([{ name: '', address: 'dave@example.com' }]);
		expect(bob.stored.labelIds).toEqual(expect.arrayContaining(['INBOX', 'UNREAD']));
		expect(await delivered(standin, 'dave@example.com', 'Hello from n8n')).toHaveLength(1);
		expect(gmailState(standin).mailbox('alice@example.com')!.messages.get(out.id as string)!.labelIds).toContain('SENT');
		// nothing appended to the user's mail
		expect(bob.stored.raw.toString()).not.toMatch(/n8n\.io|sent automatically/i);
	});

	it('HTML only: a multipart/alternative with a derived plain-text part; BCC is not shown to recipients', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(
			standin,
			sendParams({ emailType: 'html', html: '<p>Hi <b>Bob</b>,</p><p>see <a href="https://example.com/r">the report</a></p>', options: { bcc: 'dave@example.com' } }),
		);
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('success');
		const [bob] = await delivered(standin, 'bob@example.com', 'Hello from n8n');
		expect(bob.parsed.html).toContain('<b>Bob</b>');
		expect(bob.parsed.text).toContain('Hi Bob,');
		expect(bob.parsed.text).toContain('the report (https://example.com/r)');
		expect(bob.parsed.headers.get('content-type').value).toBe('multipart/alternative');
		expect(bob.parsed.bcc).toBeUndefined();
		expect(await delivered(standin, 'dave@example.com', 'Hello from n8n')).toHaveLength(1);
	});

	it('a reply is threaded with In-Reply-To and References', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, 'alice@example.com', /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, sendParams({ subject: '', options: { replyToMessageId: original.id } }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('success');
		expect(result.nodes.Gmail.json[0].threadId).toBe(original.threadId);
		const replies = (await delivered(standin, 'bob@example.com', 'Re: Quarterly report')).filter((d) => d.parsed.text?.includes('First line'));
		expect(replies).toHaveLength(1);
		expect(replies[0].parsed.inReplyTo).toBe('<seed-q2-report@example.com>');
		expect([replies[0].parsed.references].flat()).toEqual(['<seed-q2-report@example.com>']); // mailparser gives a single reference as a string
	});

	it.each([
		[{ subject: 'Hi\r\nBcc: victim@example.com' }, /subject/i],
		[{ to: 'bob@example.com, not an address' }, /to.*not an address/i],
		[{ options: { from: 'ceo@example.com' } }, /"ceo@example.com" is not a send-as address of alice@example.com/],
	])('refuses bad input before sending: %j', async (extra, message) => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, sendParams(extra));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(message);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.send')).toEqual([]);
	});
});

describe('Send Email with Attachment card', () => {
	/** Alice's mailbox gets a message with an attachment of `bytes`; the workflow reads it and sends the file on to dave. */
	function forwardAttachment(standin: ReturnType<typeof createStandin>, conn: { reference: { id: string; name: string } }, bytes: Buffer) {
		const g = gmailState(standin);
		const m = addMessage(g, g.mailbox('alice@example.com')!, compose({
			from: 'Bob Example <bob@example.com>', to: 'alice@example.com', subject: 'The file', text: 'attached', date: Date.now(),
			attachments: [{ filename: 'data.bin', mimeType: 'application/octet-stream', data: bytes }],
		}), { labelIds: ['INBOX'], internalDate: Date.now() });
		return chain(
			manualTrigger(),
			gmailNode({ name: 'Read', parameters: { resource: 'message', operation: 'read', messageId: { __rl: true, mode: 'id', value: m.id }, options: { downloadAttachments: true } }, credential: conn.reference }),
			gmailNode({
				name: 'Send',
				parameters: {
					resource: 'message', operation: 'sendWithAttachment', to: 'dave@example.com', subject: 'Forwarded file', emailType: 'text', message: 'Here it is',
					attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: 'renamed.bin' }] },
				},
				credential: conn.reference,
			}),
		);
	}

	it.each(['default', 'filesystem'] as const)('sends files from n8n binary data byte for byte (%s mode)', async (binaryMode) => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(300_000);
		const result = await bench.run(forwardAttachment(standin, conn, bytes), { credentials: store, standin, binaryMode });
		expect(result.status).toBe('success');
		const [dave] = await delivered(standin, 'dave@example.com', 'Forwarded file');
		expect(dave.parsed.attachments).toHaveLength(1);
		expect(dave.parsed.attachments[0].filename).toBe('renamed.bin');
		expect(dave.parsed.attachments[0].content.equals(bytes)).toBe(true);
		expect(dave.parsed.text.trim()).toBe('Here it is');
	});

	// 25 MiB is about the largest file Gmail takes: base64 makes it 33.4 MiB of the 35 MiB a message may have
	it('a 25 MiB attachment goes up in resumable chunks and arrives intact (filesystem mode)', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(25 * 1024 * 1024);
		const result = await bench.run(forwardAttachment(standin, conn, bytes), { credentials: store, standin, binaryMode: 'filesystem' });
		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		const [dave] = await delivered(standin, 'dave@example.com', 'Forwarded file');
		const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
		expect(sha(dave.parsed.attachments[0].content)).toBe(sha(bytes));
		// CHUNK_BYTES chunks (2 MiB): 308 "resume incomplete" for each but the last, which answers the message
		const puts = standin.log.filter((e) => e.method === 'PUT' && e.routeId === 'standin.gmail.uploadSession');
		const chunks = Math.ceil(dave.stored.raw.length / CHUNK_BYTES);
		expect(chunks).toBeGreaterThan(10);
		expect(puts.map((e) => e.status)).toEqual([...Array(chunks - 1).fill(308), 200]);
		expect(puts.slice(0, -1).every((e) => e.bodySize === CHUNK_BYTES)).toBe(true);
	}, 120_000);

	// base64 makes 1.4 MB about 1.9 MiB of message (one chunk or less) and 1.6 MB about 2.1 MiB (more than one)
	it.each([
		[1_400_000, 'multipart'],
		[1_600_000, 'resumable'],
	])('a %d-byte file: a message up to one chunk goes in one request, a larger one in chunks (%s)', async (size, uploadType) => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(size);
		const result = await bench.run(forwardAttachment(standin, conn, bytes), { credentials: store, standin, binaryMode: 'filesystem' });
		expect(result.status).toBe('success');
		const [dave] = await delivered(standin, 'dave@example.com', 'Forwarded file');
		expect(dave.parsed.attachments[0].content.equals(bytes)).toBe(true);
		expect(dave.stored.raw.length <= CHUNK_BYTES).toBe(uploadType === 'multipart');
		const uploads = standin.log.filter((e) => e.path.startsWith('/upload/') && e.method === 'POST');
		expect(uploads.map((e) => new URLSearchParams(e.query).get('uploadType'))).toEqual([uploadType]);
	});

	// found by the real-n8n e2e suite: text + HTML + a 20 MiB file in one execution spend 300 units within a second
	it("a rate-limit answer (429) to the resumable upload's start is waited out and retried: the file arrives once", async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		standin.faults = [{ match: { routeId: 'gmail.users.messages.send', method: 'POST' }, nth: [1], action: 429, retryAfter: 1 } as never];
		const { store, conn } = await cardWorkflow(standin, {});
		const bytes = randomBytes(6 * 1024 * 1024); // over the single-request limit once base64-encoded
		const result = await bench.run(forwardAttachment(standin, conn, bytes), { credentials: store, standin, binaryMode: 'filesystem' });
		expect(result.error).toBeUndefined();
		// the session start (POST); the chunks go to the session URL (PUT)
		const starts = standin.log.filter((e) => e.routeId === 'gmail.users.messages.send' && e.method === 'POST');
		expect(starts.map((e) => e.status)).toEqual([429, 200]);
		const copies = await delivered(standin, 'dave@example.com', 'Forwarded file');
		expect(copies).toHaveLength(1);
		expect(copies[0].parsed.attachments[0].content.equals(bytes)).toBe(true);
	}, 60_000);

	it('refuses a message over 35 MiB before uploading anything', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const { store, conn } = await cardWorkflow(standin, {});
		const result = await bench.run(forwardAttachment(standin, conn, randomBytes(27 * 1024 * 1024)), { credentials: store, standin, binaryMode: 'filesystem' });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Gmail accepts at most 35 MiB \(36700160 bytes\) including attachments. Nothing was uploaded./);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.send')).toEqual([]);
	}, 60_000);
});

describe('at-most-once sending', () => {
	it.each([
		['a connection reset after Gmail processed the upload', { action: 'reset', phase: 'after' }],
		['a 503 after Gmail processed the upload', { action: 503, phase: 'after' }],
		['a 429 before the upload is processed', { action: 429, phase: 'before', retryAfter: 1 }],
		['a 503 before the upload is processed', { action: 503, phase: 'before' }],
	])('%s: exactly one message is delivered', async (_, fault) => {
		const standin = createStandin({ noCorpus: true });
		standin.faults = [{ match: { routeId: 'gmail.users.messages.send' }, nth: [1], ...(fault as object) } as never];
		const { store, workflow } = await cardWorkflow(standin, sendParams({ subject: 'Exactly once' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('success');
		expect(await delivered(standin, 'bob@example.com', 'Exactly once')).toHaveLength(1);
		expect(standin.log.some((e) => e.fault)).toBe(true);
	}, 60_000);

	it('several items, one credential: one message each, each output paired', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const { store, conn } = await cardWorkflow(standin, {});
		const workflow = chain(
			manualTrigger(),
			gmailNode({ name: 'Search', parameters: { resource: 'message', operation: 'search', query: 'in:inbox', limit: 3, detail: 'metadata' }, credential: conn.reference }),
			gmailNode({ name: 'Send', parameters: sendParams({ subject: '=Re: {{ $json.subject }} (auto)' }), credential: conn.reference }),
		);
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('success');
		expect(result.nodes.Send.json).toHaveLength(3);
		expect(result.nodes.Send.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(storedMessages(standin, 'bob@example.com', /\(auto\)/)).toHaveLength(3);
	});
});
