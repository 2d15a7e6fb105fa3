import type { INodeProperties } from 'n8n-workflow';

import * as read from './read.operation';
import * as search from './search.operation';
import * as send from './send.operation';
import * as sendWithAttachment from './sendWithAttachment.operation';

export { read, search, send, sendWithAttachment };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Read',
				value: 'read',
				description: 'Read one email by ID or Gmail link',
				action: 'Read email',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find emails with a Gmail search and filters',
				action: 'Search emails',
			},
			{ name: 'Send', value: 'send', description: 'Send an email', action: 'Send email' },
			{
				name: 'Send With Attachment',
				value: 'sendWithAttachment',
				description: 'Send an email with files from binary data',
				action: 'Send email with attachment',
			},
		],
		default: 'read',
	},
	...read.description,
	...search.description,
	...send.description,
	...sendWithAttachment.description,
];
