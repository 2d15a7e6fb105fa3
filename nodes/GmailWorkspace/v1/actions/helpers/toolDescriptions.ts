import type { INodeProperties } from 'n8n-workflow';

import { COMPACT_TEXT_CAP } from './tool';

/**
 * What a model is told about each operation when the node is an AI tool. n8n's own tool description would
 * only repeat the operation's action label ("Search emails in Gmail Workspace"); with a `toolDescription`
 * property of its own the node gives one per operation, which the user may edit on the tool node.
 */

const CAP = `${COMPACT_TEXT_CAP.toLocaleString('en-US')} characters`;
const MESSAGE_ID = 'the Gmail message ID (the "id" of a Search Emails result) or a Gmail link';
const THREAD_ID = 'the Gmail thread ID (the "threadId" of a message) or a Gmail link';
const LABELS = 'label names (nested ones as "Parent/Child") or IDs, comma-separated';
const MESSAGE_OUT = `id, threadId, from, to, subject, date, labels and the text body (cut at ${CAP}, then textTruncated is true)`;
const MODIFIED = 'Returns id, threadId and the labelIds the message now has';
const ADMIN =
	"Google Workspace admin card: needs the user's email address; acts through the connection's service account.";

export const TOOL_DESCRIPTIONS: Record<string, Record<string, string>> = {
	message: {
		search: `Search the mailbox with Gmail search syntax (e.g. "from:anna subject:invoice newer_than:7d"); every filter may be left empty. Returns per message ${MESSAGE_OUT}.`,
		read: `Read one email. Pass ${MESSAGE_ID}. Returns ${MESSAGE_OUT}.`,
		send: "Send a new email. Pass the recipients (comma-separated addresses), the subject (one line) and the body text. Returns the sent message's id and threadId.",
		sendWithAttachment:
			"Send a new email with files from the workflow's binary data. Pass the recipients, the subject and the body text. Returns the sent message's id and threadId.",
		reply: `Reply in the thread of an email, to its sender (or to all). Pass ${MESSAGE_ID} and the reply text. Returns the reply's id and threadId.`,
		forward: `Forward an email with its attachments. Pass ${MESSAGE_ID}, the recipients and an optional note. Returns the forwarded message's id and threadId.`,
		addLabels: `Add labels to an email. Pass ${MESSAGE_ID} and ${LABELS}. ${MODIFIED}.`,
		removeLabels: `Remove labels from an email. Pass ${MESSAGE_ID} and ${LABELS}. ${MODIFIED}.`,
		markAsRead: `Mark an email as read. Pass ${MESSAGE_ID}. ${MODIFIED}.`,
		markAsUnread: `Mark an email as unread. Pass ${MESSAGE_ID}. ${MODIFIED}.`,
		archive: `Archive an email (take it out of the inbox). Pass ${MESSAGE_ID}. ${MODIFIED}.`,
		moveToTrash: `Move an email to the trash. Pass ${MESSAGE_ID}. ${MODIFIED}.`,
		restoreFromTrash: `Take an email out of the trash. Pass ${MESSAGE_ID}. ${MODIFIED}.`,
		deletePermanently: `Delete an email for good, without the trash; cannot be undone. Pass ${MESSAGE_ID}.`,
	},
	thread: {
		search: `Search conversations with Gmail search syntax; every filter may be left empty. Returns per thread its id and messages (each ${MESSAGE_OUT}).`,
		get: `Read a whole conversation, oldest message first. Pass ${THREAD_ID}. Returns its messages (each ${MESSAGE_OUT}).`,
		reply: `Reply to the last message of a conversation. Pass ${THREAD_ID} and the reply text. Returns the reply's id and threadId.`,
		addLabels: `Add labels to every message of a conversation. Pass ${THREAD_ID} and ${LABELS}.`,
		removeLabels: `Remove labels from every message of a conversation. Pass ${THREAD_ID} and ${LABELS}.`,
		trash: `Move a conversation to the trash. Pass ${THREAD_ID}.`,
		untrash: `Take a conversation out of the trash. Pass ${THREAD_ID}.`,
	},
	draft: {
		create:
			"Save a draft (not sent). Pass the recipients, the subject and the body text; to draft a reply, the thread ID. Returns the draft's id and its message id and threadId.",
		update:
			"Replace a draft's recipients, subject or body; fields left empty keep their value. Pass the draft ID. Returns the draft's id and its message id.",
		get: `Read one draft. Pass the draft ID. Returns the draftId and ${MESSAGE_OUT}.`,
		list: `List drafts, optionally matching a Gmail search (may be empty). Returns per draft the draftId and ${MESSAGE_OUT}.`,
		send: "Send an existing draft. Pass the draft ID. Returns the sent message's id and threadId.",
		delete: 'Delete a draft for good. Pass the draft ID.',
	},
	label: {
		list: "List the mailbox's labels. Returns each label's id, name and type.",
		create:
			'Create a label. Pass its name (nested as "Parent/Child"). Returns the label\'s id and name.',
		update: 'Rename a label or change its colour. Pass the label name or ID and the new name.',
		delete: 'Delete a label; its messages stay. Pass the label name or ID. Cannot be undone.',
	},
	connection: {
		check: 'Check which operations this Gmail connection can run, and what to fix for the others.',
	},
	customApi: {
		call: "Call any Gmail API method with this connection. Pass the method, its path parameters, query and JSON body. Returns Google's answer.",
	},
	delegate: {
		list: `List who can read a user's mailbox as a delegate. ${ADMIN}`,
		add: `Give a colleague delegate access to a user's mailbox. Pass the delegate's email address. ${ADMIN}`,
		delete: `Remove a delegate's access to a user's mailbox. Pass the delegate's email address. ${ADMIN}`,
	},
	forwarding: {
		forwardEmails: `Forward a user's incoming mail to another address (or stop it). Pass the address to forward to. ${ADMIN}`,
	},
	autoReply: {
		set: `Turn a user's auto reply (vacation responder) on or off, with its subject and message. ${ADMIN}`,
	},
	sendAs: {
		add: `Let a user send mail as another address. Pass the alias address. ${ADMIN}`,
		delete: `Remove a user's send-as alias. Pass the alias address. ${ADMIN}`,
	},
	userSettings: {
		update: `Change a user's IMAP, POP, auto-forwarding, language or signature settings. ${ADMIN}`,
	},
};

/** One Description field per operation, shown only on the tool node, preset with that operation's text. */
export const toolDescriptionFields = (): INodeProperties[] =>
	Object.entries(TOOL_DESCRIPTIONS).flatMap(([resource, operations]) =>
		Object.entries(operations).map(
			([operation, text]): INodeProperties => ({
				displayName: 'Description',
				name: 'toolDescription',
				type: 'string',
				default: text,
				required: true,
				typeOptions: { rows: 3 },
				description:
					'What the AI model is told this tool does and what to pass; the model picks tools by this text',
				displayOptions: {
					show: { '@tool': [true], resource: [resource], operation: [operation] },
				},
			}),
		),
	);
