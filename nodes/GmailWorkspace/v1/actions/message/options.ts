import type { INodeProperties } from 'n8n-workflow';

/** The "Options" collection shared by the read and search cards. */
export const readOptionsField = (operations: string[]): INodeProperties => ({
	displayName: 'Options',
	name: 'options',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	displayOptions: { show: { resource: ['message'], operation: operations } },
	options: [
		{
			displayName: 'Attachment Prefix',
			name: 'attachmentPrefix',
			type: 'string',
			default: 'attachment_',
			description:
				'Binary property names of downloaded attachments: the prefix plus the attachment number (attachment_0, attachment_1, …)',
		},
		{
			displayName: 'Download Attachments',
			name: 'downloadAttachments',
			type: 'boolean',
			default: false,
			description: 'Whether to put each attachment into the item as binary data',
		},
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
