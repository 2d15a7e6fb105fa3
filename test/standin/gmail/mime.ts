/**
 * A small structural MIME splitter for the Gmail stand-in: headers (unfolded, RFC 2047 decoded, original order),
 * multipart boundaries, nesting (message/rfc822 becomes a part with the enclosed message as its one child),
 * and Content-Transfer-Encoding decoding. It is deliberately independent of the package's own parser (the
 * stand-in must not share code with what it tests).
 *
 * Everything works on "binary strings" (latin1: one char per byte), so byte offsets and string offsets agree.
 */

export interface MimeHeader {
	name: string;
	/** Unfolded, RFC 2047 encoded-words decoded, 8-bit bytes read as UTF-8 (windows-1252 when not valid UTF-8). */
	value: string;
}

export interface MimeEntity {
	headers: MimeHeader[];
	/** Lower-cased type/subtype (text/plain when missing or unusable). */
	mimeType: string;
	/** Content-Type parameters, lower-cased names, RFC 2231/2047 decoded. */
	params: Record<string, string>;
	/** Content-Disposition filename, else Content-Type name, decoded; '' when none. */
	filename: string;
	/** 'inline' | 'attachment' | '' */
	disposition: string;
	/** Lower-cased Content-Transfer-Encoding ('' when absent). */
	cte: string;
	/** The body as transfer-encoded in the source. */
	rawBody: Buffer;
	/** The body after transfer decoding (meaningful for leaves and message/rfc822). */
	body: Buffer;
	/** Children of a multipart, or [the enclosed message] for message/rfc822. */
	parts: MimeEntity[];
}

const MAX_DEPTH = 20;

export const toBin = (b: Buffer) => b.toString('latin1');
export const fromBin = (s: string) => Buffer.from(s, 'latin1');

/** Decode bytes in a charset; unknown charsets and undeclared 8-bit fall back to UTF-8, then windows-1252. */
export function decodeBytes(bytes: Buffer, charset?: string): string {
	const cs = (charset ?? '').trim().toLowerCase();
	if (cs && cs !== 'us-ascii' && cs !== 'ascii') {
		try {
			return new TextDecoder(cs).decode(bytes);
		} catch {
			/* unknown charset: guess below */
		}
	}
	try {
		return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
	} catch {
		// Mostly UTF-8 with a broken sequence (e.g. a name cut mid-character) reads better as UTF-8 with U+FFFD.
		return /[\xc2-\xf4][\x80-\xbf]+/.test(toBin(bytes))
			? new TextDecoder('utf-8').decode(bytes)
			: new TextDecoder('windows-1252').decode(bytes);
	}
}

/** RFC 2047 encoded words (=?charset?B|Q?text?=); whitespace between adjacent encoded words is dropped. */
export function decodeEncodedWords(s: string): string {
	const re = /=\?([^?\s]+)\?([bBqQ])\?([^?\s]*)\?=/g;
	let out = '';
	let last = 0;
	let prevWasWord = false;
	for (let m = re.exec(s); m; m = re.exec(s)) {
		const between = s.slice(last, m.index);
		if (!(prevWasWord && /^\s*$/.test(between))) out += between;
		const charset = m[1].split('*')[0];
		let bytes: Buffer;
		if (m[2].toLowerCase() === 'b') bytes = Buffer.from(m[3].replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
		else bytes = fromBin(m[3].replace(/_/g, ' ').replace(/=([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))));
		let text: string | undefined;
		try {
			text = new TextDecoder(charset.toLowerCase()).decode(bytes);
		} catch {
			text = undefined;
		}
		if (text === undefined) {
			out += m[0]; // unknown charset: leave the word as it was
			prevWasWord = false;
		} else {
			out += text;
			prevWasWord = true;
		}
		last = m.index + m[0].length;
	}
	return out + s.slice(last);
}

/** A header field's raw text → display value: unfold, read 8-bit bytes, decode encoded words, trim. */
export function decodeHeaderValue(bin: string): string {
	const unfolded = bin.replace(/\r?\n(?=[ \t])/g, '').replace(/\r?\n$/, '');
	return decodeEncodedWords(decodeBytes(fromBin(unfolded))).trim();
}

export interface RawField {
	name: string;
	/** Value text after the colon, unfolded is NOT applied (binary string, may contain CRLF + WSP). */
	value: string;
	/** Offsets of the whole field (name through its last line ending) in the source. */
	start: number;
	end: number;
}

/**
 * Split a header block. The block ends at the first empty line (consumed), or at the first line that is neither a
 * field nor a continuation (malformed messages: that line starts the body). A leading mbox "From " line and
 * leading whitespace-only lines are skipped.
 */
export function splitHeaderBlock(bin: string): { fields: RawField[]; bodyStart: number; headerEnd: number } {
	const fields: RawField[] = [];
	let pos = 0;
	let first = true;
	while (pos < bin.length) {
		const nl = bin.indexOf('\n', pos);
		const eol = nl < 0 ? bin.length : nl + 1;
		const line = bin.slice(pos, nl < 0 ? bin.length : nl).replace(/\r$/, '');
		if (line === '') return { fields, bodyStart: eol, headerEnd: pos };
		if (first && line.startsWith('From ')) {
			pos = eol;
			first = false;
			continue;
		}
		first = false;
		if (/^[ \t]/.test(line)) {
			const cur = fields[fields.length - 1];
			if (cur) {
				cur.value += bin.slice(cur.end, eol);
				cur.end = eol;
			}
			pos = eol;
			continue;
		}
		const m = /^([\x21-\x39\x3b-\x7e]+)[ \t]*:/.exec(line);
		if (!m) return { fields, bodyStart: pos, headerEnd: pos };
		fields.push({ name: m[1], value: bin.slice(pos + m[0].length, eol), start: pos, end: eol });
		pos = eol;
	}
	return { fields, bodyStart: bin.length, headerEnd: bin.length };
}

/** Split a structured header value into its first token and its parameters (RFC 2045 + RFC 2231). */
export function parseParams(value: string): { value: string; params: Record<string, string> } {
	const v = value.replace(/\r?\n(?=[ \t])/g, '');
	const tokens: string[] = [];
	let cur = '';
	let quoted = false;
	for (let i = 0; i < v.length; i++) {
		const c = v[i];
		if (quoted && c === '\\' && i + 1 < v.length) {
			cur += c + v[++i];
			continue;
		}
		if (c === '"') quoted = !quoted;
		if (c === ';' && !quoted) {
			tokens.push(cur);
			cur = '';
		} else cur += c;
	}
	tokens.push(cur);
	const head = tokens.shift()!.trim();
	const simple: Record<string, string> = {};
	const ext: Record<string, { idx: number; enc: boolean; text: string }[]> = {};
	for (const t of tokens) {
		const eq = t.indexOf('=');
		if (eq < 0) continue;
		const rawName = t.slice(0, eq).trim().toLowerCase();
		let val = t.slice(eq + 1).trim();
		if (val.startsWith('"')) val = val.replace(/^"|"$/g, '').replace(/\\(.)/g, '$1');
		const m = /^([^*]+)\*(?:(\d+)(\*)?|)$/.exec(rawName);
		if (m) {
			const enc = m[2] === undefined ? true : !!m[3];
			(ext[m[1]] ??= []).push({ idx: m[2] === undefined ? 0 : Number(m[2]), enc, text: val });
		} else if (!(rawName in simple)) simple[rawName] = val;
	}
	const params: Record<string, string> = {};
	for (const [k, val] of Object.entries(simple)) params[k] = decodeEncodedWords(decodeBytes(fromBin(val)));
	for (const [k, segs] of Object.entries(ext)) {
		segs.sort((a, b) => a.idx - b.idx);
		let charset = '';
		let bin = '';
		segs.forEach((s, i) => {
			let t = s.text;
			if (s.enc && i === 0) {
				const q = /^([^']*)'[^']*'(.*)$/.exec(t);
				if (q) {
					charset = q[1];
					t = q[2];
				}
			}
			bin += s.enc ? t.replace(/%([0-9A-Fa-f]{2})/g, (_, h) => String.fromCharCode(parseInt(h, 16))) : t;
		});
		params[k] = decodeBytes(fromBin(bin), charset || undefined);
	}
	return { value: head, params };
}

export function decodeQuotedPrintable(bin: string): Buffer {
	const s = bin.replace(/=[ \t]*\r?\n/g, '');
	const out = Buffer.alloc(s.length);
	let n = 0;
	for (let i = 0; i < s.length; i++) {
		if (s[i] === '=' && /^[0-9A-Fa-f]{2}$/.test(s.slice(i + 1, i + 3))) {
			out[n++] = parseInt(s.slice(i + 1, i + 3), 16);
			i += 2;
		} else out[n++] = s.charCodeAt(i) & 0xff;
	}
	return out.subarray(0, n);
}

export function decodeBase64(bin: string): Buffer {
	return Buffer.from(bin.replace(/[^A-Za-z0-9+/]/g, ''), 'base64');
}

/** uuencode: "begin <mode> <name>" … "end". Returns undefined when there is no begin line. */
export function decodeUuencode(bin: string): Buffer | undefined {
	const lines = bin.split(/\r?\n/);
	const start = lines.findIndex((l) => /^begin\s+\d+\s/.test(l));
	if (start < 0) return undefined;
	const out: number[] = [];
	for (const line of lines.slice(start + 1)) {
		if (line === 'end' || line === '`') break;
		const len = (line.charCodeAt(0) - 32) & 63;
		if (!len) continue;
		const chars = [...line.slice(1)].map((c) => (c.charCodeAt(0) - 32) & 63);
		for (let i = 0, got = 0; got < len; i += 4) {
			const [a, b, c, d] = [chars[i] ?? 0, chars[i + 1] ?? 0, chars[i + 2] ?? 0, chars[i + 3] ?? 0];
			const bytes = [(a << 2) | (b >> 4), ((b & 15) << 4) | (c >> 2), ((c & 3) << 6) | d];
			for (const x of bytes) if (got++ < len) out.push(x & 0xff);
		}
	}
	return Buffer.from(out);
}

export function decodeTransfer(bin: string, cte: string): Buffer {
	switch (cte) {
		case 'base64':
			return decodeBase64(bin);
		case 'quoted-printable':
			return decodeQuotedPrintable(bin);
		case 'x-uuencode':
		case 'x-uue':
		case 'uuencode':
			return decodeUuencode(bin) ?? fromBin(bin);
		default:
			return fromBin(bin);
	}
}

export interface MultipartSplit {
	preamble: string;
	parts: string[];
	epilogue: string;
	/** False when the closing delimiter is missing. */
	closed: boolean;
}

/**
 * Split a multipart body on `--boundary` lines (RFC 2046): a delimiter starts a line, may be followed by `--`
 * (close) and transport padding, and the line break before it belongs to the delimiter.
 */
export function splitMultipart(bin: string, boundary: string): MultipartSplit {
	const delim = '--' + boundary;
	const found: { lineStart: number; contentStart: number; close: boolean }[] = [];
	let from = 0;
	while (from <= bin.length) {
		const i = bin.indexOf(delim, from);
		if (i < 0) break;
		from = i + 1;
		if (i > 0 && bin[i - 1] !== '\n') continue;
		let j = i + delim.length;
		const close = bin.startsWith('--', j);
		if (close) j += 2;
		const nl = bin.indexOf('\n', j);
		const rest = bin.slice(j, nl < 0 ? bin.length : nl);
		if (!/^[ \t]*\r?$/.test(rest)) continue;
		const lineStart = i === 0 ? 0 : bin[i - 2] === '\r' ? i - 2 : i - 1;
		found.push({ lineStart, contentStart: nl < 0 ? bin.length : nl + 1, close });
		if (close) break;
	}
	if (!found.length) return { preamble: bin, parts: [], epilogue: '', closed: false };
	const parts: string[] = [];
	for (let k = 0; k < found.length; k++) {
		if (found[k].close) break;
		const end = k + 1 < found.length ? found[k + 1].lineStart : bin.length;
		parts.push(bin.slice(found[k].contentStart, Math.max(found[k].contentStart, end)));
	}
	const last = found[found.length - 1];
	return {
		preamble: bin.slice(0, found[0].lineStart),
		parts,
		epilogue: last.close ? bin.slice(last.contentStart) : '',
		closed: last.close,
	};
}

function parseEntity(bin: string, defaultType: string, depth: number): MimeEntity {
	const { fields, bodyStart } = splitHeaderBlock(bin);
	const headers = fields.map((f) => ({ name: f.name, value: decodeHeaderValue(f.value) }));
	const field = (name: string) => fields.find((f) => f.name.toLowerCase() === name);
	const ct = field('content-type');
	const parsedCt = ct ? parseParams(ct.value) : { value: defaultType, params: {} as Record<string, string> };
	let mimeType = parsedCt.value.toLowerCase();
	if (!/^[a-z0-9!#$&^_.+-]+\/[a-z0-9!#$&^_.+-]+$/.test(mimeType)) mimeType = 'text/plain';
	const disp = field('content-disposition');
	const parsedDisp = disp ? parseParams(disp.value) : { value: '', params: {} as Record<string, string> };
	const filename = parsedDisp.params.filename ?? parsedCt.params.name ?? '';
	const cteField = field('content-transfer-encoding');
	const cte = cteField ? decodeHeaderValue(cteField.value).toLowerCase() : '';
	const bodyBin = bin.slice(bodyStart);
	const entity: MimeEntity = {
		headers,
		mimeType,
		params: parsedCt.params,
		filename,
		disposition: parsedDisp.value.toLowerCase(),
		cte,
		rawBody: fromBin(bodyBin),
		body: Buffer.alloc(0),
		parts: [],
	};
	if (depth >= MAX_DEPTH) {
		entity.body = entity.rawBody;
		return entity;
	}
	if (mimeType.startsWith('multipart/') && parsedCt.params.boundary) {
		const childDefault = mimeType === 'multipart/digest' ? 'message/rfc822' : 'text/plain';
		entity.parts = splitMultipart(bodyBin, parsedCt.params.boundary).parts.map((p) => parseEntity(p, childDefault, depth + 1));
		return entity;
	}
	entity.body = decodeTransfer(bodyBin, cte);
	if (mimeType === 'message/rfc822' || mimeType === 'message/global') {
		entity.parts = [parseEntity(toBin(entity.body), 'text/plain', depth + 1)];
	}
	return entity;
}

/** Parse a whole RFC 822 message. */
export function parseMessage(raw: Buffer): MimeEntity {
	return parseEntity(toBin(raw), 'text/plain', 0);
}

export const isMultipart = (e: MimeEntity) => e.mimeType.startsWith('multipart/');
export const isMessagePart = (e: MimeEntity) => e.mimeType === 'message/rfc822' || e.mimeType === 'message/global';

/** Depth-first walk over an entity and its descendants. */
export function* walk(e: MimeEntity): Generator<MimeEntity> {
	yield e;
	for (const p of e.parts) yield* walk(p);
}

/** Header value lookup on a parsed entity (first match, case-insensitive). */
export function header(e: MimeEntity, name: string): string | undefined {
	const n = name.toLowerCase();
	return e.headers.find((h) => h.name.toLowerCase() === n)?.value;
}

export function headersAll(e: MimeEntity, name: string): string[] {
	const n = name.toLowerCase();
	return e.headers.filter((h) => h.name.toLowerCase() === n).map((h) => h.value);
}

/** Text of a leaf in its declared charset. */
export function entityText(e: MimeEntity): string {
	return decodeBytes(e.body, e.params.charset);
}

/** Strip HTML to text: drop style/script/head, tags, decode common entities. */
export function htmlToText(html: string): string {
	return decodeEntities(
		html
			.replace(/<(style|script|head|title)\b[\s\S]*?<\/\1\s*>/gi, ' ')
			.replace(/<!--[\s\S]*?-->/g, ' ')
			.replace(/<br\s*\/?>|<\/(p|div|tr|li|h\d)>/gi, '\n')
			.replace(/<[^>]*>/g, ' '),
	);
}

const NAMED: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: ' ', copy: '©', reg: '®' };
export function decodeEntities(s: string): string {
	return s.replace(/&(#x[0-9a-f]+|#\d+|[a-z]+);/gi, (all, e: string) => {
		if (e[0] === '#') {
			const cp = e[1] === 'x' || e[1] === 'X' ? parseInt(e.slice(2), 16) : parseInt(e.slice(1), 10);
			return Number.isFinite(cp) && cp > 0 && cp < 0x110000 ? String.fromCodePoint(cp) : all;
		}
		return NAMED[e.toLowerCase()] ?? all;
	});
}

/** True for a part Gmail shows as an attachment: it has a filename, or says Content-Disposition: attachment. */
export function isAttachment(e: MimeEntity): boolean {
	return !isMultipart(e) && (e.filename !== '' || e.disposition === 'attachment');
}

/**
 * The message's main text for snippets and search: the first non-attachment text/plain leaf, else the first
 * text/html leaf as text. Does not descend into enclosed messages.
 */
export function mainText(root: MimeEntity): string {
	const leaves: MimeEntity[] = [];
	const visit = (e: MimeEntity) => {
		if (isMultipart(e)) e.parts.forEach(visit);
		else if (e !== root && isMessagePart(e)) return;
		else if (isMessagePart(e)) e.parts.forEach(visit);
		else leaves.push(e);
	};
	visit(root);
	const body = leaves.filter((l) => !isAttachment(l));
	const plain = body.find((l) => l.mimeType === 'text/plain');
	if (plain) return entityText(plain);
	const html = body.find((l) => l.mimeType === 'text/html');
	return html ? htmlToText(entityText(html)) : '';
}

// ---- editing the top-level header block (send/delivery) ----

function lineEnding(bin: string): string {
	const nl = bin.indexOf('\n');
	return nl > 0 && bin[nl - 1] === '\r' ? '\r\n' : nl >= 0 ? '\n' : '\r\n';
}

/**
 * Rewrite the top-level header block: drop fields named in `remove`, replace fields named in `set` (first
 * occurrence keeps its position, others dropped; missing ones appended), prepend `prepend`. Body bytes untouched.
 */
export function editHeaders(
	raw: Buffer,
	edits: { remove?: string[]; set?: [string, string][]; prepend?: [string, string][] },
): Buffer {
	const bin = toBin(raw);
	const eol = lineEnding(bin);
	const { fields, headerEnd } = splitHeaderBlock(bin);
	const remove = new Set((edits.remove ?? []).map((n) => n.toLowerCase()));
	const set = new Map((edits.set ?? []).map(([n, v]) => [n.toLowerCase(), [n, v] as const]));
	const done = new Set<string>();
	const enc = (n: string, v: string) => `${n}: ${Buffer.from(v, 'utf8').toString('latin1')}${eol}`;
	let out = (edits.prepend ?? []).map(([n, v]) => enc(n, v)).join('');
	// anything before the first field (an mbox From_ line, stray whitespace) is kept
	out += bin.slice(0, fields[0]?.start ?? headerEnd);
	for (const f of fields) {
		const key = f.name.toLowerCase();
		if (remove.has(key)) continue;
		const s = set.get(key);
		if (s) {
			if (!done.has(key)) out += enc(s[0], s[1]);
			done.add(key);
			continue;
		}
		out += bin.slice(f.start, f.end);
	}
	for (const [key, [n, v]] of set) if (!done.has(key)) out += enc(n, v);
	// ensure the last field ends with a line break before the separator
	if (out.length && !out.endsWith('\n')) out += eol;
	return fromBin(out + bin.slice(headerEnd));
}
