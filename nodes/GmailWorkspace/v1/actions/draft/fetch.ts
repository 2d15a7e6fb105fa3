import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { fromGmailPayloadAsync, type GmailParsedMessage } from '../../../mime';
import { gmailApiRequest, gmailBatch } from '../../transport';
import type { Context } from '../../transport/credentials';
import { apiError, describeFailure, type HttpFailure } from '../../transport/errors';
import { asNodeError } from '../helpers/items';
import { gmailIdParam } from '../message/messageId';

export type DraftDetail = 'full' | 'metadata';

/** Gmail's Draft resource: its id and its message (format minimal/metadata/full/raw). */
export interface DraftResource {
	id: string;
	message: IDataObject & { id: string; threadId: string; labelIds?: string[] };
}

/** The Draft field of item i (the locator's value, checked as a Gmail ID). */
export const draftIdParam = (ctx: IExecuteFunctions, i: number) =>
	gmailIdParam(ctx, i, 'draft', 'draftId', 'Draft');

const what = (id: string) => `GET gmail/v1/users/me/drafts/${id}`;

/** The error for a draft that could not be read: a 404 names the draft. */
export function draftError(ctx: Context, id: string, failure: unknown, itemIndex: number) {
	const f = failure as HttpFailure & { httpCode?: string };
	if (f.status === 404 || f.httpCode === '404')
		return apiError(ctx.getNode(), failure, {
			what: what(id),
			itemIndex,
			message: `Draft "${id}" was not found in this mailbox`,
		});
	return f instanceof Error
		? asNodeError(ctx.getNode(), f, itemIndex)
		: apiError(ctx.getNode(), f, {
				what: what(id),
				itemIndex,
				prefix: `Reading draft "${id}" failed`,
			});
}

/** One draft (drafts.get); an unknown ID is a clear error naming it. */
export async function getDraft(
	ctx: Context,
	id: string,
	itemIndex: number,
	qs: IDataObject,
): Promise<DraftResource> {
	try {
		return await gmailApiRequest<DraftResource>(ctx, 'gmail.users.drafts.get', {
			params: { id },
			qs,
			itemIndex,
		});
	} catch (error) {
		throw draftError(ctx, id, error, itemIndex);
	}
}

/** Does the draft still exist? (false on 404; other failures propagate.) */
export async function draftExists(ctx: Context, id: string, itemIndex: number): Promise<boolean> {
	try {
		await gmailApiRequest(ctx, 'gmail.users.drafts.get', {
			params: { id },
			qs: { format: 'minimal' },
			itemIndex,
		});
		return true;
	} catch (error) {
		if (describeFailure(error).status === 404) return false;
		throw asNodeError(ctx.getNode(), error, itemIndex);
	}
}

const SLICED = { yieldFn: async () => await sleep(0) };

export interface FetchedDraft {
	id: string;
	message?: GmailParsedMessage;
	failure?: HttpFailure;
}

/** Many drafts through the batch endpoint (quota-paced, retried), parsed as Read Email parses a message. */
export async function fetchDrafts(
	ctx: Context,
	ids: string[],
	detail: DraftDetail,
	itemIndex?: number,
): Promise<FetchedDraft[]> {
	const outcomes = await gmailBatch<DraftResource>(
		ctx,
		ids.map((id) => ({ id: 'gmail.users.drafts.get', params: { id }, qs: { format: detail } })),
		{ itemIndex },
	);
	const out: FetchedDraft[] = [];
	for (const [n, o] of outcomes.entries()) {
		if (!o.ok) out.push({ id: ids[n], failure: o.failure });
		else
			out.push({
				id: o.value.id,
				message: await fromGmailPayloadAsync(o.value.message as never, SLICED),
			});
	}
	return out;
}

/** Create's and Update's output: Gmail's Draft, its message's ids and labels. */
export const draftOutput = (d: DraftResource) => ({
	id: d.id,
	message: { id: d.message.id, threadId: d.message.threadId, labelIds: d.message.labelIds ?? [] },
});
