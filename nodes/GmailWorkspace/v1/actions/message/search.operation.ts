import type { IDataObject, IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { forEachItem } from '../helpers/items';
import { textToEpochMs } from '../helpers/dates';
import { fetchError, fetchMessages, type Detail } from './fetch';
import { loadLabelNames } from './labels';
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
		description: 'Gmail search, with the operators of the Gmail search box. Combined with the filters below.',
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
			{ name: 'Headers Only', value: 'metadata', description: 'Addresses, subject, date and labels; no bodies' },
			{ name: 'Raw (RFC 822) as Binary', value: 'raw', description: 'The whole message as an .eml file in binary property "data", plus the parsed fields' },
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
			{ displayName: 'Include Spam and Trash', name: 'includeSpamTrash', type: 'boolean', default: false, description: 'Whether to include messages from Spam and Trash' },
			{
				displayName: 'Label Names or IDs',
				name: 'labelIds',
				type: 'multiOptions',
				typeOptions: { loadOptionsMethod: 'getLabels' },
				default: [],
				description: 'Only messages with all of these labels. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.',
			},
			{
				displayName: 'Read Status',
				name: 'readStatus',
				type: 'options',
				default: 'both',
				options: [
					{ name: 'Read and Unread', value: 'both' },
					{ name: 'Read Only', value: 'read' },
					{ name: 'Unread Only', value: 'unread' },
				],
			},
			{ displayName: 'Received After', name: 'receivedAfter', type: 'dateTime', default: '', description: "In the workflow's time zone" },
			{ displayName: 'Received Before', name: 'receivedBefore', type: 'dateTime', default: '', description: "In the workflow's time zone" },
			{ displayName: 'Sender', name: 'sender', type: 'string', default: '', placeholder: 'name@example.com', description: 'Only messages from this address or name' },
		],
	},
	readOptionsField(['search']),
];

const quote = (s: string) => (/[\s"()]/.test(s) ? `"${s.replace(/"/g, '')}"` : s);

/** The Gmail query for the card's fields. */
export function buildQuery(ctx: IExecuteFunctions, i: number): string {
	const f = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const parts = [String(ctx.getNodeParameter('query', i, '') ?? '').trim()];
	if (f.sender) parts.push(`from:${quote(String(f.sender))}`);
	if (f.readStatus === 'unread') parts.push('is:unread');
	if (f.readStatus === 'read') parts.push('is:read');
	for (const [field, op] of [['receivedAfter', 'after'], ['receivedBefore', 'before']] as const) {
		if (!f[field]) continue;
		const ms = textToEpochMs(String(f[field]), ctx.getTimezone());
		if (Number.isNaN(ms)) throw new NodeOperationError(ctx.getNode(), `"${String(f[field])}" is not a date`, { itemIndex: i });
		parts.push(`${op}:${Math.floor(ms / 1000)}`);
	}
	return parts.filter(Boolean).join(' ');
}

/** Message ids matching the search, newest first, up to `limit` (Infinity for all). */
async function listIds(ctx: IExecuteFunctions, i: number, limit: number): Promise<string[]> {
	const f = ctx.getNodeParameter('filters', i, {}) as IDataObject;
	const ids: string[] = [];
	let pageToken: string | undefined;
	do {
		const page = await gmailApiRequest.call<IExecuteFunctions, ['gmail.users.messages.list', object], Promise<IDataObject>>(ctx, 'gmail.users.messages.list', {
			itemIndex: i,
			qs: {
				q: buildQuery(ctx, i),
				maxResults: Math.min(500, limit - ids.length),
				...((f.labelIds as string[] | undefined)?.length ? { labelIds: f.labelIds } : {}),
				...(f.includeSpamTrash ? { includeSpamTrash: true } : {}),
				...(pageToken ? { pageToken } : {}),
			},
		});
		for (const m of (page.messages as Array<{ id: string }>) ?? []) ids.push(m.id);
		pageToken = page.nextPageToken as string | undefined;
	} while (pageToken && ids.length < limit);
	return ids.slice(0, limit);
}

/** Search Emails: one output item per message found, fetched concurrently through the batch endpoint. */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
	const labels = await loadLabelNames(this);
	return await forEachItem(this, items, async (i) => {
		const limit = this.getNodeParameter('returnAll', i, false) ? Infinity : (this.getNodeParameter('limit', i, 50) as number);
		const detail = this.getNodeParameter('detail', i, 'full') as Detail;
		const options = readOptions(this, i);
		const ids = await listIds(this, i, limit);
		const fetched = await fetchMessages(this, ids, detail);
		const out: INodeExecutionData[] = [];
		for (const [n, f] of fetched.entries()) {
			if (!f.message) throw fetchError(this, ids[n], f.failure!, i);
			const item = await messageItem(this, f.message, labels, options, i);
			if (f.raw) item.binary = { ...item.binary, data: await this.helpers.prepareBinaryData(f.raw, `${ids[n]}.eml`, 'message/rfc822') };
			out.push(item);
		}
		return out;
	});
}
