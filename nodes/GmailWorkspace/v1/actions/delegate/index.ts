import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as del from './delete.operation';
import * as list from './list.operation';

export { add, del as delete, list };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['delegate'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: "Give a colleague access to a user's mailbox",
				action: 'Add delegate',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: "Remove a delegate's access to a user's mailbox",
				action: 'Delete delegate',
			},
			{
				name: 'List',
				value: 'list',
				description: 'List the delegates of a user',
				action: 'List delegates',
			},
		],
		default: 'add',
	},
	...add.description,
	...del.description,
	...list.description,
];
