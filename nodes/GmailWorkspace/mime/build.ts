/**
 * The message builder. One planner (planMessage) validates the input and lays the message out as segments:
 * ready bytes for headers, text parts and delimiters, and "base64 sources" for attachments. Three consumers
 * share it: buildRawMessageStream (async, attachments may be async iterables, encoded on the fly),
 * buildRawMessage (synchronous, Buffer contents only, the same encoder) and estimateEncodedSize (exact length
 * without encoding anything).
 *
 * Choices, in RFC terms:
 * - Header fields: non-ASCII subjects, display names and custom values become RFC 2047 UTF-8 encoded words
 *   (≤ 75 characters each, cut between code points; Q for mostly-Latin text, B otherwise); lines are folded at
 *   78 characters between words, addresses or parameters; display names with specials are quoted strings.
 *   CR or LF in any value is refused (MimeError naming the field), so header injection is impossible.
 * - Text bodies are UTF-8, quoted-printable when mostly ASCII (readable source, robust soft line breaks at 76)
 *   and base64 when more than a third of the bytes are 8-bit (CJK, Arabic… where QP would triple the size).
 *   Line breaks are normalised to CRLF first (the canonical form of text/*).
 * - Attachments: base64 in 76-character lines; filenames as RFC 2231 (filename*=UTF-8''…, with continuations
 *   when long) plus a quoted RFC 2047 name= on Content-Type for old clients; ASCII names stay plain quoted.
 * - Structure: text only → text/plain; HTML → multipart/alternative (plain text derived from the HTML when not
 *   given); attachments with a contentId plus HTML → multipart/related around the alternative; other
 *   attachments → multipart/mixed. Boundaries are "=_" + 24 random hex characters ("=_" can occur neither in
 *   quoted-printable nor in base64 output, so a boundary never collides with content).
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import { asciiAddress, assertNoLineBreak, normalizeAddresses, type Address, type AddressInput } from './address';
import { encodeWords } from './encoded-words';
import { MimeError } from './errors';
import { htmlToText } from './html-to-text';
import { mimeTypeFromFilename } from './mime-types';
import { domainToAscii } from './punycode';
import { Base64LineEncoder, base64BodyLength, isAsyncIterable, SLICE_BYTES, type ByteSource } from './stream';
import { encodeQuotedPrintable } from './transfer';

/** Gmail's limit on a raw message (messages.send / drafts / import): 35 MiB. */
export const GMAIL_MAX_RAW_BYTES = 36_700_160;

const MAX_LINE = 78;

export interface AttachmentInput {
	filename: string;
	/** Media type; from the filename extension (else application/octet-stream) when omitted. */
	mimeType?: string;
	/** The bytes, or an async iterable of chunks (an n8n binary stream) for buildRawMessageStream. */
	content: ByteSource;
	/** Byte count of a streamed content; needed by estimateEncodedSize for streams. */
	size?: number;
	/** Makes the part an embedded image (multipart/related, disposition inline) when the message has HTML. */
	contentId?: string;
}

export interface BuildInput {
	from?: AddressInput;
	to?: AddressInput;
	cc?: AddressInput;
	bcc?: AddressInput;
	replyTo?: AddressInput;
	subject?: string;
	text?: string;
	html?: string;
	/** Extra header fields: { 'X-Tag': 'v' } (an array value repeats the field) or [{ name, value }]. */
	headers?: Record<string, string | string[]> | Array<{ name: string; value: string }>;
	inReplyTo?: string;
	references?: string | string[];
	attachments?: AttachmentInput[];
	/** Date header; now when omitted. */
	date?: Date | string;
	/** Message-ID; a random one at the From domain when omitted. */
	messageId?: string;
}

export interface BuildOptions {
	/**
	 * buildRawMessageStream only: each Buffer it yields is valid only until the next one is requested (the
	 * base64 encoder writes into one reused buffer), so a consumer that copies what it gets (a chunked
	 * uploader) leaves no garbage behind. Off by default.
	 */
	reuseBuffers?: boolean;
	/** Source of randomness for boundaries and Message-ID (default node:crypto randomBytes); for reproducible output. */
	randomBytes?: (size: number) => Buffer;
}

type Segment = Buffer | { source: ByteSource; size?: number; field: string };

// ---------------------------------------------------------------------------------------------------------
// Header formatting

/** Folds tokens (joined by single spaces) into "Name: …" lines of at most 78 characters where possible. */
function foldHeader(name: string, tokens: string[]): string {
	const lines: string[] = [];
	let line = name + ':';
	let first = true;
	for (const t of tokens) {
		if (!first && line.length + 1 + t.length > MAX_LINE) {
			lines.push(line);
			line = ' ' + t;
		} else line += ' ' + t;
		first = false;
	}
	lines.push(line);
	for (const l of lines) {
		if (l.length > 998) throw new MimeError(`Header "${name}" has a line longer than 998 characters that cannot be folded`, name);
	}
	return lines.join('\r\n') + '\r\n';
}

/** Splits at single spaces between non-blank characters (the only places folding cannot change the value). */
const foldableTokens = (s: string) => s.split(/(?<=\S) (?=\S)/);

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Unstructured text (Subject, custom values): raw when plain ASCII and foldable, else encoded words. */
function unstructuredTokens(value: string, headerName: string): string[] {
	const tokens = foldableTokens(value);
	const plain =
		PRINTABLE_ASCII.test(value) &&
		!value.includes('=?') &&
		value === value.trim() &&
		tokens.every((t) => t.length <= MAX_LINE - 2);
	if (plain) return tokens;
	return encodeWords(value, MAX_LINE - headerName.length - 2, 75);
}

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/;

/** Display name tokens: atoms as they are, specials as a quoted string, non-ASCII (and oddities) as encoded words. */
function displayNameTokens(name: string, headerName: string): string[] {
	const tokens = foldableTokens(name);
	const foldable = name === name.trim() && !/ {2}/.test(name) && tokens.every((t) => t.length <= MAX_LINE - 4);
	if (PRINTABLE_ASCII.test(name) && !name.includes('=?') && foldable) {
		if (ATOM_PHRASE.test(name)) return tokens;
		const quoted = foldableTokens('"' + name.replace(/(["\\])/g, '\\$1') + '"');
		if (quoted.every((t) => t.length <= MAX_LINE - 2)) return quoted;
	}
	return encodeWords(name, MAX_LINE - headerName.length - 2, 75);
}

function addressTokens(list: Address[], headerName: string): string[] {
	const tokens: string[] = [];
	list.forEach((a, i) => {
		const addr = asciiAddress(a.address);
		const own = a.name ? [...displayNameTokens(a.name, headerName), `<${addr}>`] : [addr];
		if (i < list.length - 1) own[own.length - 1] += ',';
		tokens.push(...own);
	});
	return tokens;
}

const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const pad2 = (n: number) => String(n).padStart(2, '0');

/** RFC 5322 date-time in UTC, fixed width ("Tue, 04 Nov 2025 09:05:00 +0000"). */
export function formatDate(d: Date): string {
	return (
		`${DAYS[d.getUTCDay()]}, ${pad2(d.getUTCDate())} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()} ` +
		`${pad2(d.getUTCHours())}:${pad2(d.getUTCMinutes())}:${pad2(d.getUTCSeconds())} +0000`
	);
}

/** "<id@host>" from "id@host" or "<id@host>"; refuses blanks and brackets inside. */
function messageIdToken(value: string, field: string): string {
	assertNoLineBreak(value, field);
	const id = value.trim().replace(/^<|>$/g, '');
	if (!id || /[\s<>]/.test(id) || !PRINTABLE_ASCII.test(id)) {
		throw new MimeError(`Invalid message ID in "${field}": "${value}"`, field, value);
	}
	return `<${id}>`;
}

const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]+$/;
/** Header fields the builder writes itself; custom headers may not set them. */
const RESERVED = new Set([
	'content-type', 'content-transfer-encoding', 'mime-version', 'content-disposition', 'content-id',
	'from', 'to', 'cc', 'bcc', 'reply-to', 'subject', 'date', 'message-id', 'in-reply-to', 'references',
]);

function customHeaders(input: BuildInput['headers']): string {
	if (!input) return '';
	const list: Array<{ name: string; value: string }> = [];
	if (Array.isArray(input)) list.push(...input);
	else for (const [name, value] of Object.entries(input)) for (const v of ([] as string[]).concat(value)) list.push({ name, value: v });
	let out = '';
	for (const { name, value } of list) {
		const n = typeof name === 'string' ? name.trim() : '';
		const field = `headers[${n || String(name)}]`;
		assertNoLineBreak(String(name ?? ''), `${field} (name)`);
		if (!FIELD_NAME.test(n)) throw new MimeError(`Invalid header field name "${name}"`, field, String(name));
		if (RESERVED.has(n.toLowerCase())) {
			throw new MimeError(
				`Header "${n}" cannot be set as a custom header: the builder writes it (use the dedicated option, or leave structural headers to the builder)`,
				field,
				n,
			);
		}
		if (typeof value !== 'string') throw new MimeError(`Header "${n}" needs a string value`, field);
		assertNoLineBreak(value, field);
		// ASCII values are written as given (they may be structured: URLs, ids), folded at spaces only;
		// anything else becomes encoded words
		const v = value.trim();
		out += foldHeader(n, PRINTABLE_ASCII.test(v) ? foldableTokens(v) : encodeWords(v, MAX_LINE - n.length - 2, 75));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------
// Parameters (Content-Type name=, Content-Disposition filename=)

const ATTR_CHAR = /[A-Za-z0-9!#$&+\-.^_`|~]/;

function percentEncode(ch: string): string {
	if (ch.length === 1 && ATTR_CHAR.test(ch)) return ch;
	let s = '';
	for (const b of Buffer.from(ch, 'utf8')) s += '%' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
	return s;
}

const simpleParam = (v: string) => PRINTABLE_ASCII.test(v) && v.length <= 60 && !v.includes('=?');
const quote = (v: string) => '"' + v.replace(/(["\\])/g, '\\$1') + '"';

/** RFC 2231 tokens for a filename: one "filename*=UTF-8''…" or numbered continuations of ≤ ~60 characters. */
function rfc2231Tokens(param: string, value: string): string[] {
	const encoded = Array.from(value, percentEncode);
	const whole = encoded.join('');
	if (param.length + 10 + whole.length <= 70) return [`${param}*=UTF-8''${whole}`];
	const chunks: string[] = [];
	let cur = '';
	for (const e of encoded) {
		if (cur && cur.length + e.length > 56) {
			chunks.push(cur);
			cur = '';
		}
		cur += e;
	}
	if (cur) chunks.push(cur);
	return chunks.map((c, i) => `${param}*${i}*=${i === 0 ? "UTF-8''" : ''}${c}`);
}

/**
 * Tokens for `value; p1; p2…`. Each parameter is a list of tokens joined by a space (fold points inside one
 * parameter, e.g. the encoded words of a quoted name=); parameters are separated by ';'.
 */
function withParams(value: string, params: string[][]): string[] {
	const tokens = [value];
	for (const p of params) {
		tokens[tokens.length - 1] += ';';
		tokens.push(...p);
	}
	return tokens;
}

function nameParam(filename: string): string[] {
	if (simpleParam(filename)) return [`name=${quote(filename)}`];
	const words = encodeWords(filename, 60, 75);
	return words.map((w, i) => (i === 0 ? 'name="' : '') + w + (i === words.length - 1 ? '"' : ''));
}

function filenameParams(filename: string): string[][] {
	if (simpleParam(filename)) return [[`filename=${quote(filename)}`]];
	return rfc2231Tokens('filename', filename).map((t) => [t]);
}

// ---------------------------------------------------------------------------------------------------------
// Entities

interface Entity {
	/** Folded header lines (each ending in CRLF). */
	headers: string;
	body: Segment[];
}

class Writer {
	segments: Segment[] = [];
	private pending: string[] = [];
	text(s: string) {
		this.pending.push(s);
	}
	add(seg: Segment) {
		if (Buffer.isBuffer(seg)) {
			this.flush();
			this.segments.push(seg);
		} else {
			this.flush();
			this.segments.push(seg);
		}
	}
	flush() {
		if (this.pending.length) this.segments.push(Buffer.from(this.pending.join(''), 'utf8'));
		this.pending = [];
	}
}

function textEntity(subtype: 'plain' | 'html', text: string): Entity {
	const bytes = Buffer.from(text.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');
	let high = 0;
	for (const b of bytes) if (b >= 0x80) high++;
	const useBase64 = high * 3 > bytes.length;
	const body: Buffer = useBase64 ? encodeBase64Sync(bytes) : Buffer.from(encodeQuotedPrintable(bytes), 'latin1');
	return {
		headers:
			foldHeader('Content-Type', withParams(`text/${subtype}`, [['charset=UTF-8']])) +
			foldHeader('Content-Transfer-Encoding', [useBase64 ? 'base64' : 'quoted-printable']),
		body: [body],
	};
}

function multipartEntity(subtype: string, children: Entity[], boundary: string, extra: string[][] = []): Entity {
	const w = new Writer();
	children.forEach((child, i) => {
		w.text(`${i ? '\r\n' : ''}--${boundary}\r\n`);
		w.text(child.headers + '\r\n');
		for (const seg of child.body) w.add(seg);
	});
	w.text(`\r\n--${boundary}--`);
	w.flush();
	return {
		headers: foldHeader('Content-Type', withParams(`multipart/${subtype}`, [[`boundary="${boundary}"`], ...extra])),
		body: w.segments,
	};
}

const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,127}$/;

function attachmentEntity(a: AttachmentInput, i: number, inline: boolean): Entity {
	const field = `attachments[${i}]`;
	if (!a || typeof a !== 'object') throw new MimeError(`${field} must be an object`, field);
	const filename = typeof a.filename === 'string' ? a.filename : '';
	assertNoLineBreak(filename, `${field}.filename`);
	let mimeType = a.mimeType ?? mimeTypeFromFilename(filename) ?? 'application/octet-stream';
	assertNoLineBreak(mimeType, `${field}.mimeType`);
	mimeType = mimeType.trim();
	if (!MEDIA_TYPE.test(mimeType)) throw new MimeError(`Invalid media type in "${field}.mimeType": "${mimeType}"`, `${field}.mimeType`, mimeType);
	const content = a.content;
	if (!(content instanceof Uint8Array) && !isAsyncIterable(content)) {
		throw new MimeError(`"${field}.content" must be a Buffer or an async iterable of Buffers`, `${field}.content`);
	}
	let headers =
		foldHeader('Content-Type', withParams(mimeType.toLowerCase(), filename ? [nameParam(filename)] : [])) +
		foldHeader('Content-Transfer-Encoding', ['base64']) +
		foldHeader('Content-Disposition', withParams(inline ? 'inline' : 'attachment', filename ? filenameParams(filename) : []));
	if (a.contentId !== undefined && a.contentId !== '') {
		assertNoLineBreak(a.contentId, `${field}.contentId`);
		const cid = a.contentId.trim().replace(/^<|>$/g, '');
		if (!cid || /[\s<>"]/.test(cid) || !PRINTABLE_ASCII.test(cid)) {
			throw new MimeError(`Invalid content ID in "${field}.contentId": "${a.contentId}"`, `${field}.contentId`, a.contentId);
		}
		headers += foldHeader('Content-ID', [`<${cid}>`]);
	}
	const size = content instanceof Uint8Array ? content.length : a.size;
	return { headers, body: [{ source: content, size, field }] };
}

function encodeBase64Sync(bytes: Uint8Array): Buffer {
	const enc = new Base64LineEncoder();
	const parts: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += SLICE_BYTES) parts.push(enc.push(bytes.subarray(i, i + SLICE_BYTES)));
	parts.push(enc.end());
	return Buffer.concat(parts);
}

// ---------------------------------------------------------------------------------------------------------
// The planner

function optionalString(v: unknown, field: string): string | undefined {
	if (v === undefined || v === null) return undefined;
	if (typeof v !== 'string') throw new MimeError(`"${field}" must be a string`, field);
	return v;
}

/** Validates the input and lays the message out as segments (see the module comment). */
export function planMessage(input: BuildInput, options: BuildOptions = {}): Segment[] {
	if (!input || typeof input !== 'object') throw new MimeError('buildRawMessage needs an input object', 'input');
	const random = options.randomBytes ?? cryptoRandomBytes;
	const boundary = () => '=_' + random(12).toString('hex');

	const from = normalizeAddresses(input.from, 'from');
	const to = normalizeAddresses(input.to, 'to');
	const cc = normalizeAddresses(input.cc, 'cc');
	const bcc = normalizeAddresses(input.bcc, 'bcc');
	const replyTo = normalizeAddresses(input.replyTo, 'replyTo');
	const subject = optionalString(input.subject, 'subject');
	if (subject !== undefined) assertNoLineBreak(subject, 'subject');
	const text = optionalString(input.text, 'text');
	const html = optionalString(input.html, 'html');

	let date: Date;
	if (input.date === undefined || input.date === null) date = new Date();
	else {
		if (typeof input.date === 'string') assertNoLineBreak(input.date, 'date');
		date = input.date instanceof Date ? input.date : new Date(input.date);
		if (isNaN(date.getTime())) throw new MimeError(`Invalid date: "${String(input.date)}"`, 'date', String(input.date));
	}
	let messageId: string;
	if (input.messageId !== undefined && input.messageId !== null && input.messageId !== '') {
		messageId = messageIdToken(String(input.messageId), 'messageId');
	} else {
		const sender = from[0]?.address;
		const domain = sender ? domainToAscii(sender.slice(sender.lastIndexOf('@') + 1)) : undefined;
		messageId = `<${random(16).toString('hex')}@${domain || 'gmail-workspace.invalid'}>`;
	}
	const inReplyTo = input.inReplyTo ? messageIdToken(String(input.inReplyTo), 'inReplyTo') : undefined;
	let references: string[] = [];
	if (input.references !== undefined && input.references !== null) {
		const list = Array.isArray(input.references) ? input.references : [input.references];
		references = list.flatMap((r, i) => {
			const field = Array.isArray(input.references) ? `references[${i}]` : 'references';
			if (typeof r !== 'string') throw new MimeError(`"${field}" must be a string`, field);
			assertNoLineBreak(r, field);
			return r.split(/[\s,]+/).filter(Boolean).map((id) => messageIdToken(id, field));
		});
	}
	const extra = customHeaders(input.headers);

	// body structure
	const attachments = input.attachments ?? [];
	if (!Array.isArray(attachments)) throw new MimeError('"attachments" must be an array', 'attachments');
	const hasHtml = html !== undefined && html !== '';
	const inlineIdx: number[] = [];
	const regularIdx: number[] = [];
	attachments.forEach((a, i) => (hasHtml && a && a.contentId ? inlineIdx : regularIdx).push(i));
	let body: Entity = hasHtml
		? multipartEntity('alternative', [textEntity('plain', text ?? htmlToText(html)), textEntity('html', html)], boundary())
		: textEntity('plain', text ?? '');
	if (inlineIdx.length) {
		body = multipartEntity(
			'related',
			[body, ...inlineIdx.map((i) => attachmentEntity(attachments[i], i, true))],
			boundary(),
			[['type="multipart/alternative"']],
		);
	}
	if (regularIdx.length) {
		body = multipartEntity('mixed', [body, ...regularIdx.map((i) => attachmentEntity(attachments[i], i, false))], boundary());
	}

	let head = '';
	if (from.length) head += foldHeader('From', addressTokens(from, 'From'));
	if (to.length) head += foldHeader('To', addressTokens(to, 'To'));
	if (cc.length) head += foldHeader('Cc', addressTokens(cc, 'Cc'));
	if (bcc.length) head += foldHeader('Bcc', addressTokens(bcc, 'Bcc'));
	if (replyTo.length) head += foldHeader('Reply-To', addressTokens(replyTo, 'Reply-To'));
	if (subject) head += foldHeader('Subject', unstructuredTokens(subject, 'Subject'));
	head += foldHeader('Date', foldableTokens(formatDate(date)));
	head += foldHeader('Message-ID', [messageId]);
	if (inReplyTo) head += foldHeader('In-Reply-To', [inReplyTo]);
	if (references.length) head += foldHeader('References', references);
	head += extra;
	head += 'MIME-Version: 1.0\r\n';
	head += body.headers + '\r\n';

	const w = new Writer();
	w.text(head);
	for (const seg of body.body) w.add(seg);
	w.text('\r\n');
	w.flush();
	return w.segments;
}

// ---------------------------------------------------------------------------------------------------------
// Consumers

async function* generate(segments: Segment[], reuse = false): AsyncGenerator<Buffer> {
	for (const seg of segments) {
		if (Buffer.isBuffer(seg)) {
			yield seg;
			continue;
		}
		const enc = new Base64LineEncoder(reuse);
		if (seg.source instanceof Uint8Array) {
			for (let i = 0; i < seg.source.length; i += SLICE_BYTES) yield enc.push(seg.source.subarray(i, i + SLICE_BYTES));
		} else {
			for await (const chunk of seg.source) {
				if (!(chunk instanceof Uint8Array)) {
					throw new MimeError(`"${seg.field}.content" yielded a chunk that is not a Buffer/Uint8Array`, `${seg.field}.content`);
				}
				const out = enc.push(chunk);
				if (out.length) yield out;
			}
		}
		const tail = enc.end();
		if (tail.length) yield tail;
	}
}

/**
 * Builds the message as an async iterable of Buffers; attachment contents may be async iterables of chunks,
 * base64-encoded as they arrive (a 30 MB attachment is never held whole). Input errors throw here, at once.
 */
export function buildRawMessageStream(input: BuildInput, options?: BuildOptions): AsyncIterable<Buffer> {
	return generate(planMessage(input, options), options?.reuseBuffers);
}

/** Builds the whole message synchronously (attachment contents must be Buffers / Uint8Arrays). */
export function buildRawMessage(input: BuildInput, options?: BuildOptions): Buffer {
	const parts: Buffer[] = [];
	for (const seg of planMessage(input, options)) {
		if (Buffer.isBuffer(seg)) parts.push(seg);
		else if (seg.source instanceof Uint8Array) parts.push(encodeBase64Sync(seg.source));
		else {
			throw new MimeError(
				`"${seg.field}.content" is a stream: use buildRawMessageStream for streamed attachments`,
				`${seg.field}.content`,
			);
		}
	}
	return Buffer.concat(parts);
}

/**
 * The exact byte length buildRawMessage / buildRawMessageStream produce for this input (boundaries and
 * Message-ID have a fixed length), computed without encoding attachments. Streamed attachments need `size`.
 * Compare with GMAIL_MAX_RAW_BYTES before uploading.
 */
export function estimateEncodedSize(input: BuildInput): number {
	let total = 0;
	for (const seg of planMessage(input)) {
		if (Buffer.isBuffer(seg)) total += seg.length;
		else {
			if (typeof seg.size !== 'number' || !(seg.size >= 0)) {
				throw new MimeError(`"${seg.field}.size" is needed to estimate a streamed attachment`, `${seg.field}.size`);
			}
			total += base64BodyLength(seg.size);
		}
	}
	return total;
}
