/**
 * parseRawMessage: RFC 5322 / MIME parsing that agrees with mailparser's simpleParser on what ends up in
 * subject, addresses, text, html and attachments (see test/mime/parse-differential.test.ts for the measured
 * agreement and the deliberate differences), but never throws and never hangs:
 *
 * - one forward pass over the bytes (indexOf per line; no regex ever runs over a whole body or header with
 *   backtracking), multipart delimiters of every open ancestor recognised (so a missing close delimiter
 *   cannot swallow the rest of the message);
 * - nesting depth bounded (MAX_DEPTH) and the number of parts bounded (MAX_PARTS); parts past the limits are
 *   skipped, not parsed;
 * - every step linear in its input (issue #18) and written as steps (see slices.ts): parseRawMessage runs them
 *   straight through, parseRawMessageAsync in time slices, so a 35 MiB message never blocks the event loop
 *   for more than about one slice.
 *
 * Semantics copied from mailparser (3.9): text/plain, text/html and message/delivery-status parts without an
 * attachment disposition are bodies, everything else is an attachment; message/rfc822 is an attachment (its
 * raw bytes) unless it is explicitly `Content-Disposition: inline` in 7bit/8bit/binary, in which case the
 * enclosed message's bodies are shown inline with a small header block; text parts are joined with "\n" and
 * HTML parts with "<br/>\n"; a plain part outside multipart/alternative becomes HTML when the message has
 * HTML, and an HTML part becomes text when the message has plain parts (or is an HTML-only message).
 */
import { parseAddressListSteps, type Address } from './address';
import {
	decodeBinaryString,
	decodeBytesPiecesSteps,
	decodeGuessPiecesSteps,
	resolveCharset,
} from './charset';
import { decodeWordsSteps } from './encoded-words';
import {
	firstHeader,
	lastHeader,
	parseStructuredSteps,
	readHeaderBlockSteps,
	unfold,
	type RawHeader,
} from './headers';
import { htmlToTextSteps, textToHtmlSteps } from './html-to-text';
import { mimeTypeFromFilename } from './mime-types';
import {
	guarded,
	headOf,
	rope,
	runAsync,
	runSync,
	STEP,
	type SliceOptions,
	type Steps,
} from './slices';
import { decodeTransferSteps } from './transfer';
import type {
	GmailParsedMessage,
	GmailPayloadAttachment,
	HeaderField,
	ParsedAttachment,
	ParsedMessage,
} from './types';

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
const headerValueText = (ctx: Ctx, raw: string) =>
	ctx.unicodeHeaders ? raw : decodeBinaryString(raw, ctx.headerCharset);

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

function matchDelimiter(
	buf: Buffer,
	ls: number,
	le: number,
	stack: Buffer[],
): { index: number; close: boolean } | undefined {
	for (let k = stack.length - 1; k >= 0; k--) {
		const kind = delimiterKind(buf, ls, le, stack[k]);
		if (kind) return { index: k, close: kind === 2 };
	}
	return undefined;
}

/** Bytes scanned between two pause points. */
const BLOCK = STEP * 4;

function* scanToDelimiter(ctx: Ctx, pos: number, stack: Buffer[]): Steps<Hit | undefined> {
	const { buf, end } = ctx;
	let check = pos + BLOCK;
	while (pos < end) {
		if (pos >= check) {
			check = pos + BLOCK;
			yield;
		}
		let nl = buf.indexOf(0x0a, pos);
		if (nl < 0 || nl >= end) nl = end;
		if (buf[pos] === 0x2d && buf[pos + 1] === 0x2d) {
			let le = nl;
			if (le > pos && buf[le - 1] === 0x0d) le--;
			const m = matchDelimiter(buf, pos, le, stack);
			if (m)
				return { lineStart: pos, lineNext: Math.min(nl + 1, end), index: m.index, close: m.close };
		}
		pos = nl + 1;
	}
	return undefined;
}

/** Builds a node from its header block (mailsplit's defaults: no Content-Type → from the filename, attachment → octet-stream, else text/plain). */
export function* makeNode(ctx: Ctx, headers: RawHeader[], parent: Node | undefined): Steps<Node> {
	const ctHeader = firstHeader(headers, 'content-type');
	const cdHeader = firstHeader(headers, 'content-disposition');
	const cteHeader = firstHeader(headers, 'content-transfer-encoding');
	const cdBin = cdHeader ? unfold(cdHeader.raw) : '';
	const cd = yield* parseStructuredSteps(headerValueText(ctx, cdBin));
	const ctBin = ctHeader ? unfold(ctHeader.raw) : '';
	let contentType = '';
	let params: Record<string, string> = {};
	let boundary: Buffer | undefined;
	if (ctBin) {
		const ctText = headerValueText(ctx, ctBin);
		const ct = yield* parseStructuredSteps(ctText);
		params = ct.params;
		contentType = ct.value.toLowerCase().trim();
		const rawBoundary =
			ctText === ctBin ? ct.params.boundary : (yield* parseStructuredSteps(ctBin)).params.boundary;
		if (rawBoundary) boundary = Buffer.from(rawBoundary, 'latin1');
	}
	const rawDisposition = yield* decodeWordsSteps(cd.value.toLowerCase().trim());
	if (!contentType) {
		const fromName = cd.params.filename ? mimeTypeFromFilename(cd.params.filename) : undefined;
		contentType =
			fromName ?? (rawDisposition === 'attachment' ? 'application/octet-stream' : 'text/plain');
	}
	const slash = contentType.indexOf('/');
	const multipart =
		slash > 0 && contentType.slice(0, slash) === 'multipart' && slash < contentType.length - 1;
	const encoding = cteHeader
		? unfold(cteHeader.raw)
				.replace(/\([^)]*\)/g, '')
				.toLowerCase()
				.trim()
		: '';
	const filename = yield* decodeWordsSteps(cd.params.filename || params.name || '');
	const messageNode =
		contentType === 'message/rfc822' &&
		(!encoding || ['7bit', '8bit', 'binary'].includes(encoding)) &&
		rawDisposition === 'inline';
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
function* parseEntity(
	ctx: Ctx,
	start: number,
	stack: Buffer[],
	depth: number,
	parent: Node | undefined,
): Steps<number> {
	const { buf, end } = ctx;
	const isStop = stack.length
		? (ls: number, le: number) => matchDelimiter(buf, ls, le, stack) !== undefined
		: undefined;
	const block = yield* readHeaderBlockSteps(buf, start, end, isStop);
	let node = yield* makeNode(ctx, block.headers, parent);
	if (!parent) {
		// 8-bit header bytes that are not UTF-8 are read in the top-level charset: re-read the headers with it
		const cs = resolveCharset(node.charset);
		if (cs && cs !== 'utf-8') {
			ctx.headerCharset = node.charset;
			node = yield* makeNode(ctx, block.headers, undefined);
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
				const hit = yield* scanToDelimiter(ctx, pos, myStack);
				if (!hit) return end;
				if (hit.index < stack.length) return hit.lineStart;
				if (hit.close) {
					if (!stack.length) return end;
					const outer = yield* scanToDelimiter(ctx, hit.lineNext, stack);
					return outer ? outer.lineStart : end;
				}
				if (ctx.parts >= MAX_PARTS) {
					pos = hit.lineNext;
					continue;
				}
				pos = yield* parseEntity(ctx, hit.lineNext, myStack, depth + 1, node);
				if (pos >= end) return end;
			}
		}
	}
	if (node.messageNode && !node.skipped) {
		if (depth >= MAX_DEPTH || ctx.parts >= MAX_PARTS) node.skipped = true;
		else return yield* parseEntity(ctx, block.bodyStart, stack, depth + 1, node);
	}
	// a leaf
	if (!stack.length) {
		node.body = buf.subarray(block.bodyStart, end);
		return end;
	}
	const hit = yield* scanToDelimiter(ctx, block.bodyStart, stack);
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
	return runSync(decodeFlowedSteps(Buffer.from(str, 'latin1'), delSp)).toString('latin1');
}

/**
 * format=flowed on the bytes, written into one buffer (no string of the body, no list of its lines): lines
 * split on (CR)LF; a line ending in a space continues on the next one, except the signature separator "-- "
 * (DelSp=yes drops that space); the logical lines are joined with LF, a final empty one dropped, and one
 * space removed at the start of every line of the result (libmime's /^ /gm, which also counts a lone CR).
 */
export function* decodeFlowedSteps(buf: Buffer, delSp: boolean): Steps<Buffer> {
	const len = buf.length;
	const out = Buffer.allocUnsafe(len);
	let o = 0;
	let logical = 0; // logical lines started
	let contentStart = 0; // where the current logical line's text starts in out
	let lastStart = -1; // the previous physical line: buf[lastStart, lastEnd)
	let lastEnd = -1;
	let single = true; // the current logical line has one physical line so far
	// libmime's /^ /gm on the finished logical line out[contentStart, o)
	const finishLogical = () => {
		let w = contentStart;
		let atStart = true;
		for (let r = contentStart; r < o; r++) {
			const c = out[r];
			if (c === 0x20 && atStart) {
				atStart = false;
				continue;
			}
			out[w++] = c;
			atStart = c === 0x0d;
		}
		o = w;
	};
	let check = BLOCK;
	for (let p = 0; ; ) {
		let nl = buf.indexOf(0x0a, p);
		if (nl < 0) nl = len;
		const end = nl < len && nl > p && buf[nl - 1] === 0x0d ? nl - 1 : nl;
		const soft =
			lastStart >= 0 &&
			lastEnd > lastStart &&
			buf[lastEnd - 1] === 0x20 &&
			!(
				single &&
				lastEnd - lastStart === 3 &&
				buf[lastStart] === 0x2d &&
				buf[lastStart + 1] === 0x2d
			);
		if (soft) {
			// with DelSp the space that made the line soft goes (it is the last byte written)
			if (delSp) o--;
			single = false;
		} else {
			if (logical) {
				finishLogical();
				out[o++] = 0x0a;
			}
			logical++;
			contentStart = o;
			single = true;
		}
		o += buf.copy(out, o, p, end);
		lastStart = p;
		lastEnd = end;
		if (nl >= len) break;
		p = nl + 1;
		if (p >= check) {
			check = p + BLOCK;
			yield;
		}
	}
	// libmime drops a final empty line (with the line break before it)
	if (o > contentStart) finishLogical();
	else if (logical > 1) o--;
	return out.subarray(0, o);
}

const CRLF = /\r\n/g;

/** text.replace(/\r?\n/g, '\n'), in slices that never end between a CR and its LF. */
/** CRLF → LF over the pieces of a text (a CR that ends a piece is carried over to the next one). */
function* lineFeeds(pieces: string[]): Steps<string[]> {
	const out: string[] = [];
	let carry = '';
	for (const whole of pieces) {
		let piece = carry ? carry + whole : whole;
		carry = '';
		if (piece.charCodeAt(piece.length - 1) === 0x0d) {
			carry = '\r';
			piece = piece.slice(0, -1);
		}
		out.push(piece.indexOf('\r') < 0 ? piece : piece.replace(CRLF, '\n'));
		yield;
	}
	if (carry) out.push(carry);
	return out;
}

/** A text part's content, decoded, in pieces (see rope() in slices.ts). */
function* nodeText(node: Node): Steps<string[]> {
	let bytes = yield* decodeTransferSteps(node.body ?? Buffer.alloc(0), node.encoding);
	if (node.flowed) bytes = yield* decodeFlowedSteps(bytes, node.delSp);
	const cs = (node.charset || 'utf-8').toLowerCase().replace(/[^a-z0-9]+/g, '');
	// mailparser reads us-ascii (and unknown charsets) as UTF-8; keep that, with windows-1252 for invalid UTF-8
	const text =
		cs === 'ascii' || cs === 'usascii' || !resolveCharset(node.charset)
			? yield* decodeGuessPiecesSteps(bytes)
			: yield* decodeBytesPiecesSteps(bytes, node.charset);
	return yield* lineFeeds(text);
}

/**
 * Longest text part (in characters) from which the other form is derived whole (plain text from an HTML-only
 * message, HTML from a plain part beside an HTML one). Above it only its first DERIVE_MAX characters are
 * converted, and the derived text says so; the part itself is always given whole. A million characters is
 * ten times what Gmail's web view shows before it clips a message ("[Message clipped]", about 102 KB of HTML:
 * spamresource.com/2022/01/what-is-gmail-clipping-and-what-to-do.html), and keeps the flat copy this
 * conversion needs to a few milliseconds.
 */
export const DERIVE_MAX = 1_000_000;

/** The part's text for deriving the other form from: whole, or its head and a note saying it is cut. */
function derivable(
	pieces: string[],
	kind: 'HTML' | 'plain text',
): { source: string; note: string } {
	const { head, whole } = headOf(pieces, DERIVE_MAX, kind === 'HTML' ? '<' : '\n');
	if (whole) return { source: head, note: '' };
	let total = 0;
	for (const p of pieces) total += p.length;
	return {
		source: head,
		note: `[converted from the first ${head.length.toLocaleString('en-US')} of ${total.toLocaleString('en-US')} characters of the ${kind} part, which is given whole]`,
	};
}

const ensureMessageId = (v: string) =>
	v ? (v[0] === '<' ? v : '<' + v) + (v.endsWith('>') ? '' : '>') : '';

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

function* addresses(r: HeaderReader, key: string, single: boolean): Steps<Address[]> {
	const values = single ? [r.last(key)].filter((v): v is string => v !== undefined) : r.all(key);
	const out: Address[] = [];
	for (const v of values) for (const a of yield* parseAddressListSteps(v)) out.push(a);
	return out;
}

function formatAddressesText(list: Address[]): string {
	return list
		.map((a) => (a.name ? `"${a.name}"` + (a.address ? ` <${a.address}>` : '') : a.address))
		.join(', ');
}

const HE_SPECIAL = /[\ud800-\udbff][\udc00-\udfff]|[^\x00-\x7e]|[&<>"'`]/g;

/** The `he` library's default encode (what mailparser uses for its header tables): hex references for specials and non-ASCII. */
function heEncode(s: string): string {
	return s.replace(HE_SPECIAL, (ch) => `&#x${ch.codePointAt(0)!.toString(16).toUpperCase()};`);
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

function toBuffer(raw: Buffer | Uint8Array | string): Buffer {
	return Buffer.isBuffer(raw)
		? raw
		: typeof raw === 'string'
			? Buffer.from(raw, 'utf8')
			: raw instanceof Uint8Array
				? Buffer.from(raw.buffer, raw.byteOffset, raw.byteLength)
				: Buffer.alloc(0);
}

function parseSteps(buf: Buffer, options: ParseOptions): Steps<ParsedMessage> {
	return guarded(
		(function* () {
			const ctx: Ctx = { buf, end: buf.length, parts: 0 };
			yield* parseEntity(ctx, 0, [], 0, undefined);
			return (yield* assembleMessageSteps(ctx.root!, ctx, options)) as ParsedMessage;
		})(),
		// Last line of defence for the "never throws" promise (no known input gets here): hand the bytes back
		// untouched as one message/rfc822 attachment, with the reason, so nothing is lost.
		(error) => unparsed(buf, error instanceof Error ? error.message : String(error)),
	);
}

/** Parses a raw RFC 5322 message. Never throws: malformed input yields whatever could be recovered. */
export function parseRawMessage(
	raw: Buffer | Uint8Array | string,
	options: ParseOptions = {},
): ParsedMessage {
	return runSync(parseSteps(toBuffer(raw), options));
}

/**
 * parseRawMessage in time slices: the same result, with `options.yieldFn` awaited whenever about
 * `options.sliceMs` (default 20 ms) of work has been done (see slices.ts). Never rejects, except with an
 * error thrown by yieldFn itself.
 */
export function parseRawMessageAsync(
	raw: Buffer | Uint8Array | string,
	options: ParseOptions & SliceOptions = {},
): Promise<ParsedMessage> {
	return runAsync(parseSteps(toBuffer(raw), options), options);
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
			{
				filename: 'message.eml',
				mimeType: 'message/rfc822',
				size: buf.length,
				contentId: '',
				cid: '',
				inline: false,
				related: false,
				disposition: 'attachment',
				content: Buffer.from(buf),
			},
		],
	};
}

/**
 * Turns a node tree into the message shape: mailparser's rules for which parts are bodies and attachments
 * and how bodies are joined (see the module comment). Shared with the Gmail payload reader.
 */
export function assembleMessage(
	root: Node,
	ctx: Ctx,
	options: ParseOptions = {},
): ParsedMessage | GmailParsedMessage {
	return runSync(assembleMessageSteps(root, ctx, options));
}

export function* assembleMessageSteps(
	root: Node,
	ctx: Ctx,
	options: ParseOptions = {},
): Steps<ParsedMessage | GmailParsedMessage> {
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
	const textContent = new Map<Node, string[]>();
	let visited = 0;
	const walk = function* (node: Node): Steps<void> {
		if (node.skipped) return;
		if ((++visited & 63) === 0) yield;
		if (!node.multipart && !node.messageNode) {
			let disposition = node.rawDisposition;
			if (disposition && disposition !== 'attachment' && disposition !== 'inline')
				disposition = 'attachment';
			if (!disposition)
				disposition = TEXT_TYPES.includes(node.contentType) ? 'inline' : 'attachment';
			// a Gmail text part whose bytes sit behind an attachmentId cannot be shown: hand it out as an attachment
			const isAttachment =
				!TEXT_TYPES.includes(node.contentType) || disposition !== 'inline' || !node.body;
			if (isAttachment) attachments.push(yield* toAttachment(node, ctx));
			else {
				if (node.contentType === 'text/html') hasHtml = true;
				else hasText = true;
				textContent.set(node, yield* nodeText(node));
			}
		}
		for (const child of node.children) yield* walk(child);
	};
	yield* walk(root);

	const text: string[] = [];
	const html: string[] = [];
	const assemble = function* (alternative: boolean, node: Node): Steps<void> {
		if (node.skipped) return;
		if ((++visited & 63) === 0) yield;
		if (node.parent && node.parent.messageNode)
			yield* pushMeta(node, ctx, hasText, hasHtml, text, html);
		const content = textContent.get(node);
		if (content && content.some((p) => p.length > 0)) {
			if (node.contentType === 'text/html') {
				if ((!alternative && hasText) || (node.top && !hasText)) {
					const { source, note } = derivable(content, 'HTML');
					const derived = yield* htmlToTextSteps(source);
					text.push(note ? derived + '\n\n' + note : derived);
				}
				html.push(rope(content));
			} else {
				text.push(rope(content));
				if (!alternative && hasHtml) {
					const { source, note } = derivable(content, 'plain text');
					const derived = yield* textToHtmlSteps(source);
					html.push(note ? derived + `<p>${note}</p>` : derived);
				}
			}
		}
		const inAlternative = alternative || node.contentType === 'multipart/alternative';
		for (const child of node.children) yield* assemble(inAlternative, child);
	};
	yield* assemble(false, root);

	const dateText = reader.last('date');
	const date = dateText !== undefined ? parseDate(dateText) : undefined;
	const messageId = ensureMessageId(
		(yield* decodeWordsSteps(reader.last('message-id') ?? '')).trim(),
	);
	const inReplyTo = ensureMessageId(
		(yield* decodeWordsSteps(reader.last('in-reply-to') ?? '')).trim(),
	);
	const references: string[] = [];
	for (const v of reader.all('references')) {
		for (const id of (yield* decodeWordsSteps(v)).split(/\s+/)) {
			const ref = ensureMessageId(id);
			if (ref) references.push(ref);
		}
	}
	const headers: HeaderField[] = [];
	let work = 0;
	for (const h of root.headers) {
		if (!h.key) continue;
		headers.push({ name: h.name, value: yield* decodeWordsSteps(reader.text(h)) });
		if ((work += h.raw.length + 64) >= STEP) {
			work = 0;
			yield;
		}
	}
	const subject = yield* decodeWordsSteps(reader.last('subject') ?? '');
	yield;

	return {
		subject,
		from: yield* addresses(reader, 'from', true),
		to: yield* addresses(reader, 'to', false),
		cc: yield* addresses(reader, 'cc', false),
		bcc: yield* addresses(reader, 'bcc', false),
		replyTo: yield* addresses(reader, 'reply-to', true),
		date,
		messageId: messageId || undefined,
		inReplyTo: inReplyTo || undefined,
		references,
		text: text.length ? rope(text, '\n') : undefined,
		html: html.length ? rope(html, '<br/>\n') : undefined,
		attachments,
		headers,
	};
}

/** Buffer.from(bytes), copied slice by slice (a fresh 25 MB buffer is mostly page faults: spread them out). */
function* copySteps(bytes: Buffer): Steps<Buffer> {
	if (bytes.length <= BLOCK * 4) return Buffer.from(bytes);
	const copy = Buffer.allocUnsafe(bytes.length);
	for (let a = 0; a < bytes.length; a += BLOCK * 4) {
		bytes.copy(copy, a, a, Math.min(bytes.length, a + BLOCK * 4));
		yield;
	}
	return copy;
}

export function parseDate(value: string): Date | undefined {
	const cleaned = value
		.replace(/\([^()]*\)/g, ' ')
		.replace(/\s+/g, ' ')
		.trim();
	for (const candidate of [value, cleaned]) {
		const d = new Date(candidate);
		if (!isNaN(d.getTime())) return d;
	}
	return undefined;
}

function* toAttachment(node: Node, ctx: Ctx): Steps<ParsedAttachment | GmailPayloadAttachment> {
	let content: Buffer | undefined;
	if (node.body) {
		content = yield* decodeTransferSteps(node.body, node.encoding);
		if (content === node.body) content = yield* copySteps(content); // own copy, not a view of the whole message
	}
	let mimeType = node.contentType;
	if (mimeType === 'application/octet-stream' && node.filename)
		mimeType = mimeTypeFromFilename(node.filename) ?? mimeType;
	const reader = headerReader(node.headers, ctx);
	const contentId = (reader.last('content-id') ?? '').trim();
	let related = false;
	if (contentId)
		for (let p = node.parent; p; p = p.parent)
			if (p.contentType === 'multipart/related') related = true;
	const disposition =
		node.rawDisposition === 'inline' || node.rawDisposition === 'attachment'
			? node.rawDisposition
			: node.rawDisposition
				? 'attachment'
				: '';
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

function* pushMeta(
	node: Node,
	ctx: Ctx,
	hasText: boolean,
	hasHtml: boolean,
	text: string[],
	html: string[],
): Steps<void> {
	const r = headerReader(node.headers, ctx);
	const meta: Array<{ key: string; text: string; html: string }> = [];
	for (const key of ['From', 'Subject', 'Date', 'To', 'Cc', 'Bcc']) {
		const lk = key.toLowerCase();
		const v = r.last(lk);
		if (v === undefined || v === '') continue;
		if (key === 'Subject') {
			const decoded = yield* decodeWordsSteps(v);
			meta.push({ key, text: decoded, html: `<strong>${heEncode(decoded)}</strong>` });
		} else if (key === 'Date') {
			const d = parseDate(v) ?? new Date(NaN);
			const s = isNaN(d.getTime()) ? v : d.toUTCString();
			meta.push({ key, text: s, html: s });
		} else {
			const list = yield* addresses(r, lk, key === 'From');
			meta.push({ key, text: formatAddressesText(list), html: formatAddressesHtml(list) });
		}
	}
	if (hasHtml) {
		html.push(
			'<table class="mp_head">' +
				meta
					.map(
						(m) =>
							`<tr><td class="mp_head_key">${m.key}:</td><td class="mp_head_value">${m.html}<td></tr>`,
					)
					.join('\n') +
				'<table>',
		);
	}
	if (hasText) text.push('\n' + meta.map((m) => `${m.key}: ${m.text}`).join('\n') + '\n');
}
