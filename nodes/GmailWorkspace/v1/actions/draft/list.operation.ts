import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { readBoolean, readOption, readText } from '../../params';
import { limitFields, readLimit } from '../message/query';
import { gmailApiRequest } from '../../transport';
import { collectPages } from '../../transport/paginate';
import { forEachItem } from '../helpers/items';
import { outputSizeFields } from '../helpers/tool';
import { loadLabelNames } from '../message/labels';
import { messageItem, readOptions } from '../message/output';
import { detailField, draftReadOptions } from './fields';
import { draftError, fetchDrafts, type DraftDetail } from './fetch';
import { DETAILS } from './get.operation';

const show = { resource: ['draft'], operation: ['list'] };

export const description: INodeProperties[] = [
	...limitFields(show),
	{
		displayName: 'Search Query',
		name: 'query',
		type: 'string',
		default: '',
		placeholder: 'subject:invoice to:billing@example.com',
		description: 'Only drafts matching this Gmail search (the operators of the Gmail search box)',
		displayOptions: { show },
	},
	{
		displayName: 'Include Spam and Trash',
		name: 'includeSpamTrash',
		type: 'boolean',
		default: false,
		description: 'Whether to include drafts in Spam and Trash',
		displayOptions: { show },
	},
	detailField(['list']),
	...outputSizeFields('draft', ['list']),
	draftReadOptions(['list']),
];

/** Draft IDs, newest first, up to `limit` (Infinity for all), through the package's one page loop. */
async function listIds(ctx: IExecuteFunctions, i: number, limit: number): Promise<string[]> {
	const q = readText(ctx, i, 'query', 'Search Query', { singleLine: true });
	const includeSpamTrash = readBoolean(ctx, i, 'includeSpamTrash', 'Include Spam and Trash');
	return await collectPages(
		async (pageToken, remaining) => {
			const page = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.drafts.list', {
				itemIndex: i,
				qs: {
					maxResults: Math.min(500, remaining),
					...(q ? { q } : {}),
					...(includeSpamTrash ? { includeSpamTrash: true } : {}),
					...(pageToken ? { pageToken } : {}),
				},
			});
			return {
				items: ((page.drafts as Array<{ id: string }>) ?? []).map((d) => d.id),
				nextPageToken: page.nextPageToken as string | undefined,
			};
		},
		{ limit },
	);
}

/** List Drafts: one item per draft, each read through the batch endpoint (quota-paced) like Search Emails. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = await loadLabelNames(this);
	return await forEachItem(this, items, async (i) => {
		const limit = readLimit(this, i);
		const detail: DraftDetail = readOption(this, i, 'detail', 'Detail', DETAILS, 'full');
		const options = readOptions(this, i);
		const ids = await listIds(this, i, limit);
		const out: INodeExecutionData[] = [];
		for (const d of await fetchDrafts(this, ids, detail, i)) {
			// a draft sent or deleted between the list and the get is gone: skipped, not an error
			if (!d.message && d.failure?.status === 404) continue;
			if (!d.message) throw draftError(this, d.id, d.failure, i);
			const item = await messageItem(this, d.message, labels, options, i);
			item.json = { draftId: d.id, ...item.json };
			out.push(item);
		}
		return out;
	});
}
