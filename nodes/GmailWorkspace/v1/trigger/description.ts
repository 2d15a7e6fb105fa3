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

const instant = { delivery: ['instant'] };

/**
 * Instant delivery's defaults. The ack deadline is Pub/Sub's least (10 s): a notification only starts a history
 * read, so one redelivered during a long read costs a read that finds nothing; one leased to a pull the trigger
 * gave up on (its deadline passed first) comes back after 10 s rather than a minute.
 */
export const ACK_DEADLINE_S = 10;
export const DEFAULT_CATCH_UP_MIN = 3;
export const RENEW_WATCH_MS = 24 * 3600_000;

/** Instant delivery: where Gmail publishes, and what happens to the subscription on deactivation. */
const deliveryProperties: INodeProperties[] = [
	{
		displayName: 'Delivery',
		name: 'delivery',
		type: 'options',
		noDataExpression: true,
		default: 'polling',
		options: [
			{
				name: 'Polling',
				value: 'polling',
				description: "Read Gmail's history at the Poll Times",
			},
			{
				name: 'Instant (Pub/Sub)',
				value: 'instant',
				description:
					'Gmail notifies a Cloud Pub/Sub topic on every change and the trigger pulls the notifications: no public URL needed. Poll Times are not used.',
			},
		],
	},
	{
		displayName:
			'Instant delivery creates a Pub/Sub topic and pull subscription named after the workflow in the chosen Cloud project, lets gmail-api-push@system.gserviceaccount.com publish on it, and renews the Gmail watch daily. The connected account needs the Pub/Sub Admin role there (or Pub/Sub Editor when gmail-api-push already has Pub/Sub Publisher on the project) and the credential a scope set with "pubsub" or "cloud-platform".',
		name: 'instantNotice',
		type: 'notice',
		default: '',
		displayOptions: { show: instant },
	},
	{
		displayName: 'Cloud Project',
		name: 'cloudProject',
		type: 'resourceLocator',
		default: { mode: 'list', value: '' },
		required: true,
		description:
			'The Google Cloud project of the OAuth client (Gmail publishes only to topics in that project)',
		displayOptions: { show: instant },
		modes: [
			{
				displayName: 'From List',
				name: 'list',
				type: 'list',
				typeOptions: { searchListMethod: 'searchCloudProjects', searchable: true },
			},
			{
				displayName: 'ID',
				name: 'id',
				type: 'string',
				placeholder: 'my-project-123',
				validation: [
					{
						type: 'regex',
						properties: {
							regex: '^[a-z][a-z0-9-]{4,28}[a-z0-9]$',
							errorMessage: 'A project ID: 6 to 30 lowercase letters, digits and dashes',
						},
					},
				],
			},
		],
	},
	{
		displayName: 'Instant Options',
		name: 'instantOptions',
		type: 'collection',
		placeholder: 'Add option',
		default: {},
		displayOptions: { show: instant },
		options: [
			{
				displayName: 'Catch Up Every (Minutes)',
				name: 'catchUpMinutes',
				type: 'number',
				typeOptions: { minValue: 0.1, maxValue: 60, numberPrecision: 1 },
				default: DEFAULT_CATCH_UP_MIN,
				description:
					"How often to read Gmail's history when no notification came (Google may delay or drop notifications)",
			},
			{
				displayName: 'Delete Subscription on Deactivation',
				name: 'deleteSubscription',
				type: 'boolean',
				default: false,
				description:
					'Whether to delete the Pub/Sub subscription when the workflow is deactivated (kept by default, so notifications that arrive meanwhile wait in it)',
			},
		],
	},
];

/** The trigger's parameters (after Authentication). */
export const triggerProperties: INodeProperties[] = [
	...deliveryProperties,
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
