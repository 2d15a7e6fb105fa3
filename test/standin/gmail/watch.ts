/**
 * users.watch / users.stop and the notifications Gmail publishes to the watched Pub/Sub topic (README "Pub/Sub").
 * https://developers.google.com/workspace/gmail/api/guides/push
 * - watch checks the topic as Gmail does: its project must be the OAuth client's project (when the stand-in knows
 *   it), it must exist, and gmail-api-push@system.gserviceaccount.com must hold a publish right on it;
 * - every history record of a watched mailbox (store.ts Mailbox.onRecord) may publish
 *   {"emailAddress", "historyId"}: label filter first, then at most one per second per user (excess dropped),
 *   then the dropShare / delayMs knobs; nothing after `expiration` or users.stop.
 */
import { GoogleError, badRequest } from '../core/errors';
import type { Route, Standin } from '../core/standin';
import { GMAIL_PUSH, maybePubsubState, pubsubState, type PubsubState, type Watch } from '../pubsub/state';
import { API, mailboxFor, now, route } from './common';
import type { HistoryEvent, Mailbox } from './store';

export const WATCH_TTL_MS = 7 * 24 * 3600_000;
const PUBLISH_ROLES = ['roles/pubsub.publisher', 'roles/pubsub.editor', 'roles/pubsub.admin', 'roles/editor', 'roles/owner'];

const canPublish = (st: PubsubState, topicName: string) =>
	!!st.topics.get(topicName)?.policy.bindings.some((b) => PUBLISH_ROLES.includes(b.role) && b.members.includes(GMAIL_PUSH));

const testSendError = (topicName: string, why: string) => `Error sending test message to Cloud PubSub ${topicName} : ${why}`;

/** Does a change pass the watch's label filter? INCLUDE: it touches a listed label; EXCLUDE: it touches none. */
export function watchMatches(w: Watch, e: HistoryEvent): boolean {
	if (!w.labelIds.length) return true;
	const touched = new Set([...e.message.labelIds, ...(e.labelIds ?? [])]);
	const hit = w.labelIds.some((l) => touched.has(l));
	return w.behavior === 'include' ? hit : !hit;
}

/** The history hook: one mailbox change → at most one notification. */
export function onHistory(s: Standin, mb: Mailbox, e: HistoryEvent) {
	const st = maybePubsubState(s);
	const w = st?.watches.get(mb.email);
	if (!st || !w) return;
	const t = now(s);
	if (w.expiration <= t) return;
	if (!watchMatches(w, e)) return void st.counters.filtered++;
	if (w.lastSentAt !== undefined && t - w.lastSentAt < 1000) return void st.counters.rateDropped++;
	w.lastSentAt = t;
	if (st.knobs.dropShare > 0 && st.rand() < st.knobs.dropShare) return void st.counters.shareDropped++;
	const data = Buffer.from(JSON.stringify({ emailAddress: mb.email, historyId: e.id }));
	const send = () => {
		if (!canPublish(st, w.topicName)) return void st.counters.publishFailed++;
		st.counters.notified++;
		st.publish(w.topicName, data);
	};
	if (st.knobs.delayMs > 0) st.later(st.knobs.delayMs, send);
	else send();
}

export function watchRoutes(): Route[] {
	return [
		route('gmail.users.watch', 'POST', [`${API}/watch`], 100, (ctx) => {
			const mb = mailboxFor(ctx);
			const s = ctx.standin;
			const st = pubsubState(s);
			const b = ctx.json<{ topicName?: string; labelIds?: string[]; labelFilterBehavior?: string; labelFilterAction?: string }>();
			if (!b.topicName) throw badRequest('topicName required');
			const clientProject = s.quotaProject(ctx.token!).project;
			const known = !clientProject.startsWith('client:');
			const m = /^projects\/([^/]+)\/topics\/([^/]+)$/.exec(b.topicName);
			if (!m || (known && m[1] !== clientProject)) throw badRequest(`Invalid topicName does not match projects/${known ? clientProject : '*'}/topics/*`);
			if (!st.topics.has(b.topicName)) {
				throw new GoogleError(404, testSendError(b.topicName, `Resource not found (resource=${m[2]}).`), 'notFound');
			}
			if (!canPublish(st, b.topicName)) throw new GoogleError(403, testSendError(b.topicName, 'User not authorized to perform this action.'), 'forbidden');
			const rawBehavior = (b.labelFilterBehavior ?? b.labelFilterAction ?? 'include').toLowerCase();
			if (rawBehavior !== 'include' && rawBehavior !== 'exclude') {
				throw badRequest(`Invalid value at '${b.labelFilterBehavior !== undefined ? 'label_filter_behavior' : 'label_filter_action'}' (TYPE_ENUM), "${b.labelFilterBehavior ?? b.labelFilterAction}"`);
			}
			if (b.labelIds !== undefined && !Array.isArray(b.labelIds)) throw badRequest('labelIds must be a list');
			const expiration = now(s) + WATCH_TTL_MS;
			const prev = st.watches.get(mb.email);
			st.watches.set(mb.email, {
				user: mb.email,
				topicName: b.topicName,
				labelIds: [...(b.labelIds ?? [])],
				behavior: rawBehavior,
				expiration,
				...(prev?.lastSentAt !== undefined ? { lastSentAt: prev.lastSentAt } : {}),
			});
			ctx.note({ topicName: b.topicName, renewed: !!prev });
			return { body: { historyId: String(mb.historyId), expiration: String(expiration) } };
		}),
		route('gmail.users.stop', 'POST', [`${API}/stop`], 50, (ctx) => {
			const mb = mailboxFor(ctx);
			pubsubState(ctx.standin).watches.delete(mb.email);
			return { status: 204 };
		}),
	];
}
