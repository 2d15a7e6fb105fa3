/**
 * Robustness: parseRawMessage never throws and never hangs. Random truncations and byte flips of every corpus
 * message, plus hand-made hostile inputs (deep nesting, 10,000 parts, unterminated boundaries, a 1 MB header
 * line, floods of encoded words / parameters / addresses / HTML tags). Each case has a time budget.
 */
import { parseRawMessage } from '../../nodes/GmailWorkspace/mime';
import { MAX_PARTS } from '../../nodes/GmailWorkspace/mime/parse';
import { htmlToText } from '../../nodes/GmailWorkspace/mime/html-to-text';
import { corpusFiles, readCorpus } from './helpers';

/** Deterministic PRNG (mulberry32) so failures reproduce. */
function rng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

function timed<T>(fn: () => T): { value: T; ms: number } {
	const t0 = performance.now();
	const value = fn();
	return { value, ms: performance.now() - t0 };
}

function parsesQuickly(raw: Buffer | string, budgetMs = 2000) {
	const { value, ms } = timed(() => parseRawMessage(typeof raw === 'string' ? Buffer.from(raw, 'latin1') : raw));
	expect(ms).toBeLessThan(budgetMs);
	// the result is always well-formed
	expect(Array.isArray(value.attachments)).toBe(true);
	expect(typeof value.subject).toBe('string');
	return value;
}

const files = corpusFiles();

describe('random damage to corpus messages', () => {
	it.each(files)('%s: 40 truncations and 40 byte-flip variants parse without throwing', (file) => {
		const raw = readCorpus(file);
		const rand = rng(raw.length);
		const t0 = performance.now();
		for (let i = 0; i < 40; i++) parsesQuickly(raw.subarray(0, Math.floor(rand() * raw.length)));
		for (let i = 0; i < 40; i++) {
			const copy = Buffer.from(raw);
			const flips = 1 + Math.floor(rand() * 64);
			for (let k = 0; k < flips; k++) {
				const at = Math.floor(rand() * copy.length);
				// mostly random bytes, sometimes the structural ones
				const pick = rand();
				copy[at] = pick < 0.6 ? Math.floor(rand() * 256) : [0x0a, 0x0d, 0x2d, 0x3d, 0x3f, 0x22, 0x3b, 0x3c][Math.floor(rand() * 8)];
			}
			parsesQuickly(copy);
		}
		expect(performance.now() - t0).toBeLessThan(15000);
	});
});

describe('hostile structures', () => {
	it('deeply nested multiparts (10,000 levels) stop at the depth limit without a stack overflow', () => {
		let head = 'Subject: deep\r\nMIME-Version: 1.0\r\n';
		const levels = 10000;
		const parts: string[] = [];
		for (let i = 0; i < levels; i++) parts.push(`Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`);
		const raw = head + parts.join('') + 'Content-Type: text/plain\r\n\r\ndeep text\r\n';
		const m = parsesQuickly(raw);
		expect(m.subject).toBe('deep');
		head = '';
	});

	it('deeply nested message/rfc822 (inline) stops at the depth limit', () => {
		const raw = 'Subject: outer\r\n' + 'Content-Type: message/rfc822\r\nContent-Disposition: inline\r\n\r\n'.repeat(5000) + 'Subject: inner\r\n\r\nhi\r\n';
		expect(parsesQuickly(raw).subject).toBe('outer');
	});

	it('a 10,000-part message is parsed quickly with the part count bounded', () => {
		const parts = Array.from({ length: 10000 }, (_, i) => `--x\r\nContent-Type: application/octet-stream; name="f${i}.bin"\r\n\r\nAAAA${i}\r\n`);
		const raw = 'Subject: many\r\nContent-Type: multipart/mixed; boundary=x\r\n\r\n' + parts.join('') + '--x--\r\n';
		const m = parsesQuickly(raw, 3000);
		expect(m.attachments.length).toBeGreaterThan(1000);
		expect(m.attachments.length).toBeLessThanOrEqual(MAX_PARTS);
		expect(m.attachments[0].filename).toBe('f0.bin');
	});

	it('an unterminated boundary keeps the parts it has, the last one running to the end', () => {
		const raw =
			'Subject: open\r\nContent-Type: multipart/mixed; boundary="open"\r\n\r\n--open\r\nContent-Type: text/plain\r\n\r\nfirst\r\n--open\r\nContent-Type: text/plain\r\nContent-Disposition: attachment; filename=a.txt\r\n\r\nsecond part never closed\r\n';
		const m = parsesQuickly(raw);
		expect(m.text).toBe('first');
		expect(m.attachments.map((a) => a.content.toString())).toEqual(['second part never closed']);
	});

	it('a nested multipart that is never closed ends at the outer delimiter', () => {
		const raw =
			'Content-Type: multipart/mixed; boundary=outer\r\n\r\n--outer\r\nContent-Type: multipart/alternative; boundary=inner\r\n\r\n--inner\r\nContent-Type: text/plain\r\n\r\nplain\r\n--outer\r\nContent-Type: image/png; name=x.png\r\nContent-Transfer-Encoding: base64\r\n\r\niVBORw0KGgo=\r\n--outer--\r\n';
		const m = parsesQuickly(raw);
		expect(m.text).toBe('plain');
		expect(m.attachments.map((a) => a.filename)).toEqual(['x.png']);
	});

	it('a 1 MB header line, a 1 MB folded header, and a header without a colon', () => {
		const long = 'X'.repeat(1024 * 1024);
		const m = parsesQuickly(`Subject: ${long}\r\nX-Folded: a\r\n${' b\r\n'.repeat(200000)}Junk line without colon\r\nFrom: a@b.example\r\n\r\nbody`);
		expect(m.subject.length).toBe(1024 * 1024);
		expect(m.from).toEqual([{ name: '', address: 'a@b.example' }]);
		expect(m.text).toBe('body');
	});

	it('floods: encoded words, parameters, addresses, quotes, groups, HTML, QP and base64 junk', () => {
		const words = '=?utf-8?B?w6k=?= '.repeat(50000);
		parsesQuickly(`Subject: ${words}\r\n\r\n`);
		parsesQuickly(`Subject: ${'=?'.repeat(200000)}\r\n\r\n`);
		parsesQuickly(`Subject: ${'=?utf-8?Q?'.repeat(100000)}\r\n\r\n`);
		parsesQuickly(`Content-Type: text/plain${'; a=b'.repeat(100000)}\r\n\r\nx`);
		parsesQuickly(`Content-Type: text/plain; name*0*=${"utf-8''%".repeat(50000)}\r\n\r\nx`);
		parsesQuickly(`To: ${'a@b.c, '.repeat(100000)}\r\n\r\n`);
		parsesQuickly(`To: ${'"'.repeat(200001)}\r\n\r\n`);
		parsesQuickly(`To: ${'g:'.repeat(100000)}\r\n\r\n`);
		parsesQuickly(`To: ${'<'.repeat(100000)}${'('.repeat(100000)}\r\n\r\n`);
		parsesQuickly(`Content-Type: text/html\r\n\r\n${'<'.repeat(500000)}${'<!--'.repeat(100000)}${'<a href="'.repeat(50000)}`);
		parsesQuickly(`Content-Type: text/html\r\n\r\n${'<script>'.repeat(100000)}${'&#x'.repeat(100000)}`);
		parsesQuickly(`Content-Type: text/plain\r\nContent-Transfer-Encoding: quoted-printable\r\n\r\n${'=\r\n= =Z'.repeat(200000)}`);
		parsesQuickly(`Content-Type: image/png\r\nContent-Transfer-Encoding: base64\r\n\r\n${'QQ==!@#\r\n'.repeat(200000)}`);
		parsesQuickly(`Content-Type: text/plain\r\n\r\n${' '.repeat(1000000)}x\r\n${'\t'.repeat(100000)}`);
		parsesQuickly(`Content-Type: text/plain; format=flowed\r\n\r\n${'a \r\n'.repeat(200000)}`);
		parsesQuickly(`Date: ${'(('.repeat(100000)}\r\n\r\n`);
		parsesQuickly(`Content-Type: multipart/mixed; boundary=""\r\n\r\n--\r\n--\r\n----\r\n`);
		parsesQuickly(`Content-Type: multipart/mixed; boundary=-\r\n\r\n${'---\r\n'.repeat(200000)}`);
	});

	it('HTML-to-text stays linear on hostile markup', () => {
		const { ms } = timed(() => htmlToText('<a href="x">'.repeat(100000) + '<td>'.repeat(100000) + '<p  '.repeat(100000)));
		expect(ms).toBeLessThan(3000);
	});

	it('degenerate inputs', () => {
		for (const raw of ['', '\r\n', '\n\n\n', ':', 'a', '\r\n\r\nbody only', 'Subject:', 'From: ', '--', '\u0000'.repeat(1000)]) {
			parsesQuickly(raw);
		}
		expect(parseRawMessage(Buffer.alloc(0)).text).toBeUndefined();
	});
});
