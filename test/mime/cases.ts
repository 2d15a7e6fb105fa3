/** Tricky build inputs shared by the build round-trip test and the nodemailer parse differential. */
import type { BuildInput } from '../../nodes/GmailWorkspace/mime';

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

export const PNG = Buffer.from(
	'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg==',
	'base64',
);

const longLatin = 'The quick brown fox jumps over the lazy dog, again and again; '.repeat(6).trim();
const longMixed = 'Größenänderung für Ångström und Café — naïve façade résumé '.repeat(6).trim();

export interface Case {
	name: string;
	input: BuildInput;
	/** Expected recipients as { name, address } (defaults derived from input objects). */
}

const addr = (name: string, address: string) => ({ name, address });

export const CASES: Case[] = [
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

