/**
 * Issue #18: every MIME path runs in time linear in its input, and the sliced (async) variants yield.
 *
 * Growth checks (cases in linear-cases.ts) time a path at n and at 10n and require the ratio to stay far below
 * quadratic: linear is ≈ 10, quadratic ≈ 100; the bound is 30. No absolute timings. The timing runs in a fresh
 * Node process (linear-measure.ts says why); this file starts it once and checks each case's ratio.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
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
import { BOUND, CASES, QUADRATIC_CONTROL, newsletter, plain, recipients } from './linear-cases';

interface Measured {
	group: string;
	name: string;
	ratio: number;
	attempts: number;
}

const measured = new Map<string, Measured>();
let measureError = '';
beforeAll(async () => {
	const out = await new Promise<string>((resolve) =>
		execFile(
			process.execPath,
			['--expose-gc', '--import', 'tsx', join(__dirname, 'linear-measure.ts')],
			{ cwd: join(__dirname, '..', '..'), maxBuffer: 16 * 1024 * 1024, timeout: 15 * 60_000 },
			(error, stdout, stderr) => {
				if (error) measureError = `${error.message}\n${stderr}`;
				resolve(stdout);
			},
		),
	);
	for (const line of out.split('\n').filter(Boolean)) {
		const m = JSON.parse(line) as Measured;
		measured.set(`${m.group}|${m.name}`, m);
	}
}, 16 * 60_000);

function result(group: string, name: string): Measured {
	const m = measured.get(`${group}|${name}`);
	if (!m) throw new Error(`"${name}" was not measured: ${measureError || 'the measuring process printed no line for it'}`);
	return m;
}

it(QUADRATIC_CONTROL.name, () => {
	const m = result(QUADRATIC_CONTROL.group, QUADRATIC_CONTROL.name);
	expect(m.ratio).toBeGreaterThan(BOUND * 2);
});

const groups = [...new Set(CASES.map((c) => c.group))];
for (const group of groups) {
	describe(group, () => {
		it.each(CASES.filter((c) => c.group === group).map((c) => [c.name]))('%s', (name) => {
			const m = result(group, name);
			// the ratio and the attempts it took appear in the failure message
			expect({ ratio: m.ratio, attempts: m.attempts, belowBound: m.ratio < BOUND }).toMatchObject({ belowBound: true });
		});
	});
}

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
