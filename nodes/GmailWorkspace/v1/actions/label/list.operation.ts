import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { readBoolean, readOption } from '../../params';
import { gmailBatch } from '../../transport';
import { apiError } from '../../transport/errors';
import { forEachItem } from '../helpers/items';
import { lazyLabels } from '../message/labels';
import { labelItem } from './fields';

const show = { resource: ['label'], operation: ['list'] };

export const description: INodeProperties[] = [
	{
		displayName: 'Label Type',
		name: 'labelType',
		type: 'options',
		default: 'all',
		displayOptions: { show },
		options: [
			{ name: 'All', value: 'all' },
			{ name: 'User Labels', value: 'user', description: 'Labels created by the user or a card' },
			{ name: 'System Labels', value: 'system', description: 'INBOX, SENT, UNREAD, …' },
		],
	},
	{
		displayName: 'Include Counts',
		name: 'includeCounts',
		type: 'boolean',
		default: false,
		description:
			'Whether to add the number of messages and threads (total and unread) of each label; one labels.get per label (1 quota unit each)',
		displayOptions: { show },
	},
];

const TYPES = ['all', 'user', 'system'] as const;

/** List Labels: one output item per label of the mailbox (labels.list, 1 unit). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	// the mailbox's labels, read once for all items (as Create, Update and Delete do)
	const directory = lazyLabels(this);
	return await forEachItem(this, items, async (i) => {
		const type = readOption(this, i, 'labelType', 'Label Type', TYPES, 'all');
		const counts = readBoolean(this, i, 'includeCounts', 'Include Counts');
		const labels = (await directory()).all.filter((l) => type === 'all' || l.type === type);
		if (!counts) return labels.map((l) => labelItem(l));
		const got = await gmailBatch<IDataObject>(
			this,
			labels.map((l) => ({ id: 'gmail.users.labels.get', params: { id: l.id } })),
			{ itemIndex: i },
		);
		return labels.map((l, k) => {
			const o = got[k];
			if (o.ok) return labelItem({ ...l, ...o.value });
			// a label deleted between the list and the get keeps its listed fields
			if (o.failure.status === 404) return labelItem(l);
			throw apiError(this.getNode(), o.failure, {
				what: `GET labels/${l.id}`,
				itemIndex: i,
				prefix: `Reading the counts of label "${l.name}" failed`,
			});
		});
	});
}
