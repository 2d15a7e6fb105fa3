import type { INode } from 'n8n-workflow';

import { chain, manualTrigger, setupBench } from '../bench';
import { createStandin } from '../standin/server';
import type { Standin } from '../standin/core/standin';
import { MODIFY, MODIFY_SCOPES, calls, connected, labelId, lastSeq, mailbox, messages, unitsSince } from './modify-kit';

const bench = setupBench();

/** Quota that never refuses, on both sides: the test counts units, it does not wait for them. */
const OPEN_QUOTA = { userPerMinute: 10_000_000, projectPerMinute: 100_000_000, burstPerSecond: 1_000_000 };
const OPEN_TIER = { quotaTier: 'custom', quotaUserPerMinute: 10_000_000, quotaProjectPerMinute: 100_000_000 };

async function searchThenAddLabel(standin: Standin, limit: number, messageId = '={{ $json.id }}') {
	const { store, node } = await connected(standin, MODIFY_SCOPES, OPEN_TIER);
	const workflow = chain(
		manualTrigger(),
		node('Search', { resource: 'message', operation: 'search', returnAll: false, limit, detail: 'metadata', filters: { includeSpamTrash: true } }),
		node('Gmail', { resource: 'message', operation: 'addLabels', messageId: { __rl: true, mode: 'id', value: messageId }, labelIds: ['Label_1'] }),
	);
	return { store, workflow };
}

/** The same change as one messages.modify per message, sent to the stand-in directly: what it charges. */
async function perItemUnits(standin: Standin, ids: string[], label: string) {
	const t = standin.tokens.issueAccess({ email: 'alice@example.com', scopes: [MODIFY], kind: 'user', clientId: 'x' });
	const seq = lastSeq(standin);
	for (const id of ids) {
		const r = await standin.dispatch({
			method: 'POST',
			host: 'gmail.googleapis.com',
			url: `/gmail/v1/users/me/messages/${id}/modify`,
			headers: { authorization: `Bearer ${t.accessToken}`, 'content-type': 'application/json' },
			body: Buffer.from(JSON.stringify({ addLabelIds: [label] })),
		});
		expect(r.status).toBe(200);
	}
	return unitsSince(standin, seq);
}

describe('message label cards: many items become batchModify calls', () => {
	it('1,000 items → one batchModify of 1,000 IDs; units against one modify per item', async () => {
		const standin = createStandin({ noCorpus: true, messages: 1000, quota: OPEN_QUOTA });
		const { store, workflow } = await searchThenAddLabel(standin, 1000);
		const seqBefore = lastSeq(standin);

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.status).toBe('success');
		const ids = result.nodes.Search.json.map((j) => j.id as string);
		expect(ids).toHaveLength(1000);
		// the card's calls: after the Search's last request
		const searchEnd = Math.max(...standin.log.filter((e) => e.seq > seqBefore && e.routeId !== undefined && /messages\.(list|get)$/.test(e.routeId) && !e.query.includes('format=minimal')).map((e) => e.seq));
		const batch = calls(standin, 'gmail.users.messages.batchModify', searchEnd);
		expect(batch).toHaveLength(1);
		expect(batch[0].detail).toMatchObject({ ids: 1000, unknown: 0 });
		expect(calls(standin, 'gmail.users.messages.modify', searchEnd)).toHaveLength(0);
		for (const id of ids) expect(mailbox(standin).messages.get(id)!.labelIds).toContain('Label_1');
		expect(result.nodes.Gmail.json.map((j) => j.id)).toEqual(ids);
		expect(result.nodes.Gmail.pairedItem).toEqual(ids.map((_, i) => ({ item: i })));
		const card = unitsSince(standin, searchEnd);

		// the same change one message at a time (fresh label, so every modify changes something)
		const other = labelId(standin, 'Projects/Alpha')!;
		const perItem = await perItemUnits(standin, ids, other);
		expect(perItem.byRoute['gmail.users.messages.modify']).toBe(5000);
		expect(card.total).toBeLessThan(perItem.total / 50);
		console.log(
			`1,000 items, Add Labels: batchModify path ${card.total} units (${JSON.stringify(card.byRoute)}); ` +
				`one messages.modify per item ${perItem.total} units (stand-in, legacy unit table)`,
		);
	});

	it('an ID that no longer exists among good ones fails only its own item (Gmail ignores it in batchModify)', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await searchThenAddLabel(standin, 3, '={{ $itemIndex === 1 ? "fffffffffffffff0" : $json.id }}');
		(workflow.nodes[2] as INode).continueOnFail = true;
		const seq = lastSeq(standin);

		const result = await bench.run(workflow, { credentials: store, standin });

		const ids = result.nodes.Search.json.map((j) => j.id as string);
		expect(result.nodes.Gmail.json).toEqual([
			expect.objectContaining({ id: ids[0], labelIds: expect.arrayContaining(['Label_1']) }),
			{ error: 'Message "fffffffffffffff0" was not found in this mailbox [item 1]' },
			expect.objectContaining({ id: ids[2], labelIds: expect.arrayContaining(['Label_1']) }),
		]);
		expect(result.nodes.Gmail.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(calls(standin, 'gmail.users.messages.batchModify', seq)[0].detail).toMatchObject({ ids: 3, unknown: 1 });
		// only the unknown one is read back, and it is what answered 404
		const gets = calls(standin, 'gmail.users.messages.get', seq).filter((e) => e.query.includes('format=minimal'));
		expect(gets.map((e) => [e.path.split('/').pop(), e.status])).toEqual([['fffffffffffffff0', 404]]);

		(workflow.nodes[2] as INode).continueOnFail = false;
		const stopped = await bench.run(workflow, { credentials: store, standin });
		expect(stopped.status).toBe('error');
		expect(stopped.error?.message).toBe('Message "fffffffffffffff0" was not found in this mailbox [item 1]');
	});

	it('an ID Gmail refuses as malformed (400 "Invalid id value" for the whole call): each message is redone on its own, the bad one fails alone', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await searchThenAddLabel(standin, 3, '={{ $itemIndex === 2 ? "thread-xyz" : $json.id }}');
		(workflow.nodes[2] as INode).continueOnFail = true;
		const seq = lastSeq(standin);

		const result = await bench.run(workflow, { credentials: store, standin });

		const ids = result.nodes.Search.json.map((j) => j.id as string);
		expect(result.nodes.Gmail.json[0]).toMatchObject({ id: ids[0], labelIds: expect.arrayContaining(['Label_1']) });
		expect(result.nodes.Gmail.json[1]).toMatchObject({ id: ids[1], labelIds: expect.arrayContaining(['Label_1']) });
		expect(result.nodes.Gmail.json[2].error).toMatch(/thread-xyz/);
		expect(calls(standin, 'gmail.users.messages.batchModify', seq).map((e) => e.status)).toEqual([400]);
		expect(calls(standin, 'gmail.users.messages.modify', seq).map((e) => e.status)).toEqual([200, 200, 404]);
		for (const id of ids.slice(0, 2)) expect(mailbox(standin).messages.get(id)!.labelIds).toContain('Label_1');
	});

	it('items asking for different labels are grouped: one batchModify per distinct change', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, node } = await connected(standin);
		const workflow = chain(
			manualTrigger(),
			node('Search', { resource: 'message', operation: 'search', limit: 4, detail: 'metadata' }),
			node('Gmail', { resource: 'message', operation: 'addLabels', messageId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, labelIds: '={{ $itemIndex % 2 ? ["Receipts"] : ["Projects/Alpha"] }}' }),
		);
		const seq = lastSeq(standin);
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('success');
		const ids = result.nodes.Search.json.map((j) => j.id as string);
		ids.forEach((id, i) => expect(mailbox(standin).messages.get(id)!.labelIds).toContain(i % 2 ? 'Label_1' : 'Label_2'));
		expect(calls(standin, 'gmail.users.messages.batchModify', seq).map((e) => e.detail?.ids)).toEqual([2, 2]);
		expect(messages(standin).length).toBeGreaterThan(4);
	});
});
