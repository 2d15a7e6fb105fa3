import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';

import type { AttachmentInput } from '../../../../mime';
import { asText, paramError, rawParam } from '../../../params';
import { sanitizeFilename } from '../../helpers/filename';

const MIME_TYPE = /^[\w!#$&^.+-]+\/[\w!#$&^.+-]+$/;

/** The last part of a path, whatever the separator. */
const baseName = (name: string) =>
	name.slice(Math.max(name.lastIndexOf('/'), name.lastIndexOf('\\')) + 1);

/**
 * The attachments a card names, from n8n binary data. In filesystem mode (n8n 2.x's default) the bytes
 * stay on disk and are streamed into the message; in memory mode they are already a Buffer.
 */
export async function binaryAttachments(
	ctx: IExecuteFunctions,
	i: number,
): Promise<AttachmentInput[]> {
	const rows = (rawParam(ctx, 'attachments.attachment', i, []) ?? []) as IDataObject[];
	if (!Array.isArray(rows))
		throw paramError(ctx, 'Attachments', 'must be a list of attachment rows', i, rows);
	const out: AttachmentInput[] = [];
	for (const [n, row] of rows.entries()) {
		const label = (field: string) => `Attachment ${n + 1} ${field}`;
		const text = (field: string, value: unknown) => asText(ctx, label(field), value, i).trim();
		const properties = text('Input Binary Field', row.binaryPropertyName)
			.split(',')
			.map((p) => p.trim())
			.filter(Boolean);
		if (!properties.length)
			throw paramError(
				ctx,
				label('Input Binary Field'),
				'is empty: name the binary property holding the file',
				i,
			);
		const mimeOverride = text('MIME Type', row.mimeType);
		if (mimeOverride && !MIME_TYPE.test(mimeOverride))
			throw paramError(ctx, label('MIME Type'), 'must look like type/subtype', i, mimeOverride);
		for (const property of properties) {
			const binary = ctx.helpers.assertBinaryData(i, property);
			// a name from the workflow may carry a path ("../x", "C:\\x"): only its base name goes into the mail
			const filename = sanitizeFilename(
				baseName(text('File Name', row.fileName) || binary.fileName || property),
				property,
			);
			const mimeType = mimeOverride || binary.mimeType || undefined;
			const cid = text('Inline Content ID', row.contentId);
			if (/[\r\n\u0000]/.test(cid))
				throw paramError(
					ctx,
					label('Inline Content ID'),
					'must be one line (no line breaks or NUL)',
					i,
					cid,
				);
			const contentId = cid.replace(/^<|>$/g, '') || undefined;
			if (binary.id) {
				const id = binary.id;
				const meta = await ctx.helpers.getBinaryMetadata(id);
				// opened only when the upload reads it: a message refused before upload leaves no file open
				const stream = async function* () {
					for await (const chunk of (await ctx.helpers.getBinaryStream(
						id,
						16 * 1024,
					)) as unknown as AsyncIterable<Buffer>)
						yield chunk;
				};
				out.push({ filename, mimeType, contentId, content: stream(), size: Number(meta.fileSize) });
			} else {
				out.push({
					filename,
					mimeType,
					contentId,
					content: await ctx.helpers.getBinaryDataBuffer(i, property),
				});
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
					description:
						'Binary property of the input item holding the file; several separated by commas',
				},
				{
					displayName: 'File Name',
					name: 'fileName',
					type: 'string' as const,
					default: '',
					description: "Overrides the binary data's file name",
				},
				{
					displayName: 'MIME Type',
					name: 'mimeType',
					type: 'string' as const,
					default: '',
					placeholder: 'application/pdf',
					description: "Overrides the binary data's MIME type",
				},
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
