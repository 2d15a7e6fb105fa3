import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { paramError, rawParam, readText } from '../../params';
import { gmailApiRequest } from '../../transport';
import { forEachItem } from '../helpers/items';
import { lazyLabels, normalizeName, type GmailLabel } from '../message/labels';
import { labelItem, labelLocator, labelSettings, readLabelSettings, userLabelOf } from './fields';

const show = { resource: ['label'], operation: ['update'] };

export const description: INodeProperties[] = [
	labelLocator(['update']),
	{
		displayName: 'Update Fields',
		name: 'updateFields',
		type: 'collection',
		placeholder: 'Add field',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Name',
				name: 'name',
				type: 'string',
				default: '',
				placeholder: 'Projects/Beta',
				description:
					'A new name; the full name of a nested label ("Projects/Beta"). Its sub-labels keep their own names.',
			},
			...labelSettings,
		],
	},
];

/** Update Label: labels.patch (5 units) with the fields set; a system label is refused before the call. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await forEachItem(this, items, async (i) => {
		const dir = await labels();
		const label = await userLabelOf(this, i, dir, 'update');
		const body: IDataObject = readLabelSettings(this, i, 'updateFields', label);
		const set = (rawParam(this, 'updateFields', i, {}) ?? {}) as IDataObject;
		if ('name' in set) {
			const raw = readText(this, i, 'updateFields.name', 'Name', {
				required: true,
				singleLine: true,
			});
			const name = normalizeName(raw);
			if (name.split('/').some((s) => !s))
				throw paramError(this, 'Name', 'has an empty part between "/"', i, raw);
			const clash = dir.find(name);
			if (clash && clash.id !== label.id)
				throw new NodeOperationError(
					this.getNode(),
					`Cannot rename "${label.name}" to "${name}": a label of that name exists (ID ${clash.id}) [item ${i}]`,
					{ itemIndex: i },
				);
			body.name = name;
		}
		if (!Object.keys(body).length)
			throw paramError(this, 'Update Fields', 'is empty: add a field to change', i);
		const updated = await gmailApiRequest<GmailLabel>(this, 'gmail.users.labels.patch', {
			itemIndex: i,
			params: { id: label.id },
			body,
		});
		dir.remove(label.id);
		dir.add(updated);
		return labelItem(updated);
	});
}
