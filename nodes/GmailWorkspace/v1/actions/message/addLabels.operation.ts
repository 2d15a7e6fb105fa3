import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { createIfMissingField, labelIdsOf, labelsField, lazyLabels } from './labels';
import { messageLocator } from './messageId';
import { modifyMessages } from './modify';

export const description: INodeProperties[] = [
	messageLocator(['addLabels']),
	labelsField('message', ['addLabels'], 'Labels to add'),
	createIfMissingField('message', ['addLabels']),
];

/** Add Labels: add labels to a message; many items go to Gmail as one batchModify per 1,000 messages (modify.ts). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await modifyMessages(
		this,
		items,
		async (i) => ({ add: await labelIdsOf(this, i, labels, true), remove: [] }),
		'add labels to',
	);
}
