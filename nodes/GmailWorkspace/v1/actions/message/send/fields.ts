import type { INodeProperties } from 'n8n-workflow';

/** The fields Send Email and Send Email with Attachment share (and the Draft cards, with resource "draft"). */
export function sendFields(operation: string, resource = 'message'): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	return [
		{
			displayName: 'To',
			name: 'to',
			type: 'string',
			default: '',
			required: true,
			placeholder: 'info@example.com, "Jane Doe" <jane@example.com>',
			description: 'Recipients, separated by commas (an expression may also give a list)',
			displayOptions: { show },
		},
		{
			displayName: 'Subject',
			name: 'subject',
			type: 'string',
			default: '',
			displayOptions: { show },
		},
		{
			displayName: 'Email Type',
			name: 'emailType',
			type: 'options',
			default: 'text',
			displayOptions: { show },
			options: [
				{ name: 'Text', value: 'text' },
				{
					name: 'HTML',
					value: 'html',
					description:
						'A plain-text version is derived from the HTML for mail clients without HTML',
				},
				{ name: 'HTML and Text', value: 'both' },
			],
		},
		{
			displayName: 'Message',
			name: 'message',
			type: 'string',
			typeOptions: { rows: 5 },
			default: '',
			displayOptions: { show: { ...show, emailType: ['text', 'both'] } },
		},
		{
			displayName: 'HTML',
			name: 'html',
			type: 'string',
			typeOptions: { rows: 5, editor: 'htmlEditor' },
			default: '',
			displayOptions: { show: { ...show, emailType: ['html', 'both'] } },
		},
		{
			displayName: 'Options',
			name: 'options',
			type: 'collection',
			placeholder: 'Add option',
			default: {},
			displayOptions: { show },
			options: [
				{
					displayName: 'BCC',
					name: 'bcc',
					type: 'string',
					default: '',
					placeholder: 'audit@example.com',
				},
				{
					displayName: 'CC',
					name: 'cc',
					type: 'string',
					default: '',
					placeholder: 'team@example.com',
				},
				{
					displayName: 'Custom Headers',
					name: 'headers',
					type: 'fixedCollection',
					typeOptions: { multipleValues: true },
					default: {},
					options: [
						{
							displayName: 'Header',
							name: 'header',
							values: [
								{
									displayName: 'Name',
									name: 'name',
									type: 'string',
									default: '',
									placeholder: 'X-Campaign',
								},
								{ displayName: 'Value', name: 'value', type: 'string', default: '' },
							],
						},
					],
				},
				{
					displayName: 'From Alias Name or ID',
					name: 'from',
					type: 'options',
					typeOptions: { loadOptionsMethod: 'getSendAs' },
					default: '',
					description:
						'A send-as address of the account; the account\'s own address when empty. Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
				},
				{
					displayName: 'Idempotency Key',
					name: 'idempotencyKey',
					type: 'string',
					default: '',
					placeholder: "={{ $('Schedule Trigger').item.json.timestamp }}",
					description:
						'Text that identifies this one message, e.g. an order number. Another send with the same key from this node of this workflow (a retried or re-run execution) finds the message sent first and outputs it with alreadySent: true instead of sending again. Empty: every run sends.',
				},
				{
					displayName: 'Reply to Message ID',
					name: 'replyToMessageId',
					type: 'string',
					default: '',
					description:
						'Send as a reply in the thread of this message (sets In-Reply-To and References)',
				},
				{
					displayName: 'Reply-To',
					name: 'replyTo',
					type: 'string',
					default: '',
					placeholder: 'support@example.com',
				},
				{
					displayName: 'Sender Name',
					name: 'senderName',
					type: 'string',
					default: '',
					placeholder: 'Jane Doe',
				},
			],
		},
	];
}
