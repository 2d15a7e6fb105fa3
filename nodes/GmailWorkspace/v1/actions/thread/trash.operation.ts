import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { changeThreads } from './modify';
import { threadLocator } from './threadId';

export const description: INodeProperties[] = [threadLocator(['trash'])];

/** Trash: threads.trash (10 units); every message of the conversation goes to the trash. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await changeThreads(this, items, 'gmail.users.threads.trash', 'move to the trash');
}
