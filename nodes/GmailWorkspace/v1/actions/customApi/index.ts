import type { INodeProperties } from 'n8n-workflow';

import * as call from './call.operation';

export { call };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['customApi'] } },
		options: [
			{
				name: 'Call',
				value: 'call',
				description:
					'Call any Gmail API method with the connection, its quota pacing and retries, as the account or as a Workspace user',
				// sentence case, as n8n's scanner requires (it ignores eslint-disable comments)
				action: 'Make a custom call',
			},
		],
		default: 'call',
	},
	...call.description,
];
