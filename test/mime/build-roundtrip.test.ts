/**
 * Build round-trip differential: mailparser (and our own parser) read back what buildRawMessage builds, over
 * a generated set of tricky inputs, with the same subject, addresses, text, html, attachment names, types and
 * bytes. Every message is also checked for wire-format rules: CRLF line endings only, no line over 998,
 * header lines folded to ≤ 78, encoded words ≤ 75, body lines ≤ 76.
 */
import { createHash } from 'node:crypto';
import { buildRawMessage, htmlToText, parseRawMessage, type BuildInput } from '../../nodes/GmailWorkspace/mime';
import { CASES, PNG } from './cases';
import { flatAddresses, normBody } from './helpers';
import { simpleParser } from './libs';

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');

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
