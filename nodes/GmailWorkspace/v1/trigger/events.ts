/**
 * The trigger's events, pure: Gmail history records → pending events, and the filters a fetched message
 * must pass. No n8n import and no I/O, so every rule is unit-tested alone.
 */

export type TriggerEvent = 'newEmail' | 'labelChanged';
export type EventKind = 'messageAdded' | 'labelAdded' | 'labelRemoved';
export type LabelChange = 'added' | 'removed' | 'both';
export type ReadStatus = 'both' | 'read' | 'unread';

export interface TriggerConfig {
	event: TriggerEvent;
	/** Label Added or Removed: the labels watched, and which change counts. */
	watchLabels: string[];
	change: LabelChange;
	/** New Email filters. */
	labelIds: string[];
	labelMatch: 'any' | 'all';
	query: string;
	sender: string;
	readStatus: ReadStatus;
	includeSpamTrash: boolean;
	/** New Email default exclusions, each with its option. */
	includeDrafts: boolean;
	includeSent: boolean;
	includeScheduled: boolean;
}

/** One event waiting to be emitted (kept in the workflow's static data: plain JSON). */
export interface PendingEvent {
	kind: EventKind;
	messageId: string;
	/** The history record's id (or the message's historyId for events found by a search). */
	historyId: string;
	/** Labels added or removed (label events); unset when found by a search (computed from the message). */
	labelIds?: string[];
	/** Found by messages.list with the search query already applied (first run, resync). */
	listed?: boolean;
	/** A label event for a message that arrived carrying the label (a messageAdded record). */
	arrived?: boolean;
}

interface HistoryMessage {
	id: string;
	threadId?: string;
	labelIds?: string[];
}

/** One record of users.history.list. */
export interface HistoryRecord {
	id: string;
	messages?: HistoryMessage[];
	messagesAdded?: Array<{ message: HistoryMessage }>;
	messagesDeleted?: Array<{ message: HistoryMessage }>;
	labelsAdded?: Array<{ message: HistoryMessage; labelIds?: string[] }>;
	labelsRemoved?: Array<{ message: HistoryMessage; labelIds?: string[] }>;
}

/**
 * The history types a poll asks for. A label set by a filter at delivery is a messageAdded record; a draft
 * that is sent keeps its message and gets labelAdded SENT (so New Email reads labelAdded too).
 */
export function historyTypes(cfg: Pick<TriggerConfig, 'event' | 'change'>): string[] {
	if (cfg.event === 'newEmail') return ['messageAdded', 'labelAdded'];
	const types: string[] = [];
	if (cfg.change !== 'removed') types.push('messageAdded', 'labelAdded');
	if (cfg.change !== 'added') types.push('labelRemoved');
	return types;
}

const intersect = (labels: readonly string[] | undefined, watched: readonly string[]) =>
	(labels ?? []).filter((l) => watched.includes(l));

/**
 * The events of history records, in history order. New Email: each message added once, and each draft
 * that was sent (drafts themselves are left out here already, unless included). Label Added or Removed:
 * each label change touching a watched label, and each new message that arrived carrying one.
 */
export function eventsFromHistory(
	records: readonly HistoryRecord[],
	cfg: TriggerConfig,
): PendingEvent[] {
	const out: PendingEvent[] = [];
	const seenAdded = new Set<string>();
	const sorted = [...records].sort((a, b) => compareHistoryIds(a.id, b.id));
	for (const r of sorted) {
		const historyId = String(r.id);
		if (cfg.event === 'newEmail') {
			const arrived = [
				...(r.messagesAdded ?? []).map((a) => ({ message: a.message, sentDraft: false })),
				// a sent draft: the draft's message gets SENT (and loses DRAFT, in this record or the next)
				...(r.labelsAdded ?? [])
					.filter((c) => c.labelIds?.includes('SENT'))
					.map((c) => ({ message: c.message, sentDraft: true })),
			];
			for (const { message, sentDraft } of arrived) {
				if (!message?.id || seenAdded.has(message.id)) continue;
				// a draft never loses DRAFT but by being sent (a labelAdded SENT record, read above)
				if (!sentDraft && !cfg.includeDrafts && message.labelIds?.includes('DRAFT')) continue;
				seenAdded.add(message.id);
				out.push({ kind: 'messageAdded', messageId: message.id, historyId });
			}
			continue;
		}
		for (const { message } of r.messagesAdded ?? []) {
			if (!message?.id || seenAdded.has(message.id)) continue;
			seenAdded.add(message.id);
			if (cfg.change !== 'removed') {
				const labels = intersect(message.labelIds, cfg.watchLabels);
				if (labels.length)
					out.push({
						kind: 'labelAdded',
						messageId: message.id,
						historyId,
						labelIds: labels,
						arrived: true,
					});
			}
		}
		for (const [field, kind, wanted] of [
			['labelsAdded', 'labelAdded', cfg.change !== 'removed'],
			['labelsRemoved', 'labelRemoved', cfg.change !== 'added'],
		] as const) {
			if (!wanted) continue;
			for (const change of r[field] ?? []) {
				const labels = intersect(change.labelIds, cfg.watchLabels);
				if (change.message?.id && labels.length)
					out.push({ kind, messageId: change.message.id, historyId, labelIds: labels });
			}
		}
	}
	return out;
}

/** Gmail's history ids are unsigned 64-bit integers in decimal text. */
export function compareHistoryIds(a: string, b: string): number {
	const x = String(a).replace(/^0+(?=\d)/, '');
	const y = String(b).replace(/^0+(?=\d)/, '');
	return x.length - y.length || (x < y ? -1 : x > y ? 1 : 0);
}

/** What the filters look at in a fetched message. */
export interface MessageFacts {
	labelIds: readonly string[];
	from: ReadonlyArray<{ name?: string; address?: string }>;
}

/** Why a fetched message is not emitted for New Email (undefined: it is). */
export function newEmailRejection(m: MessageFacts, cfg: TriggerConfig): string | undefined {
	const has = (l: string) => m.labelIds.includes(l);
	if (!cfg.includeDrafts && has('DRAFT')) return 'draft';
	if (!cfg.includeScheduled && has('SCHEDULED')) return 'scheduled send';
	if (!cfg.includeSent && has('SENT') && !has('INBOX')) return 'sent by the user';
	if (!cfg.includeSpamTrash && (has('SPAM') || has('TRASH'))) return 'in spam or trash';
	if (cfg.labelIds.length) {
		const match = cfg.labelMatch === 'all' ? cfg.labelIds.every(has) : cfg.labelIds.some(has);
		if (!match) return 'labels';
	}
	if (cfg.readStatus === 'unread' && !has('UNREAD')) return 'read';
	if (cfg.readStatus === 'read' && has('UNREAD')) return 'unread';
	if (cfg.sender && !senderMatches(cfg.sender, m.from)) return 'sender';
	return undefined;
}

/** Gmail's from: matches the address or the name, word-wise and case-insensitively; so does this. */
export function senderMatches(sender: string, from: MessageFacts['from']): boolean {
	const wanted = sender.trim().toLowerCase();
	if (!wanted) return true;
	return from.some((a) => {
		const address = (a.address ?? '').toLowerCase();
		const name = (a.name ?? '').toLowerCase();
		if (address === wanted || address.includes(wanted)) return true;
		return name.includes(wanted);
	});
}

/** A label event's labels for a message found by a search: the watched labels it carries. */
export function watchedLabelsOf(
	labelIds: readonly string[],
	cfg: Pick<TriggerConfig, 'watchLabels'>,
): string[] {
	return intersect(labelIds, cfg.watchLabels);
}

const quote = (s: string) => (/[\s"(){}]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);

/**
 * The Gmail search for New Email's filters (messages.list), used when the history cannot answer: first
 * run, manual test, resync after expiry. The exclusions are in the query too; the filters are applied
 * again to each fetched message.
 */
export function newEmailSearch(cfg: TriggerConfig, afterSeconds?: number): string {
	const parts: string[] = [];
	if (cfg.query) parts.push(`(${cfg.query})`);
	if (cfg.sender) parts.push(`from:${quote(cfg.sender)}`);
	if (cfg.readStatus !== 'both') parts.push(`is:${cfg.readStatus}`);
	if (!cfg.includeDrafts) parts.push('-in:draft');
	if (!cfg.includeScheduled) parts.push('-in:scheduled');
	if (!cfg.includeSent) parts.push('-(in:sent -in:inbox)');
	if (afterSeconds !== undefined) parts.push(`after:${Math.max(0, afterSeconds)}`);
	return parts.join(' ');
}

/** Sort key of events found by a search (messages.list answers newest first): oldest first. */
export function oldestFirst<T extends { internalDate: number; id: string }>(list: T[]): T[] {
	return [...list].sort(
		(a, b) => a.internalDate - b.internalDate || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
	);
}
