import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIfMissingField, labelIdsOf, labelsField, lazyLabels } from '../message/labels';
import { changeThreads } from './modify';
import { threadLocator } from './threadId';

export const description: INodeProperties[] = [
	threadLocator(['addLabels']),
	labelsField('thread', ['addLabels'], 'Labels to add to every message of the thread'),
	createIfMissingField('thread', ['addLabels']),
];

/** Add Labels to a thread: threads.modify (10 units); every message of the conversation gets them. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await changeThreads(
		this,
		items,
		'gmail.users.threads.modify',
		'add labels to',
		async (i) => ({
			addLabelIds: await labelIdsOf(this, i, labels, true),
		}),
	);
}
