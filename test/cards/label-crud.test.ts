import type { INode } from 'n8n-workflow';

import { setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { LABEL_COLORS } from '../../nodes/GmailWorkspace/v1/actions/label/colors';
import { labelPalette } from '../standin/gmail/labels';
import { calls, connected, labelId, lastSeq, mailbox, messages } from './modify-kit';

const bench = setupBench();

const userLabels = (standin: ReturnType<typeof createStandin>) =>
	[...mailbox(standin).labels.values()].filter((l) => l.type === 'user').map((l) => l.name).sort();

describe('Label cards', () => {
	it("the card's colour palette is Google's (LabelColor in the discovery document)", () => {
		expect([...LABEL_COLORS].sort()).toEqual([...labelPalette()].sort());
		expect(LABEL_COLORS).toHaveLength(102);
	});

	it('List: every label, or only user labels; Include Counts adds Gmail\'s counters (labels.get per label, batched)', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, one } = await connected(standin);

		const all = await bench.run(one({ resource: 'label', operation: 'list' }), { credentials: store, standin });
		expect(all.status).toBe('success');
		expect(all.nodes.Gmail.json.map((l) => l.name)).toEqual(expect.arrayContaining(['INBOX', 'UNREAD', 'Receipts', 'Projects/Alpha']));
		expect(all.nodes.Gmail.json).toHaveLength(mailbox(standin).labels.size);

		const seq = lastSeq(standin);
		const user = await bench.run(one({ resource: 'label', operation: 'list', labelType: 'user', includeCounts: true }), { credentials: store, standin });
		expect(user.status).toBe('success');
		const receipts = user.nodes.Gmail.json.find((l) => l.name === 'Receipts')!;
		const withLabel = messages(standin).filter((m) => m.labelIds.includes(receipts.id as string));
		expect(user.nodes.Gmail.json.map((l) => l.name).sort()).toEqual(userLabels(standin));
		expect(receipts).toMatchObject({ type: 'user', messagesTotal: withLabel.length, color: { backgroundColor: expect.any(String) } });
		expect(calls(standin, 'gmail.users.labels.list', seq)).toHaveLength(1);
		const gets = calls(standin, 'gmail.users.labels.get', seq);
		expect(gets).toHaveLength(2);
		expect(gets.every((e) => e.batch)).toBe(true);
	});

	it('Create: a nested name creates its missing parent first; colours and visibility as given', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, one } = await connected(standin);
		const result = await bench.run(
			one({
				resource: 'label',
				operation: 'create',
				name: 'Clients / Acme',
				options: { backgroundColor: '#16A766', textColor: '#ffffff', labelListVisibility: 'labelShowIfUnread', messageListVisibility: 'hide' },
			}),
			{ credentials: store, standin },
		);
		expect(result.status).toBe('success');
		const made = [...mailbox(standin).labels.values()].find((l) => l.name === 'Clients/Acme')!;
		expect(made).toMatchObject({ type: 'user', color: { backgroundColor: '#16a766', textColor: '#ffffff' }, labelListVisibility: 'labelShowIfUnread', messageListVisibility: 'hide' });
		expect(labelId(standin, 'Clients')).toBeDefined();
		expect(result.nodes.Gmail.json).toEqual([expect.objectContaining({ id: made.id, name: 'Clients/Acme' })]);
		expect(calls(standin, 'gmail.users.labels.create')).toHaveLength(2);

		// the parent that exists (in another case) lends its spelling and is not created again
		const again = await bench.run(one({ resource: 'label', operation: 'create', name: 'clients/Beta' }), { credentials: store, standin });
		expect(again.nodes.Gmail.json[0].name).toBe('Clients/Beta');
		expect(calls(standin, 'gmail.users.labels.create')).toHaveLength(3);
	});

	it('Create: colours off the palette, a colour without its pair, an existing name are refused before any call', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, one } = await connected(standin);
		const run = async (parameters: Record<string, unknown>) => await bench.run(one({ resource: 'label', operation: 'create', ...parameters }), { credentials: store, standin });

		const off = await run({ name: 'Red', options: { backgroundColor: '#ff0000', textColor: '#ffffff' } });
		expect(off.error?.message).toBe('"Background Colour" is not on Gmail\'s label palette (nearest: #cc3a21), got "#ff0000" [item 0]');
		const half = await run({ name: 'Red', options: { backgroundColor: '#fb4c2f' } });
		expect(half.error?.message).toBe('"Text Colour" is needed too: Gmail sets a label colour only as a pair (background and text) [item 0]');
		const exists = await run({ name: 'RECEIPTS' });
		expect(exists.error?.message).toBe('A label named "Receipts" already exists (ID Label_1) [item 0]');
		expect(calls(standin, 'gmail.users.labels.create')).toHaveLength(0);

		const reused = await run({ name: 'receipts', options: { returnExisting: true } });
		expect(reused.nodes.Gmail.json).toEqual([expect.objectContaining({ id: 'Label_1', name: 'Receipts' })]);
		expect(calls(standin, 'gmail.users.labels.create')).toHaveLength(0);
	});

	it('Update: rename and recolour by name (labels.patch); one colour is completed with the label\'s other one', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, one } = await connected(standin);
		const before = mailbox(standin).labels.get('Label_1')!.color!;
		const result = await bench.run(
			one({ resource: 'label', operation: 'update', label: '={{ "receipts" }}', updateFields: { name: 'Finance/Receipts', backgroundColor: '#4a86e8' } }),
			{ credentials: store, standin },
		);
		expect(result.status).toBe('success');
		expect(mailbox(standin).labels.get('Label_1')).toMatchObject({ name: 'Finance/Receipts', color: { backgroundColor: '#4a86e8', textColor: before.textColor } });
		expect(result.nodes.Gmail.json[0]).toMatchObject({ id: 'Label_1', name: 'Finance/Receipts' });
		expect(calls(standin, 'gmail.users.labels.patch').map((e) => e.path)).toEqual(['/gmail/v1/users/me/labels/Label_1']);
	});

	it('Update / Delete: a system label is refused naming it, an unknown ID or name is named; no call is made', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, one } = await connected(standin);
		const run = async (parameters: Record<string, unknown>) => await bench.run(one(parameters as never), { credentials: store, standin });

		const inbox = await run({ resource: 'label', operation: 'delete', label: '={{ "Inbox" }}' });
		expect(inbox.error?.message).toBe('"INBOX" is a system label: Gmail does not let it be deleted [item 0]');
		const starred = await run({ resource: 'label', operation: 'update', label: 'STARRED', updateFields: { name: 'Fav' } });
		expect(starred.error?.message).toBe('"STARRED" is a system label: Gmail does not let it be updated [item 0]');
		const unknownId = await run({ resource: 'label', operation: 'delete', label: 'Label_99' });
		expect(unknownId.error?.message).toBe('Label ID "Label_99" does not exist in this mailbox ("Label Name or ID") [item 0]');
		const unknownName = await run({ resource: 'label', operation: 'update', label: '={{ "Nope/Never" }}', updateFields: { name: 'x' } });
		expect(unknownName.error?.message).toBe('Label "Nope/Never" does not exist in this mailbox ("Label Name or ID"): create it first [item 0]');
		expect(calls(standin, 'gmail.users.labels.delete')).toHaveLength(0);
		expect(calls(standin, 'gmail.users.labels.patch')).toHaveLength(0);
	});

	it('Delete: the label goes, its messages stay without it; Continue On Fail keeps the other items going', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, one } = await connected(standin);
		const tagged = messages(standin).filter((m) => m.labelIds.includes('Label_2')).map((m) => m.id);
		expect(tagged.length).toBeGreaterThan(0);
		const wf = one({ resource: 'label', operation: 'delete', label: '={{ "Projects/Alpha" }}' });
		const result = await bench.run(wf, { credentials: store, standin });
		expect(result.nodes.Gmail.json).toEqual([{ id: 'Label_2', name: 'Projects/Alpha', deleted: true }]);
		expect(mailbox(standin).labels.has('Label_2')).toBe(false);
		for (const id of tagged) expect(mailbox(standin).messages.get(id)!.labelIds).not.toContain('Label_2');

		(wf.nodes[1] as INode).continueOnFail = true;
		const twice = await bench.run(wf, { credentials: store, standin });
		expect(twice.status).toBe('success');
		expect(twice.nodes.Gmail.json).toEqual([{ error: 'Label "Projects/Alpha" does not exist in this mailbox ("Label Name or ID"): create it first [item 0]' }]);
	});
});
