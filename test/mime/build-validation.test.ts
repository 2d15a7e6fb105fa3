/**
 * Header injection and input validation: CR or LF in any header-bound value is refused with a MimeError that
 * names the field; invalid addresses name the field and the value; custom header names must be valid and may
 * not replace the builder's own fields.
 */
import { buildRawMessage, MimeError, parseRawMessage, type BuildInput } from '../../nodes/GmailWorkspace/mime';

const base: BuildInput = { from: 'a@example.com', to: 'b@example.com', subject: 's', text: 't' };

function refusal(input: BuildInput): MimeError {
	try {
		buildRawMessage(input);
	} catch (e) {
		expect(e).toBeInstanceOf(MimeError);
		return e as MimeError;
	}
	throw new Error('expected a MimeError, but the message was built');
}

const INJECT = ['x\r\nBcc: victim@evil.example', 'x\nX-Injected: 1', 'x\rX-Injected: 1', 'x\r\n\r\n<html>body</html>'];
const att = (over: Record<string, unknown>) => ({ filename: 'f.txt', content: Buffer.from('x'), ...over });

const FIELDS: Array<[string, (v: string) => BuildInput, string]> = [
	['subject', (v) => ({ ...base, subject: v }), 'subject'],
	['from (string)', (v) => ({ ...base, from: `Name ${v} <a@example.com>` }), 'from'],
	['from.name', (v) => ({ ...base, from: { name: v, address: 'a@example.com' } }), 'from.name'],
	['from.address', (v) => ({ ...base, from: { name: 'n', address: `a@example.com${v}` } }), 'from.address'],
	['to', (v) => ({ ...base, to: `b@example.com, ${v}` }), 'to'],
	['to[1]', (v) => ({ ...base, to: ['b@example.com', v] }), 'to[1]'],
	['to[0].name', (v) => ({ ...base, to: [{ name: v, address: 'b@example.com' }] }), 'to[0].name'],
	['cc', (v) => ({ ...base, cc: v }), 'cc'],
	['bcc', (v) => ({ ...base, bcc: `c@example.com${v}` }), 'bcc'],
	['replyTo', (v) => ({ ...base, replyTo: `r@example.com${v}` }), 'replyTo'],
	['inReplyTo', (v) => ({ ...base, inReplyTo: `<id@example.com>${v}` }), 'inReplyTo'],
	['references', (v) => ({ ...base, references: `<id@example.com>${v}` }), 'references'],
	['references[1]', (v) => ({ ...base, references: ['<a@example.com>', v] }), 'references[1]'],
	['messageId', (v) => ({ ...base, messageId: `id@example.com${v}` }), 'messageId'],
	['date (string)', (v) => ({ ...base, date: `Mon, 1 Jan 2024 00:00:00 +0000${v}` }), 'date'],
	['custom header value', (v) => ({ ...base, headers: { 'X-Tag': v } }), 'headers[X-Tag]'],
	['custom header value (array form)', (v) => ({ ...base, headers: [{ name: 'X-Tag', value: v }] }), 'headers[X-Tag]'],
	['custom header name', (v) => ({ ...base, headers: { [`X-Tag${v}`]: 'v' } }), 'headers[X-Tag'],
	['attachment filename', (v) => ({ ...base, attachments: [att({}), att({ filename: `f${v}.txt` })] }), 'attachments[1].filename'],
	['attachment mimeType', (v) => ({ ...base, attachments: [att({ mimeType: `text/plain${v}` })] }), 'attachments[0].mimeType'],
	['attachment contentId', (v) => ({ ...base, html: '<p/>', attachments: [att({ contentId: `c@x${v}` })] }), 'attachments[0].contentId'],
];

describe('header injection is impossible', () => {
	it.each(FIELDS.flatMap(([name, make, field]) => INJECT.map((v) => [name, JSON.stringify(v), make, field, v] as const)))(
		'%s with %s',
		(_name, _shown, make, field, v) => {
			const e = refusal(make(v));
			expect(e.field.startsWith(field)).toBe(true);
			expect(e.message).toMatch(/line break|Invalid header field name/i);
			expect(e.message).toContain(field.replace(/\[X-Tag$/, ''));
		},
	);

	it('no built message ever contains an injected header', () => {
		for (const [, make] of FIELDS) {
			for (const v of INJECT) {
				let raw: Buffer | undefined;
				try {
					raw = buildRawMessage(make(v));
				} catch (e) {
					expect(e).toBeInstanceOf(MimeError);
				}
				expect(raw).toBeUndefined();
			}
		}
	});
});

describe('addresses are validated', () => {
	const bad = ['plainaddress', 'missing-at.example.com', 'a@', '@example.com', 'a@b', 'a b@example.com', 'a@exa mple.com', 'a@-example.com', 'a@example-.com', 'a@example..com', '.a@example.com', 'a.@example.com', 'a..b@example.com', 'a@example.c_m', 'a@[300.1.1.1]', `${'l'.repeat(65)}@example.com`, `a@${'d'.repeat(64)}.com`, 'a@example.com>', 'Name <a@@example.com>'];
	it.each(bad)('%s is refused, naming the field and the value', (value) => {
		for (const field of ['from', 'to', 'cc', 'bcc', 'replyTo'] as const) {
			const e = refusal({ ...base, [field]: value });
			expect(e.field).toBe(field);
			expect(e.message).toContain(`"${field}"`);
			expect(e.message).toMatch(/Invalid email address/);
			expect(e.value).toBeDefined();
			expect(value).toContain(String(e.value).replace(/^Name <|>$/g, '').slice(0, 5));
		}
	});

	it('object and array forms name the element', () => {
		expect(refusal({ ...base, to: ['ok@example.com', 'bad'] }).field).toBe('to[1]');
		const e = refusal({ ...base, cc: [{ name: 'X', address: 'nope' }] });
		expect(e.field).toBe('cc[0].address');
		expect(e.value).toBe('nope');
	});

	it.each([
		'simple@example.com',
		'very.common+tag@example.co.uk',
		"o'brien_x-y=z!#$%&*/?^`{|}~@sub.example.museum",
		'user@bücher.de',
		'user@例え.jp',
		'user@xn--bcher-kva.de',
		'user@[192.168.0.1]',
		'Name With Spaces <name@example.com>',
		'"Quoted, Name" <q@example.com>',
	])('%s is accepted', (value) => {
		expect(() => buildRawMessage({ ...base, to: value })).not.toThrow();
	});

	it('comma lists, arrays and { name, address } mix', () => {
		const raw = buildRawMessage({ ...base, to: ['a@example.com, B <b@example.com>', { name: 'C', address: 'c@example.com' }] }).toString();
		expect(raw).toMatch(/^To: a@example\.com, B <b@example\.com>, C <c@example\.com>$/m);
	});
});

describe('custom headers', () => {
	it.each(['X Bad', 'X:Bad', '', 'Ünicode', 'X\tTab'])('refuses the field name %j', (name) => {
		const e = refusal({ ...base, headers: { [name]: 'v' } });
		expect(e.field).toBe(`headers[${name.trim() || name}]`);
	});

	it.each(['Content-Type', 'content-transfer-encoding', 'MIME-Version', 'Content-Disposition', 'Subject', 'From', 'Message-ID', 'Bcc'])(
		'refuses to override %s',
		(name) => {
			const e = refusal({ ...base, headers: { [name]: 'text/html' } });
			expect(e.field).toBe(`headers[${name}]`);
			expect(e.message).toContain(name);
		},
	);

	it('accepts ordinary custom headers, repeated ones and folds long values', () => {
		const raw = buildRawMessage({ ...base, headers: { 'X-Priority': '1', 'X-Multi': ['a', 'b'], 'List-Unsubscribe': '<mailto:u@example.com>, <https://example.com/u?id=' + 'x'.repeat(40) + '>' } }).toString();
		expect(raw).toMatch(/^X-Priority: 1$/m);
		expect(raw.match(/^X-Multi: /gm)).toHaveLength(2);
		expect(raw).toMatch(/^List-Unsubscribe: <mailto:u@example\.com>,\r\n <https:/m);
	});

	it('keeps long ASCII tokens as given (URLs, ids) and refuses a value that cannot be folded under 998 characters', () => {
		const url = '<https://example.com/unsubscribe?token=' + 't'.repeat(120) + '>';
		expect(buildRawMessage({ ...base, headers: { 'List-Unsubscribe': url } }).toString()).toContain(`List-Unsubscribe: ${url}\r\n`);
		expect(refusal({ ...base, headers: { 'X-Huge': 'x'.repeat(2000) } }).field).toBe('X-Huge');
	});

	it('encodes non-ASCII custom values', () => {
		const raw = buildRawMessage({ ...base, headers: { 'X-Note': 'Grüße' } });
		expect(raw.toString()).toMatch(/^X-Note: =\?UTF-8\?[BQ]\?[^?]+\?=$/m);
		expect(parseRawMessage(raw).headers.find((h) => h.name === 'X-Note')?.value).toBe('Grüße');
	});
});

describe('other input errors', () => {
	it('bad media type, content, dates and message ids', () => {
		expect(refusal({ ...base, attachments: [att({ mimeType: 'not a type' })] }).field).toBe('attachments[0].mimeType');
		expect(refusal({ ...base, attachments: [att({ content: 'string' })] }).field).toBe('attachments[0].content');
		expect(refusal({ ...base, date: 'not a date' }).field).toBe('date');
		expect(refusal({ ...base, messageId: 'has space@x' }).field).toBe('messageId');
		expect(refusal({ ...base, html: '<p/>', attachments: [att({ contentId: 'a b' })] }).field).toBe('attachments[0].contentId');
	});

	it('a streamed attachment needs the stream builder', async () => {
		async function* chunks() {
			yield Buffer.from('x');
		}
		expect(refusal({ ...base, attachments: [att({ content: chunks() })] }).field).toBe('attachments[0].content');
	});
});
