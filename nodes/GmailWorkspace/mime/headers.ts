/**
 * Header blocks: reading (lines split on LF, CR dropped, folded lines joined, an mbox "From " line skipped,
 * lines without a colon kept as nameless junk), unfolding, and structured values with parameters
 * (Content-Type, Content-Disposition) including RFC 2231 continuations and charsets.
 *
 * Raw header text is kept as a "binary string" (latin1: one char per byte) until a caller decides how to
 * read 8-bit bytes (see charset.decodeBinaryString).
 */
import { hexVal, isHex, isSpace } from './chars';
import { decodeBytes } from './charset';
import { decodeWordsSteps } from './encoded-words';
import { runSync, STEP, StringJoiner, type Steps } from './slices';

export interface RawHeader {
	/** The field name as written. */
	name: string;
	/** Lower-cased, trimmed name ('' for a junk line without a colon). */
	key: string;
	/** Everything after the colon, still folded, as a binary string. */
	raw: string;
}

export interface HeaderBlock {
	headers: RawHeader[];
	/** Offset of the first body byte. */
	bodyStart: number;
	/** True when the block ended at a line `isStop` accepted (no blank line, so the body is empty). */
	stopped: boolean;
}

const MAX_HEADERS = 5000;

/**
 * Reads a header block from buf[start, end). Stops after the first empty line, at end, or before a line
 * `isStop(lineStart, lineEnd)` accepts (a MIME delimiter reached before the blank line).
 */
export function readHeaderBlock(
	buf: Buffer,
	start: number,
	end: number,
	isStop?: (lineStart: number, lineEnd: number) => boolean,
): HeaderBlock {
	return runSync(readHeaderBlockSteps(buf, start, end, isStop));
}

/** readHeaderBlock as steps: a pause every STEP * 4 bytes of header lines. */
export function* readHeaderBlockSteps(
	buf: Buffer,
	start: number,
	end: number,
	isStop?: (lineStart: number, lineEnd: number) => boolean,
): Steps<HeaderBlock> {
	const headers: RawHeader[] = [];
	let pos = start;
	let first = true;
	let check = start + STEP * 4;
	// continuation lines of the last header, joined in groups (not `raw +=` line by line)
	let folded: StringJoiner | undefined;
	const unfoldLast = () => {
		if (folded) headers[headers.length - 1].raw = folded.toString();
		folded = undefined;
	};
	const done = (block: HeaderBlock) => {
		unfoldLast();
		return block;
	};
	while (pos < end) {
		if (pos >= check) {
			check = pos + STEP * 4;
			yield;
		}
		let nl = buf.indexOf(0x0a, pos);
		if (nl < 0 || nl >= end) nl = end;
		let lineEnd = nl;
		if (lineEnd > pos && buf[lineEnd - 1] === 0x0d) lineEnd--;
		if (lineEnd === pos) return done({ headers, bodyStart: Math.min(nl + 1, end), stopped: false });
		if (isStop && buf[pos] === 0x2d && isStop(pos, lineEnd))
			return done({ headers, bodyStart: pos, stopped: true });
		const c = buf[pos];
		if ((c === 0x20 || c === 0x09) && headers.length) {
			if (!folded) {
				folded = new StringJoiner();
				folded.push(headers[headers.length - 1].raw);
			}
			if (folded.length < 4 * 1024 * 1024)
				folded.push('\r\n' + buf.toString('latin1', pos, lineEnd));
		} else if (
			first &&
			lineEnd - pos > 5 &&
			buf.toString('latin1', pos, pos + 5).toLowerCase() === 'from '
		) {
			// mbox separator line ("From sender date"), not a header
		} else if (headers.length < MAX_HEADERS) {
			unfoldLast();
			const line = buf.toString('latin1', pos, lineEnd);
			const colon = line.indexOf(':');
			if (colon < 0) headers.push({ name: '', key: '', raw: line });
			else {
				const name = line.slice(0, colon);
				headers.push({
					name: name.trim(),
					key: name.trim().toLowerCase(),
					raw: line.slice(colon + 1),
				});
			}
		}
		first = false;
		pos = nl + 1;
	}
	return done({ headers, bodyStart: end, stopped: false });
}

/** Unfolds a raw value the way mailparser does: each line break plus following blanks becomes one space. */
export function unfold(raw: string): string {
	return raw.replace(/(?:\r?\n|\r)[ \t]*/g, ' ').trim();
}

export const firstHeader = (headers: RawHeader[], key: string) =>
	headers.find((h) => h.key === key);
export function lastHeader(headers: RawHeader[], key: string): RawHeader | undefined {
	for (let i = headers.length - 1; i >= 0; i--) if (headers[i].key === key) return headers[i];
	return undefined;
}

export interface StructuredValue {
	/** The part before the first ';' (e.g. "text/plain"), trimmed, not lower-cased. */
	value: string;
	/** Parameters with lower-cased names; RFC 2231 continuations joined and decoded; RFC 2047 words decoded. */
	params: Record<string, string>;
}

/**
 * Parses `value; a=b; c="d e"; f*=utf-8''%C3%A9; g*0*=…; g*1*=…` (input already 8-bit decoded).
 * Backslash escapes are honoured, quoted text keeps its blanks, a key without "=" gets ''.
 */
export function parseStructured(input: string): StructuredValue {
	return runSync(parseStructuredSteps(input));
}

/** parseStructured as steps (a pause every STEP characters of input). */
export function* parseStructuredSteps(input: string): Steps<StructuredValue> {
	const segments: Array<{ text: string }> = [];
	// the segment being read, as pieces (escapes would otherwise add one character at a time to a string)
	let cur = new StringJoiner();
	let protStart = -1;
	let protEnd = -1;
	let quote = false;
	let escaped = false;
	const finishSegment = () => {
		// trim blanks outside the quoted portion only
		const text = cur.toString();
		let s = 0;
		let e = text.length;
		const leftLimit = protStart < 0 ? e : protStart;
		while (s < leftLimit && isSpace(text.charCodeAt(s))) s++;
		const rightLimit = protEnd < 0 ? s : protEnd;
		while (e > rightLimit && isSpace(text.charCodeAt(e - 1))) e--;
		segments.push({ text: text.slice(s, e) });
		cur = new StringJoiner();
		protStart = protEnd = -1;
	};
	// Split on unquoted ';', removing quotes and escapes; a key's '=' is found afterwards. Runs of ordinary
	// characters are copied at once (one native search for the next special character).
	const keyed: Array<{ key?: string; text: string }> = [];
	let keyDone = false;
	let key: string | undefined;
	const outside = /[\\";=]/g;
	const inside = /[\\"]/g;
	let check = STEP;
	for (let i = 0; i < input.length; ) {
		if (i >= check) {
			check = i + STEP;
			yield;
		}
		if (escaped) {
			cur.push(input[i++]);
			if (quote) protEnd = cur.length;
			escaped = false;
			continue;
		}
		const special = quote ? inside : outside;
		special.lastIndex = i;
		const hit = special.exec(input);
		const j = hit ? hit.index : input.length;
		if (j > i) {
			cur.push(input.slice(i, j));
			if (quote) protEnd = cur.length;
		}
		if (!hit) break;
		const ch = input[j];
		i = j + 1;
		if (ch === '\\') {
			escaped = true;
			continue;
		}
		if (quote) {
			// the closing '"'
			quote = false;
			continue;
		}
		if (ch === '"') {
			quote = true;
			if (protStart < 0) protStart = cur.length;
			protEnd = cur.length;
			continue;
		}
		if (ch === ';') {
			finishSegment();
			keyed.push({ key, text: segments.pop()!.text });
			key = undefined;
			keyDone = true;
			continue;
		}
		// '='
		if (keyDone && key === undefined) {
			key = cur.toString().trim().toLowerCase();
			cur = new StringJoiner();
			protStart = protEnd = -1;
			continue;
		}
		cur.push(ch);
	}
	finishSegment();
	keyed.push({ key, text: segments.pop()!.text });

	const result: StructuredValue = { value: keyed[0].text, params: {} };
	const continuations = new Map<
		string,
		{ charset?: string; parts: Array<{ nr: number; text: string; encoded: boolean }> }
	>();
	for (const seg of keyed.slice(1)) {
		if (seg.key === undefined) {
			const k = seg.text.trim().toLowerCase();
			if (k) result.params[k] = '';
			continue;
		}
		const m = /\*(?:(\d{1,3})(\*)?)?$/.exec(seg.key);
		if (!m) {
			result.params[seg.key] = seg.text;
			continue;
		}
		const base = seg.key.slice(0, m.index);
		const nr = m[1] === undefined ? 0 : Number(m[1]);
		const encoded = m[1] === undefined || m[2] === '*';
		let entry = continuations.get(base);
		if (!entry) continuations.set(base, (entry = { parts: [] }));
		let text = seg.text;
		if (nr === 0 && encoded) {
			const cm = /^([^']*)'[^']*'([\s\S]*)$/.exec(text);
			if (cm) {
				entry.charset = cm[1] || 'utf-8';
				text = cm[2];
			}
		}
		entry.parts.push({ nr, text, encoded });
	}
	for (const [base, entry] of continuations) {
		entry.parts.sort((a, b) => a.nr - b.nr);
		const chunks: Buffer[] = [];
		for (const p of entry.parts)
			chunks.push(p.encoded ? percentDecode(p.text) : Buffer.from(p.text, 'utf8'));
		const bytes = Buffer.concat(chunks);
		result.params[base] = decodeBytes(bytes, entry.charset ?? 'utf-8');
	}
	for (const k of Object.keys(result.params))
		result.params[k] = yield* decodeWordsSteps(result.params[k]);
	return result;
}

/** "%XX" to bytes; other characters (and malformed "%") kept as their UTF-8 bytes. */
export function percentDecode(s: string): Buffer {
	const src = Buffer.from(s, 'utf8');
	const out = Buffer.allocUnsafe(src.length);
	let n = 0;
	for (let i = 0; i < src.length; i++) {
		if (src[i] === 0x25 && isHex(src[i + 1]) && isHex(src[i + 2])) {
			out[n++] = (hexVal(src[i + 1]) << 4) | hexVal(src[i + 2]);
			i += 2;
		} else out[n++] = src[i];
	}
	return out.subarray(0, n);
}
