import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	isBuiltHeader,
	prepareRawMessage,
	type BuildInput,
	type GmailParsedMessage,
} from '../../../mime';
import { paramError, readText } from '../../params';
import { gmailApiRequest } from '../../transport';
import { uploadRawMessage, type UploadTarget } from '../../transport/upload';
import { asNodeError } from '../helpers/items';
import { GMAIL_ID } from '../message/messageId';
import { inputError, replyHeaders, threadUnder, type Composed } from '../message/send/compose';
import type { DraftResource } from './fetch';

type Header = { name: string; value: string };

/** Threading for a draft in a thread: a reply to the thread's latest message that is not a draft. */
export async function threadReply(ctx: IExecuteFunctions, i: number, threadId: string) {
	if (!GMAIL_ID.test(threadId))
		throw paramError(ctx, 'Thread ID', 'is not a Gmail thread ID', i, threadId);
	let thread: IDataObject;
	try {
		thread = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.threads.get', {
			params: { id: threadId },
			qs: { format: 'metadata', metadataHeaders: ['Message-ID', 'References', 'Subject'] },
			itemIndex: i,
		});
	} catch (error) {
		if ((error as NodeApiError).httpCode !== '404') throw asNodeError(ctx.getNode(), error, i);
		throw new NodeOperationError(
			ctx.getNode(),
			`Thread "${threadId}" was not found in this mailbox: no draft was saved [item ${i}]`,
			{ itemIndex: i },
		);
	}
	const messages = (thread.messages as IDataObject[]) ?? [];
	const last =
		[...messages].reverse().find((m) => !((m.labelIds as string[]) ?? []).includes('DRAFT')) ??
		messages.at(-1);
	const headers = ((last?.payload as IDataObject)?.headers as Header[]) ?? [];
	const get = (n: string) => headers.find((h) => h.name.toLowerCase() === n)?.value;
	return {
		threadId,
		messageId: get('message-id'),
		references: get('references'),
		subject: get('subject'),
	};
}

/** "Thread ID" threading for a composed draft (Reply to Message ID, already applied, wins). */
export async function applyThreadOption(ctx: IExecuteFunctions, i: number, composed: Composed) {
	const threadId = readText(ctx, i, 'options.threadId', 'Thread ID', { singleLine: true });
	if (!threadId || composed.threadId) return;
	threadComposed(ctx, i, composed, await threadReply(ctx, i, threadId));
}

/** "Reply to Message ID" threading for Update (Create gets it from composeMessage, as Send does). */
export async function applyReplyOption(ctx: IExecuteFunctions, i: number, composed: Composed) {
	const id = readText(ctx, i, 'options.replyToMessageId', 'Reply to Message ID');
	if (!id) return;
	if (!GMAIL_ID.test(id))
		throw paramError(ctx, 'Reply to Message ID', 'is not a Gmail message ID', i, id);
	threadComposed(ctx, i, composed, await replyHeaders(ctx, id, i));
}

/** Puts the composed draft under the message with these headers (threadUnder), keeping a given subject. */
function threadComposed(
	ctx: IExecuteFunctions,
	i: number,
	composed: Composed,
	r: { threadId?: string; messageId?: string; references?: string; subject?: string },
) {
	const given = readText(ctx, i, 'subject', 'Subject');
	const t = threadUnder(r, given || undefined);
	composed.threadId = r.threadId;
	composed.input.inReplyTo = t.inReplyTo;
	composed.input.references = t.references;
	if (!given && t.subject) composed.input.subject = t.subject;
}

/** The draft's own extra headers (X-…, List-Unsubscribe…), for an Update that sets none. */
export const extraHeaders = (m: GmailParsedMessage): Header[] =>
	m.headers.filter((h) => !isBuiltHeader(h.name)).map((h) => ({ name: h.name, value: h.value }));

/** Gmail's Draft metadata for the upload: the thread it belongs to. */
const draftMetadata = (threadId?: string, id?: string): IDataObject => ({
	...(id ? { id } : {}),
	...(threadId ? { message: { threadId } } : {}),
});

/**
 * Plan the draft's message (in slices that yield to n8n's event loop) and upload it to drafts.create or
 * drafts.update: multipart when it fits one chunk, resumable chunks above (memory: about one chunk).
 */
export async function saveDraft(
	ctx: IExecuteFunctions,
	i: number,
	input: BuildInput,
	messageId: string,
	target: {
		threadId?: string;
		update?: string;
		findExisting?: () => Promise<DraftResource | undefined>;
	},
): Promise<DraftResource> {
	let size: number;
	let bytes: AsyncIterable<Buffer>;
	try {
		const prepared = await prepareRawMessage(input, {
			reuseBuffers: true,
			yieldFn: async () => await sleep(0),
		});
		size = prepared.size;
		bytes = prepared.stream();
	} catch (error) {
		throw inputError(ctx, error, i);
	}
	const upload: UploadTarget<DraftResource> = target.update
		? {
				method: 'gmail.users.drafts.update',
				params: { id: target.update },
				metadata: draftMetadata(target.threadId, target.update),
				prefix: `Gmail did not update draft "${target.update}"`,
			}
		: {
				method: 'gmail.users.drafts.create',
				metadata: draftMetadata(target.threadId),
				prefix: 'Gmail did not save the draft',
				findExisting: target.findExisting,
			};
	return await uploadRawMessage(ctx, { size, bytes, messageId }, upload, { itemIndex: i });
}

/**
 * At-most-once for drafts.create: the draft whose message has this Message-ID, if Gmail already made it
 * (drafts.list takes Gmail search, so `rfc822msgid:`), with its message's labels.
 */
export async function findDraft(
	ctx: IExecuteFunctions,
	messageId: string,
	i: number,
): Promise<DraftResource | undefined> {
	const list = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.drafts.list', {
		itemIndex: i,
		qs: {
			q: `rfc822msgid:${messageId.replace(/^<|>$/g, '')}`,
			maxResults: 1,
			includeSpamTrash: true,
		},
	});
	const found = (list.drafts as DraftResource[] | undefined)?.[0];
	if (!found) return undefined;
	return await gmailApiRequest<DraftResource>(ctx, 'gmail.users.drafts.get', {
		itemIndex: i,
		params: { id: found.id },
		qs: { format: 'minimal' },
	});
}
