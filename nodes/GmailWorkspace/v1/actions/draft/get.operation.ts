import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readOption } from '../../params';
import { forEachItem } from '../helpers/items';
import { outputSizeFields } from '../helpers/tool';
import { loadLabelNames } from '../message/labels';
import { messageItem, readOptions } from '../message/output';
import { detailField, draftLocator, draftReadOptions } from './fields';
import { draftError, draftIdParam, fetchDrafts, type DraftDetail } from './fetch';

export const description: INodeProperties[] = [
	draftLocator(['get']),
	detailField(['get']),
	...outputSizeFields('draft', ['get']),
	draftReadOptions(['get']),
];

export const DETAILS = ['full', 'metadata'] as const;

/** Get Draft: the draft's message as Read Email gives a message, plus `draftId`; drafts fetched in one batch. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const wanted = items.map((_, i) => {
		try {
			const detail: DraftDetail = readOption(this, i, 'detail', 'Detail', DETAILS, 'full');
			return { id: draftIdParam(this, i), detail };
		} catch (error) {
			return error as Error;
		}
	});
	const ok = wanted.filter((w): w is { id: string; detail: DraftDetail } => !(w instanceof Error));
	const labels = ok.length ? await loadLabelNames(this) : new Map<string, string>();
	const results = new Map<number, Awaited<ReturnType<typeof fetchDrafts>>[number]>();
	for (const detail of DETAILS) {
		const idx = wanted.flatMap((w, i) => (!(w instanceof Error) && w.detail === detail ? [i] : []));
		if (!idx.length) continue;
		const ids = idx.map((i) => (wanted[i] as { id: string }).id);
		const fetched = await fetchDrafts(this, ids, detail);
		idx.forEach((i, n) => results.set(i, fetched[n]));
	}
	return await forEachItem(this, items, async (i) => {
		const w = wanted[i];
		if (w instanceof Error) throw w;
		const { message, failure } = results.get(i)!;
		if (!message) throw draftError(this, w.id, failure, i);
		const item = await messageItem(this, message, labels, readOptions(this, i), i);
		item.json = { draftId: w.id, ...item.json };
		return item;
	});
}
