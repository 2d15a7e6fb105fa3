import type { INodeProperties } from 'n8n-workflow';
import {
	attachmentPrefixOption,
	downloadAttachmentsOption,
	readStatusFilter,
	senderFilter,
} from '../actions/message/fields';

export const MAX_PER_POLL = 1000;
export const DEFAULT_PER_POLL = 100;

const newEmail = { event: ['newEmail'] };
const labelChanged = { event: ['labelChanged'] };

/** The trigger's parameters (after Authentication). */
export const triggerProperties: INodeProperties[] = [
	{
		displayName: 'Event',
		name: 'event',
		type: 'options',
		noDataExpression: true,
		default: 'newEmail',
		options: [
			{
				name: 'New Email',
				value: 'newEmail',
				description: 'A message newly arrives in the mailbox',
			},
			{
				name: 'Label Added or Removed',
				value: 'labelChanged',
				description:
					'A label was added to or removed from a message (a label a Gmail filter sets at delivery counts as added)',
			},
		],
	},
	{
		displayName: 'Label Names or IDs',
		name: 'watchLabels',
		type: 'multiOptions',
		typeOptions: { loadOptionsMethod: 'getLabels' },
		required: true,
		default: [],
		description:
			'The labels to watch; any of them counts. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
		displayOptions: { show: labelChanged },
	},
	{
		displayName: 'Change',
		name: 'change',
		type: 'options',
		default: 'added',
		displayOptions: { show: labelChanged },
		options: [
			{ name: 'Added', value: 'added' },
			{ name: 'Added or Removed', value: 'both' },
			{ name: 'Removed', value: 'removed' },
		],
	},
	{
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show: newEmail },
		options: [
			{
				displayName: 'Include Spam and Trash',
				name: 'includeSpamTrash',
				type: 'boolean',
				default: false,
				description: 'Whether to fire on messages that arrive in Spam or Trash',
			},
			{
				displayName: 'Label Match',
				name: 'labelMatch',
				type: 'options',
				default: 'any',
				options: [
					{ name: 'Any of the Labels', value: 'any' },
					{ name: 'All of the Labels', value: 'all' },
				],
			},
			{
				displayName: 'Label Names or IDs',
				name: 'labelIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getLabels' },
				default: [],
				description:
					'Only messages with these labels (see Label Match). Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			readStatusFilter,
			{
				displayName: 'Search Query',
				name: 'query',
				type: 'string',
				default: '',
				placeholder: 'has:attachment subject:invoice',
				description:
					'Only messages matching this Gmail search, with the operators of the Gmail search box',
			},
			senderFilter,
		],
	},
	{
		displayName: 'Output',
		name: 'output',
		type: 'options',
		default: 'simple',
		options: [
			{
				name: 'Simple',
				value: 'simple',
				description: 'Addresses, subject, date, labels and snippet; no bodies',
			},
			{
				name: 'Full',
				value: 'full',
				description: 'Also the text and HTML bodies and the list of attachments',
			},
		],
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		options: [
			attachmentPrefixOption,
			{
				...downloadAttachmentsOption,
				description:
					'Whether to put each attachment into the item as binary data (the message is read in full)',
			},
			{
				displayName: 'Include Drafts',
				name: 'includeDrafts',
				type: 'boolean',
				default: false,
				description: 'Whether to fire on drafts the user saves',
				displayOptions: { show: { '/event': ['newEmail'] } },
			},
			{
				displayName: 'Include Scheduled',
				name: 'includeScheduled',
				type: 'boolean',
				default: false,
				description: 'Whether to fire on messages the user scheduled to send later',
				displayOptions: { show: { '/event': ['newEmail'] } },
			},
			{
				displayName: 'Include Sent Mail',
				name: 'includeSent',
				type: 'boolean',
				default: false,
				description: 'Whether to fire on mail the user sent that does not also land in the inbox',
				displayOptions: { show: { '/event': ['newEmail'] } },
			},
			{
				displayName: 'Max Emails per Poll',
				name: 'maxPerPoll',
				type: 'number',
				typeOptions: { minValue: 1, maxValue: MAX_PER_POLL },
				default: DEFAULT_PER_POLL,
				description:
					'The most messages one poll emits; the rest wait, in order, for the next polls',
			},
			{
				displayName: 'On First Run Also Emit the Last N Messages',
				name: 'firstRunCount',
				type: 'number',
				typeOptions: { minValue: 0, maxValue: MAX_PER_POLL },
				default: 0,
				description:
					'The trigger starts from now; set a number to also emit that many of the newest matching messages on its first poll',
			},
		],
	},
];
