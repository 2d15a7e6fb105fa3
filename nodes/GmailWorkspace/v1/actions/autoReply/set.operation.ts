import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { adminCall, adminFields, adminTarget, refusal } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { readBoolean, readDate, readText } from '../../params';

const show = { resource: ['autoReply'], operation: ['set'] };
const showOn = { ...show, enabled: [true] };

export const description: INodeProperties[] = [
	...adminFields(
		'autoReply',
		['set'],
		'The Workspace user whose auto reply (vacation responder) to set',
	),
	{
		displayName: 'Auto Reply On',
		name: 'enabled',
		type: 'boolean',
		default: true,
		description:
			'Whether Gmail answers incoming mail automatically. Turning it off keeps the stored subject and message for next time.',
		displayOptions: { show },
	},
	{
		displayName: 'Subject',
		name: 'subject',
		type: 'string',
		default: '',
		placeholder: 'Out of office',
		description:
			'Subject of the reply (Gmail prefixes the original subject when empty). A subject or a message is required.',
		displayOptions: { show: showOn },
	},
	{
		displayName: 'Message',
		name: 'message',
		type: 'string',
		typeOptions: { rows: 4 },
		default: '',
		description:
			'Plain-text body of the reply. Use "HTML Message" in the options for a formatted one.',
		displayOptions: { show: showOn },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show: showOn },
		options: [
			{
				displayName: 'End Time',
				name: 'endTime',
				type: 'dateTime',
				default: '',
				description:
					"When the auto reply stops (in the workflow's timezone unless the value has its own). Must be after the start time.",
			},
			{
				displayName: 'HTML Message',
				name: 'htmlMessage',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description:
					'HTML body of the reply; Gmail uses it instead of the plain-text message and removes scripts',
			},
			{
				displayName: 'Only Reply to Contacts',
				name: 'restrictToContacts',
				type: 'boolean',
				default: false,
				description: "Whether only senders in the user's contacts get the reply",
			},
			{
				displayName: 'Only Reply Within the Domain',
				name: 'restrictToDomain',
				type: 'boolean',
				default: false,
				description: "Whether only senders of the user's Workspace domain get the reply",
			},
			{
				displayName: 'Start Time',
				name: 'startTime',
				type: 'dateTime',
				default: '',
				description:
					"When the auto reply starts (in the workflow's timezone unless the value has its own). Empty: now.",
			},
		],
	},
];

/** Set Auto Reply: the user's vacation responder, as a whole (Google's updateVacation replaces it). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.vacation);
		const enabled = readBoolean(this, i, 'enabled', 'Auto Reply On', true);
		let body: IDataObject;
		if (!enabled) {
			const current = await adminCall(this, 'gmail.users.settings.getVacation', {
				as: target,
				itemIndex: i,
			});
			body = { ...current, enableAutoReply: false };
		} else {
			const subject = readText(this, i, 'subject', 'Subject', { singleLine: true });
			const message = readText(this, i, 'message', 'Message', { trim: false });
			const html = readText(this, i, 'options.htmlMessage', 'HTML Message', { trim: false });
			if (!subject.trim() && !message.trim() && !html.trim()) {
				throw new NodeOperationError(
					this.getNode(),
					'Give a "Subject" or a "Message": Google needs one of them to turn the auto reply on',
					{ itemIndex: i },
				);
			}
			const start = readDate(this, i, 'options.startTime', 'Start Time');
			const end = readDate(this, i, 'options.endTime', 'End Time');
			if (start !== undefined && end !== undefined && end <= start) {
				throw new NodeOperationError(
					this.getNode(),
					`"End Time" (${new Date(end).toISOString()}) must be after "Start Time" (${new Date(start).toISOString()}) [item ${i}]`,
					{
						itemIndex: i,
						description: `Times are read in the workflow's timezone, ${this.getTimezone()}.`,
					},
				);
			}
			body = {
				enableAutoReply: true,
				...(subject ? { responseSubject: subject } : {}),
				...(message ? { responseBodyPlainText: message } : {}),
				...(html ? { responseBodyHtml: html } : {}),
				restrictToContacts: readBoolean(
					this,
					i,
					'options.restrictToContacts',
					'Only Reply to Contacts',
				),
				restrictToDomain: readBoolean(
					this,
					i,
					'options.restrictToDomain',
					'Only Reply Within the Domain',
				),
				...(start !== undefined ? { startTime: String(start) } : {}),
				...(end !== undefined ? { endTime: String(end) } : {}),
			};
		}
		try {
			const stored = await adminCall(this, 'gmail.users.settings.updateVacation', {
				as: target,
				itemIndex: i,
				body,
			});
			return { userEmail: target.user, ...stored };
		} catch (error) {
			throw refusal(this, error, `Google refused the auto reply of ${target.user}`, i);
		}
	});
}
