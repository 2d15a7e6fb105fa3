import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../helpers/items';
import { LabelDirectory } from '../message/labels';
import { readOptions } from '../message/output';
import { filtersField, readLimit, searchFields, searchIds } from '../message/query';
import {
	fetchThreads,
	readSplit,
	readThreadDetail,
	threadError,
	threadItems,
	threadOutputFields,
} from './threads';

export const description: INodeProperties[] = [
	...searchFields('thread', 'search'),
	filtersField('thread', 'search'),
	...threadOutputFields('search'),
];

/**
 * Thread → Search: the query and filters of Search Emails (one shared module), threads.list, then every
 * thread's messages through the batch endpoint; one item per thread, newest thread first.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const directory = await LabelDirectory.load(this);
	const labels = directory.names();
	return await forEachItem(this, items, async (i) => {
		const limit = readLimit(this, i);
		const detail = readThreadDetail(this, i);
		const split = readSplit(this, i);
		const options = readOptions(this, i);
		const ids = await searchIds(this, i, limit, directory, 'threads');
		const fetched = await fetchThreads(this, ids, detail, i);
		const out: INodeExecutionData[] = [];
		for (const [n, f] of fetched.entries()) {
			if (!f.thread) throw threadError(this, ids[n], f.failure!, i);
			out.push(...(await threadItems(this, f.thread, labels, options, split, i)));
		}
		return out;
	});
}
