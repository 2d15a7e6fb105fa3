import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { createStandin } from '../standin/server';
import { cardWorkflow, storedMessage } from './helpers';

const bench = setupBench();
const ALICE = 'alice@example.com';

const searchParams = (extra: Record<string, unknown> = {}) => ({ resource: 'thread', operation: 'search', detail: 'metadata', ...extra });
const lists = (standin: ReturnType<typeof createStandin>) =>
	standin.log.filter((e) => e.routeId === 'gmail.users.threads.list').map((e) => Object.fromEntries(new URLSearchParams(e.query)));

describe('Thread → Search card', () => {
	it('one item per thread, with all its messages, though several of them match', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, searchParams({ query: 'subject:"Quarterly report"' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json.map((j) => [j.id, j.messageCount])).toEqual([[original.threadId, 2]]);
		expect(lists(standin)).toEqual([{ q: 'subject:"Quarterly report"', maxResults: '50' }]);
	});

	it("the filters of Search Emails (one shared query builder): sender, read status, labels, dates, spam and trash", async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(
			standin,
			searchParams({ filters: { sender: 'carol@gmail.com', readStatus: 'unread', labelIds: ['INBOX'], receivedAfter: '2024-06-01T00:00:00Z', includeSpamTrash: true } }),
		);
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const [list] = lists(standin);
		expect(list).toEqual({ q: `from:carol@gmail.com is:unread after:${Date.UTC(2024, 5, 1) / 1000}`, maxResults: '50', labelIds: 'INBOX', includeSpamTrash: 'true' });
		// what the stand-in's own search gives for the same query, as threads
		const mb = gmailState(standin).mailbox(ALICE)!;
		const lunch = [...mb.messages.values()].filter((m) => /Subject: Lunch on Friday\?/.test(m.raw.toString()));
		expect(result.nodes.Gmail.json.map((j) => j.id)).toEqual([...new Set(lunch.filter((m) => m.labelIds.includes('UNREAD')).map((m) => m.threadId))]);
		expect(result.nodes.Gmail.json.length).toBeGreaterThan(0);
	});

	it('a limit over pages: threads.list pages, then one batch of threads.get for the threads found', async () => {
		const standin = createStandin({ noCorpus: true, messages: 40 });
		standin.quota.unitsPerSecond = 0;
		const { store, workflow } = await cardWorkflow(standin, searchParams({ query: 'subject:"Generated message"', limit: 30 }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toHaveLength(30);
		const ids = result.nodes.Gmail.json.map((j) => j.id);
		expect(new Set(ids).size).toBe(30);
		const gets = standin.log.filter((e) => e.routeId === 'gmail.users.threads.get');
		expect(gets).toHaveLength(30);
		expect(gets.every((e) => e.batch)).toBe(true);
		expect(result.nodes.Gmail.json.every((j) => (j.messages as Array<{ subject: string }>).every((m) => m.subject.startsWith('Generated message')))).toBe(true);
	});
});
