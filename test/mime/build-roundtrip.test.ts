/**
 * Build round-trip differential: mailparser (and our own parser) read back what buildRawMessage builds, over
 * a generated set of tricky inputs, with the same subject, addresses, text, html, attachment names, types and
 * bytes. Every message is also checked for wire-format rules: CRLF line endings only, no line over 998,
 * header lines folded to ≤ 78, encoded words ≤ 75, body lines ≤ 76.
 */
import { createHash } from 'node:crypto';
import { buildRawMessage, htmlToText, parseRawMessage, type BuildInput } from '../../nodes/GmailWorkspace/mime';
import { flatAddresses, normBody } from './helpers';
import { simpleParser } from './libs';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

function bytes(n: number, seed: number): Buffer {
	const b = Buffer.alloc(n);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < n; i++) {
		x ^= x << 13;
		x ^= x >>> 17;
		x ^= x << 5;
		b[i] = x & 0xff;
	}
	return b;
}

const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

const longLatin = 'The quick brown fox jumps over the lazy dog, again and again; '.repeat(6).trim();
const longMixed = 'Größenänderung für Ångström und Café — naïve façade résumé '.repeat(6).trim();

interface Case {
	name: string;
	input: BuildInput;
	/** Expected recipients as { name, address } (defaults derived from input objects). */
}

const addr = (name: string, address: string) => ({ name, address });

const CASES: Case[] = [
	{ name: 'plain ASCII', input: { from: 'Alice <alice@example.com>', to: 'bob@example.com', subject: 'Hello', text: 'Hi Bob,\nsee you.\n' } },
	{
		name: 'emoji everywhere',
		input: {
			from: addr('😀 Smiley 🎉', 'smile@example.com'),
			to: [addr('👩‍👩‍👧‍👦 Family', 'fam@example.com')],
			subject: '🎉 Party time 🍿🥳 — bring 🍕!',
			text: 'Emoji 😀🎉🍿 and ZWJ 👩‍👩‍👧‍👦 and flags 🇪🇺🇺🇸',
			html: '<p>Emoji 😀 <b>bold</b> 🎉</p>',
		},
	},
	{
		name: 'CJK',
		input: {
			from: addr('山田 太郎', 'taro@example.jp'),
			to: [addr('王小明', 'wang@example.cn'), addr('김철수', 'kim@example.kr')],
			subject: '会議のお知らせ：来週の月曜日に打ち合わせをお願いします。資料を添付しました。',
			text: '日本語の本文です。\n中文正文。\n한국어 본문입니다.',
			attachments: [{ filename: '見積書_2025年度.pdf', mimeType: 'application/pdf', content: bytes(3000, 1) }],
		},
	},
	{
		name: 'RTL Arabic and Hebrew',
		input: {
			from: addr('محمد العربي', 'mohammed@example.com'),
			to: [addr('דוד כהן', 'david@example.co.il')],
			cc: [addr('نص مختلط Mixed עברית', 'mixed@example.org')],
			subject: 'مرحبا بالعالم — שלום עולם — hello',
			text: 'النص العربي هنا.\nטקסט בעברית כאן.',
			html: '<div dir="rtl">مرحبا <i>שלום</i></div>',
			attachments: [{ filename: 'تقرير.docx', content: bytes(500, 2) }],
		},
	},
	{
		name: 'very long subject and display names (≥ 300 chars)',
		input: {
			from: addr(longLatin, 'long@example.com'),
			to: [addr(longMixed, 'mixed@example.com'), addr('Ω'.repeat(320), 'omega@example.com')],
			subject: longMixed + ' ' + longLatin,
			text: 'x'.repeat(5000) + '\n' + 'word '.repeat(2000),
		},
	},
	{
		name: 'ASCII long subject without spaces and a long unbroken name',
		input: { from: addr('N'.repeat(300), 'n@example.com'), to: 'to@example.com', subject: 'S'.repeat(400), text: 'ok' },
	},
	{
		name: 'names with quotes, commas, parentheses, backslashes, at-signs and encoded-word look-alikes',
		input: {
			from: addr('Doe, John "Johnny" (the boss)', 'john@example.com'),
			to: [
				addr('O\'Brien; Sales <team>', 'sales@example.com'),
				addr('back\\slash "quoted"', 'bs@example.com'),
				addr('not@an-address', 'real@example.com'),
				addr('=?utf-8?B?Zm9v?= literal', 'lit@example.com'),
				addr('  spaced   out  ', 'sp@example.com'),
			],
			replyTo: [addr('Support (24/7), Inc.', 'support@example.com')],
			subject: 'Quotes "here" and \\ backslash; (parens), commas =?not?= encoded',
			text: 'body',
		},
	},
	{ name: 'empty body', input: { from: 'a@example.com', to: 'b@example.com', subject: 'empty', text: '' } },
	{ name: 'no body, no subject', input: { from: 'a@example.com', to: 'b@example.com' } },
	{
		name: '0-byte and binary attachments',
		input: {
			from: 'a@example.com',
			to: 'b@example.com',
			subject: 'files',
			text: 'two files',
			attachments: [
				{ filename: 'empty.txt', mimeType: 'text/plain', content: Buffer.alloc(0) },
				{ filename: 'random.bin', mimeType: 'application/octet-stream', content: bytes(100_003, 3) },
				{ filename: 'all-bytes.dat', mimeType: 'application/x-custom', content: Buffer.from(Array.from({ length: 512 }, (_, i) => i & 0xff)) },
				{ filename: 'crlf.txt', content: Buffer.from('line1\r\nline2\nline3\r\n\r\n.\r\nFrom me\r\n') },
			],
		},
	},
	{
		name: '200 recipients in to, cc and bcc',
		input: {
			from: 'Sender <sender@example.com>',
			to: Array.from({ length: 200 }, (_, i) => addr(`Recipient Number ${i}`, `r${i}@example.com`)),
			cc: Array.from({ length: 200 }, (_, i) => `c${i}@example.org`).join(', '),
			bcc: Array.from({ length: 200 }, (_, i) => addr(`Bcc Ünïcödé ${i}`, `b${i}@example.net`)),
			subject: 'many',
			text: 'hi all',
		},
	},
	{
		name: 'non-ASCII, long and quoted filenames',
		input: {
			from: 'a@example.com',
			to: 'b@example.com',
			subject: 'filenames',
			text: 'see attached',
			attachments: [
				{ filename: 'Ünïcödé résumé.pdf', content: bytes(10, 4) },
				{ filename: 'отчёт за 2025 год — финальная версия (исправленная) с очень длинным именем файла.xlsx', content: bytes(20, 5) },
				{ filename: 'quote "and" back\\slash; semi.txt', content: Buffer.from('q') },
				{ filename: 'a'.repeat(200) + '.txt', content: Buffer.from('long') },
				{ filename: '表 格.csv', mimeType: 'text/csv', content: Buffer.from('a,b\n1,2\n') },
				{ filename: '😀.png', mimeType: 'image/png', content: PNG },
			],
		},
	},
	{
		name: 'HTML only with an inline image (cid) and an attachment',
		input: {
			from: 'Newsletter <news@example.com>',
			to: 'reader@example.com',
			subject: 'Inline',
			html: '<h1>Title</h1><p>Hello&nbsp;<b>world</b> &amp; friends<br>next line</p><ul><li>one</li><li>two</li></ul><p><a href="https://example.com/x?a=1&amp;b=2">a link</a></p><img src="cid:logo@example.com" alt="Logo">',
			attachments: [
				{ filename: 'logo.png', mimeType: 'image/png', content: PNG, contentId: 'logo@example.com' },
				{ filename: 'terms.pdf', mimeType: 'application/pdf', content: bytes(2000, 6) },
			],
		},
	},
	{
		name: 'text and HTML, replies and custom headers',
		input: {
			from: addr('Zoë', 'zoe@example.com'),
			to: 'x@example.com',
			subject: 'Re: thread',
			text: 'Plain version with = signs, trailing spaces   \nand a tab\tin it.\n.\nFrom the start',
			html: '<p>HTML version = with signs</p>',
			inReplyTo: '<abc@example.com>',
			references: ['<root@example.com>', 'abc@example.com'],
			headers: { 'X-Tag': 'plain value', 'X-Unicode': 'Grüße 😀', 'X-Long': 'word '.repeat(60).trim() },
		},
	},
	{
		name: 'IDN domains',
		input: { from: addr('Bücher', 'info@bücher.de'), to: ['user@例え.jp', addr('', 'kontakt@müller.example')], subject: 'IDN', text: 'idn' },
	},
	{
		name: 'very long lines and QP edge cases',
		input: {
			from: 'a@example.com',
			to: 'b@example.com',
			subject: 'qp',
			text: '='.repeat(300) + '\n' + 'é'.repeat(10) + ' \n\t\n' + 'x'.repeat(75) + '=' + '\n' + 'y'.repeat(76) + '\n.dot\nFrom x',
			html: '<p>' + 'long html '.repeat(500) + '</p>',
		},
	},
];

function expectedAddresses(v: BuildInput['to']): Array<{ name: string; address: string }> {
	if (v === undefined) return [];
	const list = Array.isArray(v) ? v : [v];
	return list.flatMap((x) => {
		if (typeof x === 'string') {
			return x.split(',').map((s) => {
				const m = /^\s*(.*?)\s*<([^>]+)>\s*$/.exec(s);
				return m ? { name: m[1], address: m[2] } : { name: '', address: s.trim() };
			});
		}
		return [{ name: x.name.trim(), address: x.address }];
	});
}

/** Wire-format rules for a built message. */
function checkFormat(raw: Buffer) {
	const s = raw.toString('latin1');
	expect(s).not.toMatch(/[^\r]\n/);
	expect(s).not.toMatch(/\r[^\n]/);
	expect(s.endsWith('\r\n')).toBe(true);
	const lines = s.split('\r\n');
	for (const l of lines) expect(l.length).toBeLessThanOrEqual(998);
	// header lines are folded to 78 and bodies (quoted-printable, base64) use lines of at most 76: only an
	// unbreakable header token (a long media type, say) may run past 78, since there is nothing to fold at
	for (const l of lines) {
		if (l.length <= 78) continue;
		expect(l).toMatch(/^[A-Za-z-]+: \S+$|^ \S+$/);
	}
	for (const w of s.match(/=\?[^?\s]+\?[BQbq]\?[^?\s]*\?=/g) ?? []) expect(w.length).toBeLessThanOrEqual(75);
	// bodies are QP or base64: lines of at most 76
	const head = s.slice(0, s.indexOf('\r\n\r\n'));
	expect(head).toMatch(/^MIME-Version: 1\.0$/m);
	expect(head).toMatch(/^Date: (Mon|Tue|Wed|Thu|Fri|Sat|Sun), \d\d (Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec) \d{4} \d\d:\d\d:\d\d \+0000$/m);
	expect(head).toMatch(/^Message-ID: <[0-9a-f]{32}@[A-Za-z0-9.-]+>$/m);
}

describe('buildRawMessage round-trips through mailparser and parseRawMessage', () => {
	it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_name, c) => {
		const raw = buildRawMessage(c.input);
		checkFormat(raw);
		const mp = await simpleParser(raw, { keepCidLinks: true });
		const ours = parseRawMessage(raw);
		const input = c.input;

		const subject = input.subject ?? '';
		expect(mp.subject ?? '').toBe(subject);
		expect(ours.subject).toBe(subject);

		for (const field of ['from', 'to', 'cc', 'bcc', 'replyTo'] as const) {
			const expected = expectedAddresses(input[field]).map((a) => ({ ...a, address: a.address.normalize('NFC').toLowerCase() === a.address ? a.address : a.address }));
			const theirs = flatAddresses(mp[field]);
			expect(theirs.map((a) => a.address.toLowerCase())).toEqual(expected.map((a) => a.address.toLowerCase()));
			expect(theirs.map((a) => a.name)).toEqual(expected.map((a) => a.name));
			expect(ours[field]).toEqual(theirs);
		}

		const expectedText = (input.text ?? (input.html ? htmlToText(input.html) : '')).replace(/\r\n|\r/g, '\n');
		expect(normBody(mp.text)).toBe(normBody(expectedText));
		expect(normBody(ours.text)).toBe(normBody(expectedText));
		expect(normBody(mp.html)).toBe(normBody(input.html));
		expect(normBody(ours.html)).toBe(normBody(input.html));

		const atts = input.attachments ?? [];
		const byName = (list: Array<{ filename?: string }>) => [...list].sort((a, b) => String(a.filename).localeCompare(String(b.filename)));
		const theirsAtt = byName(mp.attachments) as any[];
		const oursAtt = byName(ours.attachments) as any[];
		const want = byName(atts) as typeof atts;
		expect(theirsAtt.map((a) => a.filename)).toEqual(want.map((a) => a.filename));
		expect(oursAtt.map((a) => a.filename)).toEqual(want.map((a) => a.filename));
		want.forEach((a, i) => {
			const content = a.content as Buffer;
			expect(sha(theirsAtt[i].content)).toBe(sha(content));
			expect(sha(oursAtt[i].content)).toBe(sha(content));
			if (a.mimeType) {
				expect(theirsAtt[i].contentType).toBe(a.mimeType);
				expect(oursAtt[i].mimeType).toBe(a.mimeType);
			}
			if (a.contentId) {
				expect(theirsAtt[i].contentId).toBe(`<${a.contentId}>`);
				expect(theirsAtt[i].related).toBe(true);
				expect(oursAtt[i].cid).toBe(a.contentId);
				expect(oursAtt[i].inline).toBe(true);
			}
		});

		if (input.inReplyTo) expect(mp.inReplyTo).toBe('<abc@example.com>');
		if (input.references) expect(mp.references).toEqual(['<root@example.com>', '<abc@example.com>']);
		if (input.headers && !Array.isArray(input.headers)) {
			for (const [k, v] of Object.entries(input.headers)) {
				// mailparser leaves custom fields undecoded; an ASCII value must come back verbatim
				if (/^[\x20-\x7e]*$/.test(String(v))) expect(mp.headers.get(k.toLowerCase())).toBe(v);
				expect(ours.headers.find((h) => h.name === k)?.value).toBe(v);
			}
		}
	});

	it('structure: text only, html only, related, mixed', () => {
		const ct = (input: BuildInput) => /^Content-Type: ([^;\r\n]+)/m.exec(buildRawMessage(input).toString('latin1'))![1];
		expect(ct({ text: 'x' })).toBe('text/plain');
		expect(ct({ html: '<p>x</p>' })).toBe('multipart/alternative');
		const png = { filename: 'a.png', content: PNG, contentId: 'a@b' };
		expect(ct({ html: '<img src="cid:a@b">', attachments: [png] })).toBe('multipart/related');
		expect(ct({ html: '<p>x</p>', attachments: [{ filename: 'a.txt', content: Buffer.from('a') }] })).toBe('multipart/mixed');
		// a contentId without HTML is an ordinary attachment
		expect(ct({ text: 'x', attachments: [png] })).toBe('multipart/mixed');
		const both = buildRawMessage({ html: '<img src="cid:a@b">', attachments: [png, { filename: 'b.txt', content: Buffer.from('b') }] }).toString('latin1');
		expect(both.indexOf('multipart/mixed')).toBeLessThan(both.indexOf('multipart/related'));
		expect(both.indexOf('multipart/related')).toBeLessThan(both.indexOf('multipart/alternative'));
	});

	it('boundaries and Message-IDs are random and unique; the Message-ID uses the From domain', () => {
		const a = buildRawMessage({ from: 'x@mail.example.org', html: '<p>a</p>', attachments: [{ filename: 'a', content: Buffer.from('a') }] }).toString();
		const b = buildRawMessage({ from: 'x@mail.example.org', html: '<p>a</p>', attachments: [{ filename: 'a', content: Buffer.from('a') }] }).toString();
		const boundaries = (s: string) => [...s.matchAll(/boundary="([^"]+)"/g)].map((m) => m[1]);
		expect(new Set([...boundaries(a), ...boundaries(b)]).size).toBe(4);
		expect(/^Message-ID: <[0-9a-f]{32}@mail\.example\.org>/m.test(a)).toBe(true);
		expect(/^Message-ID: (.*)$/m.exec(a)![1]).not.toBe(/^Message-ID: (.*)$/m.exec(b)![1]);
		expect(buildRawMessage({ from: 'x@bücher.de', text: 'x' }).toString()).toMatch(/^Message-ID: <[0-9a-f]{32}@xn--bcher-kva\.de>/m);
	});

	it('keeps the given Date and Message-ID', () => {
		const s = buildRawMessage({ text: 'x', date: new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), messageId: 'given@example.com' }).toString();
		expect(s).toMatch(/^Date: Tue, 02 Jan 2024 03:04:05 \+0000$/m);
		expect(s).toMatch(/^Message-ID: <given@example\.com>$/m);
	});

	it('text uses quoted-printable when mostly ASCII and base64 when mostly not', () => {
		expect(buildRawMessage({ text: 'Hello wörld' }).toString()).toMatch(/Content-Transfer-Encoding: quoted-printable/);
		expect(buildRawMessage({ text: '日本語のテキスト' }).toString()).toMatch(/Content-Transfer-Encoding: base64/);
	});
});
