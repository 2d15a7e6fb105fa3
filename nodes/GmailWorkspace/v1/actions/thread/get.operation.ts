import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../helpers/items';
import { loadLabelNames } from '../message/labels';
import { readOptions } from '../message/output';
import { threadIdParam, threadLocator } from './threadId';
import {
	fetchThreads,
	readSplit,
	readThreadDetail,
	threadError,
	threadItems,
	threadOutputFields,
} from './threads';

export const description: INodeProperties[] = [
	threadLocator(['get']),
	...threadOutputFields('get'),
];

/** Thread → Get: every message of the conversation, oldest first, parsed as Read Email does. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const labels = await loadLabelNames(this);
	return await forEachItem(this, items, async (i) => {
		const id = threadIdParam(this, i);
		const [fetched] = await fetchThreads(this, [id], readThreadDetail(this, i), i);
		if (!fetched.thread) throw threadError(this, id, fetched.failure!, i);
		return await threadItems(
			this,
			fetched.thread,
			labels,
			readOptions(this, i),
			readSplit(this, i),
			i,
		);
	});
}
