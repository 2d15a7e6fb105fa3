/**
 * Content-Transfer-Encodings: tolerant decoders (base64, quoted-printable) and the quoted-printable encoder.
 * All linear, and written as steps (see slices.ts) that pause every BLOCK bytes, so a 35 MiB body can be
 * decoded or encoded in slices.
 */

import { hexVal, isHex } from './chars';
import { BufferJoiner, runSync, STEP, type Steps } from './slices';

/** Bytes handled between two pause points. */
const BLOCK = STEP * 4;

const NOT_BASE64 = /[^A-Za-z0-9+/=]+/g;
const NOT_BASE64_OR_URL = /[^A-Za-z0-9+/=_-]+/g;

/**
 * Base64 (a string, or bytes read as latin1) → bytes: characters outside the alphabet dropped, and the text
 * cut at every run of "=" into pieces decoded one by one (concatenated base64, padding in the middle). With
 * `url`, "-" and "_" are kept as well (base64url, which Node's decoder reads as "+" and "/").
 *
 * Works block by block, so no string of a whole 35 MiB body is made: each piece is decoded in runs of whole
 * 4-character groups as it arrives (the same bytes as decoding the piece at once), the at most 3 characters
 * left over carried to the next block.
 */
export function* decodeBase64Steps(
	source: string | Buffer,
	url = false,
	block = BLOCK,
): Steps<Buffer> {
	const junk = url ? NOT_BASE64_OR_URL : NOT_BASE64;
	// big input: decoded straight into one buffer of the largest possible size (its pages are touched slice
	// by slice, not all in one concatenation at the end); small input: pieces joined
	const big = source.length > block * 4;
	const out = big ? Buffer.allocUnsafe(Math.ceil((source.length * 3) / 4) + 3) : undefined;
	let n = 0;
	const pieces = big ? undefined : new BufferJoiner();
	const put = (s: string) => {
		if (out) n += out.write(s, n, 'base64');
		else pieces!.push(Buffer.from(s, 'base64'));
	};
	let carry = '';
	for (let a = 0; a < source.length; a += block) {
		const end = Math.min(source.length, a + block);
		let s = (
			typeof source === 'string' ? source.slice(a, end) : source.toString('latin1', a, end)
		).replace(junk, '');
		if (carry) s = carry + s;
		let p = 0;
		for (let eq = s.indexOf('=', p); eq >= 0; eq = s.indexOf('=', p)) {
			if (eq > p) put(s.slice(p, eq));
			p = eq + 1;
		}
		// the piece still open at the end of the block: whole groups now, the rest later
		const whole = p + ((s.length - p) & ~3);
		if (whole > p) put(s.slice(p, whole));
		carry = s.slice(whole);
		if (end < source.length) yield;
	}
	if (carry) put(carry);
	return out ? out.subarray(0, n) : pieces!.toBuffer();
}

/** Base64 ignoring whitespace and stray characters; "=" inside the data (concatenated pieces) tolerated. */
export function decodeBase64(data: Buffer): Buffer {
	return runSync(decodeBase64Steps(data));
}

/**
 * Quoted-printable on bytes: blanks at line ends dropped, soft breaks ("=" before a line end, or at the very
 * end) removed, "=XX" decoded; malformed "=" sequences and raw 8-bit bytes kept as they are.
 */
export function* decodeQuotedPrintableSteps(data: Buffer): Steps<Buffer> {
	const out = Buffer.allocUnsafe(data.length);
	let n = 0;
	const len = data.length;
	let i = 0;
	let check = BLOCK;
	while (i < len) {
		if (i >= check) {
			check = i + BLOCK;
			yield;
		}
		const c = data[i];
		if (c === 0x20 || c === 0x09) {
			// trailing blanks before a line end (or the end) are transport padding
			let j = i;
			while (j < len && (data[j] === 0x20 || data[j] === 0x09)) j++;
			if (j >= len || data[j] === 0x0a || (data[j] === 0x0d && data[j + 1] === 0x0a)) {
				i = j;
				continue;
			}
			while (i < j) out[n++] = data[i++];
			continue;
		}
		if (c === 0x3d) {
			if (isHex(data[i + 1]) && isHex(data[i + 2])) {
				out[n++] = (hexVal(data[i + 1]) << 4) | hexVal(data[i + 2]);
				i += 3;
				continue;
			}
			// soft line break: "=" [blanks] (CRLF | LF | end)
			let j = i + 1;
			while (j < len && (data[j] === 0x20 || data[j] === 0x09)) j++;
			if (j >= len) {
				i = j;
				continue;
			}
			if (data[j] === 0x0a) {
				i = j + 1;
				continue;
			}
			if (data[j] === 0x0d && data[j + 1] === 0x0a) {
				i = j + 2;
				continue;
			}
		}
		out[n++] = c;
		i++;
	}
	return out.subarray(0, n);
}

export function decodeQuotedPrintable(data: Buffer): Buffer {
	return runSync(decodeQuotedPrintableSteps(data));
}

/** Decodes a body by its Content-Transfer-Encoding (7bit, 8bit, binary and unknown ones pass through). */
export function* decodeTransferSteps(body: Buffer, encoding: string): Steps<Buffer> {
	switch (encoding) {
		case 'base64':
			return yield* decodeBase64Steps(body);
		case 'quoted-printable':
			return yield* decodeQuotedPrintableSteps(body);
		default:
			return body;
	}
}

export function decodeTransfer(body: Buffer, encoding: string): Buffer {
	return runSync(decodeTransferSteps(body, encoding));
}

const HEX_DIGITS = Buffer.from('0123456789ABCDEF', 'latin1');
const OUT_CHUNK = 1 << 18;

const isFromLine = (data: Buffer, i: number) =>
	i + 4 < data.length &&
	data[i + 1] === 0x72 &&
	data[i + 2] === 0x6f &&
	data[i + 3] === 0x6d &&
	data[i + 4] === 0x20;

/**
 * Quoted-printable for text whose line breaks are already CRLF: lines of at most 76 characters (soft breaks
 * "=" CRLF never split an "=XX"), "=", controls and 8-bit bytes escaped, blanks before a line end escaped,
 * and a "." or "From " opening a line escaped so no transport can mangle it. Written straight into byte
 * chunks of 256 KiB (no per-character strings).
 */
export function* encodeQuotedPrintableSteps(data: Buffer): Steps<Buffer[]> {
	const chunks: Buffer[] = [];
	let buf = Buffer.allocUnsafe(Math.min(OUT_CHUNK, data.length * 3 + 8));
	let o = 0;
	let col = 0; // characters on the current output line
	const len = data.length;
	let check = BLOCK;
	for (let i = 0; i < len; i++) {
		if (o > buf.length - 8) {
			chunks.push(buf.subarray(0, o));
			buf = Buffer.allocUnsafe(OUT_CHUNK);
			o = 0;
		}
		if (i >= check) {
			check = i + BLOCK;
			yield;
		}
		const c = data[i];
		if (c === 0x0d && data[i + 1] === 0x0a) {
			buf[o++] = 0x0d;
			buf[o++] = 0x0a;
			col = 0;
			i++;
			continue;
		}
		const atLineEnd = i + 1 >= len || (data[i + 1] === 0x0d && data[i + 2] === 0x0a);
		const blank = c === 0x20 || c === 0x09;
		let hex = blank ? atLineEnd : !(c >= 0x21 && c <= 0x7e && c !== 0x3d);
		// a literal "." or the "F" of "From " must not open a line
		const risky = !hex && (c === 0x2e || (c === 0x46 && isFromLine(data, i)));
		if (col === 0 && risky) hex = true;
		// keep room for the soft-break "=" (75 + "=" = 76), unless this character ends the line anyway
		if (col + (hex ? 3 : 1) > (atLineEnd ? 76 : 75)) {
			buf[o++] = 0x3d;
			buf[o++] = 0x0d;
			buf[o++] = 0x0a;
			col = 0;
			if (risky) hex = true;
		}
		if (hex) {
			buf[o++] = 0x3d;
			buf[o++] = HEX_DIGITS[c >> 4];
			buf[o++] = HEX_DIGITS[c & 15];
			col += 3;
		} else {
			buf[o++] = c;
			col++;
		}
	}
	if (o) chunks.push(buf.subarray(0, o));
	return chunks;
}

/** encodeQuotedPrintableSteps as one string. */
export function encodeQuotedPrintable(data: Buffer): string {
	return Buffer.concat(runSync(encodeQuotedPrintableSteps(data))).toString('latin1');
}
