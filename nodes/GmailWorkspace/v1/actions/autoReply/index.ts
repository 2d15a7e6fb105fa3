import type { INodeProperties } from 'n8n-workflow';

import * as set from './set.operation';

export { set };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['autoReply'] } },
		options: [
			{
				name: 'Set',
				value: 'set',
				description: "Turn a user's auto reply (vacation responder) on or off",
				action: 'Set auto reply',
			},
		],
		default: 'set',
	},
	...set.description,
];
