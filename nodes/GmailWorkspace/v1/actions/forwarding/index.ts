import type { INodeProperties } from 'n8n-workflow';

import * as forwardEmails from './forwardEmails.operation';

export { forwardEmails };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['forwarding'] } },
		options: [
			{
				name: 'Forward Emails',
				value: 'forwardEmails',
				description: "Forward a user's incoming mail to another address",
				action: 'Forward emails',
			},
		],
		default: 'forwardEmails',
	},
	...forwardEmails.description,
];
