import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { changeThreads } from './modify';
import { threadLocator } from './threadId';

export const description: INodeProperties[] = [threadLocator(['untrash'])];

/** Untrash: threads.untrash (10 units); every message of the conversation leaves the trash. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await changeThreads(this, items, 'gmail.users.threads.untrash', 'restore from the trash');
}
