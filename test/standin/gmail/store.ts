import { randomBytes } from 'node:crypto';
import type { TokenRecord } from '../core/tokens';
import {
	header,
	headersAll,
	isAttachment,
	isMessagePart,
	isMultipart,
	mainText,
	parseMessage,
	walk,
	type MimeEntity,
} from './mime';
import type { SearchDoc } from './search';

/** Gmail's system labels, in the order labels.list returns them, with the visibility fields Gmail sets on them. */
export const SYSTEM_LABELS: { id: string; hidden?: boolean }[] = [
	{ id: 'CHAT', hidden: true },
	{ id: 'SENT' },
	{ id: 'INBOX' },
	{ id: 'IMPORTANT', hidden: true },
	{ id: 'TRASH', hidden: true },
	{ id: 'DRAFT' },
	{ id: 'SPAM', hidden: true },
	{ id: 'CATEGORY_FORUMS', hidden: true },
	{ id: 'CATEGORY_UPDATES', hidden: true },
	{ id: 'CATEGORY_PERSONAL', hidden: true },
	{ id: 'CATEGORY_PROMOTIONS', hidden: true },
	{ id: 'CATEGORY_SOCIAL', hidden: true },
	{ id: 'STARRED' },
	{ id: 'UNREAD' },
];

export interface Label {
	id: string;
	name: string;
	type: 'system' | 'user';
	messageListVisibility?: 'show' | 'hide';
	labelListVisibility?: 'labelShow' | 'labelShowIfUnread' | 'labelHide';
	color?: { textColor?: string; backgroundColor?: string };
}

export interface StoredMessage {
	id: string;
	threadId: string;
	/** The exact bytes, as inserted / sent / delivered. */
	raw: Buffer;
	labelIds: string[];
	/** ms since epoch */
	internalDate: number;
	historyId: number;
}

export interface Draft {
	id: string;
	messageId: string;
}

export type HistoryKind = 'messageAdded' | 'messageDeleted' | 'labelAdded' | 'labelRemoved';
export const HISTORY_KINDS: readonly HistoryKind[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];
export interface HistoryEvent {
	id: number;
	kind: HistoryKind;
	/** The message as the change left it (labels right after this change). */
	message: { id: string; threadId: string; labelIds: string[] };
	/** Labels added/removed (labelAdded/labelRemoved): only those that actually changed. */
	labelIds?: string[];
	/** Stand-in clock (ms) when the change happened; retention and `olderThanSeconds` expiry go by it. */
	time: number;
}

/**
 * A delivery-time filter of one mailbox (POST /__standin/filters; like a Gmail filter, applied as mail arrives,
 * so the delivered message carries the filter's labels in its messageAdded record). Every criterion given must
 * match: `from` / `to` (case-insensitive, inside the From / To+Cc header), `subjectContains` (case-insensitive),
 * `query` (the stand-in's Gmail search syntax, e.g. `has:attachment larger:1M`).
 */
export interface DeliveryFilter {
	id: string;
	from?: string;
	to?: string;
	subjectContains?: string;
	query?: string;
	addLabelIds?: string[];
	removeLabelIds?: string[];
}

/** A scheduled send waiting in the sender's mailbox (gmail/deliver.ts scheduleSend). */
export interface ScheduledSend {
	user: string;
	messageId: string;
	/** ms, stand-in clock. */
	sendAt: number;
}

/** History settings of the whole stand-in (POST /__standin/history/settings). */
export interface HistorySettings {
	/**
	 * Drop records older than this many seconds (stand-in clock) before answering history.list; a startHistoryId
	 * older than the oldest kept record then answers 404 (Gmail keeps history "for at least one week and often
	 * longer", sometimes only hours). Default: none (history is kept for the life of the stand-in).
	 */
	retentionSeconds?: number;
	/**
	 * Reproduce a reported Gmail quirk (gauteh/lieer#24, #102, #120): the last page of a history.list answer still
	 * carries a nextPageToken, and that token's page has no `history` at all. Default off.
	 */
	emptyLastPage?: boolean;
}

/** What the stand-in derives once from a message's bytes (parsed tree, snippet, search fields). */
export interface Derived {
	mime: MimeEntity;
	text: string;
	snippet: string;
	filenames: string[];
	hasAttachment: boolean;
}

const derivedCache = new WeakMap<Buffer, Derived>();

const SNIPPET_MAX = 200;
/** Gmail's snippets are HTML-escaped (an apostrophe comes back as &#39;). */
const escapeSnippet = (s: string) =>
	s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function derive(raw: Buffer): Derived {
	let d = derivedCache.get(raw);
	if (!d) {
		const mime = parseMessage(raw);
		const text = mainText(mime);
		const flat = text.slice(0, SNIPPET_MAX * 8).replace(/\s+/g, ' ').trim();
		const cut = [...flat].slice(0, SNIPPET_MAX).join('');
		const parts = [...walk(mime)].filter((e) => e !== mime || !isMultipart(e));
		d = {
			mime,
			text,
			snippet: escapeSnippet(cut),
			filenames: parts.map((e) => e.filename).filter(Boolean),
			hasAttachment: parts.some((e) => e !== mime && (isAttachment(e) || (isMessagePart(e) && e.filename !== ''))),
		};
		derivedCache.set(raw, d);
	}
	return d;
}

export function searchDoc(m: StoredMessage, labelNames: (id: string) => string | undefined): SearchDoc {
	const d = derive(m.raw);
	return {
		labelIds: m.labelIds,
		labelNames: m.labelIds.map((id) => labelNames(id) ?? id),
		internalDate: m.internalDate,
		sizeEstimate: m.raw.length,
		headers: (name) => headersAll(d.mime, name),
		text: d.text,
		filenames: d.filenames,
		hasAttachment: d.hasAttachment,
	};
}

/**
 * History ids grow by 1 + a deterministic gap of 0..4: Gmail's "increase chronologically but are not contiguous
 * with random gaps in between valid IDs" (users.history.list, startHistoryId). Clients must never compute ids.
 */
const historyGap = (seq: number) => (seq * 7919) % 5;

export class Mailbox {
	readonly messages = new Map<string, StoredMessage>();
	readonly labels = new Map<string, Label>();
	readonly drafts = new Map<string, Draft>();
	readonly history: HistoryEvent[] = [];
	/** Delivery-time filters (POST /__standin/filters), applied in order. */
	readonly filters: DeliveryFilter[] = [];
	historyId: number;
	/** history.list with a startHistoryId below this answers 404 (Gmail keeps history for a limited time). */
	historyFloor: number;
	nextUserLabel = 1;
	/** Called after every history record (the mailbox's historyId just advanced); users.watch hangs its notifications here. */
	onRecord?: (e: HistoryEvent) => void;
	private recordSeq = 0;

	constructor(
		readonly email: string,
		firstHistoryId: number,
		/** The stand-in clock (ms), for record times. */
		readonly clock: () => number = Date.now,
	) {
		this.historyId = firstHistoryId;
		this.historyFloor = firstHistoryId;
		for (const l of SYSTEM_LABELS) {
			this.labels.set(l.id, {
				id: l.id,
				name: l.id,
				type: 'system',
				...(l.hidden ? { messageListVisibility: 'hide' as const, labelListVisibility: 'labelHide' as const } : {}),
			});
		}
	}

	/** Allocate the next history id (with Gmail's gaps) and record an event; the message's historyId becomes it. */
	record(kind: HistoryKind, m: StoredMessage, labelIds?: string[]) {
		const id = (this.historyId += 1 + historyGap(++this.recordSeq));
		m.historyId = id;
		this.history.push({
			id,
			kind,
			message: { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] },
			...(labelIds ? { labelIds: [...labelIds] } : {}),
			time: this.clock(),
		});
		this.onRecord?.(this.history[this.history.length - 1]);
		return id;
	}

	/**
	 * Forget history (Gmail keeps it "for at least one week and often longer", sometimes only hours):
	 * - `beforeHistoryId`: every startHistoryId below it answers 404 from now on (records up to it are dropped;
	 *   clamped to the current historyId, so a cursor taken from getProfile now stays valid);
	 * - `all`: the same with the current historyId;
	 * - `olderThanMs`: drop records older than that (stand-in clock); a start id below the newest dropped record
	 *   answers 404.
	 * Returns the number of records dropped.
	 */
	expireHistory(opts: { beforeHistoryId?: number; all?: boolean; olderThanMs?: number }): number {
		const before = this.history.length;
		let floor = this.historyFloor;
		const upTo = opts.all ? this.historyId : opts.beforeHistoryId;
		if (upTo !== undefined) floor = Math.max(floor, Math.min(upTo, this.historyId));
		if (opts.olderThanMs !== undefined) {
			const limit = this.clock() - opts.olderThanMs;
			for (const e of this.history) if (e.time < limit) floor = Math.max(floor, e.id);
		}
		this.historyFloor = floor;
		let drop = 0;
		while (drop < this.history.length && this.history[drop].id <= floor) drop++;
		this.history.splice(0, drop);
		return before - this.history.length;
	}

	/** Messages newest first (internalDate, then id). */
	sorted(): StoredMessage[] {
		return [...this.messages.values()].sort((a, b) => b.internalDate - a.internalDate || (a.id < b.id ? 1 : -1));
	}

	thread(threadId: string): StoredMessage[] {
		return [...this.messages.values()]
			.filter((m) => m.threadId === threadId)
			.sort((a, b) => a.internalDate - b.internalDate || (a.id < b.id ? -1 : 1));
	}

	labelName(id: string) {
		return this.labels.get(id)?.name;
	}
}

export interface UploadSession {
	id: string;
	/** Route id of the method that opened the session. */
	routeId: string;
	token?: TokenRecord;
	params: Record<string, string>;
	query: string;
	metadata: unknown;
	contentType?: string;
	total?: number;
	chunks: Buffer[];
	received: number;
}

/** The whole Gmail mail state: one mailbox per directory user, id counters, resumable upload sessions. */
export class GmailState {
	readonly mailboxes = new Map<string, Mailbox>();
	readonly uploads = new Map<string, UploadSession>();
	/** History retention and quirks (POST /__standin/history/settings). */
	historySettings: HistorySettings = {};
	/** Scheduled sends by message id (gmail/deliver.ts). */
	readonly scheduled = new Map<string, ScheduledSend>();
	private msgSeq = 0;
	private draftSeq = 0;
	private filterSeq = 0;
	private deliverySeq = 0;
	/** Every mailbox's history records go here as they are written (set after the seed: gmail/index.ts, gmail/watch.ts). */
	onHistory?: (mb: Mailbox, e: HistoryEvent) => void;

	/** `clock`: the stand-in clock (ms); record times, retention and delivery dates go by it. */
	constructor(readonly clock: () => number = Date.now) {}

	mailbox(email: string): Mailbox | undefined {
		return this.mailboxes.get(email.toLowerCase());
	}

	addMailbox(email: string): Mailbox {
		const mb = new Mailbox(email.toLowerCase(), 100000 + this.mailboxes.size * 50000, this.clock);
		mb.onRecord = (e) => this.onHistory?.(mb, e);
		this.mailboxes.set(mb.email, mb);
		return mb;
	}

	/** 16 lower-case hex digits, increasing like Gmail's (time-ordered) ids. */
	newMessageId(): string {
		const n = ++this.msgSeq;
		return (0x18f3a00000000000n + BigInt(n) * 0x1b3d5n + BigInt((n * 7919) % 4096)).toString(16);
	}

	newFilterId(): string {
		return `ANe1Bmj${String(++this.filterSeq).padStart(6, '0')}`;
	}

	/** Sequence number for Message-IDs of mail delivered by the deliver knob. */
	nextDelivery(): number {
		return ++this.deliverySeq;
	}

	newDraftId(): string {
		return `r${(5000000000000000000n + BigInt(++this.draftSeq) * 104729n).toString()}`;
	}

	newUploadId(): string {
		return 'AHxI1nM' + randomBytes(24).toString('base64url');
	}
}

// ---- mailbox operations ----

const stripPrefixes = (s: string) => s.replace(/^\s*((re|fwd?|aw|wg|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, '').trim().toLowerCase();
const msgIds = (v: string | undefined) => (v ?? '').match(/<[^<>\s]+>/g) ?? [];

/**
 * Which thread a new message joins: the requested thread when it exists; otherwise the thread of a message whose
 * Message-ID appears in In-Reply-To/References, when the subjects agree (after Re:/Fwd: prefixes); else a new one.
 */
export function pickThread(mb: Mailbox, mime: MimeEntity, requested?: string): string | undefined {
	if (requested && [...mb.messages.values()].some((m) => m.threadId === requested)) return requested;
	const refs = new Set([...msgIds(header(mime, 'in-reply-to')), ...msgIds(header(mime, 'references'))]);
	if (!refs.size) return undefined;
	const subject = stripPrefixes(header(mime, 'subject') ?? '');
	for (const m of mb.sorted()) {
		const d = derive(m.raw);
		const id = msgIds(header(d.mime, 'message-id'))[0];
		if (id && refs.has(id) && stripPrefixes(header(d.mime, 'subject') ?? '') === subject) return m.threadId;
	}
	return undefined;
}

export interface AddOptions {
	labelIds?: string[];
	internalDate: number;
	threadId?: string;
	/** Do not write a history record (seeding). */
	quiet?: boolean;
}

export function addMessage(state: GmailState, mb: Mailbox, raw: Buffer, opts: AddOptions): StoredMessage {
	const id = state.newMessageId();
	const threadId = pickThread(mb, derive(raw).mime, opts.threadId) ?? id;
	const m: StoredMessage = {
		id,
		threadId,
		raw,
		labelIds: [...new Set(opts.labelIds ?? [])],
		internalDate: opts.internalDate,
		historyId: mb.historyId,
	};
	mb.messages.set(id, m);
	if (opts.quiet) m.historyId = ++mb.historyId;
	else mb.record('messageAdded', m);
	return m;
}

/**
 * Add / remove labels of one message. History gets one labelAdded record (only the labels the message did not
 * have) and one labelRemoved record (only the labels it had), each for this message alone; a call that changes
 * nothing writes nothing (and leaves the message's historyId alone).
 */
export function changeLabels(mb: Mailbox, m: StoredMessage, add: string[], remove: string[]) {
	const added = [...new Set(add.filter((l) => !m.labelIds.includes(l)))];
	const removed = [...new Set(remove.filter((l) => m.labelIds.includes(l) && !add.includes(l)))];
	if (added.length) {
		m.labelIds = [...m.labelIds, ...added];
		mb.record('labelAdded', m, added);
	}
	if (removed.length) {
		m.labelIds = m.labelIds.filter((l) => !removed.includes(l));
		mb.record('labelRemoved', m, removed);
	}
}

export function deleteMessage(mb: Mailbox, m: StoredMessage) {
	mb.messages.delete(m.id);
	for (const [id, d] of mb.drafts) if (d.messageId === m.id) mb.drafts.delete(id);
	mb.record('messageDeleted', m);
}
