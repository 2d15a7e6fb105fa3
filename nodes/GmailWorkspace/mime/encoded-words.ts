/**
 * RFC 2047 encoded words: decoding (B and Q, adjacent words joined without the whitespace between them,
 * bytes of adjacent same-charset words joined before charset decoding so a character split across two
 * words survives, malformed words left as they are) and encoding (UTF-8 words of at most 75 characters,
 * split on code point boundaries so no UTF-8 sequence is ever cut).
 */
import { cleanCharsetLabel, decodeBytes, resolveCharset } from './charset';

// charset (optionally *language), encoding, encoded text. Linear: no nested quantifiers, no overlap.
const WORD_SOURCE = '=\\?([A-Za-z0-9_\\-*.:+!#$%&\'^`{}|~]{1,80})\\?([BbQq])\\?([^?]*)\\?=';

/** Bytes of a B word; tolerates missing or misplaced padding and stray characters. */
export function decodeB(text: string): Buffer {
	const clean = text.replace(/[^A-Za-z0-9+/=_-]/g, '').replace(/-/g, '+').replace(/_/g, '/');
	const pieces = clean.split('=').filter((p) => p !== '');
	if (pieces.length <= 1) return Buffer.from(pieces[0] ?? '', 'base64');
	return Buffer.concat(pieces.map((p) => Buffer.from(p, 'base64')));
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

export const isHex = (c: number | undefined) =>
	c !== undefined && ((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
export const hexVal = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);

/** Decodes every encoded word in a (unicode) header value. */
export function decodeWords(input: string): string {
	if (!input || input.indexOf('=?') < 0) return input;
	const re = new RegExp(WORD_SOURCE, 'g');
	let out = '';
	let last = 0;
	let pending: { charset: string; bytes: Buffer[] } | undefined;
	const flush = () => {
		if (pending) out += decodeBytes(Buffer.concat(pending.bytes), pending.charset);
		pending = undefined;
	};
	for (let m = re.exec(input); m; m = re.exec(input)) {
		const between = input.slice(last, m.index);
		if (!(pending && /^[ \t\r\n]*$/.test(between))) {
			flush();
			out += between;
		}
		const label = cleanCharsetLabel(m[1]);
		const charset = resolveCharset(label) ?? `unknown:${label}`;
		const bytes = m[2] === 'B' || m[2] === 'b' ? decodeB(m[3]) : decodeQ(m[3]);
		if (pending && pending.charset === charset) pending.bytes.push(bytes);
		else {
			flush();
			pending = { charset, bytes: [bytes] };
		}
		last = re.lastIndex;
	}
	flush();
	return out + input.slice(last);
}

// Characters a Q word may carry literally in every context (RFC 2047 §5 (3), the strictest: phrases).
const Q_SAFE = /[A-Za-z0-9!*+\-/]/;

function qEncodeChar(ch: string): string {
	if (ch === ' ') return '_';
	if (ch.length === 1 && Q_SAFE.test(ch)) return ch;
	let s = '';
	for (const b of Buffer.from(ch, 'utf8')) s += '=' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
	return s;
}

/** Whether Q (readable for mostly-Latin text) or B (compact for everything else) suits this text. */
export function preferQ(text: string): boolean {
	let unsafe = 0;
	let total = 0;
	for (const ch of text) {
		total++;
		if (!(ch === ' ' || (ch.length === 1 && Q_SAFE.test(ch)))) unsafe++;
	}
	return unsafe * 3 < total;
}

/**
 * Encodes text as UTF-8 encoded words. The first word is at most `firstMax` characters, the rest at most
 * `max` (≤ 75 per RFC 2047). Words are cut between code points only.
 */
export function encodeWords(text: string, firstMax = 75, max = 75): string[] {
	const useQ = preferQ(text);
	const prefix = useQ ? '=?UTF-8?Q?' : '=?UTF-8?B?';
	const overhead = prefix.length + 2;
	const words: string[] = [];
	let limit = Math.max(firstMax, overhead + 12);
	if (useQ) {
		let cur = '';
		for (const ch of text) {
			const enc = qEncodeChar(ch);
			if (cur && overhead + cur.length + enc.length > limit) {
				words.push(prefix + cur + '?=');
				cur = '';
				limit = max;
			}
			cur += enc;
		}
		if (cur || !words.length) words.push(prefix + cur + '?=');
	} else {
		let cur: Buffer[] = [];
		let curLen = 0;
		for (const ch of text) {
			const b = Buffer.from(ch, 'utf8');
			if (curLen && overhead + Math.ceil((curLen + b.length) / 3) * 4 > limit) {
				words.push(prefix + Buffer.concat(cur, curLen).toString('base64') + '?=');
				cur = [];
				curLen = 0;
				limit = max;
			}
			cur.push(b);
			curLen += b.length;
		}
		if (curLen || !words.length) words.push(prefix + Buffer.concat(cur, curLen).toString('base64') + '?=');
	}
	return words;
}
