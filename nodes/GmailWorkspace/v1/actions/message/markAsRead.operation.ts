import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messageLocator } from './messageId';
import { modifyMessages } from './modify';

export const description: INodeProperties[] = [messageLocator(['markAsRead'])];

/** Mark as Read: mark a message as read; many items go to Gmail as one batchModify per 1,000 messages (modify.ts). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await modifyMessages(
		this,
		items,
		async () => ({ add: [], remove: ['UNREAD'] }),
		'mark as read',
	);
}
