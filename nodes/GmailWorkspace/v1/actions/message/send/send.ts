import type { IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { prepareRawMessage } from '../../../../mime';
import { findSent, sendRawMessage } from '../../../transport/upload';
import { forEachItem } from '../../helpers/items';
import { binaryAttachments } from './attachments';
import { composeMessage, inputError, loadSender, type Composed } from './compose';

/** Both send cards: compose, size-check, upload at most once, output Gmail's ids. */
export async function sendItems(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	withAttachments: boolean,
): Promise<INodeExecutionData[]> {
	const sender = await loadSender(ctx);
	return await forEachItem(ctx, items, async (i) => {
		const composed = await composeMessage(ctx, i, sender);
		if (withAttachments) composed.input.attachments = await binaryAttachments(ctx, i);
		return await sendComposed(ctx, composed, i);
	});
}

/**
 * Plan a composed message (in slices), then send it at most once; output Gmail's ids. `checkSize` sees the
 * exact size before anything is uploaded or read (Forward names its attachments' sizes when over the limit).
 */
export async function sendComposed(
	ctx: IExecuteFunctions,
	composed: Composed,
	i: number,
	checkSize?: (size: number) => void,
): Promise<{ id: string; threadId: string; labelIds: string[]; alreadySent?: true }> {
	if (composed.once) {
		// an Idempotency Key: a message with its Message-ID was sent before (a retried execution)
		const first = await findSent(ctx, composed.messageId, i);
		if (first)
			return {
				id: first.id,
				threadId: first.threadId,
				labelIds: first.labelIds ?? [],
				alreadySent: true,
			};
	}
	let size: number;
	let bytes: AsyncIterable<Buffer>;
	try {
		// planned in slices that yield to n8n's event loop: a 25 MB HTML body never freezes other workflows
		const prepared = await prepareRawMessage(composed.input, {
			reuseBuffers: true,
			yieldFn: async () => await sleep(0),
		});
		size = prepared.size;
		bytes = prepared.stream();
	} catch (error) {
		throw inputError(ctx, error, i);
	}
	checkSize?.(size);
	const sent = await sendRawMessage(
		ctx,
		{ size, bytes, messageId: composed.messageId },
		{ threadId: composed.threadId, itemIndex: i },
	);
	return { id: sent.id, threadId: sent.threadId, labelIds: sent.labelIds ?? [] };
}
