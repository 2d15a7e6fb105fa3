import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { paramError, readBoolean, readText } from '../../params';
import { forEachItem } from '../helpers/items';
import { createLabelPath, lazyLabels, normalizeName } from '../message/labels';
import { labelItem, labelSettings, readLabelSettings } from './fields';

const show = { resource: ['label'], operation: ['create'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Name',
		name: 'name',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'Projects/Alpha',
		description:
			'The label\'s name. A "/" nests it under a parent label ("Projects/Alpha" shows as Alpha under Projects).',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show },
		options: [
			...labelSettings,
			{
				displayName: 'Create Parent Labels',
				name: 'createParents',
				type: 'boolean',
				default: true,
				description:
					'Whether to create the parent labels of a nested name that do not exist yet ("Projects" for "Projects/Alpha")',
			},
			{
				displayName: 'Return Existing Label',
				name: 'returnExisting',
				type: 'boolean',
				default: false,
				description:
					'Whether a label of that name (in any case, as Gmail compares names) is returned as it is instead of failing the item',
			},
		],
	},
];

/** Create Label: labels.create (5 units), parents first for a nested name. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = lazyLabels(this);
	return await forEachItem(this, items, async (i) => {
		const raw = readText(this, i, 'name', 'Name', { required: true, singleLine: true });
		const name = normalizeName(raw);
		if (name.split('/').some((s) => !s))
			throw paramError(this, 'Name', 'has an empty part between "/"', i, raw);
		const fields = readLabelSettings(this, i, 'options');
		const createParents = readBoolean(
			this,
			i,
			'options.createParents',
			'Create Parent Labels',
			true,
		);
		const returnExisting = readBoolean(this, i, 'options.returnExisting', 'Return Existing Label');
		const dir = await labels();
		const existing = dir.find(name);
		if (existing) {
			if (returnExisting) return labelItem(existing);
			throw new NodeOperationError(
				this.getNode(),
				`A label named "${existing.name}" already exists (ID ${existing.id}) [item ${i}]`,
				{
					itemIndex: i,
					description:
						'Gmail compares label names without regard to case. Turn on "Return Existing Label" to reuse it.',
				},
			);
		}
		return labelItem(await createLabelPath(this, dir, name, i, fields, createParents));
	});
}
