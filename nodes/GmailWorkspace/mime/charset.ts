/**
 * Charset decoding on top of the WHATWG TextDecoder (Node's full-ICU build knows every encoding the
 * Encoding Standard lists: the ISO-8859 family, windows-125x, KOI8, Mac, GBK/GB18030, Big5, EUC-JP,
 * ISO-2022-JP, Shift_JIS, EUC-KR, UTF-16). Labels mail software uses that the standard does not know
 * (cp949, cp932, koi8r, x-sjis, …) are mapped onto it here; UTF-7 is decoded by hand.
 *
 * Note: like every browser, TextDecoder reads "iso-8859-1", "latin1", "us-ascii" as windows-1252 (which
 * only differs in 0x80–0x9F, where real-world "Latin-1" mail almost always means windows-1252).
 *
 * Unknown or unsupported charsets fall back to UTF-8 when the bytes are valid UTF-8, else windows-1252.
 *
 * Bodies over BLOCK bytes are decoded by the *Steps variants in 1 MiB slices through a streaming TextDecoder
 * (the same text as decoding at once), pausing between slices (see slices.ts).
 */
import { rope, runSync, STEP, type Steps } from './slices';

/** Bytes decoded in one call by the sliced decoders. */
const BLOCK = STEP * 16;

const EXTRA_ALIASES: Record<string, string> = {
	cp949: 'euc-kr',
	uhc: 'euc-kr',
	ks_c_5601: 'euc-kr',
	'ks-c-5601': 'euc-kr',
	'ks_c_5601-1987': 'euc-kr',
	'x-windows-949': 'euc-kr',
	ms949: 'euc-kr',
	cp932: 'shift_jis',
	'x-ms-cp932': 'shift_jis',
	'windows-932': 'shift_jis',
	'shift-jis': 'shift_jis',
	'x-shift_jis': 'shift_jis',
	cp936: 'gbk',
	ms936: 'gbk',
	'windows-936': 'gbk',
	'euc-cn': 'gbk',
	'x-euc-cn': 'gbk',
	euccn: 'gbk',
	gb2312: 'gbk',
	gb18030: 'gb18030',
	eucjp: 'euc-jp',
	euckr: 'euc-kr',
	iso2022jp: 'iso-2022-jp',
	'iso-2022-jp-1': 'iso-2022-jp',
	'iso-2022-jp-2': 'iso-2022-jp',
	'iso-2022-jp-3': 'iso-2022-jp',
	csiso2022jp: 'iso-2022-jp',
	jis: 'iso-2022-jp',
	koi8r: 'koi8-r',
	koi8u: 'koi8-u',
	'koi8-ru': 'koi8-u',
	big5hkscs: 'big5',
	'cn-big5': 'big5',
	'x-x-big5': 'big5',
	cp950: 'big5',
	ms950: 'big5',
	'windows-950': 'big5',
	tis620: 'windows-874',
	cp874: 'windows-874',
	'x-mac-roman': 'macintosh',
	macroman: 'macintosh',
	'latin-1': 'windows-1252',
	ansi: 'windows-1252',
	'ansi_x3.4-1986': 'windows-1252',
	'iso646-us': 'windows-1252',
	'7bit': 'windows-1252',
	'8bit': 'utf-8',
	utf8: 'utf-8',
	'utf-8n': 'utf-8',
	'x-utf-8': 'utf-8',
	utf16: 'utf-16le',
	'utf-16': 'utf-16le',
	'ucs-2': 'utf-16le',
	ucs2: 'utf-16le',
	'iso-10646-ucs-2': 'utf-16be',
	'unicode-1-1-utf-7': 'utf-7',
	'x-unicode20utf7': 'utf-7',
	utf7: 'utf-7',
	csunicode11utf7: 'utf-7',
};

type Decoder = InstanceType<typeof TextDecoder>;
const decoderCache = new Map<string, Decoder | null>();

function tryDecoder(label: string): Decoder | null {
	if (!label) return null;
	const cached = decoderCache.get(label);
	if (cached !== undefined) return cached;
	let decoder: Decoder | null;
	try {
		decoder = new TextDecoder(label);
	} catch {
		// TextDecoder throws a RangeError for labels it does not know; the caller falls back.
		decoder = null;
	}
	if (decoderCache.size < 256) decoderCache.set(label, decoder);
	return decoder;
}

/** Lower-case, unquoted, without an RFC 2231 language suffix ("utf-8*en" → "utf-8"). */
export function cleanCharsetLabel(charset: string | undefined): string {
	let cs = (charset ?? '').trim().toLowerCase();
	cs = cs.replace(/^["']+|["']+$/g, '');
	const star = cs.indexOf('*');
	if (star >= 0) cs = cs.slice(0, star);
	return cs.trim();
}

/**
 * The canonical name TextDecoder uses for a charset label ("utf-8", "euc-kr", "utf-7" for our own
 * decoder), or undefined when we cannot decode it.
 */
export function resolveCharset(charset: string | undefined): string | undefined {
	const cs = cleanCharsetLabel(charset);
	if (!cs || cs.length > 64) return undefined;
	const candidates = [cs];
	if (EXTRA_ALIASES[cs]) candidates.unshift(EXTRA_ALIASES[cs]);
	const variants = [
		cs.replace(/_/g, '-'),
		cs.replace(/^x-/, ''),
		cs.replace(/^(?:cp|win|windows)[-_]?(12\d\d)$/, 'windows-$1'),
		cs.replace(/^(?:iso|latin)[-_ ]?8859[-_ ]?(\d+)(?::\d+)?$/, 'iso-8859-$1'),
		cs.replace(/^(?:ibm|cp)[-_]?(866)$/, 'ibm866'),
		cs.replace(/^utf[-_]?(8|16|16le|16be|7)$/, 'utf-$1'),
	];
	for (const v of variants) {
		if (v !== cs) {
			candidates.push(v);
			if (EXTRA_ALIASES[v]) candidates.push(EXTRA_ALIASES[v]);
		}
	}
	for (const c of candidates) {
		if (c === 'utf-7') return 'utf-7';
		const d = tryDecoder(c);
		if (d) return d.encoding;
	}
	return undefined;
}

const utf8Fatal = new TextDecoder('utf-8', { fatal: true });

/** True when the bytes are valid UTF-8 (pure ASCII included). */
export function isValidUtf8(bytes: Uint8Array): boolean {
	try {
		utf8Fatal.decode(bytes);
		return true;
	} catch {
		// fatal mode throws a TypeError on the first malformed sequence
		return false;
	}
}

/**
 * Mostly UTF-8: more well-formed multi-byte sequences than stray 8-bit bytes (a name cut mid-character,
 * one bad byte in a UTF-8 text). Such text reads far better as UTF-8 with a U+FFFD than as windows-1252.
 */
export function mostlyUtf8(bytes: Uint8Array): boolean {
	return runSync(mostlyUtf8Steps(bytes));
}

export function* mostlyUtf8Steps(bytes: Uint8Array): Steps<boolean> {
	let good = 0;
	let bad = 0;
	let check = BLOCK;
	for (let i = 0; i < bytes.length; i++) {
		if (i >= check) {
			check = i + BLOCK;
			yield;
		}
		const c = bytes[i];
		if (c < 0x80) continue;
		const n =
			c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2 : c >= 0xf0 && c <= 0xf4 ? 3 : -1;
		let ok = n > 0;
		for (let k = 1; ok && k <= n; k++) ok = i + k < bytes.length && (bytes[i + k] & 0xc0) === 0x80;
		if (ok) {
			good++;
			i += n;
		} else bad++;
	}
	return good > 0 && good >= bad * 2;
}

/** Decodes in BLOCK slices through a streaming decoder of its own (the same text as one decode call, in pieces). */
function* decodeSliced(bytes: Uint8Array, decoder: Decoder): Steps<string[]> {
	const parts: string[] = [];
	for (let a = 0; a < bytes.length; a += BLOCK) {
		parts.push(decoder.decode(bytes.subarray(a, a + BLOCK), { stream: true }));
		yield;
	}
	parts.push(decoder.decode());
	return parts;
}

/** decodeGuess in slices. */
export function* decodeGuessSteps(bytes: Buffer, fallback = 'windows-1252'): Steps<string> {
	return rope(yield* decodeGuessPiecesSteps(bytes, fallback));
}

/** decodeGuess in slices, the text left in pieces (see rope() in slices.ts). */
export function* decodeGuessPiecesSteps(bytes: Buffer, fallback = 'windows-1252'): Steps<string[]> {
	if (bytes.length <= BLOCK) return [decodeGuess(bytes, fallback)];
	let text: string[] | undefined;
	try {
		// valid UTF-8: the strict decoder's output is the text (BOM kept, as Buffer#toString keeps it)
		text = yield* decodeSliced(bytes, new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }));
	} catch {
		// fatal mode throws a TypeError at the first malformed sequence: not (all) UTF-8
		text = undefined;
	}
	if (text !== undefined) return text;
	if (yield* mostlyUtf8Steps(bytes))
		return yield* decodeSliced(bytes, new TextDecoder('utf-8', { ignoreBOM: true }));
	const d = tryDecoder(resolveCharset(fallback) ?? 'windows-1252') ?? tryDecoder('windows-1252');
	return d ? yield* decodeSliced(bytes, new TextDecoder(d.encoding)) : [bytes.toString('latin1')];
}

/** Undeclared or unknown 8-bit text: UTF-8 when it is (mostly) UTF-8, else the fallback (windows-1252). */
export function decodeGuess(bytes: Buffer, fallback = 'windows-1252'): string {
	if (isValidUtf8(bytes) || mostlyUtf8(bytes)) return bytes.toString('utf8');
	const d = tryDecoder(resolveCharset(fallback) ?? 'windows-1252') ?? tryDecoder('windows-1252');
	return d ? d.decode(bytes) : bytes.toString('latin1');
}

/** Decodes bytes in the given charset; see the module comment for the fallbacks. */
export function decodeBytes(bytes: Buffer, charset: string | undefined): string {
	const resolved = resolveCharset(charset);
	if (resolved === 'utf-8') return bytes.toString('utf8');
	if (resolved === 'utf-7') return decodeUtf7(bytes.toString('latin1'));
	if (resolved === 'iso-2022-jp') bytes = dropRedundantEscapes(bytes);
	if (resolved) {
		const d = tryDecoder(resolved);
		if (d) return d.decode(bytes);
	}
	return decodeGuess(bytes);
}

/** decodeBytes in slices. */
export function* decodeBytesSteps(bytes: Buffer, charset: string | undefined): Steps<string> {
	return rope(yield* decodeBytesPiecesSteps(bytes, charset));
}

/** decodeBytes in slices, the text left in pieces (see rope() in slices.ts). */
export function* decodeBytesPiecesSteps(
	bytes: Buffer,
	charset: string | undefined,
): Steps<string[]> {
	if (bytes.length <= BLOCK) return [decodeBytes(bytes, charset)];
	const resolved = resolveCharset(charset);
	if (resolved === 'utf-8')
		return yield* decodeSliced(bytes, new TextDecoder('utf-8', { ignoreBOM: true }));
	if (resolved === 'utf-7') return [yield* decodeUtf7Steps(bytes.toString('latin1'))];
	if (resolved === 'iso-2022-jp') bytes = dropRedundantEscapes(bytes);
	if (resolved) {
		const d = tryDecoder(resolved);
		if (d) return yield* decodeSliced(bytes, new TextDecoder(d.encoding));
	}
	return yield* decodeGuessPiecesSteps(bytes);
}

/**
 * ISO-2022-JP text joined from several encoded words has an escape sequence right before another one
 * ("ESC ( B" closing one word, "ESC $ B" opening the next). The WHATWG decoder reports that as an error
 * (U+FFFD); the first escape is redundant, so it is removed.
 */
function dropRedundantEscapes(bytes: Buffer): Buffer {
	if (bytes.indexOf(0x1b) < 0) return bytes;
	const s = bytes.toString('latin1').replace(/\x1b(?:\(|\$\(?)[@-Z](?=\x1b)/g, '');
	return Buffer.from(s, 'latin1');
}

/** RFC 2152 UTF-7: "+" starts a modified-base64 run of UTF-16 code units, "-" (or any non-base64 char) ends it. */
export function decodeUtf7(s: string): string {
	return runSync(decodeUtf7Steps(s));
}

export function* decodeUtf7Steps(s: string): Steps<string> {
	const run = /\+([A-Za-z0-9+/]*)-?/g;
	const out: string[] = [];
	let done = 0;
	let work = 0;
	for (let m = run.exec(s); m; m = run.exec(s)) {
		const next = run.lastIndex;
		out.push(s.slice(done, m.index));
		const b64 = m[1];
		if (!b64) out.push(m[0] === '+-' ? '+' : m[0]);
		else {
			const bytes = Buffer.from(b64, 'base64');
			// big-endian code units, 8192 at a time (fromCharCode keeps lone surrogates as they are)
			const units = bytes.length >> 1;
			for (let u = 0; u < units; u += 8192) {
				const codes = new Array<number>(Math.min(units, u + 8192) - u);
				for (let k = 0; k < codes.length; k++)
					codes[k] = (bytes[2 * (u + k)] << 8) | bytes[2 * (u + k) + 1];
				out.push(String.fromCharCode(...codes));
				if ((work += 8192) >= BLOCK) {
					work = 0;
					yield;
				}
			}
		}
		done = next;
		if ((work += next - m.index) >= BLOCK) {
			work = 0;
			yield;
		}
	}
	out.push(s.slice(done));
	return out.join('');
}

/** Turns a "binary string" (one char per byte, as headers are read) into text: UTF-8 if valid, else `fallback`. */
export function decodeBinaryString(bin: string, fallback?: string): string {
	if (!/[\x80-\xff]/.test(bin)) return bin;
	const bytes = Buffer.from(bin, 'latin1');
	if (isValidUtf8(bytes)) return bytes.toString('utf8');
	if (mostlyUtf8(bytes)) return bytes.toString('utf8');
	const resolved = resolveCharset(fallback);
	if (resolved && resolved !== 'utf-8') return decodeBytes(bytes, resolved);
	return decodeGuess(bytes);
}
