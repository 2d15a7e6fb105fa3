import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { compose } from '../standin/gmail/seed';
import { addMessage } from '../standin/gmail/store';
import { createStandin } from '../standin/server';
import { cardWorkflow, parseWithMailparser, storedMessage } from './helpers';

const bench = setupBench();
const ALICE = 'alice@example.com';

const getParams = (threadId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'thread',
	operation: 'get',
	threadId: { __rl: true, mode: 'id', value: threadId },
	...extra,
});

describe('Thread → Get card', () => {
	it("one item per thread: every message parsed as Read Email does, in the thread's order", async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const g = gmailState(standin);
		const mb = g.mailbox(ALICE)!;
		// a third message that arrives later but is dated between the two: Gmail orders a thread by receipt
		addMessage(g, mb, compose({ from: 'Bob Example <bob@example.com>', to: ALICE, subject: 'Re: Quarterly report', text: 'Thursday works.', date: Date.UTC(2024, 5, 3, 10), messageId: '<q2-3@example.com>', inReplyTo: '<seed-q2-report-reply@example.com>' }), { labelIds: ['INBOX'], internalDate: Date.UTC(2024, 5, 3, 12) });
		const expected = mb.thread(original.threadId).map((m) => m.id);
		expect(expected).toHaveLength(3);
		const { store, workflow } = await cardWorkflow(standin, getParams(original.threadId));

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toHaveLength(1);
		const item = result.nodes.Gmail.json[0] as { id: string; messageCount: number; messages: Array<Record<string, unknown>> };
		expect(item.id).toBe(original.threadId);
		expect(item.messageCount).toBe(3);
		expect(item.messages.map((m) => m.id)).toEqual(expected);
		expect(item.messages.map((m) => m.messageId)).toEqual(['<seed-q2-report@example.com>', '<seed-q2-report-reply@example.com>', '<q2-3@example.com>']);
		expect(item.messages[0]).toMatchObject({ threadId: original.threadId, subject: 'Quarterly report', from: { name: 'Bob Example', address: 'bob@example.com' }, attachments: [expect.objectContaining({ filename: 'Q2-report.pdf' })] });
		expect(item.messages[2].textBody).toContain('Thursday works.');
		// one threads.get, sent through the batch endpoint
		const gets = standin.log.filter((e) => e.routeId === 'gmail.users.threads.get');
		expect(gets.map((e) => [e.batch, new URLSearchParams(e.query).get('format')])).toEqual([[true, 'full']]);
	});

	it('Split Into Messages: one item per message; attachments as binary, named per message', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const pdf = (await parseWithMailparser(original.raw)).attachments[0].content;
		const split = await cardWorkflow(standin, getParams(original.threadId, { split: true, options: { downloadAttachments: true } }));
		const r1 = await bench.run(split.workflow, { credentials: split.store, standin });
		expect(r1.error).toBeUndefined();
		expect(r1.nodes.Gmail.json.map((j) => j.subject)).toEqual(['Quarterly report', 'Re: Quarterly report']);
		expect((await r1.binaryBuffer('Gmail', 0, 'attachment_0')).equals(pdf)).toBe(true);

		const whole = await cardWorkflow(standin, getParams(original.threadId, { options: { downloadAttachments: true } }));
		const r2 = await bench.run(whole.workflow, { credentials: whole.store, standin });
		expect(r2.error).toBeUndefined();
		expect((await r2.binaryBuffer('Gmail', 0, 'attachment_0_0')).equals(pdf)).toBe(true);
		expect(r2.nodes.Gmail.json).toHaveLength(1);

		// Headers Only: threads.get format=metadata, no bodies
		const meta = await cardWorkflow(standin, getParams(original.threadId, { detail: 'metadata' }));
		const r3 = await bench.run(meta.workflow, { credentials: meta.store, standin });
		const messages = r3.nodes.Gmail.json[0].messages as Array<Record<string, unknown>>;
		expect(messages.map((m) => [m.subject, m.textBody])).toEqual([['Quarterly report', ''], ['Re: Quarterly report', '']]);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.threads.get').map((e) => new URLSearchParams(e.query).get('format'))).toEqual(['full', 'full', 'metadata']);
	});

	it('an unknown thread fails naming it', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, getParams('18f0000000000bad'));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Thread "18f0000000000bad" was not found in this mailbox/);
	});
});
