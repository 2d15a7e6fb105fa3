import type { INodeProperties } from 'n8n-workflow';

import * as create from './create.operation';
import * as deleteDraft from './delete.operation';
import * as get from './get.operation';
import * as list from './list.operation';
import * as send from './send.operation';
import * as update from './update.operation';

export { create, deleteDraft as delete, get, list, send, update };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['draft'] } },
		options: [
			{
				name: 'Create',
				value: 'create',
				description: 'Save a new draft, with attachments from binary data',
				action: 'Create draft',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: 'Delete a draft for good',
				action: 'Delete draft',
			},
			{ name: 'Get', value: 'get', description: 'Read one draft', action: 'Get draft' },
			{
				name: 'List',
				value: 'list',
				description: 'List drafts, optionally matching a Gmail search',
				action: 'List drafts',
			},
			{ name: 'Send', value: 'send', description: 'Send a draft', action: 'Send draft' },
			{
				name: 'Update',
				value: 'update',
				description: "Replace a draft's content, keeping the fields left empty",
				action: 'Update draft',
			},
		],
		default: 'create',
	},
	...create.description,
	...get.description,
	...list.description,
	...update.description,
	...send.description,
	...deleteDraft.description,
];
