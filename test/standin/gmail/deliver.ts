/**
 * Mail arriving from outside, for tests of pollers and triggers: N messages at once into a mailbox, through the same
 * path as a send's delivery (send.ts deliverTo: Delivered-To, INBOX + UNREAD, delivery filters, one messageAdded
 * record each). Also scheduled sends (a SCHEDULED message in the sender's mailbox, sent when released).
 */
import { badRequest } from '../core/errors';
import type { Standin } from '../core/standin';
import { ensureMailbox, gmailState, now } from './common';
import { compose } from './seed';
import { deliverTo, sendMessage, recipients } from './send';
import { addMessage, deleteMessage, type Mailbox, type ScheduledSend, type StoredMessage } from './store';

export type { ScheduledSend } from './store';

export const DELIVER_MAX = 5000;
export const DEFAULT_SENDER = 'Outside Sender <sender@outside.example.net>';

export interface DeliverOptions {
	/** Recipient: a directory user (their mailbox is created on first use). */
	to: string;
	/** How many messages (default 1, at most 5000). */
	count?: number;
	/** From header (default "Outside Sender <sender@outside.example.net>"); no SENT copy is stored anywhere. */
	from?: string;
	/** Subjects are "<subjectPrefix> <n>", n = 1..count (default prefix "Delivered message"). */
	subjectPrefix?: string;
	/** Body text (default "Message <n> of <count>."). */
	text?: string;
	/**
	 * All messages get the same internalDate: the current second (stand-in clock, milliseconds cut off). Otherwise
	 * they are one second apart, the last one now.
	 */
	sameSecond?: boolean;
	/** Labels besides INBOX and UNREAD (must exist in the mailbox), before the mailbox's filters run. */
	labelIds?: string[];
	/** Deliver these exact bytes (count copies) instead of composed messages; Date and Message-ID are kept as given. */
	raw?: Buffer;
}

/** Check label ids against a mailbox (the knobs answer 400 for an unknown one). */
function checkLabelIds(mb: Mailbox, ids: unknown): string[] {
	if (ids === undefined || ids === null) return [];
	if (!Array.isArray(ids)) throw badRequest('labelIds must be an array');
	for (const id of ids) if (typeof id !== 'string' || !mb.labels.has(id)) throw badRequest(`Invalid label: ${id}`);
	return ids as string[];
}

/** The mailbox of a knob's `user` / `to`: a directory user, else 400. */
export function knobMailbox(s: Standin, user: unknown, field = 'user'): Mailbox {
	if (typeof user !== 'string' || !user) throw badRequest(`${field} must be a user's email address`);
	const mb = ensureMailbox(s, user);
	if (!mb) throw badRequest(`${field}: no mailbox for ${user}`);
	return mb;
}

/**
 * Deliver `count` messages to `to` at once (POST /__standin/deliver). Each goes through deliverTo, so the
 * mailbox's filters apply and each writes one messageAdded record. Returns the stored messages, oldest first.
 */
export function deliverMany(s: Standin, opts: DeliverOptions): StoredMessage[] {
	const mb = knobMailbox(s, opts.to, 'to');
	const count = opts.count ?? 1;
	if (!Number.isInteger(count) || count < 1 || count > DELIVER_MAX) throw badRequest(`count must be an integer from 1 to ${DELIVER_MAX}`);
	const labelIds = checkLabelIds(mb, opts.labelIds);
	const from = opts.from ?? DEFAULT_SENDER;
	const prefix = opts.subjectPrefix ?? 'Delivered message';
	const g = gmailState(s);
	const at = now(s);
	const second = Math.floor(at / 1000) * 1000;
	const out: StoredMessage[] = [];
	for (let i = 0; i < count; i++) {
		const date = opts.sameSecond ? second : at - (count - 1 - i) * 1000;
		const raw =
			opts.raw ??
			compose({
				from,
				to: mb.email,
				subject: `${prefix} ${i + 1}`,
				date,
				messageId: `<standin-delivery-${g.nextDelivery()}@outside.example.net>`,
				text: opts.text ?? `Message ${i + 1} of ${count}.`,
			});
		out.push(deliverTo(s, mb, raw, { internalDate: date, labelIds }));
	}
	return out;
}

const scheduledOf = (s: Standin) => gmailState(s).scheduled;

/**
 * Schedule a send (Gmail's "Schedule send"): the message waits in the sender's mailbox with the SCHEDULED label
 * only (not INBOX, not SENT): one messageAdded record there, nothing for the recipients yet.
 */
export function scheduleSend(s: Standin, user: string, raw: Buffer, sendAt: number): StoredMessage {
	const mb = knobMailbox(s, user);
	recipients(raw); // 400 without a recipient, as messages.send
	const m = addMessage(gmailState(s), mb, raw, { labelIds: ['SCHEDULED'], internalDate: now(s) });
	scheduledOf(s).set(m.id, { user: mb.email, messageId: m.id, sendAt });
	return m;
}

/** Scheduled sends, in the order they were made. */
export const scheduledSends = (s: Standin): ScheduledSend[] => [...scheduledOf(s).values()];

/**
 * Send the scheduled messages that are due (sendAt ≤ stand-in clock; all of them with `force`): the scheduled copy
 * leaves the sender's mailbox (messageDeleted) and the message is sent like messages.send (messageAdded with SENT,
 * deliveries). Returns the sent copies. (How Gmail itself records the hand-over is not documented.)
 */
export function releaseScheduled(s: Standin, opts: { user?: string; force?: boolean } = {}): StoredMessage[] {
	const t = now(s);
	const out: StoredMessage[] = [];
	for (const [id, job] of scheduledOf(s)) {
		if (opts.user && job.user !== opts.user.toLowerCase()) continue;
		if (!opts.force && job.sendAt > t) continue;
		scheduledOf(s).delete(id);
		const mb = ensureMailbox(s, job.user);
		const m = mb?.messages.get(id);
		if (!mb || !m) continue; // deleted meanwhile: nothing to send
		deleteMessage(mb, m);
		out.push(sendMessage(s, mb, m.raw, { threadId: m.threadId }));
	}
	return out;
}
