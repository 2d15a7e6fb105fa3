import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { forEachItem } from '../helpers/items';
import { binaryAttachments } from '../message/send/attachments';
import { composeMessage, loadSender } from '../message/send/compose';
import { applyThreadOption, findDraft, saveDraft } from './compose';
import { composeFields } from './fields';
import { draftOutput } from './fetch';

export const description: INodeProperties[] = composeFields('create');

/**
 * Create Draft: Send Email with Attachment's fields, saved as a draft by media upload (so a 25 MiB file
 * works), threaded when a message to reply to or a thread is given. A retry after a lost answer first
 * looks for the draft by its Message-ID, so one item never leaves two drafts.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const sender = await loadSender(this);
	return await forEachItem(this, items, async (i) => {
		const composed = await composeMessage(this, i, sender);
		await applyThreadOption(this, i, composed);
		composed.input.attachments = await binaryAttachments(this, i);
		const draft = await saveDraft(this, i, composed.input, composed.messageId, {
			threadId: composed.threadId,
			findExisting: async () => await findDraft(this, composed.messageId, i),
		});
		return draftOutput(draft);
	});
}
