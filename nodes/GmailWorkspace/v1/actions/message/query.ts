import type {
	IDataObject,
	IDisplayOptions,
	IExecuteFunctions,
	INodeProperties,
} from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { collectPages } from '../../transport/paginate';
import {
	readBoolean,
	readDate,
	readList,
	readOption,
	readPositiveInt,
	readText,
} from '../../params';
import { LabelDirectory, resolveLabelIds } from './labels';
import { readStatusFilter, senderFilter } from './fields';

/**
 * One Gmail search for Search Emails and Thread → Search: the query and filter fields, the query they make and
 * the paged listing (messages.list or threads.list take the same parameters, Google's threads guide says).
 */

/** Return All and Limit, shown where `show` says (every listing card has this pair). */
export const limitFields = (show: IDisplayOptions['show']): INodeProperties[] => [
	{
		displayName: 'Return All',
		name: 'returnAll',
		type: 'boolean',
		default: false,
		description: 'Whether to return all results or only up to a given limit',
		displayOptions: { show },
	},
	{
		displayName: 'Limit',
		name: 'limit',
		type: 'number',
		typeOptions: { minValue: 1 },
		default: 50,
		description: 'Max number of results to return',
		displayOptions: { show: { ...show, returnAll: [false] } },
	},
];

/** How many results item `i` asks for: Infinity with Return All, else its Limit. */
export const readLimit = (ctx: IExecuteFunctions, i: number): number =>
	readBoolean(ctx, i, 'returnAll', 'Return All')
		? Infinity
		: readPositiveInt(ctx, i, 'limit', 'Limit', { fallback: 50 });

/** Search Query, Return All, Limit; then (filtersField) the Filters collection. */
export function searchFields(resource: string, operation: string): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	return [
		{
			displayName: 'Search Query',
			name: 'query',
			type: 'string',
			default: '',
			placeholder: 'has:attachment subject:invoice',
			description:
				'Gmail search, with the operators of the Gmail search box. Combined with the filters below.',
			displayOptions: { show },
		},
		...limitFields(show),
	];
}

export function filtersField(resource: string, operation: string): INodeProperties {
	const show = { resource: [resource], operation: [operation] };
	return {
		displayName: 'Filters',
		name: 'filters',
		type: 'collection',
		placeholder: 'Add filter',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Include Spam and Trash',
				name: 'includeSpamTrash',
				type: 'boolean',
				default: false,
				description: 'Whether to include messages from Spam and Trash',
			},
			{
				displayName: 'Label Names or IDs',
				name: 'labelIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getLabels' },
				default: [],
				description:
					'Only messages (threads: with a message) with all of these labels. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			readStatusFilter,
			{
				displayName: 'Received After',
				name: 'receivedAfter',
				type: 'dateTime',
				default: '',
				description: "In the workflow's time zone",
			},
			{
				displayName: 'Received Before',
				name: 'receivedBefore',
				type: 'dateTime',
				default: '',
				description: "In the workflow's time zone",
			},
			senderFilter,
		],
	};
}

const quote = (s: string) => (/[\s"()]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);

const READ_STATUS = ['both', 'read', 'unread'] as const;

/** The Gmail query for the card's fields. */
export function buildQuery(ctx: IExecuteFunctions, i: number): string {
	const parts = [readText(ctx, i, 'query', 'Search Query', { singleLine: true })];
	const sender = readText(ctx, i, 'filters.sender', 'Sender', { singleLine: true });
	if (sender) parts.push(`from:${quote(sender)}`);
	const readStatus = readOption(ctx, i, 'filters.readStatus', 'Read Status', READ_STATUS, 'both');
	if (readStatus !== 'both') parts.push(`is:${readStatus}`);
	for (const [field, label, op] of [
		['receivedAfter', 'Received After', 'after'],
		['receivedBefore', 'Received Before', 'before'],
	] as const) {
		const ms = readDate(ctx, i, `filters.${field}`, label);
		if (ms !== undefined) parts.push(`${op}:${Math.floor(ms / 1000)}`);
	}
	return parts.filter(Boolean).join(' ');
}

/** Message (or thread) ids matching the search, newest first, up to `limit` (Infinity for all). */
export async function searchIds(
	ctx: IExecuteFunctions,
	i: number,
	limit: number,
	labels: LabelDirectory,
	what: 'messages' | 'threads' = 'messages',
): Promise<string[]> {
	// names or IDs, resolved as every card does (a name the mailbox lacks is refused, named)
	const labelIds = await resolveLabelIds(
		ctx,
		labels,
		readList(ctx, i, 'filters.labelIds', 'Label Names or IDs'),
		{ itemIndex: i, field: 'Label Names or IDs' },
	);
	const includeSpamTrash = readBoolean(
		ctx,
		i,
		'filters.includeSpamTrash',
		'Include Spam and Trash',
	);
	const q = buildQuery(ctx, i);
	return await collectPages(
		async (pageToken, remaining) => {
			const page = await gmailApiRequest<IDataObject>(ctx, `gmail.users.${what}.list`, {
				itemIndex: i,
				qs: {
					q,
					maxResults: Math.min(500, remaining),
					...(labelIds.length ? { labelIds } : {}),
					...(includeSpamTrash ? { includeSpamTrash: true } : {}),
					...(pageToken ? { pageToken } : {}),
				},
			});
			return {
				items: ((page[what] as Array<{ id: string }>) ?? []).map((m) => m.id),
				nextPageToken: page.nextPageToken as string | undefined,
			};
		},
		{ limit },
	);
}
