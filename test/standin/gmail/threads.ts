import { notFound } from '../core/errors';
import type { Ctx, Route } from '../core/standin';
import { API, bool, checkMetadataScope, mailboxFor, page, route } from './common';
import { derive, changeLabels, deleteMessage, type Mailbox, type StoredMessage } from './store';
import { messageRef, messageResource, parseFormat } from './format';
import { checkLabels, checkSomeChange, filterMessages } from './messages';

function threadOf(mb: Mailbox, id: string): StoredMessage[] {
	const msgs = mb.thread(id);
	if (!msgs.length) throw notFound();
	return msgs;
}

const historyOf = (msgs: StoredMessage[]) => String(Math.max(...msgs.map((m) => m.historyId)));

function modifiedThread(mb: Mailbox, id: string) {
	const msgs = mb.thread(id);
	return { id, ...(msgs.length ? { historyId: historyOf(msgs) } : {}), messages: msgs.map(messageRef) };
}

export function threadRoutes(): Route[] {
	const each = (ctx: Ctx, fn: (mb: Mailbox, m: StoredMessage) => void) => {
		const mb = mailboxFor(ctx);
		for (const m of threadOf(mb, ctx.params.id)) fn(mb, m);
		return { body: modifiedThread(mb, ctx.params.id) };
	};
	return [
		route('gmail.users.threads.list', 'GET', [`${API}/threads`], 10, (ctx) => {
			const mb = mailboxFor(ctx);
			checkMetadataScope(ctx, { q: ctx.query.get('q') });
			const found = filterMessages(ctx, mb, {
				q: ctx.query.get('q'),
				labelIds: ctx.query.getAll('labelIds'),
				includeSpamTrash: bool(ctx.query.get('includeSpamTrash')),
			});
			const ids = [...new Set(found.map((m) => m.threadId))];
			const { items, nextPageToken } = page(ctx, ids);
			const threads = items.map((id) => {
				const msgs = mb.thread(id);
				return { id, snippet: derive(msgs[msgs.length - 1].raw).snippet, historyId: historyOf(msgs) };
			});
			return {
				body: {
					...(threads.length ? { threads } : {}),
					...(nextPageToken ? { nextPageToken } : {}),
					resultSizeEstimate: ids.length,
				},
			};
		}),
		route('gmail.users.threads.get', 'GET', [`${API}/threads/{id}`], 10, (ctx) => {
			const mb = mailboxFor(ctx);
			const msgs = threadOf(mb, ctx.params.id);
			const format = parseFormat(ctx.query.get('format'), ['full', 'metadata', 'minimal']);
			checkMetadataScope(ctx, { format });
			const headers = ctx.query.getAll('metadataHeaders');
			return { body: { id: ctx.params.id, historyId: historyOf(msgs), messages: msgs.map((m) => messageResource(m, format, headers)) } };
		}),
		route('gmail.users.threads.modify', 'POST', [`${API}/threads/{id}/modify`], 10, (ctx) => {
			const b = ctx.json<{ addLabelIds?: string[]; removeLabelIds?: string[] }>();
			const mb = mailboxFor(ctx);
			const add = checkLabels(mb, b.addLabelIds);
			const remove = checkLabels(mb, b.removeLabelIds);
			checkSomeChange(add, remove);
			return each(ctx, (box, m) => changeLabels(box, m, add, remove));
		}),
		route('gmail.users.threads.trash', 'POST', [`${API}/threads/{id}/trash`], 10, (ctx) =>
			each(ctx, (mb, m) => changeLabels(mb, m, ['TRASH'], [])),
		),
		route('gmail.users.threads.untrash', 'POST', [`${API}/threads/{id}/untrash`], 10, (ctx) =>
			each(ctx, (mb, m) => changeLabels(mb, m, [], ['TRASH'])),
		),
		route('gmail.users.threads.delete', 'DELETE', [`${API}/threads/{id}`], 20, (ctx) => {
			const mb = mailboxFor(ctx);
			for (const m of threadOf(mb, ctx.params.id)) deleteMessage(mb, m);
			return { status: 204 };
		}),
	];
}
