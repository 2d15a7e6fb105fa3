/**
 * RFC 2047 encoded words: decoding (B and Q, adjacent words joined without the whitespace between them,
 * bytes of adjacent same-charset words joined before charset decoding so a character split across two
 * words survives, malformed words left as they are) and encoding (UTF-8 words of at most 75 characters,
 * split on code point boundaries so no UTF-8 sequence is ever cut).
 */
import { hexVal, isHex } from './chars';
import { cleanCharsetLabel, decodeBytesSteps, resolveCharset } from './charset';
import { BufferJoiner, runSync, STEP, StringJoiner, type Steps } from './slices';
import { decodeBase64Steps } from './transfer';

// charset (optionally *language), encoding, encoded text. Linear: no nested quantifiers, no overlap.
const WORD_SOURCE = "=\\?([A-Za-z0-9_\\-*.:+!#$%&'^`{}|~]{1,80})\\?([BbQq])\\?([^?]*)\\?=";

/** Bytes of a B word (or of a whole base64url body); tolerates missing or misplaced padding and stray characters. */
export function decodeB(text: string): Buffer {
	return runSync(decodeBase64Steps(text, true));
}

/** Bytes of a Q word: "_" is a space, "=XX" a byte, anything else (even malformed "=") itself. */
export function decodeQ(text: string): Buffer {
	const s = text.replace(/=\s+([0-9a-fA-F])/g, '=$1').replace(/[_\s]/g, ' ');
	const src = Buffer.from(s, 'utf8');
	const out = Buffer.allocUnsafe(src.length);
	let n = 0;
	for (let i = 0; i < src.length; i++) {
		const c = src[i];
		if (c === 0x3d && i + 2 < src.length && isHex(src[i + 1]) && isHex(src[i + 2])) {
			out[n++] = (hexVal(src[i + 1]) << 4) | hexVal(src[i + 2]);
			i += 2;
		} else {
			out[n++] = c;
		}
	}
	return out.subarray(0, n);
}

export { hexVal, isHex } from './chars';

/** Decodes every encoded word in a (unicode) header value. */
export function decodeWords(input: string): string {
	if (!input || input.indexOf('=?') < 0) return input;
	return runSync(decodeWordsSteps(input));
}

const BLANKS_ONLY = /^[ \t\r\n]*$/;

/** decodeWords as steps: a pause every STEP characters of input; output and byte runs joined in groups. */
export function* decodeWordsSteps(input: string): Steps<string> {
	if (!input || input.indexOf('=?') < 0) return input;
	const re = new RegExp(WORD_SOURCE, 'g');
	const out = new StringJoiner();
	let last = 0;
	let pending: { charset: string; bytes: BufferJoiner } | undefined;
	function* flush(): Steps<void> {
		if (pending) out.push(yield* decodeBytesSteps(pending.bytes.toBuffer(), pending.charset));
		pending = undefined;
	}
	let check = STEP;
	for (let m = re.exec(input); m; m = re.exec(input)) {
		const between = input.slice(last, m.index);
		if (!(pending && BLANKS_ONLY.test(between))) {
			yield* flush();
			out.push(between);
		}
		const label = cleanCharsetLabel(m[1]);
		const charset = resolveCharset(label) ?? `unknown:${label}`;
		const bytes = m[2] === 'B' || m[2] === 'b' ? decodeB(m[3]) : decodeQ(m[3]);
		if (pending && pending.charset === charset) pending.bytes.push(bytes);
		else {
			yield* flush();
			pending = { charset, bytes: new BufferJoiner() };
			pending.bytes.push(bytes);
		}
		last = re.lastIndex;
		if (last >= check) {
			check = last + STEP;
			yield;
		}
	}
	yield* flush();
	out.push(input.slice(last));
	return out.toString();
}

// Characters a Q word may carry literally in every context (RFC 2047 §5 (3), the strictest: phrases).
const isQSafe = (c: number) =>
	(c >= 0x61 && c <= 0x7a) ||
	(c >= 0x41 && c <= 0x5a) ||
	(c >= 0x30 && c <= 0x39) ||
	c === 0x21 ||
	c === 0x2a ||
	c === 0x2b ||
	c === 0x2d ||
	c === 0x2f;

const HEX = '0123456789ABCDEF';
const qByte = (b: number) => '=' + HEX[b >> 4] + HEX[b & 15];
/** Q encodings of the ASCII characters. */
const Q_ASCII = Array.from({ length: 128 }, (_, c) =>
	c === 0x20 ? '_' : isQSafe(c) ? String.fromCharCode(c) : qByte(c),
);

/** The code point at s[i] as for…of sees it (a lone surrogate is one character). */
function codePointAt(s: string, i: number): number {
	const c = s.charCodeAt(i);
	if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length) {
		const d = s.charCodeAt(i + 1);
		if (d >= 0xdc00 && d <= 0xdfff) return ((c - 0xd800) << 10) + (d - 0xdc00) + 0x10000;
	}
	return c;
}

/** UTF-8 length of a code point (a lone surrogate becomes U+FFFD: 3 bytes, as Buffer.from writes it). */
const utf8Length = (cp: number) => (cp < 0x80 ? 1 : cp < 0x800 ? 2 : cp < 0x10000 ? 3 : 4);

function qEncodeCodePoint(cp: number): string {
	if (cp < 0x80) return Q_ASCII[cp];
	if (cp >= 0xd800 && cp <= 0xdfff) cp = 0xfffd;
	if (cp < 0x800) return qByte(0xc0 | (cp >> 6)) + qByte(0x80 | (cp & 63));
	if (cp < 0x10000)
		return qByte(0xe0 | (cp >> 12)) + qByte(0x80 | ((cp >> 6) & 63)) + qByte(0x80 | (cp & 63));
	return (
		qByte(0xf0 | (cp >> 18)) +
		qByte(0x80 | ((cp >> 12) & 63)) +
		qByte(0x80 | ((cp >> 6) & 63)) +
		qByte(0x80 | (cp & 63))
	);
}

/** Whether Q (readable for mostly-Latin text) or B (compact for everything else) suits this text. */
export function preferQ(text: string): boolean {
	let unsafe = 0;
	let total = 0;
	for (let i = 0; i < text.length; i++) {
		const cp = codePointAt(text, i);
		if (cp > 0xffff) i++;
		total++;
		if (!(cp === 0x20 || (cp < 0x80 && isQSafe(cp)))) unsafe++;
	}
	return unsafe * 3 < total;
}

/**
 * Encodes text as UTF-8 encoded words. The first word is at most `firstMax` characters, the rest at most
 * `max` (≤ 75 per RFC 2047). Words are cut between code points only.
 */
export function encodeWords(text: string, firstMax = 75, max = 75): string[] {
	return runSync(encodeWordsSteps(text, firstMax, max));
}

/** encodeWords as steps (linear: a table per ASCII character, B words encoded from string ranges). */
export function* encodeWordsSteps(text: string, firstMax = 75, max = 75): Steps<string[]> {
	const useQ = preferQ(text);
	const prefix = useQ ? '=?UTF-8?Q?' : '=?UTF-8?B?';
	const overhead = prefix.length + 2;
	const words: string[] = [];
	let limit = Math.max(firstMax, overhead + 12);
	let check = STEP;
	if (useQ) {
		// the word being filled, as its encoded characters (joined once per word)
		let cur: string[] = [prefix];
		let length = 0;
		for (let i = 0; i < text.length; i++) {
			if (i >= check) {
				check = i + STEP;
				yield;
			}
			const cp = codePointAt(text, i);
			if (cp > 0xffff) i++;
			const enc = qEncodeCodePoint(cp);
			if (length && overhead + length + enc.length > limit) {
				cur.push('?=');
				words.push(cur.join(''));
				cur = [prefix];
				length = 0;
				limit = max;
			}
			cur.push(enc);
			length += enc.length;
		}
		if (length || !words.length) {
			cur.push('?=');
			words.push(cur.join(''));
		}
	} else {
		// a word is a range of the text: its bytes are Buffer.from(range), which never cuts a code point
		let start = 0;
		let bytes = 0;
		for (let i = 0; i < text.length; i++) {
			if (i >= check) {
				check = i + STEP;
				yield;
			}
			const cp = codePointAt(text, i);
			const n = utf8Length(cp);
			if (bytes && overhead + Math.ceil((bytes + n) / 3) * 4 > limit) {
				words.push(prefix + Buffer.from(text.slice(start, i), 'utf8').toString('base64') + '?=');
				start = i;
				bytes = 0;
				limit = max;
			}
			bytes += n;
			if (cp > 0xffff) i++;
		}
		if (bytes || !words.length)
			words.push(prefix + Buffer.from(text.slice(start), 'utf8').toString('base64') + '?=');
	}
	return words;
}
