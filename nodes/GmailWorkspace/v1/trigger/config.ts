import type { IPollFunctions } from 'n8n-workflow';

import {
	paramError,
	readBoolean,
	readList,
	readOption,
	readPositiveInt,
	readText,
	type ParamContext,
} from '../params';
import { DEFAULT_PER_POLL, MAX_PER_POLL } from './description';
import type { TriggerConfig } from './events';

/** A poll has no items: the package's parameter readers see it as one item (0). */
export function pollParams(ctx: IPollFunctions): ParamContext {
	return {
		getNode: () => ctx.getNode(),
		getTimezone: () => ctx.getTimezone(),
		getNodeParameter: ((name: string, _itemIndex: number, fallback?: unknown, options?: object) =>
			ctx.getNodeParameter(name, fallback, options)) as ParamContext['getNodeParameter'],
	};
}

export interface PollSettings {
	cfg: TriggerConfig;
	output: 'simple' | 'full';
	maxPerPoll: number;
	firstRunCount: number;
	downloadAttachments: boolean;
	binaryPrefix: string;
}

const EVENTS = ['newEmail', 'labelChanged'] as const;
const CHANGES = ['added', 'removed', 'both'] as const;
const READ = ['both', 'read', 'unread'] as const;

/** Every parameter of the trigger, read and checked once per poll. */
export function readSettings(ctx: IPollFunctions): PollSettings {
	const p = pollParams(ctx);
	const event = readOption(p, 0, 'event', 'Event', EVENTS, 'newEmail');
	const labelChanged = event === 'labelChanged';
	const cfg: TriggerConfig = {
		event,
		watchLabels: labelChanged ? readList(p, 0, 'watchLabels', 'Label Names or IDs') : [],
		change: labelChanged ? readOption(p, 0, 'change', 'Change', CHANGES, 'added') : 'added',
		labelIds: labelChanged ? [] : readList(p, 0, 'filters.labelIds', 'Label Names or IDs'),
		labelMatch: labelChanged
			? 'any'
			: readOption(p, 0, 'filters.labelMatch', 'Label Match', ['any', 'all'] as const, 'any'),
		query: labelChanged
			? ''
			: readText(p, 0, 'filters.query', 'Search Query', { singleLine: true }),
		sender: labelChanged ? '' : readText(p, 0, 'filters.sender', 'Sender', { singleLine: true }),
		readStatus: labelChanged
			? 'both'
			: readOption(p, 0, 'filters.readStatus', 'Read Status', READ, 'both'),
		includeSpamTrash: labelChanged
			? true
			: readBoolean(p, 0, 'filters.includeSpamTrash', 'Include Spam and Trash'),
		includeDrafts: labelChanged || readBoolean(p, 0, 'options.includeDrafts', 'Include Drafts'),
		includeSent: labelChanged || readBoolean(p, 0, 'options.includeSent', 'Include Sent Mail'),
		includeScheduled:
			labelChanged || readBoolean(p, 0, 'options.includeScheduled', 'Include Scheduled'),
	};
	if (labelChanged && !cfg.watchLabels.length)
		throw paramError(p, 'Label Names or IDs', 'is empty: choose at least one label to watch', 0);
	return {
		cfg,
		output: readOption(p, 0, 'output', 'Output', ['simple', 'full'] as const, 'simple'),
		maxPerPoll: readPositiveInt(p, 0, 'options.maxPerPoll', 'Max Emails per Poll', {
			fallback: DEFAULT_PER_POLL,
			max: MAX_PER_POLL,
		}),
		firstRunCount: readPositiveInt(
			p,
			0,
			'options.firstRunCount',
			'On First Run Also Emit the Last N Messages',
			{
				fallback: 0,
				min: 0,
				max: MAX_PER_POLL,
			},
		),
		downloadAttachments: readBoolean(p, 0, 'options.downloadAttachments', 'Download Attachments'),
		binaryPrefix: readText(p, 0, 'options.attachmentPrefix', 'Attachment Prefix', {
			fallback: 'attachment_',
			singleLine: true,
		}),
	};
}
