import type { IDataObject, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	fromGmailPayloadAsync,
	parseRawMessageAsync,
	type GmailParsedMessage,
} from '../../../mime';
import { gmailBatch } from '../../transport';
import type { Context } from '../../transport/credentials';
import { apiError, type HttpFailure } from '../../transport/errors';

export type Detail = 'full' | 'metadata' | 'raw';

export interface Fetched {
	message?: GmailParsedMessage;
	/** The RFC 822 bytes, for detail "raw". */
	raw?: Buffer;
	failure?: HttpFailure;
}

/** Gmail message resource (format raw) → the parsed shape, keeping Gmail's ids and labels. */
/** Parsing yields to n8n's event loop between slices: a 25 MB message must not freeze other workflows. */
const SLICED = { yieldFn: async () => await sleep(0) };

async function fromRaw(
	resource: IDataObject,
): Promise<{ message: GmailParsedMessage; raw: Buffer }> {
	const raw = Buffer.from(String(resource.raw ?? ''), 'base64url');
	const parsed = await parseRawMessageAsync(raw, SLICED);
	return {
		raw,
		message: {
			...parsed,
			id: resource.id as string,
			threadId: resource.threadId as string,
			labelIds: (resource.labelIds as string[]) ?? [],
			snippet: resource.snippet as string,
		},
	};
}

/** Get many messages through the batch endpoint (quota-paced, retried); one result per id, in order. */
export async function fetchMessages(
	ctx: Context,
	ids: string[],
	detail: Detail,
	itemIndex?: number,
): Promise<Fetched[]> {
	const outcomes = await gmailBatch<IDataObject>(
		ctx,
		ids.map((id) => ({ id: 'gmail.users.messages.get', params: { id }, qs: { format: detail } })),
		{ itemIndex },
	);
	const fetched: Fetched[] = [];
	for (const o of outcomes) {
		if (!o.ok) fetched.push({ failure: o.failure });
		else fetched.push(await parseResource(o.value, detail));
	}
	return fetched;
}

/** One Gmail message resource (a messages.get answer, or a message of threads.get) parsed as Read Email does. */
export async function parseResource(resource: IDataObject, detail: Detail): Promise<Fetched> {
	if (detail === 'raw') return await fromRaw(resource);
	return { message: await fromGmailPayloadAsync(resource as never, SLICED) };
}

/** A clear error for a message that could not be read (404 names the id). */
export function fetchError(ctx: Context, id: string, failure: HttpFailure, itemIndex: number) {
	const what = `GET gmail/v1/users/me/messages/${id}`;
	if (failure.status === 404)
		return apiError(ctx.getNode(), failure, {
			what,
			itemIndex,
			message: `Message "${id}" was not found in this mailbox`,
		});
	return apiError(ctx.getNode(), failure, {
		what,
		itemIndex,
		prefix: `Reading message "${id}" failed${failure.status ? ` (HTTP ${failure.status})` : ''}`,
	});
}

export type ItemResult = INodeExecutionData | INodeExecutionData[];
