import { badRequest, notFound } from '../core/errors';
import { isAttachment, isMessagePart, isMultipart, type MimeEntity } from './mime';
import { derive, type StoredMessage } from './store';

/** Gmail's base64url: URL-safe alphabet, with padding (as Gmail returns it). */
export const b64url = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');

/** Accepts base64url or standard base64, padded or not (what Gmail's JSON `bytes` fields accept). */
export function fromB64(s: string): Buffer {
	if (typeof s !== 'string' || /[^A-Za-z0-9+/_\-=\s]/.test(s)) throw badRequest('Invalid value for ByteString: ' + String(s).slice(0, 40));
	return Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/').replace(/\s/g, ''), 'base64');
}

/** Parts larger than this get an attachmentId instead of inline data even without a filename. */
export const INLINE_MAX = 1024 * 1024;

export type Format = 'full' | 'metadata' | 'minimal' | 'raw';
export function parseFormat(v: string | null, allowed: Format[] = ['full', 'metadata', 'minimal', 'raw']): Format {
	const f = (v ?? 'full') as Format;
	if (!allowed.includes(f)) throw badRequest(`Invalid value at 'format' (TYPE_ENUM), "${v}"`);
	return f;
}

export interface MessagePart {
	partId: string;
	mimeType: string;
	filename: string;
	headers: { name: string; value: string }[];
	body: { size: number; data?: string; attachmentId?: string };
	parts?: MessagePart[];
}

/**
 * Attachment ids are opaque to clients. Gmail's change on every fetch; the stand-in's are stable and encode the
 * message and part so attachments.get can find the bytes again.
 */
export const attachmentIdFor = (messageId: string, partId: string) =>
	'ANGjdJ' + Buffer.from(`${messageId}/${partId}`).toString('base64url');

export function parseAttachmentId(id: string): { messageId: string; partId: string } | undefined {
	if (!id.startsWith('ANGjdJ')) return undefined;
	const m = /^([0-9a-f]+)\/([\d.]*)$/.exec(Buffer.from(id.slice(6), 'base64url').toString('utf8'));
	return m ? { messageId: m[1], partId: m[2] } : undefined;
}

function usesAttachmentId(e: MimeEntity): boolean {
	if (isMessagePart(e)) return e.filename !== '';
	if (isAttachment(e) || e.body.length > INLINE_MAX) return true;
	return !(e.mimeType.startsWith('text/') || e.mimeType.startsWith('message/'));
}

function toPart(messageId: string, e: MimeEntity, partId: string): MessagePart {
	const part: MessagePart = { partId, mimeType: e.mimeType, filename: e.filename, headers: e.headers, body: { size: 0 } };
	if (isMultipart(e)) {
		part.body = { size: 0 };
	} else if (usesAttachmentId(e)) {
		part.body = { attachmentId: attachmentIdFor(messageId, partId), size: e.body.length };
	} else {
		part.body = { size: e.body.length, ...(e.body.length ? { data: b64url(e.body) } : {}) };
	}
	if (e.parts.length) part.parts = e.parts.map((c, i) => toPart(messageId, c, partId === '' ? String(i) : `${partId}.${i}`));
	return part;
}

/** The entity with a Gmail partId ("" root, "0", "1.0", …). */
export function findPart(root: MimeEntity, partId: string): MimeEntity | undefined {
	if (partId === '') return root;
	let e: MimeEntity | undefined = root;
	for (const i of partId.split('.')) {
		e = e?.parts[Number(i)];
		if (!e) return undefined;
	}
	return e;
}

/** Gmail's Message resource for a stored message in the requested format. */
export function messageResource(m: StoredMessage, format: Format, metadataHeaders: string[] = []) {
	const d = derive(m.raw);
	const out: Record<string, unknown> = {
		id: m.id,
		threadId: m.threadId,
		...(m.labelIds.length ? { labelIds: [...m.labelIds] } : {}),
		snippet: d.snippet,
		historyId: String(m.historyId),
		internalDate: String(m.internalDate),
	};
	if (format === 'full') out.payload = toPart(m.id, d.mime, '');
	if (format === 'metadata') {
		const want = new Set(metadataHeaders.map((h) => h.toLowerCase()));
		out.payload = {
			partId: '',
			mimeType: d.mime.mimeType,
			filename: '',
			headers: want.size ? d.mime.headers.filter((h) => want.has(h.name.toLowerCase())) : d.mime.headers,
		};
	}
	out.sizeEstimate = m.raw.length;
	if (format === 'raw') out.raw = b64url(m.raw);
	return out;
}

/** {id, threadId, labelIds}: what send / insert / import / modify / trash answer with. */
export const messageRef = (m: StoredMessage) => ({ id: m.id, threadId: m.threadId, ...(m.labelIds.length ? { labelIds: [...m.labelIds] } : {}) });

export function attachmentBytes(m: StoredMessage, partId: string): Buffer {
	const e = findPart(derive(m.raw).mime, partId);
	if (!e || isMultipart(e)) throw notFound();
	return e.body;
}
