import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';
import { describeFailure } from '../../transport/errors';
import { DEFAULT_RETRY } from '../../transport/retry';
import { asNodeError, forEachItem } from '../helpers/items';
import { draftLocator } from './fields';
import { draftError, draftIdParam } from './fetch';

export const description: INodeProperties[] = [draftLocator(['delete'])];

/** Delete Draft: removes the draft and its message for good (drafts.delete). Output `{id, deleted: true}`. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const id = draftIdParam(this, i);
		let repeated = false;
		try {
			await gmailApiRequest(this, 'gmail.users.drafts.delete', {
				params: { id },
				itemIndex: i,
				retry: {
					...DEFAULT_RETRY,
					safeToRetry: async () => (repeated = true),
				},
			});
		} catch (error) {
			// a 404 after a repeat means the first attempt deleted it (its answer was lost)
			if (describeFailure(error).status !== 404) throw asNodeError(this.getNode(), error, i);
			if (!repeated) throw draftError(this, id, error, i);
		}
		return { id, deleted: true };
	});
}
