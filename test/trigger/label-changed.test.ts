import { setupBench } from '../bench';
import { subjects, TriggerKit } from './kit';

/** Issue #13, event Label Added or Removed: label changes, and labels a Gmail filter sets at delivery. */
const bench = setupBench();

const labelChanged = (watchLabels: string[], change = 'added') => ({ event: 'labelChanged', watchLabels, change });

describe('Gmail Workspace Trigger: Label Added or Removed', () => {
	it('emits a label added to a message, with the label as {id, name} and the message as Read Email builds it', async () => {
		const kit = await TriggerKit.create(bench);
		const todo = kit.userLabel('To do');
		const other = kit.userLabel('Other');
		const [m] = await kit.deliver({ subjectPrefix: 'Task' });
		expect((await kit.poll(labelChanged([todo]))).items).toBeNull();

		kit.relabel(m.id, [todo, other]);
		kit.relabel(m.id, ['STARRED']);
		const r = await kit.poll(labelChanged([todo]));
		expect(r.error).toBeUndefined();
		expect(r.json).toEqual([
			expect.objectContaining({
				id: m.id,
				subject: 'Task 1',
				event: 'labelAdded',
				labelsAdded: [{ id: todo, name: 'To do' }],
				labelsRemoved: [],
				historyId: expect.stringMatching(/^\d+$/),
				labels: expect.arrayContaining([{ id: todo, name: 'To do' }, { id: other, name: 'Other' }]),
			}),
		]);
		expect(new URL(r.exchanges[0].url).searchParams.getAll('historyTypes')).toEqual(['messageAdded', 'labelAdded']);
		expect((await kit.poll(labelChanged([todo]))).items).toBeNull();
	});

	it('a label a Gmail filter sets at delivery counts as added (Gmail records a new message carrying it)', async () => {
		const kit = await TriggerKit.create(bench);
		const billing = kit.userLabel('Billing');
		await kit.addFilter({ subjectContains: 'invoice', addLabelIds: [billing] });
		await kit.poll(labelChanged([billing]));
		await kit.deliver({ subjectPrefix: 'Newsletter' });
		const [invoice] = await kit.deliver({ subjectPrefix: 'Your invoice' });
		expect(kit.mailbox.history.at(-1)).toMatchObject({ kind: 'messageAdded' });
		const r = await kit.poll(labelChanged([billing]));
		expect(r.json).toEqual([expect.objectContaining({ id: invoice.id, event: 'labelAdded', labelsAdded: [{ id: billing, name: 'Billing' }] })]);
	});

	it('Removed: a watched label taken off a message; Added: not', async () => {
		const kit = await TriggerKit.create(bench);
		const todo = kit.userLabel('To do');
		const [m] = await kit.deliver({ subjectPrefix: 'Task', labelIds: [todo] });
		await kit.poll(labelChanged([todo], 'removed'));
		kit.relabel(m.id, [], [todo]);
		kit.relabel(m.id, [], ['UNREAD']);
		const r = await kit.poll(labelChanged([todo], 'removed'));
		expect(r.json).toEqual([expect.objectContaining({ id: m.id, event: 'labelRemoved', labelsAdded: [], labelsRemoved: [{ id: todo, name: 'To do' }] })]);
		expect(new URL(r.exchanges[0].url).searchParams.getAll('historyTypes')).toEqual(['labelRemoved']);

		const added = await TriggerKit.create(bench);
		const label = added.userLabel('To do');
		const [n] = await added.deliver({ subjectPrefix: 'Task', labelIds: [label] });
		await added.poll(labelChanged([label]));
		added.relabel(n.id, [], [label]);
		expect((await added.poll(labelChanged([label]))).items).toBeNull();
	});

	it('Added or Removed, several labels (any of them counts), each change one item in history order', async () => {
		const kit = await TriggerKit.create(bench);
		const a = kit.userLabel('A');
		const b = kit.userLabel('B');
		const ignored = kit.userLabel('Ignored');
		const [m1, m2] = await kit.deliver({ subjectPrefix: 'Mail', count: 2 });
		const params = labelChanged([a, b], 'both');
		await kit.poll(params);
		kit.relabel(m1.id, [a]);
		kit.relabel(m2.id, [b, ignored]);
		kit.relabel(m1.id, [], [a]);
		kit.relabel(m2.id, [], [ignored]);
		const r = await kit.poll(params);
		expect(r.json.map((i) => [i.subject, i.event, i.labelsAdded, i.labelsRemoved])).toEqual([
			['Mail 1', 'labelAdded', [{ id: a, name: 'A' }], []],
			['Mail 2', 'labelAdded', [{ id: b, name: 'B' }], []],
			['Mail 1', 'labelRemoved', [], [{ id: a, name: 'A' }]],
		]);
		expect(subjects(r.json)).toHaveLength(3);
	});

	it('system labels can be watched too (STARRED)', async () => {
		const kit = await TriggerKit.create(bench);
		const [m] = await kit.deliver();
		await kit.poll(labelChanged(['STARRED']));
		kit.relabel(m.id, ['STARRED']);
		const r = await kit.poll(labelChanged(['STARRED']));
		expect(r.json).toEqual([expect.objectContaining({ id: m.id, labelsAdded: [{ id: 'STARRED', name: 'STARRED' }] })]);
	});

	it('no label chosen is a clear parameter error', async () => {
		const kit = await TriggerKit.create(bench);
		const r = await kit.poll(labelChanged([]));
		expect(r.error?.message).toMatch(/"Label Names or IDs" is empty: choose at least one label to watch/);
	});

	it('manual test returns the newest message carrying a watched label, as a sample event; the cursor is not touched', async () => {
		const kit = await TriggerKit.create(bench);
		const a = kit.userLabel('A');
		const b = kit.userLabel('B');
		await kit.deliver({ subjectPrefix: 'With A', labelIds: [a] });
		await kit.deliver({ subjectPrefix: 'With B', labelIds: [b] });
		await kit.deliver({ subjectPrefix: 'Without' });
		const test = await kit.poll(labelChanged([a, b]), { mode: 'manual' });
		expect(test.json).toEqual([expect.objectContaining({ subject: 'With B 1', event: 'labelAdded', labelsAdded: [{ id: b, name: 'B' }] })]);
		expect(test.staticData).toEqual({});
		const removed = await kit.poll(labelChanged([a], 'removed'), { mode: 'manual' });
		expect(removed.json).toEqual([expect.objectContaining({ subject: 'With A 1', event: 'labelRemoved', labelsRemoved: [{ id: a, name: 'A' }] })]);
	});

	it('history expired: messages that arrived carrying a watched label in the gap are found by a search, once', async () => {
		const kit = await TriggerKit.create(bench);
		const billing = kit.userLabel('Billing');
		await kit.addFilter({ subjectContains: 'invoice', addLabelIds: [billing] });
		const params = labelChanged([billing]);
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Invoice early' });
		expect(subjects((await kit.poll(params)).json)).toEqual(['Invoice early 1']);
		await kit.deliver({ subjectPrefix: 'Invoice in the gap', count: 2 });
		await kit.deliver({ subjectPrefix: 'Other' });
		await kit.expireHistory();
		const r = await kit.poll(params);
		expect(r.error).toBeUndefined();
		expect(subjects(r.json)).toEqual(['Invoice in the gap 1', 'Invoice in the gap 2']);
		expect(r.json.every((i) => i.event === 'labelAdded')).toBe(true);
		expect(r.logs.some((l) => l.level === 'warn' && /label changes in the gap/.test(l.message))).toBe(true);
	});
});
