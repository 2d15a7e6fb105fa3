import type { INodeProperties } from 'n8n-workflow';

import * as addLabels from './addLabels.operation';
import * as archive from './archive.operation';
import * as deletePermanently from './deletePermanently.operation';
import * as markAsRead from './markAsRead.operation';
import * as markAsUnread from './markAsUnread.operation';
import * as moveToTrash from './moveToTrash.operation';
import * as forward from './forward.operation';
import * as read from './read.operation';
import * as removeLabels from './removeLabels.operation';
import * as restoreFromTrash from './restoreFromTrash.operation';
import * as reply from './reply.operation';
import * as search from './search.operation';
import * as send from './send.operation';
import * as sendWithAttachment from './sendWithAttachment.operation';

export { read, search, send, sendWithAttachment };
export { forward, reply };
export {
	addLabels,
	archive,
	deletePermanently,
	markAsRead,
	markAsUnread,
	moveToTrash,
	removeLabels,
	restoreFromTrash,
};

export const description: INodeProperties[] = [
	{
		displayName: 'Operation',
		name: 'operation',
		type: 'options',
		noDataExpression: true,
		displayOptions: { show: { resource: ['message'] } },
		options: [
			{
				name: 'Add Labels',
				value: 'addLabels',
				description: 'Add labels to emails (many at once in one Gmail call)',
				action: 'Add labels to email',
			},
			{
				name: 'Archive',
				value: 'archive',
				description: 'Take emails out of the inbox; they keep their other labels',
				action: 'Archive email',
			},
			{
				name: 'Delete Permanently',
				value: 'deletePermanently',
				description: 'Delete emails at once, without the trash; cannot be undone',
				action: 'Delete email permanently',
			},
			{
				name: 'Forward',
				value: 'forward',
				description:
					'Forward an email with its attachments to new recipients, with an optional note',
				action: 'Forward email',
			},
			{
				name: 'Mark as Read',
				value: 'markAsRead',
				description: 'Mark emails as read',
				action: 'Mark email as read',
			},
			{
				name: 'Mark as Unread',
				value: 'markAsUnread',
				description: 'Mark emails as unread',
				action: 'Mark email as unread',
			},
			{
				name: 'Move to Trash',
				value: 'moveToTrash',
				description: 'Move emails to the trash (Gmail deletes them after 30 days)',
				action: 'Move email to trash',
			},
			{
				name: 'Read',
				value: 'read',
				description: 'Read one email by ID or Gmail link',
				action: 'Read email',
			},
			{
				name: 'Remove Labels',
				value: 'removeLabels',
				description: 'Remove labels from emails',
				action: 'Remove labels from email',
			},
			{
				name: 'Reply',
				value: 'reply',
				description: 'Reply to an email in its thread, optionally to all and quoting it',
				action: 'Reply to email',
			},
			{
				name: 'Restore From Trash',
				value: 'restoreFromTrash',
				description: 'Take emails out of the trash',
				action: 'Restore email from trash',
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
	...addLabels.description,
	...removeLabels.description,
	...markAsRead.description,
	...markAsUnread.description,
	...archive.description,
	...moveToTrash.description,
	...restoreFromTrash.description,
	...deletePermanently.description,
	...reply.description,
	...forward.description,
	...send.description,
	...sendWithAttachment.description,
];
