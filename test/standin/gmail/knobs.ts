/**
 * Mail test knobs under /__standin/ (loopback tooling; the package never calls them). README "History".
 */
import { badRequest } from '../core/errors';
import type { Route } from '../core/standin';
import { gmailState, now } from './common';
import { deliverMany, knobMailbox, releaseScheduled, scheduleSend, scheduledSends } from './deliver';
import { fromB64 } from './format';
import { addFilter, type FilterInput } from './filters';
import { historyRecord } from './history';
import { compose } from './seed';
import type { HistorySettings, StoredMessage } from './store';

const open = (id: string, method: string, path: string, handler: Route['handler']): Route => ({
	id: `standin.${id}`,
	host: '*',
	method,
	paths: [`/__standin/${path}`],
	auth: 'none',
	handler,
});

const brief = (m: StoredMessage) => ({ id: m.id, threadId: m.threadId, labelIds: m.labelIds, internalDate: String(m.internalDate), historyId: String(m.historyId) });

const nonNegative = (v: unknown, name: string) => {
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`${name} must be a number >= 0`);
	return v;
};

export function mailKnobRoutes(): Route[] {
	return [
		// N messages from outside at once; filters apply; one messageAdded each.
		open('deliver', 'POST', 'deliver', (ctx) => {
			const b = ctx.json<{ to?: string; count?: number; from?: string; subjectPrefix?: string; text?: string; sameSecond?: boolean; labelIds?: string[]; raw?: string }>();
			const delivered = deliverMany(ctx.standin, {
				to: b.to as string,
				count: b.count,
				from: b.from,
				subjectPrefix: b.subjectPrefix,
				text: b.text,
				sameSecond: b.sameSecond === true,
				labelIds: b.labelIds,
				raw: b.raw === undefined ? undefined : fromB64(b.raw),
			});
			const mb = knobMailbox(ctx.standin, b.to, 'to');
			return { body: { to: mb.email, delivered: delivered.map(brief), historyId: String(mb.historyId) } };
		}),

		// Delivery-time filters of a mailbox.
		open('filters.add', 'POST', 'filters', (ctx) => {
			const b = ctx.json<FilterInput & { user?: string }>();
			const mb = knobMailbox(ctx.standin, b.user);
			const { user: _user, ...input } = b;
			return { body: { user: mb.email, filter: addFilter(gmailState(ctx.standin), mb, input) } };
		}),
		open('filters.list', 'GET', 'filters', (ctx) => {
			const mb = knobMailbox(ctx.standin, ctx.query.get('user'));
			return { body: { user: mb.email, filters: mb.filters } };
		}),
		// ?user= (required) and optional &id= (one filter; else all of the user's).
		open('filters.clear', 'DELETE', 'filters', (ctx) => {
			const mb = knobMailbox(ctx.standin, ctx.query.get('user'));
			const id = ctx.query.get('id');
			const keep = id ? mb.filters.filter((f) => f.id !== id) : [];
			const removed = mb.filters.length - keep.length;
			mb.filters.splice(0, mb.filters.length, ...keep);
			return { body: { user: mb.email, removed, filters: mb.filters } };
		}),

		// Drop history: {user, beforeHistoryId} | {user, all: true} | {user, olderThanSeconds}.
		open('history.expire', 'POST', 'history/expire', (ctx) => {
			const b = ctx.json<{ user?: string; beforeHistoryId?: string | number; all?: boolean; olderThanSeconds?: number }>();
			const mb = knobMailbox(ctx.standin, b.user);
			let beforeHistoryId: number | undefined;
			if (b.beforeHistoryId !== undefined) {
				if (!/^\d+$/.test(String(b.beforeHistoryId))) throw badRequest('beforeHistoryId must be a history id (digits)');
				beforeHistoryId = Number(b.beforeHistoryId);
			}
			const olderThanMs = b.olderThanSeconds === undefined ? undefined : nonNegative(b.olderThanSeconds, 'olderThanSeconds') * 1000;
			if (beforeHistoryId === undefined && b.all !== true && olderThanMs === undefined) throw badRequest('give beforeHistoryId, all: true or olderThanSeconds');
			const dropped = mb.expireHistory({ beforeHistoryId, all: b.all === true, olderThanMs });
			return { body: { user: mb.email, dropped, historyFloor: String(mb.historyFloor), historyId: String(mb.historyId), kept: mb.history.length } };
		}),
		// Standing settings: {retentionSeconds: number | null, emptyLastPage: boolean}.
		open('history.settings', 'POST', 'history/settings', (ctx) => {
			const b = ctx.json<{ retentionSeconds?: number | null; emptyLastPage?: boolean }>();
			const g = gmailState(ctx.standin);
			const next: HistorySettings = { ...g.historySettings };
			if (b.retentionSeconds === null) delete next.retentionSeconds;
			else if (b.retentionSeconds !== undefined) next.retentionSeconds = nonNegative(b.retentionSeconds, 'retentionSeconds');
			if (b.emptyLastPage !== undefined) {
				if (typeof b.emptyLastPage !== 'boolean') throw badRequest('emptyLastPage must be true or false');
				next.emptyLastPage = b.emptyLastPage;
			}
			g.historySettings = next;
			return { body: g.historySettings };
		}),
		open('history.settings.get', 'GET', 'history/settings', (ctx) => ({ body: gmailState(ctx.standin).historySettings })),
		// The mailbox's kept records as history.list would render them (plus each record's time), for debugging.
		open('history.dump', 'GET', 'history', (ctx) => {
			const mb = knobMailbox(ctx.standin, ctx.query.get('user'));
			return {
				body: {
					user: mb.email,
					historyId: String(mb.historyId),
					historyFloor: String(mb.historyFloor),
					history: mb.history.map((e) => ({ ...historyRecord(e), time: new Date(e.time).toISOString() })),
				},
			};
		}),

		// Scheduled sends: {user, to, subject?, text?, raw?, sendAt?: ISO | inSeconds?: number}.
		open('schedule', 'POST', 'schedule', (ctx) => {
			const b = ctx.json<{ user?: string; to?: string; subject?: string; text?: string; raw?: string; sendAt?: string; inSeconds?: number }>();
			const mb = knobMailbox(ctx.standin, b.user);
			const t = now(ctx.standin);
			let sendAt = t + 3600_000;
			if (b.sendAt !== undefined) {
				sendAt = Date.parse(b.sendAt);
				if (!Number.isFinite(sendAt)) throw badRequest('sendAt must be an ISO date-time');
			} else if (b.inSeconds !== undefined) sendAt = t + nonNegative(b.inSeconds, 'inSeconds') * 1000;
			let raw: Buffer;
			if (b.raw !== undefined) raw = fromB64(b.raw);
			else {
				if (!b.to) throw badRequest('to (or raw) is required');
				raw = compose({ from: mb.email, to: b.to, subject: b.subject ?? 'Scheduled message', date: t, text: b.text ?? 'Sent later.' });
			}
			const m = scheduleSend(ctx.standin, mb.email, raw, sendAt);
			return { body: { user: mb.email, message: brief(m), sendAt: new Date(sendAt).toISOString() } };
		}),
		open('schedule.list', 'GET', 'schedule', (ctx) => ({
			body: { scheduled: scheduledSends(ctx.standin).map((j) => ({ ...j, sendAt: new Date(j.sendAt).toISOString() })) },
		})),
		// Send what is due (stand-in clock); {force: true} sends everything scheduled; {user} limits it to one sender.
		open('schedule.release', 'POST', 'schedule/release', (ctx) => {
			const b = ctx.json<{ user?: string; force?: boolean }>();
			const sent = releaseScheduled(ctx.standin, { user: b.user, force: b.force === true });
			return { body: { sent: sent.map(brief) } };
		}),
	];
}
