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
 *
 * Every step is linear in its input (issue #18) and the planner is written as steps (see slices.ts): the
 * synchronous API runs them straight through; prepareRawMessage / buildRawMessageAsync run them in time
 * slices, so a 25 MB HTML body (its plain-text alternative, both encodings), 50,000 recipients or a huge
 * header never hold the event loop for more than about one slice.
 */
import { randomBytes as cryptoRandomBytes } from 'node:crypto';
import {
	asciiAddress,
	assertNoLineBreak,
	normalizeAddressesSteps,
	type Address,
	type AddressInput,
} from './address';
import { isSpace } from './chars';
import { encodeWordsSteps } from './encoded-words';
import { MimeError } from './errors';
import { htmlToTextPiecesSteps } from './html-to-text';
import { mimeTypeFromFilename } from './mime-types';
import { domainToAscii } from './punycode';
import {
	DEFAULT_SLICE_MS,
	runAsync,
	runSync,
	STEP,
	StringJoiner,
	yieldToEventLoop,
	type SliceOptions,
	type Steps,
} from './slices';
import {
	Base64LineEncoder,
	base64BodyLength,
	isAsyncIterable,
	SLICE_BYTES,
	type ByteSource,
} from './stream';
import { encodeQuotedPrintableSteps } from './transfer';

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

const tooLong = (name: string) =>
	new MimeError(
		`Header "${name}" has a line longer than 998 characters that cannot be folded`,
		name,
	);

/** Folds tokens (joined by single spaces) into "Name: …" lines of at most 78 characters where possible. */
function* foldHeader(name: string, tokens: string[]): Steps<string> {
	const lines = new StringJoiner();
	// the current line as its tokens (joined once per line: no string built a token at a time)
	let line: string[] = [name + ':'];
	let length = line[0].length;
	for (let i = 0; i < tokens.length; i++) {
		const t = tokens[i];
		if (i && length + 1 + t.length > MAX_LINE) {
			if (length > 998) throw tooLong(name);
			lines.push(line.join(' ') + '\r\n');
			line = [''];
			length = 0;
		}
		line.push(t);
		length += 1 + t.length;
		if ((i & 4095) === 4095) yield;
	}
	if (length > 998) throw tooLong(name);
	lines.push(line.join(' ') + '\r\n');
	return lines.toString();
}

/** foldHeader for the builder's own short headers. */
const foldShort = (name: string, tokens: string[]) => runSync(foldHeader(name, tokens));

/**
 * Where the foldable tokens of s start: s split at single spaces between non-blank characters (the only
 * places folding cannot change the value), what s.split(/(?<=\S) (?=\S)/) gives, as offsets (a token runs
 * to one before the next start, the last to the end), found with one indexOf per space.
 */
function* tokenStarts(s: string): Steps<number[]> {
	const starts = [0];
	let check = STEP;
	for (let i = s.indexOf(' ', 1); i > 0 && i < s.length - 1; i = s.indexOf(' ', i + 1)) {
		if (!isSpace(s.charCodeAt(i - 1)) && !isSpace(s.charCodeAt(i + 1))) starts.push(i + 1);
		if (i >= check) {
			check = i + STEP;
			yield;
		}
	}
	return starts;
}

const tokenEnd = (s: string, starts: number[], k: number) =>
	k + 1 < starts.length ? starts[k + 1] - 1 : s.length;

function longestToken(s: string, starts: number[]): number {
	let max = 0;
	for (let k = 0; k < starts.length; k++) max = Math.max(max, tokenEnd(s, starts, k) - starts[k]);
	return max;
}

/** The tokens themselves (for short values). */
function* foldableTokens(s: string): Steps<string[]> {
	const starts = yield* tokenStarts(s);
	return starts.map((a, k) => s.slice(a, tokenEnd(s, starts, k)));
}

/**
 * foldHeader(name, foldableTokens(value)) for a plain value of any size: a folded line is a range of the
 * value (its tokens with the single spaces between them), so lines are cut out of the value directly.
 */
function* foldValue(name: string, value: string, starts: number[]): Steps<string> {
	const lines = new StringJoiner();
	let first = 0; // the line's first token
	let length = name.length + 1 + 1 + (tokenEnd(value, starts, 0) - starts[0]);
	const emit = (last: number) => {
		if (length > 998) throw tooLong(name);
		lines.push(
			(first ? ' ' : name + ': ') +
				value.slice(starts[first], tokenEnd(value, starts, last)) +
				'\r\n',
		);
	};
	for (let k = 1; k < starts.length; k++) {
		const t = tokenEnd(value, starts, k) - starts[k];
		if (length + 1 + t > MAX_LINE) {
			emit(k - 1);
			first = k;
			length = 1 + t;
		} else length += 1 + t;
		if ((k & 4095) === 4095) yield;
	}
	emit(starts.length - 1);
	return lines.toString();
}

const PRINTABLE_ASCII = /^[\x20-\x7e]*$/;

/** Unstructured text (Subject, custom values): raw when plain ASCII and foldable, else encoded words. */
function* unstructuredHeader(name: string, value: string): Steps<string> {
	const starts = yield* tokenStarts(value);
	const plain =
		PRINTABLE_ASCII.test(value) &&
		!value.includes('=?') &&
		value === value.trim() &&
		longestToken(value, starts) <= MAX_LINE - 2;
	if (plain) return yield* foldValue(name, value, starts);
	return yield* foldHeader(name, yield* encodeWordsSteps(value, MAX_LINE - name.length - 2, 75));
}

const ATOM_PHRASE = /^[A-Za-z0-9!#$%&'*+/=?^_`{|}~ -]*$/;

/** Display name tokens: atoms as they are, specials as a quoted string, non-ASCII (and oddities) as encoded words. */
function* displayNameTokens(name: string, headerName: string): Steps<string[]> {
	const tokens = yield* foldableTokens(name);
	const foldable =
		name === name.trim() && !/ {2}/.test(name) && tokens.every((t) => t.length <= MAX_LINE - 4);
	if (PRINTABLE_ASCII.test(name) && !name.includes('=?') && foldable) {
		if (ATOM_PHRASE.test(name)) return tokens;
		const quoted = yield* foldableTokens('"' + name.replace(/(["\\])/g, '\\$1') + '"');
		if (quoted.every((t) => t.length <= MAX_LINE - 2)) return quoted;
	}
	return yield* encodeWordsSteps(name, MAX_LINE - headerName.length - 2, 75);
}

function* addressTokens(list: Address[], headerName: string): Steps<string[]> {
	const tokens: string[] = [];
	for (let i = 0; i < list.length; i++) {
		const a = list[i];
		const addr = asciiAddress(a.address);
		const own = a.name ? [...(yield* displayNameTokens(a.name, headerName)), `<${addr}>`] : [addr];
		if (i < list.length - 1) own[own.length - 1] += ',';
		for (const t of own) tokens.push(t);
		if ((i & 1023) === 1023) yield;
	}
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
	'content-type',
	'content-transfer-encoding',
	'mime-version',
	'content-disposition',
	'content-id',
	'from',
	'to',
	'cc',
	'bcc',
	'reply-to',
	'subject',
	'date',
	'message-id',
	'in-reply-to',
	'references',
]);

/** Whether the builder writes this header itself (a custom header may not set it; a copy does not carry it). */
export const isBuiltHeader = (name: string): boolean => RESERVED.has(name.toLowerCase());

function* customHeaders(input: BuildInput['headers']): Steps<string> {
	if (!input) return '';
	const list: Array<{ name: string; value: string }> = [];
	if (Array.isArray(input)) list.push(...input);
	else
		for (const [name, value] of Object.entries(input))
			for (const v of ([] as string[]).concat(value)) list.push({ name, value: v });
	let out = '';
	for (const { name, value } of list) {
		const n = typeof name === 'string' ? name.trim() : '';
		const field = `headers[${n || String(name)}]`;
		assertNoLineBreak(String(name ?? ''), `${field} (name)`);
		if (!FIELD_NAME.test(n))
			throw new MimeError(`Invalid header field name "${name}"`, field, String(name));
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
		out += PRINTABLE_ASCII.test(v)
			? yield* foldValue(n, v, yield* tokenStarts(v))
			: yield* foldHeader(n, yield* encodeWordsSteps(v, MAX_LINE - n.length - 2, 75));
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------
// Parameters (Content-Type name=, Content-Disposition filename=)

const isAttrChar = (c: number) =>
	(c >= 0x61 && c <= 0x7a) ||
	(c >= 0x41 && c <= 0x5a) ||
	(c >= 0x30 && c <= 0x39) ||
	'!#$&+-.^_`|~'.includes(String.fromCharCode(c));
const HEX = '0123456789ABCDEF';
const pct = (b: number) => '%' + HEX[b >> 4] + HEX[b & 15];
/** RFC 2231 encodings of the ASCII characters. */
const PCT_ASCII = Array.from({ length: 128 }, (_, c) =>
	isAttrChar(c) ? String.fromCharCode(c) : pct(c),
);

/** The percent-encoded UTF-8 of the code point at s[i] (a lone surrogate is U+FFFD) and its length in s. */
function percentEncodeAt(s: string, i: number): [string, number] {
	let cp = s.charCodeAt(i);
	if (cp < 0x80) return [PCT_ASCII[cp], 1];
	let width = 1;
	if (cp >= 0xd800 && cp <= 0xdbff && i + 1 < s.length) {
		const d = s.charCodeAt(i + 1);
		if (d >= 0xdc00 && d <= 0xdfff) {
			cp = ((cp - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
			width = 2;
		}
	}
	if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
	if (cp < 0x800) return [pct(0xc0 | (cp >> 6)) + pct(0x80 | (cp & 63)), width];
	if (cp < 0x10000)
		return [pct(0xe0 | (cp >> 12)) + pct(0x80 | ((cp >> 6) & 63)) + pct(0x80 | (cp & 63)), width];
	return [
		pct(0xf0 | (cp >> 18)) +
			pct(0x80 | ((cp >> 12) & 63)) +
			pct(0x80 | ((cp >> 6) & 63)) +
			pct(0x80 | (cp & 63)),
		width,
	];
}

const simpleParam = (v: string) => PRINTABLE_ASCII.test(v) && v.length <= 60 && !v.includes('=?');
const quote = (v: string) => '"' + v.replace(/(["\\])/g, '\\$1') + '"';

/** RFC 2231 tokens for a filename: one "filename*=UTF-8''…" or numbered continuations of ≤ ~60 characters. */
function* rfc2231Tokens(param: string, value: string): Steps<string[]> {
	const encoded: string[] = [];
	for (let i = 0; i < value.length; ) {
		const [e, width] = percentEncodeAt(value, i);
		encoded.push(e);
		i += width;
		if ((encoded.length & 0xffff) === 0) yield;
	}
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

function* nameParam(filename: string): Steps<string[]> {
	if (simpleParam(filename)) return [`name=${quote(filename)}`];
	const words = yield* encodeWordsSteps(filename, 60, 75);
	return words.map((w, i) => (i === 0 ? 'name="' : '') + w + (i === words.length - 1 ? '"' : ''));
}

function* filenameParams(filename: string): Steps<string[][]> {
	if (simpleParam(filename)) return [[`filename=${quote(filename)}`]];
	return (yield* rfc2231Tokens('filename', filename)).map((t) => [t]);
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

/** Characters of text turned into bytes per step. */
const TEXT_SLICE = STEP * 8;

/** The header block as bytes, a slice per step when it is huge (a 10 MB folded header value). */
function* headerBytes(head: string): Steps<Buffer[]> {
	const out: Buffer[] = [];
	for (let a = 0; a < head.length; ) {
		let b = Math.min(head.length, a + TEXT_SLICE);
		const c = head.charCodeAt(b - 1);
		if (b < head.length && c >= 0xd800 && c <= 0xdbff) b++;
		out.push(Buffer.from(head.slice(a, b), 'utf8'));
		a = b;
		if (a < head.length) yield;
	}
	return out;
}

/**
 * Buffer.from(text.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8') for a text given whole or in pieces (a derived
 * plain text is never joined: see rope() in slices.ts), in slices that split neither a CRLF nor a surrogate
 * pair, written into one buffer sized up front (so its pages are first touched slice by slice).
 */
export function* utf8WithCrlf(text: string | string[]): Steps<Buffer> {
	if (typeof text === 'string' && text.length <= TEXT_SLICE)
		return Buffer.from(text.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');
	const slices: string[] = [];
	let size = 0;
	let carry = ''; // a CR or a high surrogate that ended the previous piece
	for (const whole of typeof text === 'string' ? [text] : text) {
		const piece = carry ? carry + whole : whole;
		carry = '';
		for (let a = 0; a < piece.length; ) {
			let b = Math.min(piece.length, a + TEXT_SLICE);
			for (;;) {
				const c = piece.charCodeAt(b - 1);
				if (b < piece.length && (c === 0x0d || (c >= 0xd800 && c <= 0xdbff))) b++;
				else break;
			}
			let end = b;
			const last = piece.charCodeAt(b - 1);
			if (b === piece.length && (last === 0x0d || (last >= 0xd800 && last <= 0xdbff))) {
				carry = piece[b - 1];
				end = b - 1;
			}
			const slice = piece.slice(a, end).replace(/\r\n|\r|\n/g, '\r\n');
			slices.push(slice);
			size += Buffer.byteLength(slice, 'utf8');
			a = b;
			yield;
		}
	}
	if (carry) {
		const slice = carry.replace('\r', '\r\n');
		slices.push(slice);
		size += Buffer.byteLength(slice, 'utf8');
	}
	const bytes = Buffer.allocUnsafe(size);
	let o = 0;
	for (const slice of slices) {
		o += bytes.write(slice, o, 'utf8');
		yield;
	}
	return bytes;
}

function* textEntity(subtype: 'plain' | 'html', text: string | string[]): Steps<Entity> {
	const bytes = yield* utf8WithCrlf(text);
	let high = 0;
	for (let a = 0; a < bytes.length; a += TEXT_SLICE) {
		for (let i = a, e = Math.min(bytes.length, a + TEXT_SLICE); i < e; i++)
			if (bytes[i] >= 0x80) high++;
		yield;
	}
	const useBase64 = high * 3 > bytes.length;
	const body: Buffer[] = useBase64
		? yield* encodeBase64(bytes)
		: yield* encodeQuotedPrintableSteps(bytes);
	return {
		headers:
			foldShort('Content-Type', withParams(`text/${subtype}`, [['charset=UTF-8']])) +
			foldShort('Content-Transfer-Encoding', [useBase64 ? 'base64' : 'quoted-printable']),
		body,
	};
}

function multipartEntity(
	subtype: string,
	children: Entity[],
	boundary: string,
	extra: string[][] = [],
): Entity {
	const w = new Writer();
	children.forEach((child, i) => {
		w.text(`${i ? '\r\n' : ''}--${boundary}\r\n`);
		w.text(child.headers + '\r\n');
		for (const seg of child.body) w.add(seg);
	});
	w.text(`\r\n--${boundary}--`);
	w.flush();
	return {
		headers: foldShort(
			'Content-Type',
			withParams(`multipart/${subtype}`, [[`boundary="${boundary}"`], ...extra]),
		),
		body: w.segments,
	};
}

const MEDIA_TYPE = /^[A-Za-z0-9!#$&^_.+-]{1,64}\/[A-Za-z0-9!#$&^_.+-]{1,127}$/;

function* attachmentEntity(a: AttachmentInput, i: number, inline: boolean): Steps<Entity> {
	const field = `attachments[${i}]`;
	if (!a || typeof a !== 'object') throw new MimeError(`${field} must be an object`, field);
	const filename = typeof a.filename === 'string' ? a.filename : '';
	assertNoLineBreak(filename, `${field}.filename`);
	let mimeType = a.mimeType ?? mimeTypeFromFilename(filename) ?? 'application/octet-stream';
	assertNoLineBreak(mimeType, `${field}.mimeType`);
	mimeType = mimeType.trim();
	if (!MEDIA_TYPE.test(mimeType))
		throw new MimeError(
			`Invalid media type in "${field}.mimeType": "${mimeType}"`,
			`${field}.mimeType`,
			mimeType,
		);
	const content = a.content;
	if (!(content instanceof Uint8Array) && !isAsyncIterable(content)) {
		throw new MimeError(
			`"${field}.content" must be a Buffer or an async iterable of Buffers`,
			`${field}.content`,
		);
	}
	let headers =
		(yield* foldHeader(
			'Content-Type',
			withParams(mimeType.toLowerCase(), filename ? [yield* nameParam(filename)] : []),
		)) +
		foldShort('Content-Transfer-Encoding', ['base64']) +
		(yield* foldHeader(
			'Content-Disposition',
			withParams(inline ? 'inline' : 'attachment', filename ? yield* filenameParams(filename) : []),
		));
	if (a.contentId !== undefined && a.contentId !== '') {
		assertNoLineBreak(a.contentId, `${field}.contentId`);
		const cid = a.contentId.trim().replace(/^<|>$/g, '');
		if (!cid || /[\s<>"]/.test(cid) || !PRINTABLE_ASCII.test(cid)) {
			throw new MimeError(
				`Invalid content ID in "${field}.contentId": "${a.contentId}"`,
				`${field}.contentId`,
				a.contentId,
			);
		}
		headers += foldShort('Content-ID', [`<${cid}>`]);
	}
	const size = content instanceof Uint8Array ? content.length : a.size;
	return { headers, body: [{ source: content, size, field }] };
}

/** Base64 in 76-character lines, as the slices the encoder returns (each a fresh buffer of ≤ 88 KiB). */
function* encodeBase64(bytes: Uint8Array): Steps<Buffer[]> {
	const enc = new Base64LineEncoder();
	const parts: Buffer[] = [];
	for (let i = 0; i < bytes.length; i += SLICE_BYTES) {
		parts.push(enc.push(bytes.subarray(i, i + SLICE_BYTES)));
		yield;
	}
	parts.push(enc.end());
	return parts.filter((p) => p.length);
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
	return runSync(planMessageSteps(input, options));
}

export function* planMessageSteps(input: BuildInput, options: BuildOptions = {}): Steps<Segment[]> {
	if (!input || typeof input !== 'object')
		throw new MimeError('buildRawMessage needs an input object', 'input');
	const random = options.randomBytes ?? cryptoRandomBytes;
	const boundary = () => '=_' + random(12).toString('hex');

	const from = yield* normalizeAddressesSteps(input.from, 'from');
	const to = yield* normalizeAddressesSteps(input.to, 'to');
	const cc = yield* normalizeAddressesSteps(input.cc, 'cc');
	const bcc = yield* normalizeAddressesSteps(input.bcc, 'bcc');
	const replyTo = yield* normalizeAddressesSteps(input.replyTo, 'replyTo');
	const subject = optionalString(input.subject, 'subject');
	if (subject !== undefined) assertNoLineBreak(subject, 'subject');
	const text = optionalString(input.text, 'text');
	const html = optionalString(input.html, 'html');

	let date: Date;
	if (input.date === undefined || input.date === null) date = new Date();
	else {
		if (typeof input.date === 'string') assertNoLineBreak(input.date, 'date');
		date = input.date instanceof Date ? input.date : new Date(input.date);
		if (isNaN(date.getTime()))
			throw new MimeError(`Invalid date: "${String(input.date)}"`, 'date', String(input.date));
	}
	let messageId: string;
	if (input.messageId !== undefined && input.messageId !== null && input.messageId !== '') {
		messageId = messageIdToken(String(input.messageId), 'messageId');
	} else {
		const sender = from[0]?.address;
		const domain = sender ? domainToAscii(sender.slice(sender.lastIndexOf('@') + 1)) : undefined;
		messageId = `<${random(16).toString('hex')}@${domain || 'gmail-workspace.invalid'}>`;
	}
	const inReplyTo = input.inReplyTo
		? messageIdToken(String(input.inReplyTo), 'inReplyTo')
		: undefined;
	let references: string[] = [];
	if (input.references !== undefined && input.references !== null) {
		const list = Array.isArray(input.references) ? input.references : [input.references];
		references = list.flatMap((r, i) => {
			const field = Array.isArray(input.references) ? `references[${i}]` : 'references';
			if (typeof r !== 'string') throw new MimeError(`"${field}" must be a string`, field);
			assertNoLineBreak(r, field);
			return r
				.split(/[\s,]+/)
				.filter(Boolean)
				.map((id) => messageIdToken(id, field));
		});
	}
	const extra = yield* customHeaders(input.headers);

	// body structure
	const attachments = input.attachments ?? [];
	if (!Array.isArray(attachments))
		throw new MimeError('"attachments" must be an array', 'attachments');
	const hasHtml = html !== undefined && html !== '';
	const inlineIdx: number[] = [];
	const regularIdx: number[] = [];
	attachments.forEach((a, i) => (hasHtml && a && a.contentId ? inlineIdx : regularIdx).push(i));
	let body: Entity;
	if (hasHtml) {
		const plain = yield* textEntity('plain', text ?? (yield* htmlToTextPiecesSteps(html)));
		body = multipartEntity('alternative', [plain, yield* textEntity('html', html)], boundary());
	} else body = yield* textEntity('plain', text ?? '');
	if (inlineIdx.length) {
		const parts: Entity[] = [body];
		for (const i of inlineIdx) parts.push(yield* attachmentEntity(attachments[i], i, true));
		body = multipartEntity('related', parts, boundary(), [['type="multipart/alternative"']]);
	}
	if (regularIdx.length) {
		const parts: Entity[] = [body];
		for (const i of regularIdx) parts.push(yield* attachmentEntity(attachments[i], i, false));
		body = multipartEntity('mixed', parts, boundary());
	}

	let head = '';
	if (from.length) head += yield* foldHeader('From', yield* addressTokens(from, 'From'));
	if (to.length) head += yield* foldHeader('To', yield* addressTokens(to, 'To'));
	if (cc.length) head += yield* foldHeader('Cc', yield* addressTokens(cc, 'Cc'));
	if (bcc.length) head += yield* foldHeader('Bcc', yield* addressTokens(bcc, 'Bcc'));
	if (replyTo.length)
		head += yield* foldHeader('Reply-To', yield* addressTokens(replyTo, 'Reply-To'));
	if (subject) head += yield* unstructuredHeader('Subject', subject);
	head += foldShort('Date', runSync(foldableTokens(formatDate(date))));
	head += foldShort('Message-ID', [messageId]);
	if (inReplyTo) head += foldShort('In-Reply-To', [inReplyTo]);
	if (references.length) head += yield* foldHeader('References', references);
	head += extra;
	head += 'MIME-Version: 1.0\r\n';
	head += body.headers + '\r\n';

	const w = new Writer();
	for (const bytes of yield* headerBytes(head)) w.add(bytes);
	for (const seg of body.body) w.add(seg);
	w.text('\r\n');
	w.flush();
	return w.segments;
}

// ---------------------------------------------------------------------------------------------------------
// Consumers

/**
 * The segments as Buffers, attachments base64-encoded slice by slice. With `slices`, the generator itself
 * awaits slices.yieldFn whenever about sliceMs have passed since the last yield, so even a consumer that never
 * waits for I/O does not hold the event loop for the whole message.
 */
async function* generate(
	segments: Segment[],
	reuse = false,
	slices?: SliceOptions,
): AsyncGenerator<Buffer> {
	const yieldFn = slices ? (slices.yieldFn ?? yieldToEventLoop) : undefined;
	const sliceMs = slices?.sliceMs ?? DEFAULT_SLICE_MS;
	let last = performance.now();
	const pace = async () => {
		if (performance.now() - last >= sliceMs) {
			await yieldFn!();
			last = performance.now();
		}
	};
	for (const seg of segments) {
		if (Buffer.isBuffer(seg)) {
			yield seg;
			if (yieldFn) await pace();
			continue;
		}
		const enc = new Base64LineEncoder(reuse);
		if (seg.source instanceof Uint8Array) {
			for (let i = 0; i < seg.source.length; i += SLICE_BYTES) {
				yield enc.push(seg.source.subarray(i, i + SLICE_BYTES));
				if (yieldFn) await pace();
			}
		} else {
			for await (const chunk of seg.source) {
				if (!(chunk instanceof Uint8Array)) {
					throw new MimeError(
						`"${seg.field}.content" yielded a chunk that is not a Buffer/Uint8Array`,
						`${seg.field}.content`,
					);
				}
				const out = enc.push(chunk);
				if (out.length) yield out;
				if (yieldFn) await pace();
			}
		}
		const tail = enc.end();
		if (tail.length) yield tail;
	}
}

/**
 * Builds the message as an async iterable of Buffers; attachment contents may be async iterables of chunks,
 * base64-encoded as they arrive (a 30 MB attachment is never held whole). Input errors throw here, at once.
 * The planning (validation, the plain text derived from HTML, text encodings) runs synchronously here: for
 * big bodies prefer prepareRawMessage.
 */
export function buildRawMessageStream(
	input: BuildInput,
	options?: BuildOptions,
): AsyncIterable<Buffer> {
	return generate(planMessage(input, options), options?.reuseBuffers);
}

function* concatSegments(segments: Segment[]): Steps<Buffer> {
	const parts: Buffer[] = [];
	for (const seg of segments) {
		if (Buffer.isBuffer(seg)) parts.push(seg);
		else if (seg.source instanceof Uint8Array)
			for (const p of yield* encodeBase64(seg.source)) parts.push(p);
		else {
			throw new MimeError(
				`"${seg.field}.content" is a stream: use buildRawMessageStream for streamed attachments`,
				`${seg.field}.content`,
			);
		}
	}
	return Buffer.concat(parts);
}

/** Builds the whole message synchronously (attachment contents must be Buffers / Uint8Arrays). */
export function buildRawMessage(input: BuildInput, options?: BuildOptions): Buffer {
	return runSync(concatSegments(planMessage(input, options)));
}

/** buildRawMessage in time slices (see slices.ts): the same bytes, without blocking the event loop. */
export async function buildRawMessageAsync(
	input: BuildInput,
	options: BuildOptions & SliceOptions = {},
): Promise<Buffer> {
	const segments = await runAsync(planMessageSteps(input, options), options);
	return runAsync(concatSegments(segments), options);
}

function segmentsSize(segments: Segment[]): number {
	let total = 0;
	for (const seg of segments) {
		if (Buffer.isBuffer(seg)) total += seg.length;
		else {
			if (typeof seg.size !== 'number' || !(seg.size >= 0)) {
				throw new MimeError(
					`"${seg.field}.size" is needed to estimate a streamed attachment`,
					`${seg.field}.size`,
				);
			}
			total += base64BodyLength(seg.size);
		}
	}
	return total;
}

/**
 * The exact byte length buildRawMessage / buildRawMessageStream produce for this input (boundaries and
 * Message-ID have a fixed length), computed without encoding attachments. Streamed attachments need `size`.
 * Compare with GMAIL_MAX_RAW_BYTES before uploading.
 */
export function estimateEncodedSize(input: BuildInput): number {
	return segmentsSize(planMessage(input));
}

/** A message planned once: its exact size and its bytes. */
export interface PreparedMessage {
	/**
	 * The exact byte length of stream()'s output (estimateEncodedSize's figure); reading it throws the same
	 * MimeError when a streamed attachment has no `size`.
	 */
	readonly size: number;
	/**
	 * The message as Buffers (reuseBuffers as in BuildOptions), pausing like the planning did. Streamed
	 * attachment contents are consumed: call it once.
	 */
	stream(): AsyncIterable<Buffer>;
}

/**
 * Plans the message in time slices (validation, the plain text derived from HTML, the text encodings: see
 * slices.ts) and returns its size and a stream of its bytes. For a send, this replaces estimateEncodedSize +
 * buildRawMessageStream (which plan the message twice, synchronously): input errors reject with a MimeError.
 */
export async function prepareRawMessage(
	input: BuildInput,
	options: BuildOptions & SliceOptions = {},
): Promise<PreparedMessage> {
	const segments = await runAsync(planMessageSteps(input, options), options);
	return {
		get size() {
			return segmentsSize(segments);
		},
		stream: () => generate(segments, options.reuseBuffers, options),
	};
}
