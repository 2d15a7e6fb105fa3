import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { paramError, rawParam, readOption, readText } from '../../params';
import {
	isSystemLabel,
	resolveLabel,
	type GmailLabel,
	type LabelDirectory,
} from '../message/labels';
import { checkLabelColor } from './colors';

/** The label an Update / Delete card works on: the account's labels; an ID or a name by expression. */
export const labelLocator = (operations: string[]): INodeProperties => ({
	displayName: 'Label Name or ID',
	name: 'label',
	type: 'options',
	typeOptions: { loadOptionsMethod: 'getLabels' },
	required: true,
	default: '',
	description:
		'Choose from the list, or specify an ID using an <a href="https://docs.n8n.io/code/expressions/">expression</a>',
	hint: 'An expression may also give the label\'s name; nested labels by their full name, e.g. "Projects/Alpha"',
	displayOptions: { show: { resource: ['label'], operation: operations } },
});

const LABEL_LIST = ['labelShow', 'labelShowIfUnread', 'labelHide'] as const;
const MESSAGE_LIST = ['show', 'hide'] as const;

/** Visibility and colour fields of Create's options and Update's fields. */
export const labelSettings: INodeProperties[] = [
	{
		displayName: 'Background Colour',
		name: 'backgroundColor',
		type: 'color',
		default: '#4a86e8',
		description:
			"A colour from Gmail's label palette (e.g. #4a86e8, #16a766, #fb4c2f); Gmail refuses others. Set with Text Colour.",
	},
	{
		displayName: 'Show in Label List',
		name: 'labelListVisibility',
		type: 'options',
		default: 'labelShow',
		description: "The label's place in Gmail's label list (left column)",
		options: [
			{ name: 'Show', value: 'labelShow' },
			{ name: 'Show If Unread', value: 'labelShowIfUnread' },
			{ name: 'Hide', value: 'labelHide' },
		],
	},
	{
		displayName: 'Show in Message List',
		name: 'messageListVisibility',
		type: 'options',
		default: 'show',
		description: 'Whether Gmail shows the label on messages in the message list',
		options: [
			{ name: 'Show', value: 'show' },
			{ name: 'Hide', value: 'hide' },
		],
	},
	{
		displayName: 'Text Colour',
		name: 'textColor',
		type: 'color',
		default: '#ffffff',
		description: "A colour from Gmail's label palette; set with Background Colour",
	},
];

/**
 * The label fields a user set in collection `name` (Create's options, Update's fields) as Gmail's Label body.
 * Gmail needs both colours together; one given alone is completed from `current` (Update), else refused.
 */
export function readLabelSettings(
	ctx: IExecuteFunctions,
	i: number,
	name: string,
	current?: GmailLabel,
): IDataObject {
	const set = (rawParam(ctx, name, i, {}) ?? {}) as IDataObject;
	const body: IDataObject = {};
	if ('labelListVisibility' in set)
		body.labelListVisibility = readOption(
			ctx,
			i,
			`${name}.labelListVisibility`,
			'Show in Label List',
			LABEL_LIST,
			'labelShow',
		);
	if ('messageListVisibility' in set)
		body.messageListVisibility = readOption(
			ctx,
			i,
			`${name}.messageListVisibility`,
			'Show in Message List',
			MESSAGE_LIST,
			'show',
		);
	const colour = (key: 'backgroundColor' | 'textColor', label: string) =>
		key in set
			? checkLabelColor(ctx, readText(ctx, i, `${name}.${key}`, label), label, i)
			: current?.color?.[key];
	if ('backgroundColor' in set || 'textColor' in set) {
		const backgroundColor = colour('backgroundColor', 'Background Colour');
		const textColor = colour('textColor', 'Text Colour');
		if (!backgroundColor || !textColor)
			throw paramError(
				ctx,
				backgroundColor ? 'Text Colour' : 'Background Colour',
				'is needed too: Gmail sets a label colour only as a pair (background and text)',
				i,
			);
		body.color = { backgroundColor, textColor };
	}
	return body;
}

/** The label an Update / Delete item names: must exist and be a user label. */
export async function userLabelOf(
	ctx: IExecuteFunctions,
	i: number,
	dir: LabelDirectory,
	verb: 'update' | 'delete',
): Promise<GmailLabel> {
	const field = 'Label Name or ID';
	const value = readText(ctx, i, 'label', field, { required: true, singleLine: true });
	const label = await resolveLabel(ctx, dir, value, { itemIndex: i, field });
	if (isSystemLabel(label))
		throw new NodeOperationError(
			ctx.getNode(),
			`"${label.name}" is a system label: Gmail does not let it be ${verb === 'update' ? 'updated' : 'deleted'} [item ${i}]`,
			{
				itemIndex: i,
				description:
					"System labels (INBOX, SENT, STARRED, UNREAD, CATEGORY_…) are Gmail's own; only labels created by the user or a card can be changed or deleted.",
			},
		);
	return label;
}

/** A label as the Label cards output it. */
export const labelItem = (l: GmailLabel | IDataObject): IDataObject => ({ ...l }) as IDataObject;
