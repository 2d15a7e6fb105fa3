import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
} from 'n8n-workflow';

import type { Address, GmailParsedMessage } from '../../../mime';
import { gmailApiRequest } from '../../transport';
import { sanitizeFilename } from '../helpers/filename';
import { readBoolean, readText } from '../../params';

export interface OutputOptions {
	includeHeaders: boolean;
	downloadAttachments: boolean;
	/** Binary property names: prefix + index (attachment_0, attachment_1, …). */
	binaryPrefix: string;
}

const addr = (a: Address) => ({ name: a.name, address: a.address });

/** The item a read/search card outputs for one message, as the card's documentation describes it. */
export function messageJson(
	m: GmailParsedMessage,
	labels: Map<string, string>,
	includeHeaders: boolean,
): IDataObject {
	return {
		id: m.id,
		threadId: m.threadId,
		subject: m.subject,
		from: m.from[0] ? addr(m.from[0]) : null,
		to: m.to.map(addr),
		cc: m.cc.map(addr),
		bcc: m.bcc.map(addr),
		replyTo: m.replyTo.map(addr),
		date: m.date ? m.date.toISOString() : null,
		messageId: m.messageId ?? null,
		inReplyTo: m.inReplyTo ?? null,
		references: m.references,
		textBody: m.text ?? '',
		htmlBody: m.html ?? '',
		snippet: m.snippet ?? '',
		labels: (m.labelIds ?? []).map((id) => ({ id, name: labels.get(id) ?? id })),
		attachments: m.attachments.map((a) => ({
			filename: a.filename,
			mimeType: a.mimeType,
			size: a.size,
			attachmentId: a.attachmentId ?? null,
			contentId: a.cid || null,
			inline: a.inline,
		})),
		...(includeHeaders
			? {
					headers: m.headers.map((h) => ({
						name: h.name,
						value: h.value,
					})) as unknown as IDataObject[],
				}
			: {}),
	};
}

/**
 * Put each attachment into n8n binary data (through n8n's helper, so filesystem mode keeps the bytes
 * off the heap), fetching those Gmail keeps behind an attachmentId.
 */
export async function attachmentBinaries(
	ctx: IExecuteFunctions | IPollFunctions,
	m: GmailParsedMessage,
	prefix: string,
	opts: { userId?: string; itemIndex?: number } = {},
): Promise<IBinaryKeyData> {
	const binary: IBinaryKeyData = {};
	for (const [i, a] of m.attachments.entries()) {
		let content = a.content;
		if (!content && a.attachmentId) {
			const body = await gmailApiRequest<{ data: string }>(
				ctx,
				'gmail.users.messages.attachments.get',
				{
					itemIndex: opts.itemIndex,
					params: { userId: opts.userId ?? 'me', messageId: String(m.id), id: a.attachmentId },
				},
			);
			content = Buffer.from(body.data, 'base64url');
		}
		if (!content) continue;
		binary[`${prefix}${i}`] = await ctx.helpers.prepareBinaryData(
			content,
			sanitizeFilename(a.filename, `attachment-${i}`),
			a.mimeType,
		);
	}
	return binary;
}

export async function messageItem(
	ctx: IExecuteFunctions | IPollFunctions,
	m: GmailParsedMessage,
	labels: Map<string, string>,
	options: OutputOptions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const json = messageJson(m, labels, options.includeHeaders);
	if (!options.downloadAttachments || !m.attachments.length)
		return { json, pairedItem: { item: itemIndex } };
	return {
		json,
		binary: await attachmentBinaries(ctx, m, options.binaryPrefix, { itemIndex }),
		pairedItem: { item: itemIndex },
	};
}

/** The shared "Options" of read cards. */
export function readOptions(ctx: IExecuteFunctions, itemIndex: number): OutputOptions {
	return {
		includeHeaders: readBoolean(ctx, itemIndex, 'options.includeHeaders', 'Include All Headers'),
		downloadAttachments: readBoolean(
			ctx,
			itemIndex,
			'options.downloadAttachments',
			'Download Attachments',
		),
		binaryPrefix: readText(ctx, itemIndex, 'options.attachmentPrefix', 'Attachment Prefix', {
			fallback: 'attachment_',
			singleLine: true,
		}),
	};
}
