import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { readBoolean, readOption } from '../../params';
import { gmailBatch } from '../../transport';
import { apiError, type HttpFailure } from '../../transport/errors';
import { parseResource } from '../message/fetch';
import { readOptionsField } from '../message/options';
import { attachmentBinaries, outputJson, type OutputOptions } from '../message/output';
import { outputSizeFields } from '../helpers/tool';

/**
 * Threads read for Thread → Get and Thread → Search: threads.get through the batch endpoint (quota-paced,
 * retried), every message parsed as Read Email parses it, oldest first as Gmail orders a thread.
 */

export type ThreadDetail = 'full' | 'metadata';
const DETAILS = ['full', 'metadata'] as const;

export const threadOutputFields = (operation: string): INodeProperties[] => {
	const show = { resource: ['thread'], operation: [operation] };
	const options = readOptionsField([operation]);
	return [
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
			],
		},
		{
			displayName: 'Split Into Messages',
			name: 'split',
			type: 'boolean',
			default: false,
			description:
				'Whether to output one item per message (in thread order) instead of one item per thread with a messages list',
			displayOptions: { show },
		},
		...outputSizeFields('thread', [operation]),
		{ ...options, displayOptions: { show } },
	];
};

export const readThreadDetail = (ctx: IExecuteFunctions, i: number): ThreadDetail =>
	readOption(ctx, i, 'detail', 'Detail', DETAILS, 'full');
export const readSplit = (ctx: IExecuteFunctions, i: number) =>
	readBoolean(ctx, i, 'split', 'Split Into Messages');

export interface FetchedThread {
	thread?: IDataObject;
	failure?: HttpFailure;
}

/** threads.get for many ids through the batch endpoint; one result per id, in order. */
export async function fetchThreads(
	ctx: IExecuteFunctions,
	ids: string[],
	detail: ThreadDetail,
	itemIndex?: number,
): Promise<FetchedThread[]> {
	const outcomes = await gmailBatch<IDataObject>(
		ctx,
		ids.map((id) => ({ id: 'gmail.users.threads.get', params: { id }, qs: { format: detail } })),
		{ itemIndex },
	);
	return outcomes.map((o) => (o.ok ? { thread: o.value } : { failure: o.failure }));
}

/** A clear error for a thread that could not be read (404 names the id). */
export function threadError(ctx: IExecuteFunctions, id: string, failure: HttpFailure, i: number) {
	const what = `GET gmail/v1/users/me/threads/${id}`;
	if (failure.status === 404)
		return apiError(ctx.getNode(), failure, {
			what,
			itemIndex: i,
			message: `Thread "${id}" was not found in this mailbox`,
		});
	return apiError(ctx.getNode(), failure, {
		what,
		itemIndex: i,
		prefix: `Reading thread "${id}" failed${failure.status ? ` (HTTP ${failure.status})` : ''}`,
	});
}

/**
 * The output of one thread: one item with `messages` (binary attachments named prefix + message number + "_" +
 * attachment number), or with split one item per message, exactly as Read Email outputs a message.
 */
export async function threadItems(
	ctx: IExecuteFunctions,
	thread: IDataObject,
	labels: Map<string, string>,
	options: OutputOptions,
	split: boolean,
	i: number,
): Promise<INodeExecutionData[]> {
	const resources = (thread.messages as IDataObject[]) ?? [];
	const out: INodeExecutionData[] = [];
	const messages: IDataObject[] = [];
	let binary: INodeExecutionData['binary'];
	for (const [k, resource] of resources.entries()) {
		const { message } = await parseResource(resource, 'full');
		const json = outputJson(message!, labels, options);
		const files =
			options.downloadAttachments && message!.attachments.length
				? await attachmentBinaries(
						ctx,
						message!,
						split ? options.binaryPrefix : `${options.binaryPrefix}${k}_`,
						{ itemIndex: i },
					)
				: undefined;
		if (split) out.push({ json, ...(files ? { binary: files } : {}), pairedItem: { item: i } });
		else {
			messages.push(json);
			if (files) binary = { ...binary, ...files };
		}
	}
	if (split) return out;
	return [
		{
			json: {
				id: thread.id as string,
				historyId: (thread.historyId as string) ?? null,
				messageCount: messages.length,
				messages,
			},
			...(binary ? { binary } : {}),
			pairedItem: { item: i },
		},
	];
}
