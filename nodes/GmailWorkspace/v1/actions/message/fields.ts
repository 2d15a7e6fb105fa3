import type { INodeProperties } from 'n8n-workflow';

/** Message fields that Search Emails, Read Email and the trigger show alike (one definition each). */

export const readStatusFilter: INodeProperties = {
	displayName: 'Read Status',
	name: 'readStatus',
	type: 'options',
	default: 'both',
	options: [
		{ name: 'Read and Unread', value: 'both' },
		{ name: 'Read Only', value: 'read' },
		{ name: 'Unread Only', value: 'unread' },
	],
};

export const senderFilter: INodeProperties = {
	displayName: 'Sender',
	name: 'sender',
	type: 'string',
	default: '',
	placeholder: 'name@example.com',
	description: 'Only messages from this address or name',
};

export const attachmentPrefixOption: INodeProperties = {
	displayName: 'Attachment Prefix',
	name: 'attachmentPrefix',
	type: 'string',
	default: 'attachment_',
	description:
		'Binary property names of downloaded attachments: the prefix plus the attachment number (attachment_0, attachment_1, …)',
};

export const downloadAttachmentsOption: INodeProperties = {
	displayName: 'Download Attachments',
	name: 'downloadAttachments',
	type: 'boolean',
	default: false,
	description: 'Whether to put each attachment into the item as binary data',
};

/** The node's Authentication choice: which of the package's credentials it uses. */
export const authenticationProperty: INodeProperties = {
	displayName: 'Authentication',
	name: 'authentication',
	type: 'options',
	options: [
		{ name: 'OAuth2 (Connect My Account)', value: 'oAuth2' },
		{ name: 'Service Account Key', value: 'serviceAccount' },
		{ name: 'OAuth2 Refresh Token (Headless)', value: 'refreshToken' },
	],
	default: 'oAuth2',
};
