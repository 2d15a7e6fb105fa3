import type { IPollFunctions, ITriggerFunctions } from 'n8n-workflow';

import {
	paramError,
	readBoolean,
	readList,
	readOption,
	readPositiveInt,
	readText,
	type ParamContext,
} from '../params';
import { isPlainLabelId, LabelDirectory, resolveLabelIds } from '../actions/message/labels';
import { DEFAULT_PER_POLL, MAX_PER_POLL } from './description';
import type { TriggerConfig } from './events';

/** The trigger's two ways to run: n8n's polls, and the instant delivery's trigger(). */
export type TriggerContext = IPollFunctions | ITriggerFunctions;

/** A poll has no items: the package's parameter readers see it as one item (0). */
export function pollParams(ctx: TriggerContext): ParamContext {
	return {
		getNode: () => ctx.getNode(),
		getTimezone: () => ctx.getTimezone(),
		getNodeParameter: ((name: string, _itemIndex: number, fallback?: unknown, options?: object) =>
			ctx.getNodeParameter(name, fallback, options)) as ParamContext['getNodeParameter'],
	};
}

export interface PollSettings {
	cfg: TriggerConfig;
	/** Polling (n8n's poll times) or Instant (Gmail's watch through a Pub/Sub pull subscription). */
	delivery: 'polling' | 'instant';
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
export function readSettings(ctx: TriggerContext): PollSettings {
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
		delivery: readOption(p, 0, 'delivery', 'Delivery', ['polling', 'instant'] as const, 'polling'),
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

/**
 * The label filters as label IDs, through the one resolver every card uses (IDs or names, nested names, any
 * case; a name the mailbox lacks is refused, named). IDs (what the dropdown gives) need no lookup; a name costs one
 * labels.list (1 unit) per poll.
 */
export async function resolveLabelFilters(ctx: TriggerContext, cfg: TriggerConfig): Promise<void> {
	if ([...cfg.labelIds, ...cfg.watchLabels].every(isPlainLabelId)) return;
	const dir = await LabelDirectory.load(ctx);
	const field = 'Label Names or IDs';
	cfg.labelIds = await resolveLabelIds(ctx, dir, cfg.labelIds, { itemIndex: 0, field });
	cfg.watchLabels = await resolveLabelIds(ctx, dir, cfg.watchLabels, { itemIndex: 0, field });
}
