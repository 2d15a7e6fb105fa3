import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../helpers/items';
import { messageIdParam, messageLocator } from './messageId';
import { loadSender } from './send/compose';
import { fetchOriginal, replyFields, sendReply } from './send/reply';

export const description: INodeProperties[] = [
	messageLocator(['reply']),
	...replyFields('message', 'reply'),
];

/**
 * Reply to a message in its thread: In-Reply-To and References from the original, "Re:" subject, Reply All,
 * the quoted original optionally, attachments from binary data; sent at most once like Send Email.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const sender = await loadSender(this);
	return await forEachItem(this, items, async (i) => {
		const original = await fetchOriginal(this, messageIdParam(this, i), i);
		return await sendReply(this, i, sender, original);
	});
}
