import type {
	IBinaryKeyData,
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	IPollFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';

import type { Address, GmailParsedMessage } from '../../../mime';
import { gmailApiRequest } from '../../transport';
import { sanitizeFilename } from '../helpers/filename';
import { readBoolean, readText } from '../../params';
import { COMPACT_TEXT_CAP, readOutputSize } from '../helpers/tool';

export interface OutputOptions {
	includeHeaders: boolean;
	/** Output Size "Compact" (AI tools): see compactMessageJson. */
	compact?: boolean;
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

const shown = (a: Address) => (a.name ? `${a.name} <${a.address}>` : a.address);

/** `text` cut at `cap` characters, never inside a surrogate pair. */
function capText(text: string, cap: number): string {
	const end = cap > 0 && /[\uD800-\uDBFF]/.test(text[cap - 1]) ? cap - 1 : cap;
	return text.slice(0, end);
}

/**
 * A message for a model's context (Output Size "Compact"): who, what, when, label names, attachment names
 * and the text body cut at COMPACT_TEXT_CAP characters (textTruncated and textLength say so); no HTML body,
 * no raw headers (unless Include All Headers is on), empty fields left out.
 */
export function compactMessageJson(
	m: GmailParsedMessage,
	labels: Map<string, string>,
	includeHeaders: boolean,
): IDataObject {
	const json: IDataObject = {
		id: m.id,
		threadId: m.threadId,
		from: m.from[0] ? shown(m.from[0]) : null,
		to: m.to.map(shown),
	};
	if (m.cc.length) json.cc = m.cc.map(shown);
	json.subject = m.subject;
	json.date = m.date ? m.date.toISOString() : null;
	json.labels = (m.labelIds ?? []).map((id) => labels.get(id) ?? id);
	const text = (m.text ?? '').trim();
	if (text.length > COMPACT_TEXT_CAP) {
		json.textBody = capText(text, COMPACT_TEXT_CAP);
		json.textTruncated = true;
		json.textLength = text.length;
	} else if (text) json.textBody = text;
	else json.snippet = m.snippet ?? '';
	if (m.attachments.length)
		json.attachments = m.attachments.map((a) => ({
			filename: a.filename,
			mimeType: a.mimeType,
			size: a.size,
		}));
	if (includeHeaders)
		json.headers = m.headers.map((h) => ({ name: h.name, value: h.value })) as IDataObject[];
	return json;
}

/** A message as the card's Output Size asks: compact or full. */
export const outputJson = (
	m: GmailParsedMessage,
	labels: Map<string, string>,
	options: OutputOptions,
): IDataObject =>
	options.compact
		? compactMessageJson(m, labels, options.includeHeaders)
		: messageJson(m, labels, options.includeHeaders);

/**
 * Put each attachment into n8n binary data (through n8n's helper, so filesystem mode keeps the bytes
 * off the heap), fetching those Gmail keeps behind an attachmentId.
 */
export async function attachmentBinaries(
	ctx: IExecuteFunctions | IPollFunctions | ITriggerFunctions,
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
	ctx: IExecuteFunctions | IPollFunctions | ITriggerFunctions,
	m: GmailParsedMessage,
	labels: Map<string, string>,
	options: OutputOptions,
	itemIndex: number,
): Promise<INodeExecutionData> {
	const json = outputJson(m, labels, options);
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
		compact: readOutputSize(ctx, itemIndex) === 'compact',
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
