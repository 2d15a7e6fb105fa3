import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../helpers/items';
import { outputSizeFields } from '../helpers/tool';
import { fetchError, fetchMessages } from './fetch';
import { loadLabelNames } from './labels';
import { messageIdParam, messageLocator } from './messageId';
import { readOptionsField } from './options';
import { messageItem, readOptions } from './output';

export const description: INodeProperties[] = [
	messageLocator(['read']),
	...outputSizeFields('message', ['read']),
	readOptionsField(['read']),
];

/** Read Email: one message per input item — addresses, bodies, labels, attachments (optionally as binary). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const ids: Array<string | Error> = items.map((_, i) => {
		try {
			return messageIdParam(this, i);
		} catch (error) {
			return error as Error;
		}
	});
	const wanted = ids.filter((id): id is string => typeof id === 'string');
	const [labels, fetched] = wanted.length
		? await Promise.all([loadLabelNames(this), fetchMessages(this, wanted, 'full')])
		: [new Map<string, string>(), []];

	// each item's own result (fetched holds only the wanted ids', in order)
	let next = 0;
	const results = ids.map((id) => (typeof id === 'string' ? fetched[next++] : undefined));
	return await forEachItem(this, items, async (i) => {
		const id = ids[i];
		if (id instanceof Error) throw id;
		const { message, failure } = results[i]!;
		if (!message) throw fetchError(this, id, failure!, i);
		return await messageItem(this, message, labels, readOptions(this, i), i);
	});
}
