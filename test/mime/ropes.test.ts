/**
 * Issue #18: long texts stay in pieces (V8 cons strings, see rope() in mime/slices.ts) so that no step of ours
 * copies a 25 MB body into one flat string in one go. These tests check that the pieces give exactly the text
 * the flat code gave: CRLF and surrogate pairs cut at piece boundaries, trimming across pieces, the head used
 * to derive plain text from a very large HTML part, and the note saying so.
 */
import { utf8WithCrlf } from '../../nodes/GmailWorkspace/mime/build';
import { htmlToText, parseRawMessage } from '../../nodes/GmailWorkspace/mime';
import { htmlToTextPiecesSteps } from '../../nodes/GmailWorkspace/mime/html-to-text';
import { DERIVE_MAX } from '../../nodes/GmailWorkspace/mime/parse';
import { headOf, rope, runSync, trimPieces, StringJoiner } from '../../nodes/GmailWorkspace/mime/slices';

const crlf = (s: string) => Buffer.from(s.replace(/\r\n|\r|\n/g, '\r\n'), 'utf8');

describe('text in pieces', () => {
	it('rope joins with a separator, like Array#join', () => {
		expect(rope([])).toBe('');
		expect(rope(['a'])).toBe('a');
		expect(rope(['a', 'b', 'c'], '\n')).toBe('a\nb\nc');
	});

	it('trimPieces removes what String#trim removes, across pieces', () => {
		for (const pieces of [[' \n', '  a b ', ' \t'], ['', '\u00a0x', ''], [' ', '  '], ['a'], ['\n', 'b\n\n', 'c', ' \r\n']]) {
			expect(trimPieces([...pieces]).join('')).toBe(pieces.join('').trim());
		}
	});

	it('headOf cuts before the last "<" of the cut piece and never inside a surrogate pair', () => {
		expect(headOf(['abc', 'def'], 10, '<')).toEqual({ head: 'abcdef', whole: true });
		expect(headOf(['ab<c', 'd<ef'], 5, '<')).toEqual({ head: 'ab<cd', whole: false });
		expect(headOf(['abc', 'd<efgh'], 6, '<')).toEqual({ head: 'abcd', whole: false });
		expect(headOf(['ab', 'c\uD83D\uDE00d'], 4, '<')).toEqual({ head: 'abc', whole: false });
	});

	it('StringJoiner keeps blocks near a megabyte of characters, so no join copies much more', () => {
		const j = new StringJoiner();
		for (let i = 0; i < 40; i++) j.push('x'.repeat(100_000));
		const blocks = j.pieces();
		expect(blocks.length).toBeGreaterThan(3);
		expect(Math.max(...blocks.map((b) => b.length))).toBeLessThanOrEqual((1 << 20) + 100_000);
		expect(j.toString()).toBe('x'.repeat(4_000_000));
	});

	it('utf8WithCrlf over pieces gives the bytes of the joined text (CR|LF and surrogate pairs split between pieces)', () => {
		const cases: string[][] = [
			['a\r', '\nb\uD83D', '\uDE00c\r'],
			['\r', '\r', '\n', '\n'],
			['x\uD83D', 'y'],
			['', 'plain', ''],
			['end\r'],
		];
		for (const pieces of cases) expect(runSync(utf8WithCrlf(pieces)).equals(crlf(pieces.join('')))).toBe(true);
		// a piece longer than a slice, with a CR right at the slice boundary
		const big = 'line\r\n'.repeat(200_000) + 'é\r';
		const pieces = [big.slice(0, 524_288), big.slice(524_288, 700_001), big.slice(700_001)];
		expect(runSync(utf8WithCrlf(pieces)).equals(crlf(big))).toBe(true);
	});

	it('htmlToText in pieces is htmlToText', () => {
		const html = '<p>  Hello <b>world</b> &amp; more </p>'.repeat(50_000) + '<pre>  keep  </pre>';
		expect(runSync(htmlToTextPiecesSteps(html)).join('')).toBe(htmlToText(html));
	});

	it('a CRLF that straddles two decoded pieces of a text part becomes one line feed', () => {
		const block = 1 << 20; // the decoder's slice (charset.ts BLOCK)
		const body = 'a'.repeat(block - 1) + '\r\n' + 'b'.repeat(100) + '\r\nend';
		const raw = Buffer.from(`Subject: s\r\nContent-Type: text/plain; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${body}`, 'latin1');
		const parsed = parseRawMessage(raw);
		expect(parsed.text).toBe(body.replace(/\r\n/g, '\n'));
	});

	it('plain text derived from an HTML part larger than DERIVE_MAX: its head, and a note; the HTML is whole', () => {
		const unit = '<p>Paragraph with <a href="https://example.com/x">a link</a> &amp; text.</p>\r\n';
		const html = unit.repeat(Math.ceil((DERIVE_MAX * 1.2) / unit.length));
		const raw = Buffer.from(`Subject: big\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}`, 'latin1');
		const parsed = parseRawMessage(raw);
		const expectedHtml = html.replace(/\r\n/g, '\n');
		expect(parsed.html).toBe(expectedHtml);
		const head = headOf([expectedHtml], DERIVE_MAX, '<').head;
		expect(head.length).toBeLessThanOrEqual(DERIVE_MAX);
		expect(head.length).toBeGreaterThan(DERIVE_MAX - unit.length);
		const note = `[converted from the first ${head.length.toLocaleString('en-US')} of ${expectedHtml.length.toLocaleString('en-US')} characters of the HTML part, which is given whole]`;
		expect(parsed.text).toBe(htmlToText(head) + '\n\n' + note);
	});
});
