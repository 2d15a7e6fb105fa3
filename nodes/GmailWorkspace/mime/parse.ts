/**
 * parseRawMessage: RFC 5322 / MIME parsing that agrees with mailparser's simpleParser on what ends up in
 * subject, addresses, text, html and attachments (see test/mime/parse-differential.test.ts for the measured
 * agreement and the deliberate differences), but never throws and never hangs:
 *
 * - one forward pass over the bytes (indexOf per line; no regex ever runs over a whole body or header with
 *   backtracking), multipart delimiters of every open ancestor recognised (so a missing close delimiter
 *   cannot swallow the rest of the message);
 * - nesting depth bounded (MAX_DEPTH) and the number of parts bounded (MAX_PARTS); parts past the limits are
 *   skipped, not parsed.
 *
 * Semantics copied from mailparser (3.9): text/plain, text/html and message/delivery-status parts without an
 * attachment disposition are bodies, everything else is an attachment; message/rfc822 is an attachment (its
 * raw bytes) unless it is explicitly `Content-Disposition: inline` in 7bit/8bit/binary, in which case the
 * enclosed message's bodies are shown inline with a small header block; text parts are joined with "\n" and
 * HTML parts with "<br/>\n"; a plain part outside multipart/alternative becomes HTML when the message has
 * HTML, and an HTML part becomes text when the message has plain parts (or is an HTML-only message).
 */
import { parseAddressList, type Address } from './address';
import { decodeBinaryString, decodeBytes, decodeGuess, resolveCharset } from './charset';
import { decodeWords } from './encoded-words';
import { firstHeader, lastHeader, parseStructured, readHeaderBlock, unfold, type RawHeader } from './headers';
import { htmlToText, textToHtml } from './html-to-text';
import { mimeTypeFromFilename } from './mime-types';
import { decodeTransfer } from './transfer';
import type { GmailParsedMessage, GmailPayloadAttachment, HeaderField, ParsedAttachment, ParsedMessage } from './types';

/** Multipart / embedded-message nesting deeper than this is skipped. */
export const MAX_DEPTH = 40;
/** Parts past this count are skipped. */
export const MAX_PARTS = 5000;

const TEXT_TYPES = ['text/plain', 'text/html', 'message/delivery-status'];

export interface Node {
	headers: RawHeader[];
	/** The top-level message. */
	top: boolean;
	parent?: Node;
	children: Node[];
	contentType: string;
	params: Record<string, string>;
	/** Content-Disposition value as written ('' when absent), lower-cased. */
	rawDisposition: string;
	encoding: string;
	charset?: string;
	filename: string;
	boundary?: Buffer;
	multipart: boolean;
	/** An inline message/rfc822 whose content was parsed as a nested message (its only child). */
	messageNode: boolean;
	flowed: boolean;
	delSp: boolean;
	body?: Buffer;
	/** Past a depth or part limit: neither body nor attachment. */
	skipped?: boolean;
	/** Gmail payload parts: the bytes live behind this id (body absent). */
	attachmentId?: string;
	/** Gmail payload parts: body.size. */
	size?: number;
	/** Gmail payload parts: partId. */
	partId?: string;
}

/** Header text: binary strings are read as UTF-8 / the message charset; Gmail's values are text already. */
const headerValueText = (ctx: Ctx, raw: string) => (ctx.unicodeHeaders ? raw : decodeBinaryString(raw, ctx.headerCharset));

export interface Ctx {
	buf: Buffer;
	end: number;
	parts: number;
	/** Header values are already text (Gmail payload headers), not binary strings. */
	unicodeHeaders?: boolean;
	/** Charset for undeclared 8-bit header bytes that are not UTF-8 (the top-level charset, else windows-1252). */
	headerCharset?: string;
	root?: Node;
}

interface Hit {
	lineStart: number;
	lineNext: number;
	index: number;
	close: boolean;
}

/** 0: not a delimiter of `boundary`; 1: "--boundary"; 2: "--boundary--" (trailing blanks allowed). */
function delimiterKind(buf: Buffer, ls: number, le: number, boundary: Buffer): 0 | 1 | 2 {
	const bl = boundary.length;
	if (le - ls < 2 + bl || buf.compare(boundary, 0, bl, ls + 2, ls + 2 + bl) !== 0) return 0;
	let p = ls + 2 + bl;
	let kind: 1 | 2 = 1;
	if (p + 2 <= le && buf[p] === 0x2d && buf[p + 1] === 0x2d) {
		kind = 2;
		p += 2;
	}
	for (; p < le; p++) if (buf[p] !== 0x20 && buf[p] !== 0x09) return 0;
	return kind;
}

function matchDelimiter(buf: Buffer, ls: number, le: number, stack: Buffer[]): { index: number; close: boolean } | undefined {
	for (let k = stack.length - 1; k >= 0; k--) {
		const kind = delimiterKind(buf, ls, le, stack[k]);
		if (kind) return { index: k, close: kind === 2 };
	}
	return undefined;
}

function scanToDelimiter(ctx: Ctx, pos: number, stack: Buffer[]): Hit | undefined {
	const { buf, end } = ctx;
	while (pos < end) {
		let nl = buf.indexOf(0x0a, pos);
		if (nl < 0 || nl >= end) nl = end;
		if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) {
			let le = nl;
			if (le > pos && buf[le - 1] === 0x0d) le--;
			const m = matchDelimiter(buf, pos, le, stack);
			if (m) return { lineStart: pos, lineNext: Math.min(nl + 1, end), index: m.index, close: m.close };
		}
		pos = nl + 1;
	}
	return undefined;
}

/** Builds a node from its header block (mailsplit's defaults: no Content-Type → from the filename, attachment → octet-stream, else text/plain). */
export function makeNode(ctx: Ctx, headers: RawHeader[], parent: Node | undefined): Node {
	const ctHeader = firstHeader(headers, 'content-type');
	const cdHeader = firstHeader(headers, 'content-disposition');
	const cteHeader = firstHeader(headers, 'content-transfer-encoding');
	const cdBin = cdHeader ? unfold(cdHeader.raw) : '';
	const cd = parseStructured(headerValueText(ctx, cdBin));
	const ctBin = ctHeader ? unfold(ctHeader.raw) : '';
	let contentType = '';
	let params: Record<string, string> = {};
	let boundary: Buffer | undefined;
	if (ctBin) {
		const ctText = headerValueText(ctx, ctBin);
		const ct = parseStructured(ctText);
		params = ct.params;
		contentType = ct.value.toLowerCase().trim();
		const rawBoundary = ctText === ctBin ? ct.params.boundary : parseStructured(ctBin).params.boundary;
		if (rawBoundary) boundary = Buffer.from(rawBoundary, 'latin1');
	}
	const rawDisposition = decodeWords(cd.value.toLowerCase().trim());
	if (!contentType) {
		const fromName = cd.params.filename ? mimeTypeFromFilename(cd.params.filename) : undefined;
		contentType = fromName ?? (rawDisposition === 'attachment' ? 'application/octet-stream' : 'text/plain');
	}
	const slash = contentType.indexOf('/');
	const multipart = slash > 0 && contentType.slice(0, slash) === 'multipart' && slash < contentType.length - 1;
	const encoding = cteHeader ? unfold(cteHeader.raw).replace(/\([^)]*\)/g, '').toLowerCase().trim() : '';
	const filename = decodeWords(cd.params.filename || params.name || '');
	const messageNode =
		contentType === 'message/rfc822' && (!encoding || ['7bit', '8bit', 'binary'].includes(encoding)) && rawDisposition === 'inline';
	return {
		headers,
		top: !parent,
		parent,
		children: [],
		contentType,
		params,
		rawDisposition,
		encoding,
		charset: params.charset || undefined,
		filename,
		boundary: multipart && boundary && boundary.length ? boundary : undefined,
		multipart,
		messageNode,
		flowed: (params.format || '').toLowerCase().trim() === 'flowed',
		delSp: (params.delsp || '').toLowerCase().trim() === 'yes',
	};
}

/** Parses the entity starting at `start`; returns where parsing stopped (an unconsumed delimiter line, or the end). */
function parseEntity(ctx: Ctx, start: number, stack: Buffer[], depth: number, parent: Node | undefined): number {
	const { buf, end } = ctx;
	const isStop = stack.length ? (ls: number, le: number) => matchDelimiter(buf, ls, le, stack) !== undefined : undefined;
	const block = readHeaderBlock(buf, start, end, isStop);
	let node = makeNode(ctx, block.headers, parent);
	if (!parent) {
		// 8-bit header bytes that are not UTF-8 are read in the top-level charset: re-read the headers with it
		const cs = resolveCharset(node.charset);
		if (cs && cs !== 'utf-8') {
			ctx.headerCharset = node.charset;
			node = makeNode(ctx, block.headers, undefined);
		}
		ctx.root = node;
	} else parent.children.push(node);
	ctx.parts++;
	if (block.stopped) {
		node.body = buf.subarray(block.bodyStart, block.bodyStart);
		return block.bodyStart;
	}
	if (node.multipart && node.boundary) {
		if (depth >= MAX_DEPTH) node.skipped = true;
		else {
			const myStack = [...stack, node.boundary];
			let pos = block.bodyStart;
			for (;;) {
				const hit = scanToDelimiter(ctx, pos, myStack);
				if (!hit) return end;
				if (hit.index < stack.length) return hit.lineStart;
				if (hit.close) {
					if (!stack.length) return end;
					const outer = scanToDelimiter(ctx, hit.lineNext, stack);
					return outer ? outer.lineStart : end;
				}
				if (ctx.parts >= MAX_PARTS) {
					pos = hit.lineNext;
					continue;
				}
				pos = parseEntity(ctx, hit.lineNext, myStack, depth + 1, node);
				if (pos >= end) return end;
			}
		}
	}
	if (node.messageNode && !node.skipped) {
		if (depth >= MAX_DEPTH || ctx.parts >= MAX_PARTS) node.skipped = true;
		else return parseEntity(ctx, block.bodyStart, stack, depth + 1, node);
	}
	// a leaf
	if (!stack.length) {
		node.body = buf.subarray(block.bodyStart, end);
		return end;
	}
	const hit = scanToDelimiter(ctx, block.bodyStart, stack);
	let bodyEnd = hit ? hit.lineStart : end;
	// the line break before a delimiter belongs to the delimiter (and one at the end of an unterminated part is dropped)
	if (bodyEnd > block.bodyStart && buf[bodyEnd - 1] === 0x0a) {
		bodyEnd--;
		if (bodyEnd > block.bodyStart && buf[bodyEnd - 1] === 0x0d) bodyEnd--;
	} else if (!hit && bodyEnd > block.bodyStart && buf[bodyEnd - 1] === 0x0d) bodyEnd--;
	node.body = buf.subarray(block.bodyStart, bodyEnd);
	return hit ? hit.lineStart : end;
}

/** RFC 3676 format=flowed decoding, as libmime does it (on the transfer-decoded bytes as a binary string). */
export function decodeFlowed(str: string, delSp: boolean): string {
	const lines = str.split(/\r?\n/);
	const result: string[] = [];
	// the logical line being assembled, as pieces (string concatenation + endsWith would be quadratic)
	let pieces: string[] | null = null;
	let last = '';
	const flush = () => {
		if (pieces !== null) result.push(pieces.join(''));
	};
	for (const line of lines) {
		// a line ending in a space continues on the next one, except the signature separator "-- "
		const soft = pieces !== null && last.endsWith(' ') && !(pieces.length === 1 && last === '-- ');
		if (soft) {
			if (delSp) pieces![pieces!.length - 1] = last.slice(0, -1);
			pieces!.push(line);
		} else {
			flush();
			pieces = [line];
		}
		last = line;
	}
	// libmime drops a final empty line
	if (pieces !== null && pieces.join('') !== '') flush();
	return result.join('\n').replace(/^ /gm, '');
}

function nodeText(node: Node): string {
	let bytes = decodeTransfer(node.body ?? Buffer.alloc(0), node.encoding);
	if (node.flowed) bytes = Buffer.from(decodeFlowed(bytes.toString('latin1'), node.delSp), 'latin1');
	const cs = (node.charset || 'utf-8').toLowerCase().replace(/[^a-z0-9]+/g, '');
	// mailparser reads us-ascii (and unknown charsets) as UTF-8; keep that, with windows-1252 for invalid UTF-8
	const text = cs === 'ascii' || cs === 'usascii' || !resolveCharset(node.charset) ? decodeGuess(bytes) : decodeBytes(bytes, node.charset);
	return text.replace(/\r?\n/g, '\n');
}

const ensureMessageId = (v: string) => (v ? (v[0] === '<' ? v : '<' + v) + (v.endsWith('>') ? '' : '>') : '');

interface HeaderReader {
	text(h: RawHeader): string;
	last(key: string): string | undefined;
	all(key: string): string[];
}

function headerReader(headers: RawHeader[], ctx: Ctx): HeaderReader {
	const text = (h: RawHeader) => headerValueText(ctx, unfold(h.raw));
	return {
		text,
		last: (key) => {
			const h = lastHeader(headers, key);
			return h ? text(h) : undefined;
		},
		all: (key) => headers.filter((h) => h.key === key).map(text),
	};
}

function addresses(r: HeaderReader, key: string, single: boolean): Address[] {
	const values = single ? [r.last(key)].filter((v): v is string => v !== undefined) : r.all(key);
	return values.flatMap((v) => parseAddressList(v));
}

function formatAddressesText(list: Address[]): string {
	return list.map((a) => (a.name ? `"${a.name}"` + (a.address ? ` <${a.address}>` : '') : a.address)).join(', ');
}

/** The `he` library's default encode (what mailparser uses for its header tables): hex references for specials and non-ASCII. */
function heEncode(s: string): string {
	let out = '';
	for (const ch of s) {
		const cp = ch.codePointAt(0)!;
		out += cp > 0x7e || '&<>"\'`'.includes(ch) ? `&#x${cp.toString(16).toUpperCase()};` : ch;
	}
	return out;
}

function formatAddressesHtml(list: Address[]): string {
	return list
		.map((a) => {
			let str = '<span class="mp_address_group">';
			if (a.name) str += '<span class="mp_address_name">' + heEncode(a.name) + '</span>';
			if (a.address) {
				const link = `<a href="mailto:${heEncode(a.address)}" class="mp_address_email">${heEncode(a.address)}</a>`;
				str += a.name ? ' &lt;' + link + '&gt;' : link;
			}
			return str + '</span>';
		})
		.join(', ');
}

export interface ParseOptions {
	/** Decode format=flowed text (default true, like mailparser). */
	decodeFlowed?: boolean;
}

/** Parses a raw RFC 5322 message. Never throws: malformed input yields whatever could be recovered. */
export function parseRawMessage(raw: Buffer | Uint8Array | string, options: ParseOptions = {}): ParsedMessage {
	const buf = Buffer.isBuffer(raw)
		? raw
		: typeof raw === 'string'
			? Buffer.from(raw, 'utf8')
			: raw instanceof Uint8Array
				? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
				: Buffer.alloc(0);
	try {
		const ctx: Ctx = { buf, end: buf.length, parts: 0 };
		parseEntity(ctx, 0, [], 0, undefined);
		return assembleMessage(ctx.root!, ctx, options) as ParsedMessage;
	} catch (error) {
		// Last line of defence for the "never throws" promise (no known input gets here): hand the bytes back
		// untouched as one message/rfc822 attachment, with the reason, so nothing is lost.
		return unparsed(buf, error instanceof Error ? error.message : String(error));
	}
}

function unparsed(buf: Buffer, reason: string): ParsedMessage {
	return {
		subject: '',
		from: [],
		to: [],
		cc: [],
		bcc: [],
		replyTo: [],
		date: undefined,
		messageId: undefined,
		inReplyTo: undefined,
		references: [],
		text: undefined,
		html: undefined,
		headers: [{ name: 'X-Parse-Error', value: reason }],
		attachments: [
			{ filename: 'message.eml', mimeType: 'message/rfc822', size: buf.length, contentId: '', cid: '', inline: false, related: false, disposition: 'attachment', content: Buffer.from(buf) },
		],
	};
}

/**
 * Turns a node tree into the message shape: mailparser's rules for which parts are bodies and attachments
 * and how bodies are joined (see the module comment). Shared with the Gmail payload reader.
 */
export function assembleMessage(root: Node, ctx: Ctx, options: ParseOptions = {}): ParsedMessage | GmailParsedMessage {
	if (options.decodeFlowed === false) {
		const off = (n: Node) => {
			n.flowed = false;
			n.children.forEach(off);
		};
		off(root);
	}
	const reader = headerReader(root.headers, ctx);

	// bodies and attachments, in document order
	const attachments: Array<ParsedAttachment | GmailPayloadAttachment> = [];
	let hasText = false;
	let hasHtml = false;
	const textContent = new Map<Node, string>();
	const walk = (node: Node) => {
		if (node.skipped) return;
		if (!node.multipart && !node.messageNode) {
			let disposition = node.rawDisposition;
			if (disposition && disposition !== 'attachment' && disposition !== 'inline') disposition = 'attachment';
			if (!disposition) disposition = TEXT_TYPES.includes(node.contentType) ? 'inline' : 'attachment';
			// a Gmail text part whose bytes sit behind an attachmentId cannot be shown: hand it out as an attachment
			const isAttachment = !TEXT_TYPES.includes(node.contentType) || disposition !== 'inline' || !node.body;
			if (isAttachment) attachments.push(toAttachment(node, ctx));
			else {
				if (node.contentType === 'text/html') hasHtml = true;
				else hasText = true;
				textContent.set(node, nodeText(node));
			}
		}
		node.children.forEach(walk);
	};
	walk(root);

	const text: string[] = [];
	const html: string[] = [];
	const assemble = (alternative: boolean, node: Node) => {
		if (node.skipped) return;
		if (node.parent && node.parent.messageNode) pushMeta(node, ctx, hasText, hasHtml, text, html);
		const content = textContent.get(node);
		if (content) {
			if (node.contentType === 'text/html') {
				if ((!alternative && hasText) || (node.top && !hasText)) text.push(htmlToText(content));
				html.push(content);
			} else {
				text.push(content);
				if (!alternative && hasHtml) html.push(textToHtml(content));
			}
		}
		const inAlternative = alternative || node.contentType === 'multipart/alternative';
		node.children.forEach((c) => assemble(inAlternative, c));
	};
	assemble(false, root);

	const dateText = reader.last('date');
	const date = dateText !== undefined ? parseDate(dateText) : undefined;
	const messageId = ensureMessageId(decodeWords(reader.last('message-id') ?? '').trim());
	const inReplyTo = ensureMessageId(decodeWords(reader.last('in-reply-to') ?? '').trim());
	const references = reader
		.all('references')
		.flatMap((v) => decodeWords(v).split(/\s+/))
		.map(ensureMessageId)
		.filter((v) => v);
	const headers: HeaderField[] = root.headers
		.filter((h) => h.key)
		.map((h) => ({ name: h.name, value: decodeWords(reader.text(h)) }));

	return {
		subject: decodeWords(reader.last('subject') ?? ''),
		from: addresses(reader, 'from', true),
		to: addresses(reader, 'to', false),
		cc: addresses(reader, 'cc', false),
		bcc: addresses(reader, 'bcc', false),
		replyTo: addresses(reader, 'reply-to', true),
		date,
		messageId: messageId || undefined,
		inReplyTo: inReplyTo || undefined,
		references,
		text: text.length ? text.join('\n') : undefined,
		html: html.length ? html.join('<br/>\n') : undefined,
		attachments,
		headers,
	};
}

export function parseDate(value: string): Date | undefined {
	const cleaned = value.replace(/\([^()]*\)/g, ' ').replace(/\s+/g, ' ').trim();
	for (const candidate of [value, cleaned]) {
		const d = new Date(candidate);
		if (!isNaN(d.getTime())) return d;
	}
	return undefined;
}

function toAttachment(node: Node, ctx: Ctx): ParsedAttachment | GmailPayloadAttachment {
	let content: Buffer | undefined;
	if (node.body) {
		content = decodeTransfer(node.body, node.encoding);
		if (content === node.body) content = Buffer.from(content); // own copy, not a view of the whole message
	}
	let mimeType = node.contentType;
	if (mimeType === 'application/octet-stream' && node.filename) mimeType = mimeTypeFromFilename(node.filename) ?? mimeType;
	const reader = headerReader(node.headers, ctx);
	const contentId = (reader.last('content-id') ?? '').trim();
	let related = false;
	if (contentId) for (let p = node.parent; p; p = p.parent) if (p.contentType === 'multipart/related') related = true;
	const disposition = node.rawDisposition === 'inline' || node.rawDisposition === 'attachment' ? node.rawDisposition : node.rawDisposition ? 'attachment' : '';
	const attachment: GmailPayloadAttachment = {
		filename: node.filename,
		mimeType,
		size: content ? content.length : (node.size ?? 0),
		contentId,
		cid: contentId.replace(/^\s*<|>\s*$/g, '').trim(),
		inline: disposition === 'inline' || (!disposition && related),
		related,
		disposition,
	};
	if (content) attachment.content = content;
	if (node.attachmentId) attachment.attachmentId = node.attachmentId;
	if (node.partId !== undefined) attachment.partId = node.partId;
	return attachment;
}

function pushMeta(node: Node, ctx: Ctx, hasText: boolean, hasHtml: boolean, text: string[], html: string[]): void {
	const r = headerReader(node.headers, ctx);
	const meta: Array<{ key: string; text: string; html: string }> = [];
	for (const key of ['From', 'Subject', 'Date', 'To', 'Cc', 'Bcc']) {
		const lk = key.toLowerCase();
		const v = r.last(lk);
		if (v === undefined || v === '') continue;
		if (key === 'Subject') meta.push({ key, text: decodeWords(v), html: `<strong>${heEncode(decodeWords(v))}</strong>` });
		else if (key === 'Date') {
			const d = parseDate(v) ?? new Date(NaN);
			const s = isNaN(d.getTime()) ? v : d.toUTCString();
			meta.push({ key, text: s, html: s });
		} else {
			const list = addresses(r, lk, key === 'From');
			meta.push({ key, text: formatAddressesText(list), html: formatAddressesHtml(list) });
		}
	}
	if (hasHtml) {
		html.push(
			'<table class="mp_head">' +
				meta.map((m) => `<tr><td class="mp_head_key">${m.key}:</td><td class="mp_head_value">${m.html}<td></tr>`).join('\n') +
				'<table>',
		);
	}
	if (hasText) text.push('\n' + meta.map((m) => `${m.key}: ${m.text}`).join('\n') + '\n');
}
