/** Content-Transfer-Encodings: tolerant decoders (base64, quoted-printable) and the quoted-printable encoder. */

import { hexVal, isHex } from './encoded-words';

/** Base64 ignoring whitespace and stray characters; "=" inside the data (concatenated pieces) tolerated. */
export function decodeBase64(data: Buffer): Buffer {
	let s = data.toString('latin1');
	if (/[^A-Za-z0-9+/=]/.test(s)) s = s.replace(/[^A-Za-z0-9+/=]+/g, '');
	const firstPad = s.indexOf('=');
	if (firstPad < 0 || /^=*$/.test(s.slice(firstPad))) return Buffer.from(s, 'base64');
	return Buffer.concat(
		s
			.split(/=+/)
			.filter((p) => p)
			.map((p) => Buffer.from(p, 'base64')),
	);
}

/**
 * Quoted-printable on bytes: blanks at line ends dropped, soft breaks ("=" before a line end, or at the very
 * end) removed, "=XX" decoded; malformed "=" sequences and raw 8-bit bytes kept as they are.
 */
export function decodeQuotedPrintable(data: Buffer): Buffer {
	const out = Buffer.allocUnsafe(data.length);
	let n = 0;
	const len = data.length;
	let i = 0;
	while (i < len) {
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

/** Decodes a body by its Content-Transfer-Encoding (7bit, 8bit, binary and unknown ones pass through). */
export function decodeTransfer(body: Buffer, encoding: string): Buffer {
	switch (encoding) {
		case 'base64':
			return decodeBase64(body);
		case 'quoted-printable':
			return decodeQuotedPrintable(body);
		default:
			return body;
	}
}

/**
 * Quoted-printable for text whose line breaks are already CRLF: lines of at most 76 characters (soft breaks
 * "=" CRLF never split an "=XX"), "=", controls and 8-bit bytes escaped, blanks before a line end escaped,
 * and a "." or "From " opening a line escaped so no transport can mangle it.
 */
export function encodeQuotedPrintable(data: Buffer): string {
	const out: string[] = [];
	let line = '';
	const hex = (b: number) => '=' + (b < 16 ? '0' : '') + b.toString(16).toUpperCase();
	for (let i = 0; i < data.length; i++) {
		const c = data[i];
		if (c === 0x0d && data[i + 1] === 0x0a) {
			out.push(line + '\r\n');
			line = '';
			i++;
			continue;
		}
		let token: string;
		const atLineEnd = i + 1 >= data.length || (data[i + 1] === 0x0d && data[i + 2] === 0x0a);
		if ((c === 0x20 || c === 0x09) && atLineEnd) token = hex(c);
		else if (c === 0x20 || c === 0x09 || (c >= 0x21 && c <= 0x7e && c !== 0x3d)) token = String.fromCharCode(c);
		else token = hex(c);
		if (line.length === 0 && (token === '.' || (token === 'F' && data.toString('latin1', i, i + 5) === 'From '))) token = hex(c);
		// keep room for the soft-break "=" (75 + "=" = 76), unless this token ends the line anyway
		const limit = atLineEnd ? 76 : 75;
		if (line.length + token.length > limit) {
			out.push(line + '=\r\n');
			line = '';
			if (token === '.' || (token === 'F' && data.toString('latin1', i, i + 5) === 'From ')) token = hex(c);
		}
		line += token;
	}
	if (line) out.push(line);
	return out.join('');
}
