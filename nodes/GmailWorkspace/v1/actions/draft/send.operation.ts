import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { describeFailure } from '../../transport/errors';
import { DEFAULT_RETRY } from '../../transport/retry';
import { findSent, type SentMessage } from '../../transport/upload';
import { asNodeError, forEachItem } from '../helpers/items';
import { draftLocator } from './fields';
import { draftExists, draftIdParam, getDraft } from './fetch';

export const description: INodeProperties[] = [draftLocator(['send'])];

/**
 * Send Draft: Gmail sends the draft's message as it is (the draft is gone afterwards; the message keeps its
 * thread and gets SENT). At most once: a send whose answer was lost is repeated only while the draft still
 * exists; once it is gone, the sent message is found by the draft's Message-ID (or, without one, as the draft's
 * own message now labelled SENT).
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const id = draftIdParam(this, i);
		// unknown IDs fail here, before any send; the Message-ID is what the at-most-once lookup needs
		const draft = await getDraft(this, id, i, {
			format: 'metadata',
			metadataHeaders: ['Message-ID'],
		});
		const headers =
			((draft.message.payload as IDataObject)?.headers as Array<{ name: string; value: string }>) ??
			[];
		const messageId = headers.find((h) => h.name.toLowerCase() === 'message-id')?.value;
		let already: SentMessage | undefined;
		let sent: SentMessage;
		try {
			sent = await gmailApiRequest<SentMessage>(this, 'gmail.users.drafts.send', {
				body: { id },
				itemIndex: i,
				retry: {
					...DEFAULT_RETRY,
					safeToRetry: async () => {
						if (await draftExists(this, id, i)) return true;
						already =
							(messageId ? await findSent(this, messageId, i) : undefined) ??
							(await sentCopy(this, draft.message.id, i));
						if (already) throw new Sent();
						return false; // gone, and no message with its Message-ID: the first failure stands
					},
				},
			});
		} catch (error) {
			if (!(error instanceof Sent) || !already) throw asNodeError(this.getNode(), error, i);
			sent = already;
		}
		return { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds ?? [] };
	});
}

/** The draft's own message once it carries SENT (Gmail sends a draft's message as it is). */
async function sentCopy(
	ctx: IExecuteFunctions,
	id: string,
	i: number,
): Promise<SentMessage | undefined> {
	try {
		const m = await gmailApiRequest<SentMessage>(ctx, 'gmail.users.messages.get', {
			params: { id },
			qs: { format: 'minimal' },
			itemIndex: i,
		});
		return m.labelIds?.includes('SENT') ? m : undefined;
	} catch (error) {
		if (describeFailure(error).status === 404) return undefined;
		throw asNodeError(ctx.getNode(), error, i);
	}
}

/** Ends the retries: the lookup found the message Gmail sent before its answer was lost. */
class Sent extends Error {}
