/**
 * users.history.list as Gmail answers it (README "History" has the behaviour and its sources):
 * - records after `startHistoryId` (strictly greater), oldest first, one change of one message per record:
 *   `{id, messages: [{id, threadId}], messagesAdded | messagesDeleted | labelsAdded | labelsRemoved: [{message:
 *   {id, threadId, labelIds}, labelIds?}]}`;
 * - `historyTypes` (repeated) keeps those kinds; `labelId` keeps records whose message carried that label after
 *   the change, or whose change added / removed it;
 * - `maxResults` (default 100, at most 500) and `pageToken` page through them; `historyId` is always the
 *   mailbox's current one; no `history` field when nothing matched;
 * - a startHistoryId older than the history the mailbox keeps (or newer than its current id) is 404 notFound
 *   "Requested entity was not found." (the client must do a full sync).
 */
import { badRequest, notFound } from '../core/errors';
import type { Ctx, Route } from '../core/standin';
import { API, gmailState, mailboxFor, pageSize, route } from './common';
import { HISTORY_KINDS, type HistoryEvent, type HistoryKind, type Mailbox } from './store';

const FIELD: Record<HistoryKind, string> = {
	messageAdded: 'messagesAdded',
	messageDeleted: 'messagesDeleted',
	labelAdded: 'labelsAdded',
	labelRemoved: 'labelsRemoved',
};

/** One Gmail History record: {id, messages, messagesAdded | messagesDeleted | labelsAdded | labelsRemoved}. */
export function historyRecord(e: HistoryEvent) {
	const message = { id: e.message.id, threadId: e.message.threadId, ...(e.message.labelIds.length ? { labelIds: e.message.labelIds } : {}) };
	const change = e.labelIds ? { message, labelIds: e.labelIds } : { message };
	return { id: String(e.id), messages: [{ id: e.message.id, threadId: e.message.threadId }], [FIELD[e.kind]]: [change] };
}

/** Does a record pass history.list's `historyTypes` and `labelId` filters? */
export function historyMatches(e: HistoryEvent, kinds: readonly string[], labelId?: string | null): boolean {
	if (kinds.length && !kinds.includes(e.kind)) return false;
	return !labelId || e.message.labelIds.includes(labelId) || !!e.labelIds?.includes(labelId);
}

/**
 * Page tokens are opaque digit strings (like Gmail's): they carry the id of the last record handed out, so a page
 * stays right when records are added between calls, and a token whose records have since expired is a 404 too.
 */
const TOKEN_PREFIX = '0918';
const tokenFor = (lastId: number) => TOKEN_PREFIX + String(lastId).padStart(16, '0');
function parseToken(tok: string): number {
	if (!/^\d{20}$/.test(tok) || !tok.startsWith(TOKEN_PREFIX)) throw badRequest('Invalid pageToken');
	return Number(tok.slice(TOKEN_PREFIX.length));
}

/** The 404 Gmail sends for a startHistoryId it no longer has (or never had). */
export const historyNotFound = () => notFound('Requested entity was not found.');

/** Apply the standing retention (POST /__standin/history/settings {retentionSeconds}) to a mailbox. */
export function applyRetention(ctx: Ctx, mb: Mailbox) {
	const keep = gmailState(ctx.standin).historySettings.retentionSeconds;
	if (keep !== undefined && keep !== null) mb.expireHistory({ olderThanMs: keep * 1000 });
}

const HISTORY_QUERY = ['startHistoryId', 'historyTypes', 'labelId', 'maxResults', 'pageToken'];

export function historyRoutes(): Route[] {
	return [
		route(
			'gmail.users.history.list',
			'GET',
			[`${API}/history`],
			2,
			(ctx) => {
				const mb = mailboxFor(ctx);
				const startRaw = ctx.query.get('startHistoryId');
				// googleapis/google-api-nodejs-client#978: Gmail's answer when the parameter is missing.
				if (!startRaw) throw badRequest('Missing/invalid parameter: startHistoryId', 'invalidArgument');
				if (!/^\d+$/.test(startRaw)) throw badRequest(`Invalid value at 'start_history_id' (TYPE_UINT64), "${startRaw}"`);
				const kinds = ctx.query.getAll('historyTypes');
				for (const k of kinds) if (!HISTORY_KINDS.includes(k as HistoryKind)) throw badRequest(`Invalid value at 'history_types' (TYPE_ENUM), "${k}"`);
				const labelId = ctx.query.get('labelId');
				const size = pageSize(ctx);
				const tok = ctx.query.get('pageToken');
				const start = Number(startRaw);
				const after = Math.max(start, tok ? parseToken(tok) : 0);
				applyRetention(ctx, mb);
				ctx.note({ startHistoryId: startRaw, historyFloor: String(mb.historyFloor), historyId: String(mb.historyId) });
				// Gmail: a startHistoryId it no longer keeps history for (or one it never issued) is 404; full sync.
				if (after < mb.historyFloor || start > mb.historyId) {
					ctx.note({ expired: after < mb.historyFloor });
					throw historyNotFound();
				}
				const items: HistoryEvent[] = [];
				let more = false;
				for (const e of mb.history) {
					if (e.id <= after || !historyMatches(e, kinds, labelId)) continue;
					if (items.length === size) {
						more = true;
						break;
					}
					items.push(e);
				}
				const quirk = !more && items.length > 0 && gmailState(ctx.standin).historySettings.emptyLastPage === true;
				const nextPageToken = more || quirk ? tokenFor(items[items.length - 1].id) : undefined;
				ctx.note({ records: items.length, ...(nextPageToken ? { nextPageToken: true } : {}) });
				return {
					body: {
						...(items.length ? { history: items.map(historyRecord) } : {}),
						...(nextPageToken ? { nextPageToken } : {}),
						historyId: String(mb.historyId),
					},
				};
			},
			{ queryParams: HISTORY_QUERY },
		),
	];
}

