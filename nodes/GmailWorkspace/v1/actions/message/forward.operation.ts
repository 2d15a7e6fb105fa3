import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { readAddressList, readBoolean } from '../../params';
import { forEachItem } from '../helpers/items';
import { messageIdParam, messageLocator } from './messageId';
import { composeCommon, loadSender } from './send/compose';
import { sendFields } from './send/fields';
import {
	checkForwardSize,
	forwardBodies,
	forwardedAttachments,
	forwardSubject,
} from './send/forward';
import { fetchOriginal } from './send/reply';
import { sendComposed } from './send/send';

const note = (p: INodeProperties): INodeProperties =>
	p.name === 'message' || p.name === 'html'
		? {
				...p,
				displayName: p.name === 'html' ? 'Note (HTML)' : 'Note',
				description: 'Written above the forwarded message; may be empty',
			}
		: p;

export const description: INodeProperties[] = [
	messageLocator(['forward']),
	...sendFields('forward')
		.filter((p) => p.name !== 'subject')
		.map(note)
		.map((p) =>
			p.name === 'options'
				? {
						...p,
						options: [
							...(p.options as INodeProperties[]).filter((o) => o.name !== 'replyToMessageId'),
							{
								displayName: 'Include Attachments',
								name: 'includeAttachments',
								type: 'boolean',
								default: true,
								description: "Whether to forward the message's attachments with it",
							} as INodeProperties,
						].sort((a, b) => a.displayName.localeCompare(b.displayName)),
					}
				: p,
		),
];

/**
 * Forward one message to new recipients: "Fwd:" subject, an optional note above Gmail's forwarded block, the
 * original's attachments streamed from Gmail into the resumable upload; refused before upload when too large.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const sender = await loadSender(this);
	return await forEachItem(this, items, async (i) => {
		const original = await fetchOriginal(this, messageIdParam(this, i), i);
		const common = composeCommon(this, i, sender);
		const bodies = await forwardBodies(common.input, original);
		const withFiles = readBoolean(
			this,
			i,
			'options.includeAttachments',
			'Include Attachments',
			true,
		);
		const composed = {
			messageId: common.messageId,
			once: common.once,
			input: {
				...common.input,
				...bodies,
				to: readAddressList(this, i, 'to', 'To', { required: true }),
				subject: forwardSubject(original.subject),
				attachments: withFiles ? forwardedAttachments(this, original, i) : [],
			},
		};
		const sent = await sendComposed(this, composed, i, (size) =>
			checkForwardSize(this, original, size, i),
		);
		return { ...sent, forwardedId: original.id ?? null };
	});
}
