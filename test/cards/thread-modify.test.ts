import type { INode } from 'n8n-workflow';

import { setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { calls, connected, mailbox } from './modify-kit';

const bench = setupBench();

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });

/** alice's "Quarterly report" conversation (bob's report and her reply). */
function quarterly(standin: ReturnType<typeof createStandin>) {
	const mb = mailbox(standin);
	const report = [...mb.messages.values()].find((m) => /Subject: Quarterly report/.test(m.raw.toString('latin1')))!;
	const thread = mb.thread(report.threadId);
	expect(thread.length).toBe(2);
	return { id: report.threadId, messages: thread };
}

const threadItem = (standin: ReturnType<typeof createStandin>, id: string) => {
	const msgs = mailbox(standin).thread(id);
	return { id, labelIds: [...new Set(msgs.flatMap((m) => m.labelIds))], messages: msgs.map((m) => ({ id: m.id, threadId: id, labelIds: m.labelIds })) };
};

describe('Thread cards (Add / Remove Labels, Trash, Untrash)', () => {
	it('Add Labels by name: every message of the conversation gets them (threads.modify); Remove Labels takes them off', async () => {
		const standin = createStandin({ noCorpus: true });
		const t = quarterly(standin);
		const { store, one } = await connected(standin);

		const added = await bench.run(one({ resource: 'thread', operation: 'addLabels', threadId: byId(t.id), labelIds: '={{ ["receipts", "Starred"] }}' }), { credentials: store, standin });
		expect(added.status).toBe('success');
		for (const m of mailbox(standin).thread(t.id)) expect(m.labelIds).toEqual(expect.arrayContaining(['Label_1', 'STARRED']));
		expect(added.nodes.Gmail.json).toEqual([threadItem(standin, t.id)]);
		expect(calls(standin, 'gmail.users.threads.modify').map((e) => e.path)).toEqual([`/gmail/v1/users/me/threads/${t.id}/modify`]);

		const removed = await bench.run(one({ resource: 'thread', operation: 'removeLabels', threadId: byId(t.id), labelIds: ['Label_1'] }), { credentials: store, standin });
		expect(removed.status).toBe('success');
		for (const m of mailbox(standin).thread(t.id)) expect(m.labelIds).not.toContain('Label_1');
		expect(removed.nodes.Gmail.json).toEqual([threadItem(standin, t.id)]);
	});

	it('Trash and Untrash move the whole conversation (a Gmail link works as the thread)', async () => {
		const standin = createStandin({ noCorpus: true });
		const t = quarterly(standin);
		const { store, one } = await connected(standin);
		const link = { __rl: true, mode: 'url', value: `https://mail.google.com/mail/u/0/#inbox/${t.id}` };

		const trashed = await bench.run(one({ resource: 'thread', operation: 'trash', threadId: link }), { credentials: store, standin });
		expect(trashed.status).toBe('success');
		for (const m of mailbox(standin).thread(t.id)) expect(m.labelIds).toContain('TRASH');
		expect(trashed.nodes.Gmail.json[0].labelIds).toContain('TRASH');

		const back = await bench.run(one({ resource: 'thread', operation: 'untrash', threadId: byId(t.id) }), { credentials: store, standin });
		expect(back.status).toBe('success');
		for (const m of mailbox(standin).thread(t.id)) expect(m.labelIds).not.toContain('TRASH');
		expect(calls(standin, 'gmail.users.threads.trash')).toHaveLength(1);
		expect(calls(standin, 'gmail.users.threads.untrash')).toHaveLength(1);
	});

	it('an unknown thread fails its item naming it; a missing label name and SENT are refused before any call', async () => {
		const standin = createStandin({ noCorpus: true });
		const t = quarterly(standin);
		const { store, one } = await connected(standin);

		const wf = one({ resource: 'thread', operation: 'trash', threadId: byId('ffffffffffffffff') });
		const unknown = await bench.run(wf, { credentials: store, standin });
		expect(unknown.error?.message).toBe('Thread "ffffffffffffffff" was not found in this mailbox [item 0]');
		(wf.nodes[1] as INode).continueOnFail = true;
		const continued = await bench.run(wf, { credentials: store, standin });
		expect(continued.nodes.Gmail.json).toEqual([{ error: 'Thread "ffffffffffffffff" was not found in this mailbox [item 0]' }]);

		const missing = await bench.run(one({ resource: 'thread', operation: 'addLabels', threadId: byId(t.id), labelIds: '={{ "Later" }}' }), { credentials: store, standin });
		expect(missing.error?.message).toBe('Label "Later" does not exist in this mailbox ("Label Names or IDs"): create it first [item 0]');
		const sent = await bench.run(one({ resource: 'thread', operation: 'removeLabels', threadId: byId(t.id), labelIds: ['SENT'] }), { credentials: store, standin });
		expect(sent.error?.message).toMatch(/^"Label Names or IDs" names the system label SENT/);
		// an ID is checked before it goes into a URL (an expression passes n8n's own field check)
		const bad = await bench.run(one({ resource: 'thread', operation: 'untrash', threadId: byId('={{ "../labels" }}') }), { credentials: store, standin });
		expect(bad.error?.message).toBe('"Thread" is not a Gmail thread ID, got "../labels" [item 0]');
		expect(calls(standin, 'gmail.users.threads.modify')).toHaveLength(0);
		expect(calls(standin, 'gmail.users.threads.untrash')).toHaveLength(0);
	});
});
