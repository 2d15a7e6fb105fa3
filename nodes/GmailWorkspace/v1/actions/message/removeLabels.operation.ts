import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { labelIdsOf, labelsField, lazyLabels } from './labels';
import { messageLocator } from './messageId';
import { modifyMessages } from './modify';

export const description: INodeProperties[] = [
	messageLocator(['removeLabels']),
	labelsField('message', ['removeLabels'], 'Labels to remove'),
];

/** Remove Labels: remove labels from a message; many items go to Gmail as one batchModify per 1,000 messages (modify.ts). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await modifyMessages(
		this,
		items,
		async (i) => ({ add: [], remove: await labelIdsOf(this, i, labels, false) }),
		'remove labels from',
	);
}
