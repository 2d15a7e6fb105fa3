import {
	compareHistoryIds,
	eventsFromHistory,
	historyTypes,
	newEmailRejection,
	newEmailSearch,
	senderMatches,
	type HistoryRecord,
	type TriggerConfig,
} from '../../nodes/GmailWorkspace/v1/trigger/events';
import { noteEmitted, readState, resyncFromMs, RESYNC_MARGIN_MS, writeState } from '../../nodes/GmailWorkspace/v1/trigger/state';

/** The trigger's pure rules, without n8n: history records → events, filters, the static data's shape. */

const base: TriggerConfig = {
	event: 'newEmail',
	watchLabels: [],
	change: 'added',
	labelIds: [],
	labelMatch: 'any',
	query: '',
	sender: '',
	readStatus: 'both',
	includeSpamTrash: false,
	includeDrafts: false,
	includeSent: false,
	includeScheduled: false,
};
const labels = (watchLabels: string[], change: TriggerConfig['change'] = 'added'): TriggerConfig => ({ ...base, event: 'labelChanged', watchLabels, change });

const msg = (id: string, labelIds: string[] = ['INBOX']) => ({ id, threadId: id, labelIds });
const records: HistoryRecord[] = [
	{ id: '12', labelsAdded: [{ message: msg('a', ['INBOX', 'L1']), labelIds: ['L1'] }] },
	{ id: '10', messagesAdded: [{ message: msg('a') }] },
	{ id: '11', messagesAdded: [{ message: msg('d', ['DRAFT']) }] },
	{ id: '13', messagesAdded: [{ message: msg('b', ['INBOX', 'L2']) }] },
	{ id: '14', labelsRemoved: [{ message: msg('a', ['INBOX']), labelIds: ['L1', 'UNREAD'] }] },
	{ id: '15', messagesAdded: [{ message: msg('a') }] },
	{ id: '16', labelsAdded: [{ message: msg('b', ['INBOX', 'L2', 'L3']), labelIds: ['L3'] }] },
];

describe('trigger events (pure)', () => {
	it('history types: New Email reads messageAdded and labelAdded (sent drafts); labels read messageAdded too (filters at delivery)', () => {
		expect(historyTypes(base)).toEqual(['messageAdded', 'labelAdded']);
		expect(historyTypes(labels(['L1']))).toEqual(['messageAdded', 'labelAdded']);
		expect(historyTypes(labels(['L1'], 'removed'))).toEqual(['labelRemoved']);
		expect(historyTypes(labels(['L1'], 'both'))).toEqual(['messageAdded', 'labelAdded', 'labelRemoved']);
	});

	it('New Email: each added message once, in history order, drafts left out unless included', () => {
		expect(eventsFromHistory(records, base)).toEqual([
			{ kind: 'messageAdded', messageId: 'a', historyId: '10' },
			{ kind: 'messageAdded', messageId: 'b', historyId: '13' },
		]);
		expect(eventsFromHistory(records, { ...base, includeDrafts: true }).map((e) => e.messageId)).toEqual(['a', 'd', 'b']);
	});

	it('New Email: a draft that is sent (labelAdded SENT on the draft\'s message) arrives then', () => {
		const sent: HistoryRecord[] = [
			{ id: '20', messagesAdded: [{ message: msg('d', ['DRAFT']) }] },
			{ id: '21', labelsAdded: [{ message: msg('d', ['DRAFT', 'SENT']), labelIds: ['SENT'] }] },
			{ id: '22', labelsAdded: [{ message: msg('x', ['INBOX', 'STARRED']), labelIds: ['STARRED'] }] },
		];
		expect(eventsFromHistory(sent, base)).toEqual([{ kind: 'messageAdded', messageId: 'd', historyId: '21' }]);
		expect(eventsFromHistory(sent, { ...base, includeDrafts: true })).toEqual([{ kind: 'messageAdded', messageId: 'd', historyId: '20' }]);
	});

	it('Label Added or Removed: changes of watched labels, and new messages carrying one', () => {
		expect(eventsFromHistory(records, labels(['L1', 'L2'], 'both'))).toEqual([
			{ kind: 'labelAdded', messageId: 'a', historyId: '12', labelIds: ['L1'] },
			{ kind: 'labelAdded', messageId: 'b', historyId: '13', labelIds: ['L2'], arrived: true },
			{ kind: 'labelRemoved', messageId: 'a', historyId: '14', labelIds: ['L1'] },
		]);
		expect(eventsFromHistory(records, labels(['L1'], 'removed'))).toEqual([{ kind: 'labelRemoved', messageId: 'a', historyId: '14', labelIds: ['L1'] }]);
		expect(eventsFromHistory(records, labels(['L3']))).toEqual([{ kind: 'labelAdded', messageId: 'b', historyId: '16', labelIds: ['L3'] }]);
	});

	it('history ids compare as 64-bit numbers, not as text', () => {
		expect(compareHistoryIds('9', '10')).toBeLessThan(0);
		expect(compareHistoryIds('18446744073709551615', '18446744073709551614')).toBeGreaterThan(0);
		expect(compareHistoryIds('0042', '42')).toBe(0);
	});

	it.each([
		[['DRAFT'], {}, 'draft'],
		[['SCHEDULED'], {}, 'scheduled send'],
		[['SENT'], {}, 'sent by the user'],
		[['SENT', 'INBOX'], {}, undefined],
		[['SPAM'], {}, 'in spam or trash'],
		[['TRASH', 'INBOX'], {}, 'in spam or trash'],
		[['DRAFT'], { includeDrafts: true }, undefined],
		[['SCHEDULED'], { includeScheduled: true }, undefined],
		[['SENT'], { includeSent: true }, undefined],
		[['SPAM'], { includeSpamTrash: true }, undefined],
		[['INBOX', 'L1'], { labelIds: ['L1', 'L2'] }, undefined],
		[['INBOX', 'L1'], { labelIds: ['L1', 'L2'], labelMatch: 'all' }, 'labels'],
		[['INBOX'], { readStatus: 'unread' }, 'read'],
		[['INBOX', 'UNREAD'], { readStatus: 'read' }, 'unread'],
		[['INBOX'], { sender: 'nobody@example.com' }, 'sender'],
	] as const)('labels %j with %j: %s', (labelIds, cfg, why) => {
		expect(newEmailRejection({ labelIds, from: [{ name: 'Bob', address: 'bob@example.com' }] }, { ...base, ...(cfg as Partial<TriggerConfig>) })).toBe(why);
	});

	it('sender matches the address or the name, case-insensitively', () => {
		const from = [{ name: 'Carol Client', address: 'Carol@Example.org' }];
		expect(senderMatches('carol@example.org', from)).toBe(true);
		expect(senderMatches('example.org', from)).toBe(true);
		expect(senderMatches('client', from)).toBe(true);
		expect(senderMatches('bob', from)).toBe(false);
	});

	it('the search used when history cannot answer carries the filters and the exclusions', () => {
		expect(newEmailSearch(base)).toBe('-in:draft -in:scheduled -(in:sent -in:inbox)');
		expect(newEmailSearch({ ...base, query: 'a OR b', sender: 'Carol Client', readStatus: 'unread', includeDrafts: true, includeScheduled: true, includeSent: true }, 1700000000)).toBe(
			'(a OR b) from:"Carol Client" is:unread after:1700000000',
		);
	});
});

describe('trigger state (pure)', () => {
	it('survives JSON, drops what is malformed', () => {
		const data: Record<string, unknown> = { stale: 1 };
		const state = readState({});
		state.historyId = '123';
		state.queue.push({ kind: 'messageAdded', messageId: 'a', historyId: '120' });
		writeState(data as never, state);
		expect(data.stale).toBeUndefined();
		expect(readState(JSON.parse(JSON.stringify(data)))).toEqual(state);
		expect(readState({ historyId: 'x', queue: [{ kind: 'nope' }, null], boundary: [{ id: 1 }] })).toEqual({ version: 1, queue: [], boundary: [] });
	});

	it('remembers emitted messages a resync would find again, and forgets older ones', () => {
		const t = 1_700_000_000_500;
		const state = readState({ lastReadAt: t });
		noteEmitted(state, 'old', t - RESYNC_MARGIN_MS - 5000, t);
		noteEmitted(state, 'a', t - 1000, t);
		noteEmitted(state, 'b', t, t);
		expect(state.lastInternalDate).toBe(t);
		const from = resyncFromMs(state, t);
		expect(from).toBeLessThanOrEqual(t - RESYNC_MARGIN_MS);
		expect(from % 1000).toBe(0);
		expect(state.boundary.map((b) => b.id)).toEqual(['a', 'b']);
		noteEmitted(state, 'a', t - 1000, t);
		expect(state.boundary.map((b) => b.id)).toEqual(['b', 'a']);
	});
});
