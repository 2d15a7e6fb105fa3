import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { messageLocator } from './messageId';
import { deleteMessages } from './modify';

export const description: INodeProperties[] = [
	messageLocator(['deletePermanently']),
	{
		displayName:
			'The message is deleted at once, without the trash, and cannot be restored. Needs the full Gmail scope (https://mail.google.com/) on the credential.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['message'], operation: ['deletePermanently'] } },
	},
];

/** Delete Permanently: many items go to Gmail as one batchDelete per 1,000 messages (modify.ts). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await deleteMessages(this, items);
}
