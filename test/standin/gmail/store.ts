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
export interface HistoryEvent {
	id: number;
	kind: HistoryKind;
	message: { id: string; threadId: string; labelIds: string[] };
	/** Labels added/removed (labelAdded/labelRemoved). */
	labelIds?: string[];
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

export class Mailbox {
	readonly messages = new Map<string, StoredMessage>();
	readonly labels = new Map<string, Label>();
	readonly drafts = new Map<string, Draft>();
	readonly history: HistoryEvent[] = [];
	historyId: number;
	/** history.list with a startHistoryId below this answers 404 (Gmail keeps history for a limited time). */
	historyFloor: number;
	nextUserLabel = 1;

	constructor(
		readonly email: string,
		firstHistoryId: number,
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

	/** Allocate the next history id and record an event. */
	record(kind: HistoryKind, m: StoredMessage, labelIds?: string[]) {
		const id = ++this.historyId;
		m.historyId = id;
		this.history.push({ id, kind, message: { id: m.id, threadId: m.threadId, labelIds: [...m.labelIds] }, ...(labelIds ? { labelIds } : {}) });
		return id;
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
	private msgSeq = 0;
	private draftSeq = 0;

	mailbox(email: string): Mailbox | undefined {
		return this.mailboxes.get(email.toLowerCase());
	}

	addMailbox(email: string): Mailbox {
		const mb = new Mailbox(email.toLowerCase(), 100000 + this.mailboxes.size * 50000);
		this.mailboxes.set(mb.email, mb);
		return mb;
	}

	/** 16 lower-case hex digits, increasing like Gmail's (time-ordered) ids. */
	newMessageId(): string {
		const n = ++this.msgSeq;
		return (0x18f3a00000000000n + BigInt(n) * 0x1b3d5n + BigInt((n * 7919) % 4096)).toString(16);
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

export function changeLabels(mb: Mailbox, m: StoredMessage, add: string[], remove: string[]) {
	const added = add.filter((l) => !m.labelIds.includes(l));
	const removed = remove.filter((l) => m.labelIds.includes(l) && !add.includes(l));
	m.labelIds = [...m.labelIds.filter((l) => !removed.includes(l)), ...new Set(added)];
	if (added.length) mb.record('labelAdded', m, [...new Set(added)]);
	if (removed.length) mb.record('labelRemoved', m, removed);
}

export function deleteMessage(mb: Mailbox, m: StoredMessage) {
	mb.messages.delete(m.id);
	for (const [id, d] of mb.drafts) if (d.messageId === m.id) mb.drafts.delete(id);
	mb.record('messageDeleted', m);
}
