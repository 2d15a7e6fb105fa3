import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { attachmentsField } from './send/attachments';
import { sendFields } from './send/fields';
import { sendItems } from './send/send';

export const description: INodeProperties[] = [
	...sendFields('sendWithAttachment'),
	attachmentsField,
];

/** Send Email with Attachment: Send Email plus files from n8n binary data, streamed, up to Gmail's 35 MiB. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await sendItems(this, items, true);
}
