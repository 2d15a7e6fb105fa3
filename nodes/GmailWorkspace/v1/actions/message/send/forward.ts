import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError, sleep } from 'n8n-workflow';

import {
	formatDate,
	htmlToTextAsync,
	textToHtmlAsync,
	type AttachmentInput,
	type GmailParsedMessage,
} from '../../../../mime';
import { downloadAttachment } from '../../../transport/download';
import { MAX_MESSAGE_BYTES } from '../../../transport/upload';
import { escapeHtml, htmlBody, showAddresses } from './quote';

const SLICED = { yieldFn: async () => await sleep(0) };
const MARK = '---------- Forwarded message ---------';

/** "Fwd: " once. */
export const forwardSubject = (subject: string) =>
	/^\s*fwd?\s*:/i.test(subject) ? subject : `Fwd: ${subject}`;

/** The header block of the forwarded message, as Gmail writes it: From, Date, Subject, To (and Cc). */
function headerLines(m: GmailParsedMessage): Array<[string, string]> {
	const lines: Array<[string, string]> = [
		['From', showAddresses(m.from)],
		['Date', m.date ? formatDate(m.date) : ''],
		['Subject', m.subject],
		['To', showAddresses(m.to)],
	];
	if (m.cc.length) lines.push(['Cc', showAddresses(m.cc)]);
	return lines;
}

/**
 * The forward's bodies: the note (if any) above the forwarded block, then the original. Text always; HTML when
 * the note or the original has HTML. Linear in the original's size.
 */
export async function forwardBodies(
	note: { text?: string; html?: string },
	m: GmailParsedMessage,
): Promise<{ text: string; html?: string }> {
	const lines = headerLines(m);
	const originalText = m.text ?? (m.html ? await htmlToTextAsync(m.html, SLICED) : '');
	const noteText = note.text ?? (note.html ? await htmlToTextAsync(note.html, SLICED) : '');
	const text =
		`${noteText ? `${noteText}\n\n` : ''}${MARK}\n` +
		`${lines.map(([k, v]) => `${k}: ${v}`).join('\n')}\n\n${originalText}`;
	if (!m.html && !note.html) return { text };
	const noteHtml = note.html ?? (noteText ? await textToHtmlAsync(noteText, SLICED) : '');
	const originalHtml = m.html ? htmlBody(m.html) : await textToHtmlAsync(originalText, SLICED);
	const html =
		`${noteHtml ? `${noteHtml}<br><br>` : ''}<div class="gmail_quote">${escapeHtml(MARK)}<br>` +
		lines.map(([k, v]) => `${k}: ${escapeHtml(v)}<br>`).join('') +
		`<br><br>${originalHtml}</div>`;
	return { text, html };
}

/**
 * The original's attachments for the new message. Bytes Gmail keeps behind an attachmentId are fetched only when
 * the upload reads them, decoded piece by piece (transport/download.ts): nothing is read for a refused message.
 */
export function forwardedAttachments(
	ctx: IExecuteFunctions,
	m: GmailParsedMessage,
	i: number,
): AttachmentInput[] {
	return m.attachments.map((a, n) => ({
		filename: a.filename || `attachment-${n + 1}`,
		mimeType: a.mimeType,
		contentId: a.cid || undefined,
		size: a.size,
		content:
			a.content ??
			downloadAttachment(
				ctx,
				{ messageId: String(m.id), attachmentId: String(a.attachmentId), size: a.size },
				i,
			),
	}));
}

const mib = (n: number) => `${(n / 1048576).toFixed(1)} MiB`;

/** Refuses a forward over Gmail's limit before any attachment is read or anything uploaded, naming the sizes. */
export function checkForwardSize(
	ctx: IExecuteFunctions,
	m: GmailParsedMessage,
	size: number,
	i: number,
): void {
	if (size <= MAX_MESSAGE_BYTES) return;
	const files = m.attachments.map((a) => `${a.filename || 'unnamed'} ${mib(a.size)}`).join(', ');
	throw new NodeOperationError(
		ctx.getNode(),
		`Forwarding message "${m.id}" would make a ${mib(size)} message (${size} bytes); Gmail accepts at most 35 MiB (${MAX_MESSAGE_BYTES} bytes) including attachments. Nothing was uploaded. [item ${i}]`,
		{
			itemIndex: i,
			description: `Its attachments: ${files || 'none'} (base64 in the message adds a third). Share large files as links instead, or forward without attachments.`,
		},
	);
}
