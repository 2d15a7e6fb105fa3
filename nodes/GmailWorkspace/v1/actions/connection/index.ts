import type { INodeProperties } from 'n8n-workflow';

import * as check from './check.operation';

export { check };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['connection'] } },
		options: [
			{
				name: 'Check',
				value: 'check',
				description: 'Check which cards this connection can run, and what to fix for the others',
				action: 'Check connection',
			},
		],
		default: 'check',
	},
	...check.description,
];
