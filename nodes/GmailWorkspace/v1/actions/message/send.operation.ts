import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { sendFields } from './send/fields';
import { sendItems } from './send/send';

export const description: INodeProperties[] = sendFields('send');

/** Send Email: text and/or HTML, CC/BCC, send-as alias, replies threaded; nothing appended to the mail. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await sendItems(this, items, false);
}
