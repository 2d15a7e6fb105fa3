import { badRequest, notFound } from '../core/errors';
import type { Ctx, Route } from '../core/standin';
import { API, RESUMABLE, UPLOAD, bool, checkMetadataScope, getMessage, gmailState, mailboxFor, now, page, route } from './common';
import { attachmentBytes, attachmentIdFor, b64url, messageRef, messageResource, parseAttachmentId, parseFormat } from './format';
import { header } from './mime';
import { matches, parseQuery, queryReaches } from './search';
import { sendMessage } from './send';
import { addMessage, changeLabels, deleteMessage, derive, searchDoc, type Mailbox, type StoredMessage } from './store';
import { withMessageInput, type MessageInput } from './upload';

/**
 * Messages matching list parameters (q, labelIds, includeSpamTrash), newest first. Shared by messages.list,
 * threads.list and drafts.list.
 */
export function filterMessages(
	ctx: Ctx,
	mb: Mailbox,
	opts: { q?: string | null; labelIds?: string[]; includeSpamTrash?: boolean; pool?: StoredMessage[] },
): StoredMessage[] {
	const q = (opts.q ?? '').trim();
	const ast = q ? parseQuery(q) : undefined;
	const reach = ast ? queryReaches(ast) : { spam: false, trash: false };
	const env = { now: now(ctx.standin), me: mb.email };
	const labelNames = (id: string) => mb.labelName(id);
	return (opts.pool ?? mb.sorted()).filter((m) => {
		if (!opts.includeSpamTrash) {
			if (m.labelIds.includes('SPAM') && !reach.spam && !opts.labelIds?.includes('SPAM')) return false;
			if (m.labelIds.includes('TRASH') && !reach.trash && !opts.labelIds?.includes('TRASH')) return false;
		}
		if (opts.labelIds?.some((l) => !m.labelIds.includes(l))) return false;
		return !ast || matches(searchDoc(m, labelNames), ast, env);
	});
}

/**
 * Label ids given to modify / insert must exist ("Invalid label: X", 400 invalidArgument). A modify may not add
 * or remove DRAFT or SENT, which Gmail manages itself: "Invalid label: SENT" (googleapis/google-api-php-client#1254).
 */
export function checkLabels(mb: Mailbox, ids: unknown, forModify = true): string[] {
	if (ids === undefined || ids === null) return [];
	if (!Array.isArray(ids)) throw badRequest('Invalid label list');
	for (const id of ids) {
		if (typeof id !== 'string' || !mb.labels.has(id)) throw badRequest(`Invalid label: ${id}`, 'invalidArgument');
		if (forModify && (id === 'DRAFT' || id === 'SENT')) throw badRequest(`Invalid label: ${id}`, 'invalidArgument');
	}
	return ids as string[];
}

/** A modify with neither list: 400 "No label add or removes specified" (googleapis/google-api-nodejs-client#312). */
export function checkSomeChange(add: string[], remove: string[]) {
	if (!add.length && !remove.length) throw badRequest('No label add or removes specified', 'invalidArgument');
}

/**
 * The `ids` of batchModify / batchDelete: at least one; at most 1,000, else 400 "Number of ids cannot exceed 1000"
 * (x4nth055/pythoncode-tutorials#102); each a message id as Gmail writes them (hex), else the whole call is 400
 * "Invalid id value" (amd/gaia#2455, LeoIannacone/goopg#34). Well-formed ids of no message are silently ignored
 * (204 all the same: taylorwilsdon/google_workspace_mcp#1047; batchDelete: "Provides no guarantees that messages
 * were not already deleted or even existed at all", Google's reference).
 */
export function checkBatchIds(ids: unknown): string[] {
	if (!Array.isArray(ids) || !ids.length) throw badRequest('No message ids specified', 'invalidArgument');
	if (ids.length > 1000) throw badRequest('Number of ids cannot exceed 1000', 'invalidArgument');
	for (const id of ids) if (typeof id !== 'string' || !/^[0-9a-f]{1,16}$/i.test(id)) throw badRequest('Invalid id value', 'invalidArgument');
	return ids as string[];
}

const internalDateFor = (ctx: Ctx, raw: Buffer, source: string | null, def: 'receivedTime' | 'dateHeader') => {
	if ((source ?? def) === 'dateHeader') {
		const t = Date.parse(header(derive(raw).mime, 'date') ?? '');
		if (Number.isFinite(t)) return t;
	}
	return now(ctx.standin);
};

function requireRaw(input: MessageInput): Buffer {
	if (!input.raw) throw badRequest("'raw' RFC822 payload message string or uploading message via /upload/* URL required", 'badRequest');
	return input.raw;
}

export function messageRoutes(): Route[] {
	const withUpload = (id: string, method: string, p: string, cost: number, h: (ctx: Ctx, input: MessageInput) => unknown) =>
		route(id, method, [API + p, UPLOAD + p, RESUMABLE + p], cost, withMessageInput(id, h as any));

	return [
		route('gmail.users.getProfile', 'GET', [`${API}/profile`], 1, (ctx) => {
			const mb = mailboxFor(ctx);
			return {
				body: {
					emailAddress: mb.email,
					messagesTotal: mb.messages.size,
					threadsTotal: new Set([...mb.messages.values()].map((m) => m.threadId)).size,
					historyId: String(mb.historyId),
				},
			};
		}),

		route('gmail.users.messages.list', 'GET', [`${API}/messages`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			checkMetadataScope(ctx, { q: ctx.query.get('q') });
			const found = filterMessages(ctx, mb, {
				q: ctx.query.get('q'),
				labelIds: ctx.query.getAll('labelIds'),
				includeSpamTrash: bool(ctx.query.get('includeSpamTrash')),
			});
			const { items, nextPageToken } = page(ctx, found);
			return {
				body: {
					...(items.length ? { messages: items.map((m) => ({ id: m.id, threadId: m.threadId })) } : {}),
					...(nextPageToken ? { nextPageToken } : {}),
					resultSizeEstimate: found.length,
				},
			};
		}),

		route('gmail.users.messages.get', 'GET', [`${API}/messages/{id}`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const m = getMessage(mb, ctx.params.id);
			const format = parseFormat(ctx.query.get('format'));
			checkMetadataScope(ctx, { format });
			return { body: messageResource(m, format, ctx.query.getAll('metadataHeaders')) };
		}),

		route('gmail.users.messages.attachments.get', 'GET', [`${API}/messages/{messageId}/attachments/{id}`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const m = getMessage(mb, ctx.params.messageId);
			const ref = parseAttachmentId(ctx.params.id);
			if (!ref) throw badRequest('Invalid attachment token');
			if (ref.messageId !== m.id) throw notFound();
			const data = attachmentBytes(m, ref.partId);
			return { body: { attachmentId: attachmentIdFor(m.id, ref.partId), size: data.length, data: b64url(data) } };
		}),

		withUpload('gmail.users.messages.send', 'POST', '/messages/send', 100, (ctx, input) => {
			const mb = mailboxFor(ctx);
			const sent = sendMessage(ctx.standin, mb, requireRaw(input), { threadId: input.metadata?.threadId });
			return { body: messageRef(sent) };
		}),

		withUpload('gmail.users.messages.insert', 'POST', '/messages', 25, (ctx, input) => {
			const mb = mailboxFor(ctx);
			const raw = requireRaw(input);
			const labelIds = checkLabels(mb, input.metadata?.labelIds, false);
			const m = addMessage(gmailState(ctx.standin), mb, raw, {
				labelIds,
				threadId: input.metadata?.threadId,
				internalDate: internalDateFor(ctx, raw, ctx.query.get('internalDateSource'), 'receivedTime'),
			});
			return { body: messageRef(m) };
		}),

		withUpload('gmail.users.messages.import', 'POST', '/messages/import', 25, (ctx, input) => {
			const mb = mailboxFor(ctx);
			const raw = requireRaw(input);
			const labelIds = checkLabels(mb, input.metadata?.labelIds, false);
			const m = addMessage(gmailState(ctx.standin), mb, raw, {
				labelIds,
				threadId: input.metadata?.threadId,
				internalDate: internalDateFor(ctx, raw, ctx.query.get('internalDateSource'), 'dateHeader'),
			});
			return { body: messageRef(m) };
		}),

		route('gmail.users.messages.modify', 'POST', [`${API}/messages/{id}/modify`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const m = getMessage(mb, ctx.params.id);
			const b = ctx.json<{ addLabelIds?: string[]; removeLabelIds?: string[] }>();
			const add = checkLabels(mb, b.addLabelIds);
			const remove = checkLabels(mb, b.removeLabelIds);
			checkSomeChange(add, remove);
			changeLabels(mb, m, add, remove);
			return { body: messageRef(m) };
		}),

		// Also how clients trash / untrash many messages at once (addLabelIds / removeLabelIds TRASH): the same
		// label change as messages.trash / untrash here. README "Label changes".
		route('gmail.users.messages.batchModify', 'POST', [`${API}/messages/batchModify`], 50, (ctx) => {
			const mb = mailboxFor(ctx);
			const b = ctx.json<{ ids?: string[]; addLabelIds?: string[]; removeLabelIds?: string[] }>();
			const ids = checkBatchIds(b.ids);
			const add = checkLabels(mb, b.addLabelIds);
			const remove = checkLabels(mb, b.removeLabelIds);
			checkSomeChange(add, remove);
			let changed = 0;
			for (const id of ids) {
				const m = mb.messages.get(id);
				if (m) {
					changeLabels(mb, m, add, remove);
					changed++;
				}
			}
			ctx.note({ ids: ids.length, unknown: ids.length - changed });
			return { status: 204 };
		}),

		route('gmail.users.messages.trash', 'POST', [`${API}/messages/{id}/trash`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const m = getMessage(mb, ctx.params.id);
			changeLabels(mb, m, ['TRASH'], []);
			return { body: messageRef(m) };
		}),

		route('gmail.users.messages.untrash', 'POST', [`${API}/messages/{id}/untrash`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const m = getMessage(mb, ctx.params.id);
			changeLabels(mb, m, [], ['TRASH']);
			return { body: messageRef(m) };
		}),

		route('gmail.users.messages.delete', 'DELETE', [`${API}/messages/{id}`], 10, (ctx) => {
			const mb = mailboxFor(ctx);
			deleteMessage(mb, getMessage(mb, ctx.params.id));
			return { status: 204 };
		}),

		route('gmail.users.messages.batchDelete', 'POST', [`${API}/messages/batchDelete`], 50, (ctx) => {
			const mb = mailboxFor(ctx);
			const ids = checkBatchIds(ctx.json<{ ids?: string[] }>().ids);
			let deleted = 0;
			for (const id of ids) {
				const m = mb.messages.get(id);
				if (m) {
					deleteMessage(mb, m);
					deleted++;
				}
			}
			ctx.note({ ids: ids.length, unknown: ids.length - deleted });
			return { status: 204 };
		}),
	];
}
