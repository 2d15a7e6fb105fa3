import type { INodeProperties } from 'n8n-workflow';

import * as addLabels from './addLabels.operation';
import * as get from './get.operation';
import * as removeLabels from './removeLabels.operation';
import * as reply from './reply.operation';
import * as search from './search.operation';
import * as trash from './trash.operation';
import * as untrash from './untrash.operation';

export { addLabels, removeLabels, trash, untrash };
export { get, reply, search };

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['thread'] } },
		options: [
			{
				name: 'Add Labels',
				value: 'addLabels',
				description: 'Add labels to every message of a conversation',
				action: 'Add labels to thread',
			},
			{
				name: 'Get',
				value: 'get',
				description: 'Get every message of a conversation, in order',
				action: 'Get thread',
			},
			{
				name: 'Remove Labels',
				value: 'removeLabels',
				description: 'Remove labels from every message of a conversation',
				action: 'Remove labels from thread',
			},
			{
				name: 'Reply',
				value: 'reply',
				description: "Reply to a conversation's last message (or a chosen one)",
				action: 'Reply to thread',
			},
			{
				name: 'Search',
				value: 'search',
				description: 'Find conversations with a Gmail search and filters',
				action: 'Search threads',
			},
			{
				name: 'Trash',
				value: 'trash',
				description: 'Move a conversation to the trash',
				action: 'Trash thread',
			},
			{
				name: 'Untrash',
				value: 'untrash',
				description: 'Take a conversation out of the trash',
				action: 'Untrash thread',
			},
		],
		default: 'addLabels',
	},
	...addLabels.description,
	...removeLabels.description,
	...trash.description,
	...untrash.description,
	...get.description,
	...search.description,
	...reply.description,
];
