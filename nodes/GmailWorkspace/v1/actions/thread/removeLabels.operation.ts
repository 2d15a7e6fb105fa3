import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { labelIdsOf, labelsField, lazyLabels } from '../message/labels';
import { changeThreads } from './modify';
import { threadLocator } from './threadId';

export const description: INodeProperties[] = [
	threadLocator(['removeLabels']),
	labelsField('thread', ['removeLabels'], 'Labels to remove from every message of the thread'),
];

/** Remove Labels from a thread: threads.modify (10 units). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await changeThreads(
		this,
		items,
		'gmail.users.threads.modify',
		'remove labels from',
		async (i) => ({ removeLabelIds: await labelIdsOf(this, i, labels, false) }),
	);
}
