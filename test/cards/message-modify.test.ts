import type { INode, INodeParameters } from 'n8n-workflow';

import { chain, manualTrigger, setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { FULL, MODIFY_SCOPES, calls, connected, labelId, lastSeq, mailbox, messages } from './modify-kit';

const bench = setupBench();

const byId = (id: string) => ({ __rl: true, mode: 'id', value: id });
const labelsOf = (standin: ReturnType<typeof createStandin>, id: string) => mailbox(standin).messages.get(id)!.labelIds;

/** Manual Trigger → Search (first `limit` messages of `q`, headers only) → the card on each found message. */
async function onFound(standin: ReturnType<typeof createStandin>, card: INodeParameters, q = '', limit = 3, scopes: readonly string[] = MODIFY_SCOPES) {
	const { store, node } = await connected(standin, scopes);
	const workflow = chain(
		manualTrigger(),
		node('Search', { resource: 'message', operation: 'search', query: q, limit, detail: 'metadata' }),
		node('Gmail', { resource: 'message', messageId: byId('={{ $json.id }}'), ...card }),
	);
	return { store, workflow };
}

describe('message label cards (Add / Remove Labels, Mark as Read / Unread, Archive, Trash, Restore, Delete)', () => {
	it('Add Labels: names in any case and nested names resolve to IDs; three items are one batchModify; each item gets {id, threadId, labelIds}', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await onFound(standin, { operation: 'addLabels', labelIds: '={{ ["receipts", "projects / alpha", "STARRED"] }}' });
		const seq = lastSeq(standin);

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.status).toBe('success');
		const found = result.nodes.Search.json.map((j) => j.id as string);
		expect(found).toHaveLength(3);
		for (const id of found) expect(labelsOf(standin, id)).toEqual(expect.arrayContaining(['Label_1', 'Label_2', 'STARRED']));
		expect(result.nodes.Gmail.json).toEqual(
			found.map((id) => ({ id, threadId: mailbox(standin).messages.get(id)!.threadId, labelIds: labelsOf(standin, id) })),
		);
		expect(result.nodes.Gmail.pairedItem).toEqual(found.map((_, i) => ({ item: i })));
		const batch = calls(standin, 'gmail.users.messages.batchModify', seq);
		expect(batch).toHaveLength(1);
		expect(batch[0].detail).toMatchObject({ ids: 3, unknown: 0 });
		expect(calls(standin, 'gmail.users.messages.modify', seq)).toHaveLength(0);
		// labels after the change come from the history the change wrote: no message is read again
		expect(calls(standin, 'gmail.users.history.list', seq).length).toBeGreaterThanOrEqual(1);
		expect(calls(standin, 'gmail.users.messages.get', seq).filter((e) => e.query.includes('format=minimal'))).toHaveLength(0);
	});

	it.each([
		['markAsRead', ['UNREAD'], [], ['UNREAD']],
		['markAsUnread', [], ['UNREAD'], []],
		['archive', ['INBOX'], [], ['INBOX']],
		['moveToTrash', [], ['TRASH'], []],
		['restoreFromTrash', ['TRASH'], [], ['TRASH']],
	])('%s changes the labels Gmail uses for it', async (operation, before, added, removed) => {
		const standin = createStandin({ noCorpus: true });
		const m = messages(standin).find((x) => !x.labelIds.includes('SPAM') && !x.labelIds.includes('TRASH'))!;
		// the state the card starts from
		m.labelIds = [...new Set([...m.labelIds.filter((l) => l !== 'UNREAD' && l !== 'TRASH'), 'INBOX', ...before])];
		const { store, one } = await connected(standin);
		const result = await bench.run(one({ resource: 'message', operation, messageId: byId(m.id) }), { credentials: store, standin });
		expect(result.status).toBe('success');
		for (const l of added) expect(labelsOf(standin, m.id)).toContain(l);
		for (const l of removed) expect(labelsOf(standin, m.id)).not.toContain(l);
		expect(result.nodes.Gmail.json).toEqual([{ id: m.id, threadId: m.threadId, labelIds: labelsOf(standin, m.id) }]);
		expect(calls(standin, 'gmail.users.messages.batchModify')).toHaveLength(1);
	});

	it('a message that needed no change is read back (messages.get minimal), still one item out', async () => {
		const standin = createStandin({ noCorpus: true });
		const read = messages(standin).find((m) => !m.labelIds.includes('UNREAD') && !m.labelIds.includes('TRASH') && !m.labelIds.includes('SPAM'))!;
		const { store, one } = await connected(standin);
		const result = await bench.run(one({ resource: 'message', operation: 'markAsRead', messageId: { __rl: true, mode: 'url', value: `https://mail.google.com/mail/u/0/#inbox/${read.id}` } }), { credentials: store, standin });
		expect(result.nodes.Gmail.json).toEqual([{ id: read.id, threadId: read.threadId, labelIds: read.labelIds }]);
		const gets = calls(standin, 'gmail.users.messages.get').filter((e) => e.query.includes('format=minimal'));
		expect(gets).toHaveLength(1);
		expect(gets[0].batch).toBe(true);
	});

	it('Remove Labels by name', async () => {
		const standin = createStandin({ noCorpus: true });
		const tagged = messages(standin).find((m) => m.labelIds.includes('Label_2'))!;
		const { store, one } = await connected(standin);
		const result = await bench.run(one({ resource: 'message', operation: 'removeLabels', messageId: byId(tagged.id), labelIds: '={{ "Projects/Alpha" }}' }), { credentials: store, standin });
		expect(result.status).toBe('success');
		expect(labelsOf(standin, tagged.id)).not.toContain('Label_2');
	});

	it('a label name the mailbox lacks is refused naming it ("create it first"); Create Labels If Missing creates it with its parent', async () => {
		const standin = createStandin({ noCorpus: true });
		const m = messages(standin)[0];
		const { store, one } = await connected(standin);
		const params = { resource: 'message', operation: 'addLabels', messageId: byId(m.id), labelIds: '={{ ["Clients/Acme"] }}' };

		const refused = await bench.run(one(params), { credentials: store, standin });
		expect(refused.error?.message).toBe('Label "Clients/Acme" does not exist in this mailbox ("Label Names or IDs"): create it first [item 0]');
		expect(calls(standin, 'gmail.users.messages.batchModify')).toHaveLength(0);

		const created = await bench.run(one({ ...params, createLabelsIfMissing: true }), { credentials: store, standin });
		expect(created.status).toBe('success');
		const acme = labelId(standin, 'Clients/Acme')!;
		expect(labelId(standin, 'Clients')).toBeDefined();
		expect(labelsOf(standin, m.id)).toContain(acme);
	});

	it('SENT and DRAFT are refused before any call (Gmail: "Invalid label: SENT")', async () => {
		const standin = createStandin({ noCorpus: true });
		const m = messages(standin)[0];
		const { store, one } = await connected(standin);
		const result = await bench.run(one({ resource: 'message', operation: 'removeLabels', messageId: byId(m.id), labelIds: ['SENT'] }), { credentials: store, standin });
		expect(result.error?.message).toBe(
			'"Label Names or IDs" names the system label SENT, which Gmail does not let a card remove (Gmail sets it when a message is sent or saved as a draft), got "SENT" [item 0]',
		);
		expect(calls(standin, 'gmail.users.messages.batchModify')).toHaveLength(0);
	});

	it('Delete Permanently: one batchDelete, confirmed by history; needs the full scope (gmail.modify is refused, named)', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await onFound(standin, { operation: 'deletePermanently' }, '', 2, MODIFY_SCOPES);
		const denied = await bench.run(workflow, { credentials: store, standin });
		expect(denied.status).toBe('error');
		expect(denied.error?.message).toContain('https://mail.google.com/');
		const before = mailbox(standin).messages.size;

		const full = await onFound(standin, { operation: 'deletePermanently' }, '', 2, [...MODIFY_SCOPES, FULL]);
		const seq = lastSeq(standin);
		const result = await bench.run(full.workflow, { credentials: full.store, standin });
		expect(result.status).toBe('success');
		const ids = result.nodes.Search.json.map((j) => j.id as string);
		expect(result.nodes.Gmail.json).toEqual(ids.map((id) => ({ id, threadId: expect.any(String), deleted: true })));
		for (const id of ids) expect(mailbox(standin).messages.has(id)).toBe(false);
		expect(mailbox(standin).messages.size).toBe(before - 2);
		expect(calls(standin, 'gmail.users.messages.batchDelete', seq)).toHaveLength(1);
		expect(calls(standin, 'gmail.users.messages.delete', seq)).toHaveLength(0);
	});

	it('Delete Permanently: an ID that is not in the mailbox fails only its item', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await onFound(standin, { operation: 'deletePermanently', messageId: byId('={{ $itemIndex === 1 ? "ffffffffffffffff" : $json.id }}') }, '', 3, [...MODIFY_SCOPES, FULL]);
		(workflow.nodes[2] as INode).continueOnFail = true;
		const result = await bench.run(workflow, { credentials: store, standin });
		const ids = result.nodes.Search.json.map((j) => j.id as string);
		expect(result.nodes.Gmail.json).toEqual([
			{ id: ids[0], threadId: expect.any(String), deleted: true },
			{ error: 'Message "ffffffffffffffff" was not found in this mailbox [item 1]' },
			{ id: ids[2], threadId: expect.any(String), deleted: true },
		]);
		expect(mailbox(standin).messages.has(ids[1])).toBe(true);
	});
});
