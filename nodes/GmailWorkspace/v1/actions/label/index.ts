import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as del from './delete.operation';
import * as list from './list.operation';
import * as update from './update.operation';

export { create, del as delete, list, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['label'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Create a label (nested with "Parent/Child"), with colour and visibility',
				action: 'Create label',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a label; its messages stay',
				action: 'Delete label',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the labels of the mailbox',
				action: 'List labels',
			},
			{
				name: 'Update',
				value: 'update',
				description: 'Rename a label or change its colour or visibility',
				action: 'Update label',
			},
		],
		default: 'list',
	},
	...create.description,
	...del.description,
	...list.description,
	...update.description,
];
