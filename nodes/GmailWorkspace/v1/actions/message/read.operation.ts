import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { asNodeError } from '../helpers/items';
import { fetchError, fetchMessages } from './fetch';
import { loadLabelNames } from './labels';
import { messageIdParam, messageLocator } from './messageId';
import { readOptionsField } from './options';
import { messageItem, readOptions } from './output';

export const description: INodeProperties[] = [messageLocator(['read']), readOptionsField(['read'])];

/** Read Email: one message per input item — addresses, bodies, labels, attachments (optionally as binary). */
export async function execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]> {
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

	const out: INodeExecutionData[] = [];
	let next = 0;
	for (let i = 0; i < items.length; i++) {
		const id = ids[i];
		try {
			if (id instanceof Error) throw id;
			const { message, failure } = fetched[next++];
			if (!message) throw fetchError(this, id, failure!, i);
			out.push(await messageItem(this, message, labels, readOptions(this, i), i));
		} catch (error) {
			if (!this.continueOnFail()) throw asNodeError(this.getNode(), error, i);
			out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
		}
	}
	return out;
}
