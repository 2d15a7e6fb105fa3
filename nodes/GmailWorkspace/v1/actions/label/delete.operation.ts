import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { forEachItem } from '../helpers/items';
import { lazyLabels } from '../message/labels';
import { labelLocator, userLabelOf } from './fields';

export const description: INodeProperties[] = [
	labelLocator(['delete']),
	{
		displayName:
			'Gmail removes the label from every message and thread that has it; the messages stay. Sub-labels are not deleted.',
		name: 'deleteNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: { resource: ['label'], operation: ['delete'] } },
	},
];

/** Delete Label: labels.delete (5 units); a system label is refused before the call. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await forEachItem(this, items, async (i) => {
		const dir = await labels();
		const label = await userLabelOf(this, i, dir, 'delete');
		await gmailApiRequest(this, 'gmail.users.labels.delete', {
			itemIndex: i,
			params: { id: label.id },
		});
		dir.remove(label.id);
		return { id: label.id, name: label.name, deleted: true };
	});
}
