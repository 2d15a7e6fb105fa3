import type { INodeProperties } from 'n8n-workflow';

import { attachmentPrefixOption, downloadAttachmentsOption } from './fields';

/** The "Options" collection shared by the read and search cards. */
export const readOptionsField = (operations: string[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['message'], operation: operations } },
	options: [
		attachmentPrefixOption,
		downloadAttachmentsOption,
		{
			displayName: 'Include All Headers',
			name: 'includeHeaders',
			type: 'boolean',
			default: false,
			description:
				'Whether to add every header of the message, in order, as a list of name and value',
		},
	],
});
