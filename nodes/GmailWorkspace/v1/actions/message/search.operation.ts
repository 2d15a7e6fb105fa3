import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { collectPages } from '../../transport/paginate';
import { forEachItem } from '../helpers/items';
import {
	readBoolean,
	readDate,
	readList,
	readOption,
	readPositiveInt,
	readText,
} from '../../params';
import { fetchError, fetchMessages, type Detail } from './fetch';
import { loadLabelNames } from './labels';
import { readStatusFilter, senderFilter } from './fields';
import { readOptionsField } from './options';
import { messageItem, readOptions } from './output';

const show = { resource: ['message'], operation: ['search'] };

export const description: INodeProperties[] = [
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
	{
		displayName: 'Detail',
		name: 'detail',
		type: 'options',
		default: 'full',
		displayOptions: { show },
		options: [
			{ name: 'Full', value: 'full', description: 'Addresses, bodies, labels and attachments' },
			{
				name: 'Headers Only',
				value: 'metadata',
				description: 'Addresses, subject, date and labels; no bodies',
			},
			{
				name: 'Raw (RFC 822) as Binary',
				value: 'raw',
				description:
					'The whole message as an .eml file in binary property "data", plus the parsed fields',
			},
		],
	},
	{
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
					'Only messages with all of these labels. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
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
	},
	readOptionsField(['search']),
];

const quote = (s: string) => (/[\s"()]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);

const READ_STATUS = ['both', 'read', 'unread'] as const;
const DETAILS = ['full', 'metadata', 'raw'] as const;

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

/** Message ids matching the search, newest first, up to `limit` (Infinity for all). */
async function listIds(ctx: IExecuteFunctions, i: number, limit: number): Promise<string[]> {
	const labelIds = readList(ctx, i, 'filters.labelIds', 'Label Names or IDs');
	const includeSpamTrash = readBoolean(
		ctx,
		i,
		'filters.includeSpamTrash',
		'Include Spam and Trash',
	);
	const q = buildQuery(ctx, i);
	return await collectPages(
		async (pageToken, remaining) => {
			const page = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.messages.list', {
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
				items: ((page.messages as Array<{ id: string }>) ?? []).map((m) => m.id),
				nextPageToken: page.nextPageToken as string | undefined,
			};
		},
		{ limit },
	);
}

/** Search Emails: one output item per message found, fetched concurrently through the batch endpoint. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = await loadLabelNames(this);
	return await forEachItem(this, items, async (i) => {
		const returnAll = readBoolean(this, i, 'returnAll', 'Return All');
		const limit = returnAll
			? Infinity
			: readPositiveInt(this, i, 'limit', 'Limit', { fallback: 50 });
		const detail: Detail = readOption(this, i, 'detail', 'Detail', DETAILS, 'full');
		const options = readOptions(this, i);
		const ids = await listIds(this, i, limit);
		const fetched = await fetchMessages(this, ids, detail, i);
		const out: INodeExecutionData[] = [];
		for (const [n, f] of fetched.entries()) {
			if (!f.message) throw fetchError(this, ids[n], f.failure!, i);
			const item = await messageItem(this, f.message, labels, options, i);
			if (f.raw)
				item.binary = {
					...item.binary,
					data: await this.helpers.prepareBinaryData(f.raw, `${ids[n]}.eml`, 'message/rfc822'),
				};
			out.push(item);
		}
		return out;
	});
}
