import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messageLocator } from './messageId';
import { modifyMessages } from './modify';

export const description: INodeProperties[] = [messageLocator(['moveToTrash'])];

/** Move to Trash: move a message to the trash (gmail deletes it after 30 days); many items go to Gmail as one batchModify per 1,000 messages (modify.ts). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await modifyMessages(
		this,
		items,
		async () => ({ add: ['TRASH'], remove: [] }),
		'move to the trash',
	);
}
