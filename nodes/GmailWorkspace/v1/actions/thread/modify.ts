import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { apiError, describeFailure } from '../../transport/errors';
import type { GmailMethodId } from '../../transport/methods';
import { asNodeError, forEachItem } from '../helpers/items';
import { threadIdParam } from './threadId';

interface ThreadResource {
	id?: string;
	messages?: Array<{ id?: string; threadId?: string; labelIds?: string[] }>;
}

/**
 * A thread after a change, as the Thread cards output it: `{id, labelIds, messages: [{id, threadId, labelIds}]}`
 * (`labelIds`: every label any of its messages has, as Gmail shows a conversation's labels).
 */
function threadItem(t: ThreadResource, id: string): IDataObject {
	const messages = (t.messages ?? []).map((m) => ({
		id: m.id,
		threadId: m.threadId ?? id,
		labelIds: m.labelIds ?? [],
	}));
	return { id: t.id ?? id, labelIds: [...new Set(messages.flatMap((m) => m.labelIds))], messages };
}

/**
 * Run one threads.* change per item (threads.modify / trash / untrash: 10 units each; Gmail has no batch call
 * for threads). `body(i)` gives item i's request body (labels resolved), when the method takes one.
 */
export async function changeThreads(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	method: GmailMethodId,
	verb: string,
	body?: (i: number) => Promise<IDataObject>,
): Promise<INodeExecutionData[]> {
	return await forEachItem(ctx, items, async (i) => {
		const id = threadIdParam(ctx, i);
		const payload = body ? await body(i) : undefined;
		try {
			const t = await gmailApiRequest<ThreadResource>(ctx, method, {
				itemIndex: i,
				params: { id },
				...(payload ? { body: payload } : {}),
			});
			return threadItem(t, id);
		} catch (error) {
			const f = describeFailure(error);
			if (f.status === undefined) throw asNodeError(ctx.getNode(), error, i);
			throw apiError(ctx.getNode(), error, {
				what: `threads ${id}`,
				itemIndex: i,
				...(f.status === 404
					? { message: `Thread "${id}" was not found in this mailbox` }
					: { prefix: `Gmail did not ${verb} thread "${id}" (HTTP ${f.status})` }),
			});
		}
	});
}
