/** Unit cases for the decoders and encoders underneath the parser and builder. */
import { decodeBytes, resolveCharset } from '../../nodes/GmailWorkspace/mime/charset';
import { decodeWords, encodeWords } from '../../nodes/GmailWorkspace/mime/encoded-words';
import { parseStructured } from '../../nodes/GmailWorkspace/mime/headers';
import { htmlToText } from '../../nodes/GmailWorkspace/mime/html-to-text';
import { domainToAscii, punycodeToUnicode } from '../../nodes/GmailWorkspace/mime/punycode';
import { decodeBase64, decodeQuotedPrintable, encodeQuotedPrintable } from '../../nodes/GmailWorkspace/mime/transfer';
import { parseRawMessage } from '../../nodes/GmailWorkspace/mime';

describe('charsets', () => {
	it.each([
		['latin1', 'windows-1252'],
		['ISO-8859-1', 'windows-1252'],
		['iso8859_15', 'iso-8859-15'],
		['cp1252', 'windows-1252'],
		['win-1251', 'windows-1251'],
		['gb2312', 'gbk'],
		['GBK', 'gbk'],
		['cp936', 'gbk'],
		['shift_jis', 'shift_jis'],
		['x-sjis', 'shift_jis'],
		['cp932', 'shift_jis'],
		['iso-2022-jp', 'iso-2022-jp'],
		['koi8-r', 'koi8-r'],
		['koi8r', 'koi8-r'],
		['ks_c_5601-1987', 'euc-kr'],
		['cp949', 'euc-kr'],
		['big5', 'big5'],
		['"utf-8"', 'utf-8'],
		['utf8', 'utf-8'],
		['UTF-7', 'utf-7'],
		['utf-8*en', 'utf-8'],
	])('%s → %s', (label, name) => expect(resolveCharset(label)).toBe(name));

	it('decodes and falls back', () => {
		expect(decodeBytes(Buffer.from([0x63, 0x61, 0x66, 0xe9]), 'iso-8859-1')).toBe('café');
		expect(decodeBytes(Buffer.from([0xc2, 0xce, 0xcf]), 'koi8-r')).toBe('бно');
		expect(decodeBytes(Buffer.from([0x82, 0xa0]), 'shift_jis')).toBe('あ');
		expect(decodeBytes(Buffer.from('\x1b$B$\"\x1b(B', 'latin1'), 'iso-2022-jp')).toBe('あ');
		expect(decodeBytes(Buffer.from('Hi +AGEAYg- there +-', 'latin1'), 'utf-7')).toBe('Hi ab there +');
		// unknown charset: UTF-8 when valid, else windows-1252
		expect(decodeBytes(Buffer.from('naïve', 'utf8'), 'x-unknown')).toBe('naïve');
		expect(decodeBytes(Buffer.from([0x6e, 0x61, 0xef, 0x76, 0x65]), 'x-unknown')).toBe('naïve');
	});
});

describe('RFC 2047 encoded words', () => {
	it.each([
		['=?UTF-8?B?w6k=?=', 'é'],
		['=?utf-8?q?caf=C3=A9_au_lait?=', 'café au lait'],
		['=?ISO-8859-1?Q?a?= =?ISO-8859-1?Q?b?=', 'ab'],
		['=?ISO-8859-1?Q?a?=\r\n =?UTF-8?Q?b?=', 'ab'],
		['x =?UTF-8?Q?a?= y', 'x a y'],
		// a UTF-8 sequence split across two words is joined before decoding
		['=?UTF-8?B?4pw=?= =?UTF-8?B?kw==?=', '✓'],
		['=?UTF-8?Q?=E2=9C?= =?UTF-8?Q?=93?=', '✓'],
		// mixed charsets
		['=?iso-8859-1?q?=E9?= =?koi8-r?b?wcI=?=', 'éаб'],
		// RFC 2231 language suffix
		['=?UTF-8*en?Q?hi?=', 'hi'],
		// malformed ones are left as they are
		['=?UTF-8?X?abc?=', '=?UTF-8?X?abc?='],
		['=??Q?abc?=', '=??Q?abc?='],
		['=?UTF-8?Q?unterminated', '=?UTF-8?Q?unterminated'],
		// bad padding tolerated; unknown charset falls back
		['=?NONE?B?VEVTVA=?=', 'TEST'],
		['=?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?= =?ISO-2022-JP?B?GyRCJUYlOSVIGyhC?=', 'テストテスト'],
	])('%j → %j', (input, out) => expect(decodeWords(input)).toBe(out));

	it('encodes in words of at most 75 characters that decode back, never splitting a code point', () => {
		for (const text of ['😀'.repeat(100), 'é'.repeat(200), 'mostly ascii with one é '.repeat(20), 'العربية '.repeat(30), '日本語'.repeat(60)]) {
			const words = encodeWords(text, 40, 75);
			expect(words[0].length).toBeLessThanOrEqual(52);
			for (const w of words) {
				expect(w.length).toBeLessThanOrEqual(75);
				// each word is valid UTF-8 on its own
				expect(decodeWords(w)).not.toContain('\ufffd');
			}
			expect(decodeWords(words.join(' '))).toBe(text);
		}
	});
});

describe('structured values and RFC 2231', () => {
	it('continuations, charsets, quotes, escapes and encoded words in parameters', () => {
		// a UTF-8 sequence split across continuations is joined before decoding
		expect(parseStructured("attachment; filename*0*=UTF-8''%E3%81%8B%E3%81; filename*1*=%8D.txt").params.filename).toBe('かき.txt');
		expect(parseStructured("attachment; filename*=iso-8859-1'fr'caf%E9.txt").params.filename).toBe('café.txt');
		expect(parseStructured('attachment; filename*0="long "; filename*1="name.txt"').params.filename).toBe('long name.txt');
		expect(parseStructured('inline; filename="a \\"quoted\\" name.txt"').params.filename).toBe('a "quoted" name.txt');
		expect(parseStructured('text/plain; name="=?UTF-8?B?w6kudHh0?="').params.name).toBe('é.txt');
		expect(parseStructured('multipart/mixed; boundary="  keep spaces  "').params.boundary).toBe('  keep spaces  ');
		expect(parseStructured('text/plain; CHARSET=utf-8; flag').params).toEqual({ charset: 'utf-8', flag: '' });
	});
});

describe('transfer encodings', () => {
	it('quoted-printable: soft breaks, bad sequences, raw 8-bit, trailing blanks', () => {
		const qp = (s: string) => decodeQuotedPrintable(Buffer.from(s, 'latin1')).toString('latin1');
		expect(qp('a=\r\nb=3D=41 \r\nc=\nd')).toBe('ab=A\r\ncd');
		expect(qp('bad =ZZ and =4 end=')).toBe('bad =ZZ and =4 end');
		expect(qp('raw \xe9 byte')).toBe('raw \xe9 byte');
		expect(qp('x  \t\r\ny= \r\nz')).toBe('x\r\nyz');
	});

	it('quoted-printable encoding round-trips and keeps lines ≤ 76', () => {
		const src = Buffer.from('=' + 'x'.repeat(200) + ' \r\n.dot\r\nFrom here\r\ntab\t\r\n' + 'é'.repeat(60) + '\r\n', 'utf8');
		const enc = encodeQuotedPrintable(src);
		for (const line of enc.split('\r\n')) expect(line.length).toBeLessThanOrEqual(76);
		expect(enc).toMatch(/^=2Edot$/m);
		expect(enc).toMatch(/^=46rom here$/m);
		expect(decodeQuotedPrintable(Buffer.from(enc, 'latin1')).equals(src)).toBe(true);
	});

	it('base64 tolerates whitespace, junk, bad and inner padding', () => {
		expect(decodeBase64(Buffer.from('aGVs\r\nbG8\r\n')).toString()).toBe('hello');
		expect(decodeBase64(Buffer.from('aGVsbG8=!!!')).toString()).toBe('hello');
		expect(decodeBase64(Buffer.from('aGk=aGk=')).toString()).toBe('hihi');
		expect(decodeBase64(Buffer.from('aGVsbG8===')).toString()).toBe('hello');
	});
});

describe('punycode', () => {
	it('round-trips IDN labels', () => {
		expect(domainToAscii('bücher.de')).toBe('xn--bcher-kva.de');
		expect(domainToAscii('例え.jp')).toBe('xn--r8jz45g.jp');
		expect(punycodeToUnicode('xn--bcher-kva.de')).toBe('bücher.de');
		expect(punycodeToUnicode('xn--r8jz45g.jp')).toBe('例え.jp');
		expect(punycodeToUnicode('xn--!!.de')).toBe('xn--!!.de');
	});
});

describe('html to text', () => {
	it('keeps line breaks for br, p and li, writes links as text (url), decodes entities', () => {
		const html =
			'<html><head><title>T</title><style>p{}</style></head><body><p>Hello&nbsp;<b>world</b> &amp; &lt;friends&gt; &#x1F600; &eacute;</p>line<br>break<ul><li>one</li><li>two</li></ul><p><a href="https://e.com/a?b=1&amp;c=2">the site</a> <a href="https://e.com">https://e.com</a> <a href="mailto:a@b.c">a@b.c</a></p><script>alert(1)</script><!-- hidden --></body></html>';
		expect(htmlToText(html)).toBe('Hello world & <friends> 😀 é\n\nline\nbreak\n- one\n- two\n\nthe site (https://e.com/a?b=1&c=2) https://e.com a@b.c');
	});
});

describe('parser details', () => {
	it('format=flowed is decoded by default and optionally kept', () => {
		const raw = Buffer.from('Content-Type: text/plain; format=flowed; delsp=yes\r\n\r\nsoft \r\nwrapped\r\n-- \r\nsig\r\n');
		expect(parseRawMessage(raw).text).toBe('softwrapped\n-- \nsig');
		expect(parseRawMessage(raw, { decodeFlowed: false }).text).toBe('soft \nwrapped\n-- \nsig\n');
	});

	it('8-bit header bytes: UTF-8 when valid, else the message charset', () => {
		const raw = Buffer.concat([Buffer.from('Subject: '), Buffer.from([0xef, 0xf0, 0xe8]), Buffer.from('\r\nContent-Type: text/plain; charset=windows-1251\r\n\r\nx')]);
		expect(parseRawMessage(raw).subject).toBe('при');
	});

	it('addresses: groups flattened, comments, IDN shown in Unicode, several From', () => {
		const m = parseRawMessage(Buffer.from('From: a@x.example, "B" <b@x.example>\r\nTo: Team: c@x.example, D <d@xn--bcher-kva.de>;, e@x.example (Eve)\r\n\r\n'));
		expect(m.from).toEqual([{ name: '', address: 'a@x.example' }, { name: 'B', address: 'b@x.example' }]);
		expect(m.to).toEqual([{ name: '', address: 'c@x.example' }, { name: 'D', address: 'd@bücher.de' }, { name: 'Eve', address: 'e@x.example' }]);
	});

	it('message/rfc822 is an attachment unless explicitly inline', () => {
		const inner = 'From: i@x.example\r\nSubject: inner\r\n\r\ninner text\r\n';
		const wrap = (disp: string) =>
			Buffer.from(`Content-Type: multipart/mixed; boundary=b\r\n\r\n--b\r\nContent-Type: text/plain\r\n\r\nouter\r\n--b\r\nContent-Type: message/rfc822\r\n${disp}\r\n${inner}--b--\r\n`);
		const att = parseRawMessage(wrap(''));
		expect(att.text).toBe('outer');
		// the CRLF before the delimiter belongs to the delimiter
		expect(att.attachments.map((a) => [a.mimeType, a.content.toString()])).toEqual([['message/rfc822', inner.slice(0, -2)]]);
		const inl = parseRawMessage(wrap('Content-Disposition: inline\r\n'));
		expect(inl.attachments).toEqual([]);
		// same as mailparser: the enclosed message's bodies follow a small header block
		expect(inl.text).toBe('outer\n\nFrom: i@x.example\nSubject: inner\n\ninner text');
	});
});
