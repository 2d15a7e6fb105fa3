import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../helpers/items';
import { outputSizeFields } from '../helpers/tool';
import { readOption } from '../../params';
import { fetchError, fetchMessages, type Detail } from './fetch';
import { LabelDirectory } from './labels';
import { readOptionsField } from './options';
import { messageItem, readOptions } from './output';
import { filtersField, readLimit, searchFields, searchIds } from './query';

const DETAILS = ['full', 'metadata', 'raw'] as const;

const show = { resource: ['message'], operation: ['search'] };

export const description: INodeProperties[] = [
	...searchFields('message', 'search'),
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
	filtersField('message', 'search'),
	...outputSizeFields('message', ['search']),
	readOptionsField(['search']),
];

/** Search Emails: one output item per message found, fetched concurrently through the batch endpoint. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const directory = await LabelDirectory.load(this);
	const labels = directory.names();
	return await forEachItem(this, items, async (i) => {
		const limit = readLimit(this, i);
		const detail: Detail = readOption(this, i, 'detail', 'Detail', DETAILS, 'full');
		const options = readOptions(this, i);
		const ids = await searchIds(this, i, limit, directory);
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
