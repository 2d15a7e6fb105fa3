/**
 * Streaming: buildRawMessageStream with attachments given as async iterables of chunks yields exactly the
 * bytes buildRawMessage yields for the same input, estimateEncodedSize predicts the length exactly, and a
 * 30 MiB attachment streamed in 64 KiB chunks is encoded without ever being held: the heap grows far less
 * than 30 MiB while the output is consumed chunk by chunk, and the output decodes back to the same SHA-256.
 */
import { createHash } from 'node:crypto';
import {
	buildRawMessage,
	buildRawMessageStream,
	estimateEncodedSize,
	GMAIL_MAX_RAW_BYTES,
	parseRawMessage,
	type BuildInput,
} from '../../nodes/GmailWorkspace/mime';
import { simpleParser } from './libs';

const MiB = 1024 * 1024;

/** V8's gc(), switched on at run time (tests only), so heap samples measure what is retained, not garbage. */
function getGc(): (() => void) | undefined {
	try {
		require('v8').setFlagsFromString('--expose-gc');
		return require('vm').runInNewContext('gc') as () => void;
	} catch {
		return undefined;
	}
}

/** Deterministic "random" bytes for boundaries / Message-ID, so two builds can be compared byte for byte. */
function fixedRandom() {
	let n = 0;
	return (size: number) => Buffer.alloc(size, ++n);
}

function pattern(n: number, seed: number): Buffer {
	const b = Buffer.alloc(n);
	let x = seed >>> 0 || 1;
	for (let i = 0; i < n; i++) {
		x = (Math.imul(x, 1103515245) + 12345) >>> 0;
		b[i] = x >>> 24;
	}
	return b;
}

async function* chunked(data: Buffer, size: number): AsyncGenerator<Buffer> {
	for (let i = 0; i < data.length; i += size) yield data.subarray(i, i + size);
}

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
	const parts: Buffer[] = [];
	for await (const c of it) parts.push(c);
	return Buffer.concat(parts);
}

const baseInput = (attachments: BuildInput['attachments']): BuildInput => ({
	from: 'Streamer <s@example.com>',
	to: 'r@example.com',
	subject: 'Streaming ✓',
	text: 'see attachment',
	html: '<p>see <img src="cid:img@x"></p>',
	date: new Date(Date.UTC(2025, 0, 1)),
	attachments,
});

describe('buildRawMessageStream', () => {
	it.each([
		[0, 65536],
		[1, 65536],
		[56, 7],
		[57, 57],
		[58, 1],
		[1000, 3],
		[MiB + 17, 65536],
		[MiB + 17, 65537],
		[MiB + 1, 1000],
	])('a %i-byte attachment in %i-byte chunks gives the same bytes as buildRawMessage', async (size, chunk) => {
		const data = pattern(size, size + 1);
		const img = pattern(300, 9);
		const streamed = await collect(
			buildRawMessageStream(
				baseInput([
					{ filename: 'data.bin', content: chunked(data, chunk), size },
					{ filename: 'img.png', mimeType: 'image/png', contentId: 'img@x', content: chunked(img, 100) },
				]),
				{ randomBytes: fixedRandom() },
			),
		);
		const whole = buildRawMessage(
			baseInput([
				{ filename: 'data.bin', content: data },
				{ filename: 'img.png', mimeType: 'image/png', contentId: 'img@x', content: img },
			]),
			{ randomBytes: fixedRandom() },
		);
		expect(streamed.equals(whole)).toBe(true);
		expect(estimateEncodedSize(baseInput([{ filename: 'data.bin', content: chunked(data, chunk), size }, { filename: 'img.png', contentId: 'img@x', content: img }]))).toBe(whole.length);
		const back = parseRawMessage(streamed).attachments.find((a) => a.filename === 'data.bin')!;
		expect(back.content.equals(data)).toBe(true);
		if (size === MiB + 17 && chunk === 65536) {
			const mp = await simpleParser(streamed);
			expect(mp.attachments.find((a: any) => a.filename === 'data.bin').content.equals(data)).toBe(true);
		}
	});

	it('estimateEncodedSize is exact for Buffers and needs size for streams', async () => {
		const input = baseInput([{ filename: 'a.bin', content: pattern(12345, 1) }]);
		expect(estimateEncodedSize(input)).toBe(buildRawMessage(input).length);
		expect(() => estimateEncodedSize(baseInput([{ filename: 'a.bin', content: chunked(pattern(10, 1), 3) }]))).toThrow(/attachments\[0\]\.size/);
		// 26 MiB of attachment encodes past Gmail's 35 MiB limit (base64 is 4/3 plus line breaks)
		const big = estimateEncodedSize(baseInput([{ filename: 'big.bin', content: chunked(Buffer.alloc(0), 1), size: 26.3 * MiB }]));
		expect(big).toBeGreaterThan(GMAIL_MAX_RAW_BYTES);
	});

	it('input errors surface when the stream is created, before anything is read', () => {
		expect(() => buildRawMessageStream({ to: 'bad' })).toThrow(/Invalid email address in "to"/);
	});

	it('a 30 MiB attachment in 64 KiB chunks streams with a small heap and decodes to the same SHA-256', async () => {
		const total = 30 * MiB;
		const chunkSize = 64 * 1024;
		const inHash = createHash('sha256');
		async function* source(): AsyncGenerator<Buffer> {
			for (let sent = 0, k = 0; sent < total; sent += chunkSize, k++) {
				const c = Buffer.allocUnsafe(Math.min(chunkSize, total - sent));
				for (let i = 0; i < c.length; i += 4) c.writeUInt32LE((Math.imul(k * 16384 + i, 2654435761) ^ k) >>> 0, i);
				inHash.update(c);
				yield c;
			}
		}
		const input = baseInput([{ filename: 'big.bin', mimeType: 'application/octet-stream', content: source(), size: total }]);
		input.html = undefined;
		const expectedLength = estimateEncodedSize({ ...input, attachments: [{ filename: 'big.bin', mimeType: 'application/octet-stream', content: source(), size: total }] });

		const outHash = createHash('sha256');
		let carry = '';
		let state: 'before' | 'attachment' | 'after' = 'before';
		let bytesOut = 0;
		let chunks = 0;
		const gc = getGc();
		gc?.();
		const base = process.memoryUsage();
		let peakHeap = 0;
		let peakExternal = 0;
		let peakHeapNoGc = 0;
		for await (const chunk of buildRawMessageStream(input)) {
			bytesOut += chunk.length;
			chunks++;
			// the writer yields header blocks, base64 runs and the closing delimiter as separate chunks
			if (state === 'before') {
				if (chunk.includes('filename="big.bin"') && chunk.toString('latin1').endsWith('\r\n\r\n')) state = 'attachment';
			} else if (state === 'attachment') {
				if (chunk.toString('latin1', 0, 5) === '\r\n--=') state = 'after';
				else {
					const s = carry + chunk.toString('latin1').replace(/\r\n/g, '');
					const usable = s.length - (s.length % 4);
					outHash.update(Buffer.from(s.slice(0, usable), 'base64'));
					carry = s.slice(usable);
				}
			}
			if (chunks % 8 === 0) {
				peakHeapNoGc = Math.max(peakHeapNoGc, process.memoryUsage().heapUsed - base.heapUsed);
				gc?.();
				const m = process.memoryUsage();
				peakHeap = Math.max(peakHeap, m.heapUsed - base.heapUsed);
				peakExternal = Math.max(peakExternal, m.arrayBuffers - base.arrayBuffers);
			}
		}
		if (carry) outHash.update(Buffer.from(carry, 'base64'));
		// eslint-disable-next-line no-console
		console.log(
			`30 MiB attachment streamed as ${chunks} output chunks, ${(bytesOut / MiB).toFixed(1)} MiB out; ` +
				`peak retained growth (after gc): heapUsed ${(peakHeap / MiB).toFixed(2)} MiB, arrayBuffers ${(peakExternal / MiB).toFixed(2)} MiB; ` +
				`peak heapUsed growth without gc (garbage included) ${(peakHeapNoGc / MiB).toFixed(1)} MiB${gc ? '' : ' (gc unavailable)'}`,
		);
		expect(state).toBe('after');
		expect(bytesOut).toBe(expectedLength);
		expect(outHash.digest('hex')).toBe(inHash.digest('hex'));
		expect(peakHeap).toBeLessThan(15 * MiB);
		expect(peakExternal).toBeLessThan(15 * MiB);
	});
});
