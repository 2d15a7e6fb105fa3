import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { paramError, readText } from '../../params';
import { gmailApiRequest } from '../../transport';
import { describeFailure } from '../../transport/errors';
import { asNodeError, forEachItem } from '../helpers/items';
import { GMAIL_ID } from '../message/messageId';
import { loadSender } from '../message/send/compose';
import { fetchOriginal, replyFields, sendReply } from '../message/send/reply';
import { threadIdParam, threadLocator } from './threadId';
import { threadError } from './threads';

export const description: INodeProperties[] = [
	threadLocator(['reply']),
	{
		displayName: 'Reply to Message ID',
		name: 'replyToMessage',
		type: 'string',
		default: '',
		placeholder: '18c9f0e2a1b2c3d4',
		description: "A message of the thread to answer; the thread's last message when empty",
		displayOptions: { show: { resource: ['thread'], operation: ['reply'] } },
	},
	...replyFields('thread', 'reply'),
];

/** The message of the thread a reply answers: the one chosen (it must be in the thread), else the last one. */
async function target(ctx: IExecuteFunctions, threadId: string, i: number): Promise<string> {
	let thread: IDataObject;
	try {
		thread = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.threads.get', {
			params: { id: threadId },
			qs: { format: 'minimal' },
			itemIndex: i,
		});
	} catch (error) {
		const failure = describeFailure(error);
		if (failure.status === 404) throw threadError(ctx, threadId, failure, i);
		throw asNodeError(ctx.getNode(), error, i);
	}
	const messages = ((thread.messages as Array<{ id: string; labelIds?: string[] }>) ?? []).filter(
		(m) => !m.labelIds?.includes('DRAFT'),
	);
	const chosen = readText(ctx, i, 'replyToMessage', 'Reply to Message ID');
	if (!chosen) {
		if (!messages.length)
			throw new NodeOperationError(
				ctx.getNode(),
				`Thread "${threadId}" has only drafts: nothing to reply to [item ${i}]`,
				{ itemIndex: i },
			);
		return messages[messages.length - 1].id;
	}
	if (!GMAIL_ID.test(chosen))
		throw paramError(ctx, 'Reply to Message ID', 'is not a Gmail message ID', i, chosen);
	if (!messages.some((m) => m.id === chosen))
		throw new NodeOperationError(
			ctx.getNode(),
			`Message "${chosen}" is not in thread "${threadId}": nothing was sent [item ${i}]`,
			{ itemIndex: i },
		);
	return chosen;
}

/** Thread → Reply: Message → Reply on the thread's last message (or a chosen one), the same fields and path. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const sender = await loadSender(this);
	return await forEachItem(this, items, async (i) => {
		const threadId = threadIdParam(this, i);
		const original = await fetchOriginal(this, await target(this, threadId, i), i);
		return await sendReply(this, i, sender, original);
	});
}
