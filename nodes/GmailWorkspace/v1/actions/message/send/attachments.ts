import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { AttachmentInput } from '../../../../mime';

/**
 * The attachments a card names, from n8n binary data. In filesystem mode (n8n 2.x's default) the bytes
 * stay on disk and are streamed into the message; in memory mode they are already a Buffer.
 */
export async function binaryAttachments(ctx: IExecuteFunctions, i: number): Promise<AttachmentInput[]> {
	const rows = ((ctx.getNodeParameter('attachments', i, {}) as IDataObject).attachment as IDataObject[]) ?? [];
	const out: AttachmentInput[] = [];
	for (const row of rows) {
		const properties = String(row.binaryPropertyName ?? '').split(',').map((p) => p.trim()).filter(Boolean);
		if (!properties.length) throw new NodeOperationError(ctx.getNode(), 'An attachment row names no binary property', { itemIndex: i });
		for (const property of properties) {
			const binary = ctx.helpers.assertBinaryData(i, property);
			const filename = String(row.fileName || binary.fileName || property);
			const mimeType = String(row.mimeType || binary.mimeType || '') || undefined;
			const contentId = row.contentId ? String(row.contentId).replace(/^<|>$/g, '') : undefined;
			if (binary.id) {
				const id = binary.id;
				const meta = await ctx.helpers.getBinaryMetadata(id);
				// opened only when the upload reads it: a message refused before upload leaves no file open
				const stream = async function* () {
					for await (const chunk of (await ctx.helpers.getBinaryStream(id, 16 * 1024)) as unknown as AsyncIterable<Buffer>) yield chunk;
				};
				out.push({ filename, mimeType, contentId, content: stream(), size: Number(meta.fileSize) });
			} else {
				out.push({ filename, mimeType, contentId, content: await ctx.helpers.getBinaryDataBuffer(i, property) });
			}
		}
	}
	return out;
}

export const attachmentsField = {
	displayName: 'Attachments',
	name: 'attachments',
	type: 'fixedCollection' as const,
	typeOptions: { multipleValues: true },
	placeholder: 'Add attachment',
	default: { attachment: [{ binaryPropertyName: 'data' }] },
	displayOptions: { show: { resource: ['message'], operation: ['sendWithAttachment'] } },
	options: [
		{
			displayName: 'Attachment',
			name: 'attachment',
			values: [
				{
					displayName: 'Input Binary Field',
					name: 'binaryPropertyName',
					type: 'string' as const,
					default: 'data',
					description: 'Binary property of the input item holding the file; several separated by commas',
				},
				{ displayName: 'File Name', name: 'fileName', type: 'string' as const, default: '', description: "Overrides the binary data's file name" },
				{ displayName: 'MIME Type', name: 'mimeType', type: 'string' as const, default: '', placeholder: 'application/pdf', description: "Overrides the binary data's MIME type" },
				{
					displayName: 'Inline Content ID',
					name: 'contentId',
					type: 'string' as const,
					default: '',
					placeholder: 'logo',
					description: 'Embeds the file in the HTML, referenced as &lt;img src="cid:logo"&gt;',
				},
			],
		},
	],
};
