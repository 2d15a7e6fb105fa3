import { randomBytes } from 'node:crypto';
import { badRequest } from '../core/errors';
import type { Standin } from '../core/standin';
import { ensureMailbox, gmailState, now } from './common';
import { editHeaders, header, headersAll } from './mime';
import { applyFilters } from './filters';
import { addMessage, changeLabels, derive, type Mailbox, type StoredMessage } from './store';

/** Split an address-list header value into addresses (display names, quotes, groups and comments handled). */
export function parseAddresses(value: string): { name: string; address: string }[] {
	const out: { name: string; address: string }[] = [];
	const items: string[] = [];
	let cur = '';
	let quoted = false;
	let angle = 0;
	let paren = 0;
	for (const c of value) {
		if (c === '"' && !angle && !paren) quoted = !quoted;
		else if (!quoted && c === '<') angle++;
		else if (!quoted && c === '>') angle = Math.max(0, angle - 1);
		else if (!quoted && c === '(') paren++;
		else if (!quoted && c === ')') paren = Math.max(0, paren - 1);
		if (!quoted && !angle && !paren && (c === ',' || c === ';')) {
			items.push(cur);
			cur = '';
		} else if (!quoted && !angle && !paren && c === ':' && !cur.includes('@')) {
			cur = ''; // group name ("undisclosed-recipients:")
		} else cur += c;
	}
	items.push(cur);
	for (const raw of items) {
		const item = raw.replace(/\([^)]*\)/g, ' ').trim();
		if (!item) continue;
		const m = /^(.*)<([^<>]*)>\s*$/.exec(item);
		if (m) out.push({ name: m[1].trim().replace(/^"|"$/g, ''), address: m[2].trim() });
		else out.push({ name: '', address: item.replace(/^"|"$/g, '') });
	}
	return out;
}

const validAddress = (a: string) => /^[^\s@<>]+@[^\s@<>]+$/.test(a);

/** RFC 5322 date in UTC ("Tue, 02 Jul 2024 10:00:00 +0000"). */
export const rfc2822 = (ms: number) => new Date(ms).toUTCString().replace('GMT', '+0000');

/**
 * The message's recipients (To, Cc, Bcc). Gmail refuses a send without any ("Recipient address required") and
 * one with an unparseable address ("Invalid To header").
 */
export function recipients(raw: Buffer): string[] {
	const mime = derive(raw).mime;
	const all: string[] = [];
	for (const field of ['To', 'Cc', 'Bcc']) {
		for (const v of headersAll(mime, field)) {
			for (const a of parseAddresses(v)) {
				if (!validAddress(a.address)) throw badRequest(`Invalid ${field} header`);
				all.push(a.address.toLowerCase());
			}
		}
	}
	if (!all.length) throw badRequest('Recipient address required');
	return [...new Set(all)];
}

/**
 * The sender's copy as Gmail stores it: From set to the account (kept when it already is the account or one of
 * its send-as addresses), Message-ID and Date added when missing.
 */
export function prepareOutgoing(s: Standin, mb: Mailbox, raw: Buffer, sendAs: string[] = []): Buffer {
	const mime = derive(raw).mime;
	const user = s.directory.user(mb.email);
	const allowed = new Set([mb.email, ...sendAs.map((a) => a.toLowerCase())]);
	const set: [string, string][] = [];
	const from = parseAddresses(header(mime, 'from') ?? '')[0];
	if (!from || !allowed.has(from.address.toLowerCase())) {
		const name = from?.name || user?.name || '';
		set.push(['From', name ? `${/[",.;:<>@()]/.test(name) ? JSON.stringify(name) : name} <${mb.email}>` : mb.email]);
	}
	if (!header(mime, 'message-id')) set.push(['Message-ID', `<standin.${randomBytes(12).toString('hex')}@mail.gmail.com>`]);
	if (!header(mime, 'date')) set.push(['Date', rfc2822(now(s))]);
	return set.length ? editHeaders(raw, { set }) : raw;
}

/**
 * Verified send-as addresses of a user, read (defensively, without importing it) from the settings module's state
 * slice 'gmail.settings' when that module is loaded: Map<email, {sendAs: Map<addr, {sendAsEmail, verificationStatus?}>}>.
 */
export function sendAsAddresses(s: Standin, email: string): string[] {
	const all = s.slices.get('gmail.settings');
	if (!(all instanceof Map)) return [];
	const us = all.get(email.toLowerCase()) as { sendAs?: unknown } | undefined;
	if (!us || !(us.sendAs instanceof Map)) return [];
	return [...(us.sendAs as Map<string, { sendAsEmail?: string; verificationStatus?: string }>).values()]
		.filter((a) => typeof a.sendAsEmail === 'string' && a.verificationStatus !== 'pending')
		.map((a) => a.sendAsEmail!.toLowerCase());
}

export interface DeliverToOptions {
	/** internalDate (ms); default: the stand-in clock. */
	internalDate?: number;
	/** Labels besides INBOX and UNREAD (e.g. CATEGORY_PROMOTIONS), before filters run. */
	labelIds?: string[];
	/** Labels to start from instead of INBOX + UNREAD. */
	baseLabelIds?: string[];
	threadId?: string;
}

/**
 * Deliver one message into a local mailbox, the way Gmail receives mail: `Bcc` removed, `Delivered-To` prepended,
 * labels INBOX + UNREAD (+ `labelIds`), then the mailbox's delivery filters (gmail/filters.ts), then stored with a
 * single messageAdded record that already carries the filters' labels. Used by messages.send / drafts.send for
 * every local recipient and by the deliver knob (gmail/deliver.ts) for mail from outside.
 */
export function deliverTo(s: Standin, box: Mailbox, raw: Buffer, opts: DeliverToOptions = {}): StoredMessage {
	const at = opts.internalDate ?? now(s);
	const delivered = editHeaders(raw, { remove: ['Bcc'], prepend: [['Delivered-To', box.email]] });
	const { labelIds } = applyFilters(box, delivered, [...(opts.baseLabelIds ?? ['INBOX', 'UNREAD']), ...(opts.labelIds ?? [])], at, now(s));
	return addMessage(gmailState(s), box, delivered, { labelIds, internalDate: at, threadId: opts.threadId });
}

/** A subject without its reply / forward prefixes (Re:, Fwd:, AW:, …), lower-cased, for comparing. */
const baseSubject = (s: string) => s.replace(/^\s*((re|fwd?|aw|wg|sv|antw)\s*(\[\d+\])?\s*:\s*)+/i, '').trim().toLowerCase();

/**
 * The thread a sent message may join. Google ("Manage threads", https://developers.google.com/workspace/gmail/api/guides/threads,
 * "Add drafts and messages to threads"): the requested threadId must be given, References / In-Reply-To set, and the
 * Subject must match. A requested thread whose messages all have another subject is not joined: the message starts
 * a thread of its own (or joins one by its headers, store.ts pickThread). See README "Threading".
 */
export function requestedThread(mb: Mailbox, raw: Buffer, threadId: string | undefined): string | undefined {
	if (!threadId) return undefined;
	const msgs = mb.thread(threadId);
	if (!msgs.length) return undefined;
	const subject = baseSubject(header(derive(raw).mime, 'subject') ?? '');
	return msgs.some((m) => baseSubject(header(derive(m.raw).mime, 'subject') ?? '') === subject) ? threadId : undefined;
}

/**
 * messages.send / drafts.send: store the sender's copy with SENT (reusing `reuse`, a draft's message, when given)
 * and deliver a copy (deliverTo: Bcc removed, Delivered-To added, INBOX + UNREAD, filters) to every recipient who
 * has a mailbox here. History: a messageAdded (SENT) in the sender's mailbox (for a draft: labelAdded SENT and
 * labelRemoved DRAFT on the draft's message), a messageAdded in each recipient's. Sending to yourself adds INBOX
 * to the sent copy (a labelAdded record), as Gmail does.
 */
export function sendMessage(s: Standin, mb: Mailbox, raw: Buffer, opts: { threadId?: string; reuse?: StoredMessage } = {}): StoredMessage {
	const to = recipients(raw);
	const g = gmailState(s);
	const outgoing = prepareOutgoing(s, mb, raw, sendAsAddresses(s, mb.email));
	const at = now(s);
	let sent: StoredMessage;
	if (opts.reuse) {
		sent = opts.reuse;
		sent.raw = outgoing;
		sent.internalDate = at;
		changeLabels(mb, sent, ['SENT'], ['DRAFT']);
	} else {
		sent = addMessage(g, mb, outgoing, { labelIds: ['SENT'], internalDate: at, threadId: requestedThread(mb, outgoing, opts.threadId) });
	}
	for (const rcpt of to) {
		if (rcpt === mb.email) {
			changeLabels(mb, sent, ['INBOX'], []);
			continue;
		}
		const box = ensureMailbox(s, rcpt);
		if (!box) continue; // outside the stand-in's world: accepted and dropped, like mail to the internet
		deliverTo(s, box, outgoing, { internalDate: at });
	}
	return sent;
}
