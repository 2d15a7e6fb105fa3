import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { createStandin } from '../standin/server';
import { cardWorkflow, parseWithMailparser, storedMessage } from './helpers';

const bench = setupBench();
const ALICE = 'alice@example.com';

const replyParams = (threadId: string, extra: Record<string, unknown> = {}) => ({
	resource: 'thread',
	operation: 'reply',
	threadId: { __rl: true, mode: 'id', value: threadId },
	emailType: 'text',
	message: 'Thursday it is.',
	...extra,
});
const sentCopy = async (standin: ReturnType<typeof createStandin>, id: string) => {
	const stored = gmailState(standin).mailbox(ALICE)!.messages.get(id)!;
	return { stored, parsed: await parseWithMailparser(stored.raw) };
};
const sends = (standin: ReturnType<typeof createStandin>) => standin.log.filter((e) => e.routeId === 'gmail.users.messages.send');

describe('Thread → Reply card', () => {
	it("answers the thread's last message (the shared reply module): its In-Reply-To, References, thread", async () => {
		const standin = createStandin({ noCorpus: true });
		const last = storedMessage(standin, ALICE, /Subject: Re: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, replyParams(last.threadId));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const out = result.nodes.Gmail.json[0];
		expect(out).toMatchObject({ threadId: last.threadId, inReplyTo: '<seed-q2-report-reply@example.com>' });
		const { stored, parsed } = await sentCopy(standin, out.id as string);
		expect(stored.threadId).toBe(last.threadId);
		expect(parsed.subject).toBe('Re: Quarterly report');
		expect(parsed.references).toEqual(['<seed-q2-report@example.com>', '<seed-q2-report-reply@example.com>']);
		expect(parsed.to.value.map((a: { address: string }) => a.address)).toEqual(['bob@example.com']);
		// threads.get format=minimal picks the message; no body is read twice
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.threads.get').map((e) => new URLSearchParams(e.query).get('format'))).toEqual(['minimal']);
	});

	it('a chosen message of the thread, with Reply All and the quote', async () => {
		const standin = createStandin({ noCorpus: true });
		const first = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, replyParams(first.threadId, { replyToMessage: first.id, replyAll: true, options: { quoteOriginal: true } }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const { parsed } = await sentCopy(standin, result.nodes.Gmail.json[0].id as string);
		expect(parsed.inReplyTo).toBe('<seed-q2-report@example.com>');
		expect(parsed.text).toContain('Bob Example <bob@example.com> wrote:\n> Hi Alice,');
	});

	it('a message outside the thread, or an unknown thread: refused, nothing sent', async () => {
		const standin = createStandin({ noCorpus: true });
		const q2 = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const lunch = storedMessage(standin, ALICE, /Subject: Lunch on Friday/);
		const a = await cardWorkflow(standin, replyParams(q2.threadId, { replyToMessage: lunch.id }));
		const r1 = await bench.run(a.workflow, { credentials: a.store, standin });
		expect(r1.error?.message).toMatch(new RegExp(`Message "${lunch.id}" is not in thread "${q2.threadId}": nothing was sent`));
		const b = await cardWorkflow(standin, replyParams('18f0000000000bad'));
		const r2 = await bench.run(b.workflow, { credentials: b.store, standin });
		expect(r2.error?.message).toMatch(/Thread "18f0000000000bad" was not found in this mailbox/);
		expect(sends(standin)).toEqual([]);
	});
});
