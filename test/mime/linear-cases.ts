/**
 * Issue #18's growth cases: every MIME path runs in time linear in its input. Each case builds a path's call
 * for an input of size n; `growth` times it at n and at 10n and gives the ratio (linear ≈ 10, quadratic ≈ 100;
 * linear-time.test.ts requires < BOUND). Each case names the input that made the old code quadratic, where
 * there was one. The small inputs are a few hundred KB, so that both sizes allocate memory the same way (below
 * that, a 10× larger input can cost far more than 10× only because its buffers are fresh pages).
 *
 * linear-measure.ts runs these in a fresh Node process (see there why not inside jest).
 */
import { buildRawMessage, fromGmailPayload, htmlToText, parseRawMessage, textToHtml, type BuildInput } from '../../nodes/GmailWorkspace/mime';
import { normalizeAddresses, parseAddressList } from '../../nodes/GmailWorkspace/mime/address';
import { decodeBytes } from '../../nodes/GmailWorkspace/mime/charset';
import { decodeWords, encodeWords } from '../../nodes/GmailWorkspace/mime/encoded-words';
import { parseStructured } from '../../nodes/GmailWorkspace/mime/headers';
import { decodeBase64, decodeQuotedPrintable, encodeQuotedPrintable } from '../../nodes/GmailWorkspace/mime/transfer';

export const BOUND = 30;

export interface GrowthCase {
	group: string;
	name: string;
	n: number;
	make: (n: number) => () => unknown;
}

const WORDS = 'the update our team launch café naïve über 価格 price free today'.split(' ');
export function newsletter(units: number): string {
	const parts: string[] = ['<html><head><style>td{padding:0}</style></head><body><table>'];
	for (let i = 0; i < units; i++) {
		const w = WORDS[i % WORDS.length];
		parts.push(
			`<tr><td><h2>${w}</h2><p>${w} &amp; more&nbsp;&mdash; <a href="https://example.com/a/${i}?x=1&amp;y=2">${w} link</a></p>` +
				`<ul><li>${w}</li><li>two <a href="mailto:a@example.com">a@example.com</a></li></ul><img alt="${w}" src="x.png"><br></td></tr>`,
		);
	}
	return parts.join('') + '</table></body></html>';
}
export const plain = (lines: number) =>
	Array.from({ length: lines }, (_, i) => (i % 6 ? `line ${i} see https://example.com/p/${i}. or www.example.org & <b> "q"` : '')).join('\n');
export const recipients = (n: number) => Array.from({ length: n }, (_, i) => `"User ${i}" <user${i}@example${i % 7}.com>`);
const raw = (s: string) => Buffer.from(s, 'latin1');

const HTML = 'HTML → text grows linearly';
const TEXT = 'text → HTML grows linearly';
const HEAD = 'headers and addresses grow linearly';
const CODE = 'transfer encodings and charsets grow linearly';
const MSG = 'building and parsing grow linearly';

export const CASES: GrowthCase[] = [
	{ group: HTML, name: 'newsletter HTML', n: 1500, make: (n) => { const h = newsletter(n); return () => htmlToText(h); } },
	{ group: HTML, name: 'many unclosed links', n: 20000, make: (n) => { const h = '<a href="https://x.example/">y'.repeat(n); return () => htmlToText(h); } },
	{ group: HTML, name: 'deeply nested links closed at the end (old: each </a> re-read its label from the output)', n: 15000,
		make: (n) => { const h = '<a href="https://x.example/">'.repeat(n) + 'x' + '</a>'.repeat(n); return () => htmlToText(h); } },
	{ group: HTML, name: 'nested links whose label equals the href, with a long blank run in <pre>', n: 15000,
		make: (n) => { const h = '<pre>' + '<a href="x">'.repeat(n) + 'x' + ' '.repeat(n * 20) + '</a>'.repeat(n); return () => htmlToText(h); } },
	{ group: HTML, name: 'many block elements (old: newline() scanned the output back)', n: 20000,
		make: (n) => { const h = '<p>a</p><div>b</div><li>c'.repeat(n); return () => htmlToText(h); } },
	{ group: HTML, name: 'long text and blank runs, entity floods, "<" floods', n: 20000,
		make: (n) => { const h = 'word &amp; '.repeat(n) + ' \t\n'.repeat(n) + '&#x41;&nbsp'.repeat(n) + '<'.repeat(n); return () => htmlToText(h); } },
	{ group: HTML, name: '"</" floods inside <script>, unclosed comments and long attributes', n: 50000,
		make: (n) => { const h = '<script>' + '</scr'.repeat(n) + '</script><img alt="' + 'a'.repeat(n * 5) + '" ' + 'b'.repeat(n * 5) + '>' + '<!--'.repeat(n); return () => htmlToText(h); } },

	{ group: TEXT, name: 'lines with links and specials', n: 6000, make: (n) => { const t = plain(n); return () => textToHtml(t); } },
	{ group: TEXT, name: 'a URL followed by a long run of punctuation (old: the lazy regex rescanned it up to 2048 times)', n: 300000,
		make: (n) => { const t = 'http://a' + '.'.repeat(n) + 'x'; return () => textToHtml(t); } },
	{ group: TEXT, name: 'many URL starts on one line', n: 50000, make: (n) => { const t = 'http://'.repeat(n) + '!'; return () => textToHtml(t); } },
	{ group: TEXT, name: 'one very long line', n: 15000, make: (n) => { const t = 'see http://x.example/a, & <b> '.repeat(n); return () => textToHtml(t); } },

	{ group: HEAD, name: 'encoded words (Q) for a long subject', n: 20000, make: (n) => { const s = 'Grüße aus Köln '.repeat(n); return () => encodeWords(s); } },
	{ group: HEAD, name: 'encoded words (B) for a long subject', n: 30000, make: (n) => { const s = '日本語のテキスト'.repeat(n); return () => encodeWords(s); } },
	{ group: HEAD, name: 'decoding many encoded words', n: 15000, make: (n) => { const s = '=?utf-8?B?w6nDqQ==?= '.repeat(n); return () => decodeWords(s); } },
	{ group: HEAD, name: 'a huge header value folded by the builder', n: 100000,
		make: (n) => { const v = 'word '.repeat(n).trim(); return () => buildRawMessage({ from: 'a@example.com', headers: { 'X-Long': v }, subject: v.slice(0, n), text: 'x' }); } },
	{ group: HEAD, name: 'parsing a To header with many addresses', n: 10000, make: (n) => { const v = recipients(n).join(', '); return () => parseAddressList(v); } },
	{ group: HEAD, name: 'validating many recipients', n: 10000, make: (n) => { const v = recipients(n).join(', '); return () => normalizeAddresses(v, 'to'); } },
	{ group: HEAD, name: 'a long name before a stray "@" (old: the loose-address regex retried every start position)', n: 300000,
		make: (n) => { const v = 'a'.repeat(n) + ' @b'; return () => parseAddressList(v); } },
	{ group: HEAD, name: 'name fragments joined back (now without an array splice per fragment)', n: 100000,
		make: (n) => { const v = 'x, '.repeat(n) + 'Name <a@example.com>'; return () => parseAddressList(v); } },
	{ group: HEAD, name: 'an encoded name hiding "<" and many "@" (old: /<[^<>]+@[^<>]+>/ backtracked)', n: 100000,
		make: (n) => { const v = `=?utf-8?B?${Buffer.from('<' + '@'.repeat(n) + 'x').toString('base64')}?=`; return () => parseAddressList(v); } },
	{ group: HEAD, name: 'quoted names full of escapes', n: 200000, make: (n) => { const v = '"' + '\\a'.repeat(n) + '" <a@example.com>'; return () => parseAddressList(v); } },
	{ group: HEAD, name: 'structured values: many parameters, long escaped values', n: 50000,
		make: (n) => { const v = 'text/plain' + '; a=b'.repeat(n) + '; name="' + '\\x'.repeat(n) + '"'; return () => parseStructured(v); } },

	{ group: CODE, name: 'base64 with padding inside (many pieces)', n: 60000, make: (n) => { const b = raw('QQ==\r\n'.repeat(n)); return () => decodeBase64(b); } },
	{ group: CODE, name: 'quoted-printable encoding', n: 30000, make: (n) => { const b = Buffer.from('héllo wörld =\r\n'.repeat(n)); return () => encodeQuotedPrintable(b); } },
	{ group: CODE, name: 'quoted-printable decoding', n: 30000, make: (n) => { const b = raw('h=C3=A9llo w=\r\n  \r\n'.repeat(n)); return () => decodeQuotedPrintable(b); } },
	{ group: CODE, name: 'UTF-7 bodies', n: 20000, make: (n) => { const b = raw('a +AGEAYg- b '.repeat(n)); return () => decodeBytes(b, 'utf-7'); } },
	{ group: CODE, name: 'windows-1252 bodies', n: 1500, make: (n) => { const b = Buffer.alloc(n * 200, 0xe9); return () => decodeBytes(b, 'x-unknown'); } },

	{ group: MSG, name: 'building with an HTML body (plain text derived, both encoded)', n: 1000,
		make: (n) => { const input: BuildInput = { from: 'a@example.com', to: 'b@example.com', html: newsletter(n) }; return () => buildRawMessage(input); } },
	{ group: MSG, name: 'parsing an HTML message', n: 1000,
		make: (n) => { const m = buildRawMessage({ from: 'a@example.com', to: 'b@example.com', html: newsletter(n) }); return () => parseRawMessage(m); } },
	{ group: MSG, name: 'parsing a multipart/mixed text + html message (text → HTML, HTML → text)', n: 3000,
		make: (n) => {
			const m = raw(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${plain(n)}\r\n--b\r\nContent-Type: text/html\r\n\r\n${newsletter(n / 5)}\r\n--b--\r\n`);
			return () => parseRawMessage(m);
		} },
	{ group: MSG, name: 'parsing format=flowed text', n: 30000,
		make: (n) => { const m = raw(`Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\n${'soft line \r\n'.repeat(n)}`); return () => parseRawMessage(m); } },
	{ group: MSG, name: 'parsing many headers', n: 450,
		make: (n) => { const m = raw(Array.from({ length: n }, (_, i) => `X-H${i}: v =?utf-8?Q?caf=C3=A9?=\r\n`).join('') + '\r\nb'); return () => parseRawMessage(m); } },
	{ group: MSG, name: 'parsing a long folded header', n: 50000, make: (n) => { const m = raw(`X-F: a\r\n${' b c\r\n'.repeat(n)}\r\nb`); return () => parseRawMessage(m); } },
	{ group: MSG, name: 'parsing a long single line and many recipients', n: 3000,
		make: (n) => { const m = raw(`Subject: ${'x'.repeat(n * 100)}\r\nTo: ${recipients(n / 10).join(', ')}\r\n\r\nb`); return () => parseRawMessage(m); } },
	{ group: MSG, name: 'a Gmail payload with a large HTML body', n: 1000,
		make: (n) => {
			const data = Buffer.from(newsletter(n)).toString('base64url');
			const message = { payload: { mimeType: 'text/html', headers: [{ name: 'Subject', value: 'x' }], body: { data } } };
			return () => fromGmailPayload(message);
		} },
];

/** A path that is quadratic on purpose: the measurement must tell it apart (its ratio is about 100). */
export const QUADRATIC_CONTROL: GrowthCase = {
	group: 'the growth measurement itself',
	name: 'a quadratic path (an indexOf per element) measures far above the bound',
	n: 1500,
	make: (n) => {
		const a = Array.from({ length: n }, (_, i) => i);
		return () => {
			let s = 0;
			for (let i = 0; i < n; i++) s += a.indexOf(i);
			return s;
		};
	},
};
