/** Unit tests for the stand-in's structural MIME splitter and the Gmail payload it produces. */
import { messageResource } from './gmail/format';
import {
	decodeEncodedWords,
	decodeQuotedPrintable,
	decodeUuencode,
	editHeaders,
	parseMessage,
	parseParams,
	splitMultipart,
} from './gmail/mime';
import type { StoredMessage } from './gmail/store';

const crlf = (s: string) => Buffer.from(s.replace(/\r?\n/g, '\r\n'), 'utf8');

const nested = crlf(`From: a@example.com
To: b@example.com
Subject: =?UTF-8?B?w4RwZmVs?= und =?ISO-8859-1?Q?Birnen_=E4?=
Content-Type: multipart/mixed; boundary="outer"

preamble
--outer
Content-Type: multipart/alternative; boundary=inner

--inner
Content-Type: text/plain; charset=utf-8
Content-Transfer-Encoding: quoted-printable

Gr=C3=BC=C3=9Fe, it's =
soft-broken
--inner
Content-Type: text/html; charset=utf-8

<p>Gr&uuml;&szlig;e</p>
--inner--
--outer
Content-Type: message/rfc822
Content-Disposition: attachment; filename="fwd.eml"

From: c@example.com
Subject: inner

inner body
--outer
Content-Type: application/octet-stream; name*=UTF-8''na%C3%AFve%20file.bin
Content-Transfer-Encoding: base64

AAEC
/w==
--outer--
epilogue
`);

describe('parseMessage', () => {
	const root = parseMessage(nested);

	it('decodes header words and keeps header order', () => {
		expect(root.headers.map((h) => h.name)).toEqual(['From', 'To', 'Subject', 'Content-Type']);
		expect(root.headers[2].value).toBe('Äpfel und Birnen ä');
	});

	it('splits nested multiparts, message/rfc822 and decodes transfer encodings', () => {
		expect(root.mimeType).toBe('multipart/mixed');
		expect(root.parts.map((p) => p.mimeType)).toEqual(['multipart/alternative', 'message/rfc822', 'application/octet-stream']);
		const [alt, msg, bin] = root.parts;
		expect(alt.parts.map((p) => p.mimeType)).toEqual(['text/plain', 'text/html']);
		expect(alt.parts[0].body.toString('utf8')).toBe("Grüße, it's soft-broken");
		expect(msg.filename).toBe('fwd.eml');
		expect(msg.parts[0].headers.find((h) => h.name === 'Subject')!.value).toBe('inner');
		expect(msg.parts[0].body.toString()).toBe('inner body');
		expect(bin.filename).toBe('naïve file.bin');
		expect([...bin.body]).toEqual([0, 1, 2, 255]);
	});

	it('becomes Gmail payload with partIds, attachment ids and the snippet', () => {
		const m: StoredMessage = { id: '18f3a00000000001', threadId: '18f3a00000000001', raw: nested, labelIds: [], internalDate: 0, historyId: 1 };
		const r = messageResource(m, 'full') as any;
		expect(r.labelIds).toBeUndefined();
		expect(r.snippet).toBe('Grüße, it&#39;s soft-broken');
		const ids = (p: any): string[] => [p.partId, ...(p.parts ?? []).flatMap(ids)];
		expect(ids(r.payload)).toEqual(['', '0', '0.0', '0.1', '1', '1.0', '2']);
		expect(r.payload.parts[0].parts[0].body).toEqual({ size: Buffer.byteLength("Grüße, it's soft-broken"), data: Buffer.from("Grüße, it's soft-broken").toString('base64').replace(/\+/g, '-').replace(/\//g, '_') });
		expect(r.payload.parts[1].body).toMatchObject({ size: 49, attachmentId: expect.stringMatching(/^ANGjdJ/) });
		expect(r.payload.parts[2].body).toMatchObject({ size: 4, attachmentId: expect.any(String) });
		expect(r.payload.parts[2].filename).toBe('naïve file.bin');
	});

	it('copes with LF-only input, a missing closing boundary and no header/body separator', () => {
		const lf = Buffer.from('Content-Type: multipart/mixed; boundary=b\n\n--b\n\none\n--b\nContent-Type: text/html\n\n<b>two</b>\n');
		const e = parseMessage(lf);
		expect(e.parts.map((p) => [p.mimeType, p.body.toString()])).toEqual([
			['text/plain', 'one'],
			['text/html', '<b>two</b>\n'],
		]);
		const noSep = parseMessage(crlf('Subject: s\nnot a header line\nbody'));
		expect(noSep.headers).toEqual([{ name: 'Subject', value: 's' }]);
		expect(noSep.body.toString()).toBe('not a header line\r\nbody');
	});
});

describe('building blocks', () => {
	it('splitMultipart ignores lines that only start with the boundary', () => {
		const s = splitMultipart('--ab\r\n\r\nx\r\n--abc\r\ny\r\n--ab--\r\n', 'ab');
		expect(s.parts).toEqual(['\r\nx\r\n--abc\r\ny']);
		expect(s.closed).toBe(true);
	});

	it('parseParams handles quotes, RFC 2231 continuations and charsets', () => {
		expect(parseParams('attachment; filename="a;b.txt"')).toEqual({ value: 'attachment', params: { filename: 'a;b.txt' } });
		expect(parseParams("attachment; filename*0*=UTF-8''%E6%97%A5; filename*1*=%E6%9C%AC.txt").params.filename).toBe('日本.txt');
		expect(parseParams('text/plain; charset=us-ascii (Plain text)').params.charset).toBe('us-ascii (Plain text)');
	});

	it('decoders: quoted-printable, encoded words, uuencode', () => {
		expect(decodeQuotedPrintable('a=3Db=\r\nc=ZZ').toString('latin1')).toBe('a=bc=ZZ');
		expect(decodeEncodedWords('=?utf-8?q?a_b?= =?utf-8?q?c?=')).toBe('a bc');
		expect(decodeEncodedWords('=?x-unknown?q?a?=')).toBe('=?x-unknown?q?a?=');
		expect(decodeUuencode('begin 644 x\n#86)C\n`\nend\n')!.toString()).toBe('abc');
	});

	it('editHeaders sets, removes and prepends fields without touching the body', () => {
		const raw = crlf('From: x@example.com\nBcc: secret@example.com\nSubject: s\n\nbody\n');
		const out = editHeaders(raw, { remove: ['bcc'], set: [['From', 'alice@example.com'], ['Message-ID', '<id@x>']], prepend: [['Delivered-To', 'bob@example.com']] });
		expect(out.toString()).toBe('Delivered-To: bob@example.com\r\nFrom: alice@example.com\r\nSubject: s\r\nMessage-ID: <id@x>\r\n\r\nbody\r\n');
	});
});
