/**
 * Issue #18: every MIME path runs in time linear in its input, and the sliced (async) variants yield.
 *
 * Growth checks time a path at n and at 10n (best of a few runs each, in this process) and require the ratio
 * to stay far below quadratic: linear is ≈ 10, quadratic ≈ 100; the bound is 30. No absolute timings. The
 * small inputs are a few hundred KB, so that both sizes allocate memory the same way (below that, a 10×
 * larger input can cost far more than 10× only because its buffers are fresh pages).
 * Each case names the input that made the old code quadratic, where there was one.
 */
import {
	buildRawMessage,
	buildRawMessageAsync,
	fromGmailPayload,
	fromGmailPayloadAsync,
	htmlToText,
	htmlToTextAsync,
	parseRawMessage,
	parseRawMessageAsync,
	prepareRawMessage,
	textToHtml,
	textToHtmlAsync,
	type BuildInput,
} from '../../nodes/GmailWorkspace/mime';
import { normalizeAddresses, parseAddressList } from '../../nodes/GmailWorkspace/mime/address';
import { decodeBytes } from '../../nodes/GmailWorkspace/mime/charset';
import { decodeWords, encodeWords } from '../../nodes/GmailWorkspace/mime/encoded-words';
import { parseStructured } from '../../nodes/GmailWorkspace/mime/headers';
import { decodeBase64, decodeQuotedPrintable, encodeQuotedPrintable } from '../../nodes/GmailWorkspace/mime/transfer';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';

// a full GC before timing a big input, so garbage of earlier cases is not collected during it
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const BOUND = 30;

/** Best of `runs` timings (ms): the minimum filters GC pauses and scheduling noise (the machine may be shared). */
function best(fn: () => unknown, runs: number, collect = false): number {
	let min = Infinity;
	for (let i = 0; i < runs; i++) {
		if (collect) gc();
		const t0 = performance.now();
		fn();
		min = Math.min(min, performance.now() - t0);
	}
	return min;
}

/**
 * Time ratio between input size 10n and n: best of a few runs each, the small input warmed up first, and the
 * best of three attempts (a quadratic path fails them all: its ratio is about 100).
 */
function growth(make: (n: number) => () => unknown, n: number): number {
	const small = make(n);
	const big = make(n * 10);
	small();
	let ratio = Infinity;
	for (let attempt = 0; attempt < 3 && ratio >= BOUND; attempt++) {
		ratio = Math.min(ratio, best(big, 2, true) / Math.max(best(small, 4), 0.5));
	}
	return ratio;
}

const expectLinear = (make: (n: number) => () => unknown, n: number) => expect(growth(make, n)).toBeLessThan(BOUND);

const WORDS = 'the update our team launch café naïve über 価格 price free today'.split(' ');
function newsletter(units: number): string {
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
const plain = (lines: number) =>
	Array.from({ length: lines }, (_, i) => (i % 6 ? `line ${i} see https://example.com/p/${i}. or www.example.org & <b> "q"` : '')).join('\n');
const recipients = (n: number) => Array.from({ length: n }, (_, i) => `"User ${i}" <user${i}@example${i % 7}.com>`);
const raw = (s: string) => Buffer.from(s, 'latin1');

describe('HTML → text grows linearly', () => {
	it('newsletter HTML', () => expectLinear((n) => { const h = newsletter(n); return () => htmlToText(h); }, 1500));
	it('many unclosed links', () =>
		expectLinear((n) => { const h = '<a href="https://x.example/">y'.repeat(n); return () => htmlToText(h); }, 20000));
	it('deeply nested links closed at the end (old: each </a> re-read its label from the output)', () =>
		expectLinear((n) => { const h = '<a href="https://x.example/">'.repeat(n) + 'x' + '</a>'.repeat(n); return () => htmlToText(h); }, 15000));
	it('nested links whose label equals the href, with a long blank run in <pre>', () =>
		expectLinear((n) => { const h = '<pre>' + '<a href="x">'.repeat(n) + 'x' + ' '.repeat(n * 20) + '</a>'.repeat(n); return () => htmlToText(h); }, 15000));
	it('many block elements (old: newline() scanned the output back)', () =>
		expectLinear((n) => { const h = '<p>a</p><div>b</div><li>c'.repeat(n); return () => htmlToText(h); }, 20000));
	it('long text and blank runs, entity floods, "<" floods', () =>
		expectLinear((n) => { const h = 'word &amp; '.repeat(n) + ' \t\n'.repeat(n) + '&#x41;&nbsp'.repeat(n) + '<'.repeat(n); return () => htmlToText(h); }, 20000));
	it('"</" floods inside <script>, unclosed comments and long attributes', () =>
		expectLinear((n) => { const h = '<script>' + '</scr'.repeat(n) + '</script><img alt="' + 'a'.repeat(n * 5) + '" ' + 'b'.repeat(n * 5) + '>' + '<!--'.repeat(n); return () => htmlToText(h); }, 50000));
});

describe('text → HTML grows linearly', () => {
	it('lines with links and specials', () => expectLinear((n) => { const t = plain(n); return () => textToHtml(t); }, 6000));
	it('a URL followed by a long run of punctuation (old: the lazy regex rescanned it up to 2048 times)', () =>
		expectLinear((n) => { const t = 'http://a' + '.'.repeat(n) + 'x'; return () => textToHtml(t); }, 300000));
	it('many URL starts on one line', () => expectLinear((n) => { const t = 'http://'.repeat(n) + '!'; return () => textToHtml(t); }, 50000));
	it('one very long line', () => expectLinear((n) => { const t = 'see http://x.example/a, & <b> '.repeat(n); return () => textToHtml(t); }, 15000));
});

describe('headers and addresses grow linearly', () => {
	it('encoded words (Q and B) for a long subject', () => {
		expectLinear((n) => { const s = 'Grüße aus Köln '.repeat(n); return () => encodeWords(s); }, 20000);
		expectLinear((n) => { const s = '日本語のテキスト'.repeat(n); return () => encodeWords(s); }, 30000);
	});
	it('decoding many encoded words', () => expectLinear((n) => { const s = '=?utf-8?B?w6nDqQ==?= '.repeat(n); return () => decodeWords(s); }, 15000));
	it('a huge header value folded by the builder', () =>
		expectLinear((n) => { const v = 'word '.repeat(n).trim(); return () => buildRawMessage({ from: 'a@example.com', headers: { 'X-Long': v }, subject: v.slice(0, n), text: 'x' }); }, 100000));
	it('parsing a To header with many addresses', () => expectLinear((n) => { const v = recipients(n).join(', '); return () => parseAddressList(v); }, 10000));
	it('validating many recipients', () => expectLinear((n) => { const v = recipients(n).join(', '); return () => normalizeAddresses(v, 'to'); }, 10000));
	it('a long name before a stray "@" (old: the loose-address regex retried every start position)', () =>
		expectLinear((n) => { const v = 'a'.repeat(n) + ' @b'; return () => parseAddressList(v); }, 300000));
	it('name fragments joined back (now without an array splice per fragment)', () =>
		expectLinear((n) => { const v = 'x, '.repeat(n) + 'Name <a@example.com>'; return () => parseAddressList(v); }, 100000));
	it('an encoded name hiding "<" and many "@" (old: /<[^<>]+@[^<>]+>/ backtracked)', () =>
		expectLinear((n) => { const v = `=?utf-8?B?${Buffer.from('<' + '@'.repeat(n) + 'x').toString('base64')}?=`; return () => parseAddressList(v); }, 300000));
	it('quoted names full of escapes', () => expectLinear((n) => { const v = '"' + '\\a'.repeat(n) + '" <a@example.com>'; return () => parseAddressList(v); }, 200000));
	it('structured values: many parameters, long escaped values', () =>
		expectLinear((n) => { const v = 'text/plain' + '; a=b'.repeat(n) + '; name="' + '\\x'.repeat(n) + '"'; return () => parseStructured(v); }, 50000));
});

describe('transfer encodings and charsets grow linearly', () => {
	it('base64 with padding inside (many pieces)', () => expectLinear((n) => { const b = raw('QQ==\r\n'.repeat(n)); return () => decodeBase64(b); }, 60000));
	it('quoted-printable both ways', () => {
		expectLinear((n) => { const b = Buffer.from('héllo wörld =\r\n'.repeat(n)); return () => encodeQuotedPrintable(b); }, 30000);
		expectLinear((n) => { const b = raw('h=C3=A9llo w=\r\n  \r\n'.repeat(n)); return () => decodeQuotedPrintable(b); }, 30000);
	});
	it('UTF-7 and windows-1252 bodies', () => {
		expectLinear((n) => { const b = raw('a +AGEAYg- b '.repeat(n)); return () => decodeBytes(b, 'utf-7'); }, 20000);
		expectLinear((n) => { const b = Buffer.alloc(n * 200, 0xe9); return () => decodeBytes(b, 'x-unknown'); }, 1500);
	});
});

describe('building and parsing grow linearly', () => {
	it('building with an HTML body (plain text derived, both encoded)', () =>
		expectLinear((n) => { const input: BuildInput = { from: 'a@example.com', to: 'b@example.com', html: newsletter(n) }; return () => buildRawMessage(input); }, 1000));
	it('parsing an HTML message', () =>
		expectLinear((n) => { const m = buildRawMessage({ from: 'a@example.com', to: 'b@example.com', html: newsletter(n) }); return () => parseRawMessage(m); }, 1000));
	it('parsing a multipart/mixed text + html message (text → HTML, HTML → text)', () =>
		expectLinear((n) => {
			const m = raw(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\n${plain(n)}\r\n--b\r\nContent-Type: text/html\r\n\r\n${newsletter(n / 5)}\r\n--b--\r\n`);
			return () => parseRawMessage(m);
		}, 3000));
	it('parsing format=flowed text', () =>
		expectLinear((n) => { const m = raw(`Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\n${'soft line \r\n'.repeat(n)}`); return () => parseRawMessage(m); }, 30000));
	it('parsing many headers, a long folded header and a long single line', () => {
		expectLinear((n) => { const m = raw(Array.from({ length: n }, (_, i) => `X-H${i}: v =?utf-8?Q?caf=C3=A9?=\r\n`).join('') + '\r\nb'); return () => parseRawMessage(m); }, 450);
		expectLinear((n) => { const m = raw(`X-F: a\r\n${' b c\r\n'.repeat(n)}\r\nb`); return () => parseRawMessage(m); }, 50000);
		expectLinear((n) => { const m = raw(`Subject: ${'x'.repeat(n * 100)}\r\nTo: ${recipients(n / 10).join(', ')}\r\n\r\nb`); return () => parseRawMessage(m); }, 3000);
	});
	it('a Gmail payload with a large HTML body', () =>
		expectLinear((n) => {
			const data = Buffer.from(newsletter(n)).toString('base64url');
			const message = { payload: { mimeType: 'text/html', headers: [{ name: 'Subject', value: 'x' }], body: { data } } };
			return () => fromGmailPayload(message);
		}, 1000));
});

describe('the sliced variants yield and give the same result', () => {
	const counting = () => {
		const calls = { n: 0 };
		return { calls, yieldFn: async () => void calls.n++ };
	};

	it('htmlToTextAsync / textToHtmlAsync', async () => {
		const html = newsletter(3000);
		const y = counting();
		expect(await htmlToTextAsync(html, { yieldFn: y.yieldFn, sliceMs: 0 })).toBe(htmlToText(html));
		expect(y.calls.n).toBeGreaterThan(10);
		const text = plain(20000);
		const z = counting();
		expect(await textToHtmlAsync(text, { yieldFn: z.yieldFn, sliceMs: 0 })).toBe(textToHtml(text));
		expect(z.calls.n).toBeGreaterThan(10);
		// small input: done before a slice is used up, no yield needed
		const w = counting();
		expect(await htmlToTextAsync('<p>hi</p>', { yieldFn: w.yieldFn })).toBe('hi');
		expect(w.calls.n).toBe(0);
	});

	it('the default yield lets timers run in between', async () => {
		let fired = false;
		setTimeout(() => (fired = true), 0);
		const html = newsletter(5000);
		const out = await htmlToTextAsync(html, { sliceMs: 1 });
		expect(out).toBe(htmlToText(html));
		expect(fired).toBe(true);
	});

	it('parseRawMessageAsync and fromGmailPayloadAsync', async () => {
		const fixed = (size: number) => Buffer.alloc(size, 0x41);
		const message = buildRawMessage(
			{
				from: 'Ann <ann@example.com>',
				to: recipients(1000),
				subject: 'Grüße '.repeat(500),
				html: newsletter(1000),
				attachments: [{ filename: 'a.bin', content: fixed(300_000) }],
			},
			{ randomBytes: (n) => Buffer.alloc(n, 1) },
		);
		const y = counting();
		expect(await parseRawMessageAsync(message, { yieldFn: y.yieldFn, sliceMs: 0 })).toEqual(parseRawMessage(message));
		expect(y.calls.n).toBeGreaterThan(3);
		const payload = {
			id: 'm1',
			payload: { mimeType: 'text/html', headers: [{ name: 'To', value: recipients(3000).join(', ') }], body: { data: Buffer.from(newsletter(2000)).toString('base64url') } },
		};
		const z = counting();
		expect(await fromGmailPayloadAsync(payload, { yieldFn: z.yieldFn, sliceMs: 0 })).toEqual(fromGmailPayload(payload));
		expect(z.calls.n).toBeGreaterThan(10);
	});

	it('parseRawMessageAsync never rejects on garbage, but passes on an error of yieldFn', async () => {
		const junk = Buffer.from(Array.from({ length: 300_000 }, (_, i) => (i * 7919) % 256));
		const parsed = await parseRawMessageAsync(junk, { yieldFn: async () => undefined, sliceMs: 0 });
		expect(parsed).toEqual(parseRawMessage(junk));
		const big = buildRawMessage({ from: 'a@example.com', html: newsletter(2000) });
		await expect(parseRawMessageAsync(big, { yieldFn: () => Promise.reject(new Error('cancelled')), sliceMs: 0 })).rejects.toThrow('cancelled');
	});

	it('prepareRawMessage / buildRawMessageAsync: the same bytes and size as the sync builder', async () => {
		const randomBytes = (n: number) => Buffer.alloc(n, 7);
		const input: BuildInput = {
			from: 'Ann <ann@example.com>',
			to: recipients(3000),
			subject: 'Grüße aus Köln '.repeat(200),
			html: newsletter(2000),
			attachments: [{ filename: 'résumé.pdf', content: Buffer.alloc(200_000, 3) }, { filename: 'i.png', content: Buffer.alloc(1000, 4), contentId: 'i1' }],
			date: new Date(0),
		};
		const expected = buildRawMessage(input, { randomBytes });
		const y = counting();
		const prepared = await prepareRawMessage(input, { randomBytes, yieldFn: y.yieldFn, sliceMs: 0 });
		expect(y.calls.n).toBeGreaterThan(10);
		expect(prepared.size).toBe(expected.length);
		const chunks: Buffer[] = [];
		for await (const c of prepared.stream()) chunks.push(Buffer.from(c));
		expect(Buffer.concat(chunks).equals(expected)).toBe(true);
		expect((await buildRawMessageAsync(input, { randomBytes, sliceMs: 0, yieldFn: async () => undefined })).equals(expected)).toBe(true);
	});

	it('prepareRawMessage: streamed attachments, and input errors as rejections', async () => {
		async function* chunks() {
			yield Buffer.alloc(100_000, 1);
			yield Buffer.alloc(50_000, 2);
		}
		const prepared = await prepareRawMessage({ from: 'a@example.com', text: 'x', attachments: [{ filename: 'a.bin', content: chunks(), size: 150_000 }] }, { reuseBuffers: true });
		let n = 0;
		for await (const c of prepared.stream()) n += c.length;
		expect(n).toBe(prepared.size);
		const sizeless = await prepareRawMessage({ from: 'a@example.com', text: 'x', attachments: [{ filename: 'a.bin', content: chunks() }] });
		expect(() => sizeless.size).toThrow(/size/);
		await expect(prepareRawMessage({ from: 'not an address', text: 'x' })).rejects.toMatchObject({ name: 'MimeError', field: 'from' });
		await expect(prepareRawMessage({ from: 'a@example.com', subject: 'a\r\nBcc: x@example.com' })).rejects.toMatchObject({ field: 'subject' });
	});
});
