import { badRequest, notFound } from '../core/errors';
import type { Ctx, Route } from '../core/standin';
import { API, RESUMABLE, UPLOAD, bool, gmailState, mailboxFor, now, page, route } from './common';
import { messageRef, messageResource, parseFormat } from './format';
import { filterMessages } from './messages';
import { sendMessage } from './send';
import { addMessage, deleteMessage, type Draft, type Mailbox, type StoredMessage } from './store';
import { withMessageInput, type MessageInput } from './upload';

function getDraft(mb: Mailbox, id: string): { draft: Draft; message: StoredMessage } {
	const draft = mb.drafts.get(id);
	const message = draft && mb.messages.get(draft.messageId);
	if (!draft || !message) throw notFound();
	return { draft, message };
}

/** Store a draft's message (DRAFT label, threaded like any message). */
function storeDraftMessage(ctx: Ctx, mb: Mailbox, input: MessageInput): StoredMessage {
	if (!input.raw) throw badRequest('Message is required', 'invalidArgument');
	return addMessage(gmailState(ctx.standin), mb, input.raw, {
		labelIds: ['DRAFT'],
		internalDate: now(ctx.standin),
		threadId: input.metadata?.message?.threadId,
	});
}

/** drafts.update replaces the message: Gmail gives the new content a new message id. */
function replaceDraft(ctx: Ctx, mb: Mailbox, id: string, input: MessageInput): Draft {
	const { draft, message } = getDraft(mb, id);
	const fresh = storeDraftMessage(ctx, mb, {
		...input,
		metadata: { message: { threadId: input.metadata?.message?.threadId ?? message.threadId } },
	});
	mb.messages.delete(message.id);
	mb.record('messageDeleted', message);
	draft.messageId = fresh.id;
	return draft;
}

const draftRef = (mb: Mailbox, d: Draft) => ({ id: d.id, message: messageRef(mb.messages.get(d.messageId)!) });

export function draftRoutes(): Route[] {
	const withUpload = (id: string, method: string, p: string, cost: number, h: (ctx: Ctx, input: MessageInput) => unknown) =>
		route(id, method, [API + p, UPLOAD + p, RESUMABLE + p], cost, withMessageInput(id, h as any));
	return [
		route('gmail.users.drafts.list', 'GET', [`${API}/drafts`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const byMessage = new Map([...mb.drafts.values()].map((d) => [d.messageId, d]));
			const pool = mb.sorted().filter((m) => byMessage.has(m.id));
			const found = filterMessages(ctx, mb, { q: ctx.query.get('q'), includeSpamTrash: bool(ctx.query.get('includeSpamTrash')), pool });
			const { items, nextPageToken } = page(ctx, found);
			return {
				body: {
					...(items.length
						? { drafts: items.map((m) => ({ id: byMessage.get(m.id)!.id, message: { id: m.id, threadId: m.threadId } })) }
						: {}),
					...(nextPageToken ? { nextPageToken } : {}),
					resultSizeEstimate: found.length,
				},
			};
		}),
		route('gmail.users.drafts.get', 'GET', [`${API}/drafts/{id}`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const { draft, message } = getDraft(mb, ctx.params.id);
			return { body: { id: draft.id, message: messageResource(message, parseFormat(ctx.query.get('format'))) } };
		}),
		withUpload('gmail.users.drafts.create', 'POST', '/drafts', 10, (ctx, input) => {
			const mb = mailboxFor(ctx);
			const m = storeDraftMessage(ctx, mb, input);
			const draft: Draft = { id: gmailState(ctx.standin).newDraftId(), messageId: m.id };
			mb.drafts.set(draft.id, draft);
			return { body: draftRef(mb, draft) };
		}),
		// drafts.send before drafts.update in the table is irrelevant (POST vs PUT), but the upload-session PUT route
		// for /drafts/send must be registered before drafts.update's /drafts/{id} (see gmail/index.ts).
		withUpload('gmail.users.drafts.send', 'POST', '/drafts/send', 100, (ctx, input) => {
			const mb = mailboxFor(ctx);
			const id = input.metadata?.id;
			if (!id) throw badRequest('Invalid draft');
			if (input.raw) replaceDraft(ctx, mb, id, input);
			const { draft, message } = getDraft(mb, id);
			const sent = sendMessage(ctx.standin, mb, message.raw, { reuse: message });
			mb.drafts.delete(draft.id);
			return { body: messageRef(sent) };
		}),
		withUpload('gmail.users.drafts.update', 'PUT', '/drafts/{id}', 15, (ctx, input) => {
			const mb = mailboxFor(ctx);
			getDraft(mb, ctx.params.id);
			if (!input.raw) throw badRequest('Message is required', 'invalidArgument');
			const draft = replaceDraft(ctx, mb, ctx.params.id, input);
			return { body: draftRef(mb, draft) };
		}),
		route('gmail.users.drafts.delete', 'DELETE', [`${API}/drafts/{id}`], 10, (ctx) => {
			const mb = mailboxFor(ctx);
			const { draft, message } = getDraft(mb, ctx.params.id);
			mb.drafts.delete(draft.id);
			deleteMessage(mb, message);
			return { status: 204 };
		}),
	];
}
