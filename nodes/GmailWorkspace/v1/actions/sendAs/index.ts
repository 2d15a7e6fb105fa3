import type { INodeProperties } from 'n8n-workflow';

import * as add from './add.operation';
import * as del from './delete.operation';

export { add, del as delete };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['sendAs'] } },
		options: [
			{
				name: 'Add',
				value: 'add',
				description: 'Let a user send mail as another address',
				action: 'Add send as alias',
			},
			{
				name: 'Delete',
				value: 'delete',
				description: "Remove a user's send-as alias",
				action: 'Delete send as alias',
			},
		],
		default: 'add',
	},
	...add.description,
	...del.description,
];
