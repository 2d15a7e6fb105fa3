import { badRequest, notFound } from '../core/errors';
import type { Route } from '../core/standin';
import { API, mailboxFor, page, route } from './common';
import type { HistoryEvent, HistoryKind } from './store';

const KINDS: HistoryKind[] = ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'];
const FIELD: Record<HistoryKind, string> = {
	messageAdded: 'messagesAdded',
	messageDeleted: 'messagesDeleted',
	labelAdded: 'labelsAdded',
	labelRemoved: 'labelsRemoved',
};

/** One Gmail History record: {id, messages, messagesAdded | messagesDeleted | labelsAdded | labelsRemoved}. */
function record(e: HistoryEvent) {
	const message = { id: e.message.id, threadId: e.message.threadId, ...(e.message.labelIds.length ? { labelIds: e.message.labelIds } : {}) };
	const change = e.labelIds ? { message, labelIds: e.labelIds } : { message };
	return { id: String(e.id), messages: [{ id: e.message.id, threadId: e.message.threadId }], [FIELD[e.kind]]: [change] };
}

export function historyRoutes(): Route[] {
	return [
		route('gmail.users.history.list', 'GET', [`${API}/history`], 2, (ctx) => {
			const mb = mailboxFor(ctx);
			const startRaw = ctx.query.get('startHistoryId');
			if (!startRaw) throw badRequest('Missing startHistoryId', 'invalidArgument');
			if (!/^\d+$/.test(startRaw)) throw badRequest(`Invalid value at 'start_history_id' (TYPE_UINT64), "${startRaw}"`);
			const start = Number(startRaw);
			// Gmail: a startHistoryId that is too old (or in the future) is 404; the client must do a full sync.
			if (start < mb.historyFloor || start > mb.historyId) throw notFound();
			const kinds = ctx.query.getAll('historyTypes');
			for (const k of kinds) if (!KINDS.includes(k as HistoryKind)) throw badRequest(`Invalid value at 'history_types' (TYPE_ENUM), "${k}"`);
			const labelId = ctx.query.get('labelId');
			const events = mb.history.filter(
				(e) =>
					e.id > start &&
					(!kinds.length || kinds.includes(e.kind)) &&
					(!labelId || e.message.labelIds.includes(labelId) || !!e.labelIds?.includes(labelId)),
			);
			const { items, nextPageToken } = page(ctx, events);
			return {
				body: {
					...(items.length ? { history: items.map(record) } : {}),
					...(nextPageToken ? { nextPageToken } : {}),
					historyId: String(mb.historyId),
				},
			};
		}),
	];
}
