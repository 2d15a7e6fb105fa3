/**
 * npm run bench:mime — issue #18: every MIME path runs in linear time and never blocks the event loop.
 *
 * For each family (HTML → text, text → HTML, building, parsing, addresses, headers) and size, prints:
 * - sync ms: the synchronous API (htmlToText, buildRawMessage, parseRawMessage…), which blocks the event
 *   loop for its whole duration;
 * - async ms / block ms: the sliced variant the node uses (htmlToTextAsync, prepareRawMessage + stream,
 *   parseRawMessageAsync…) with a yield like n8n's sleep(0) (a 0 ms timer), and the longest event-loop
 *   block measured meanwhile by perf_hooks.monitorEventLoopDelay (resolution 1 ms; the histogram only
 *   records while the loop is held, i.e. the longest synchronous stretch);
 * - growth per 10×: (t(b) / t(a)) ^ (1 / log10(b / a)) between consecutive sizes of a family, on the sync
 *   times (≈ 10 means linear, 100 quadratic). growth_per_10x in the JSON is the worst pair whose smaller
 *   input is at least 100 KB (below that a run is dominated by fixed costs and fits in caches and already
 *   touched memory); every pair is printed.
 * - calibration: how long one fresh 25 MB string takes to build here. A function that returns a 25 MB string
 *   (the decoded HTML of a message, the text derived from it) has to allocate and fill it in one go, so this
 *   is the floor of the longest step at that size, whatever the slicing; on a machine with slow first-touch
 *   page faults (a sandboxed VM) it alone exceeds 100 ms. The JSON also gives the longest block for inputs
 *   up to 5 MB, where result strings are small.
 * - longest slice: the longest stretch between two yields in main-thread CPU time (process.threadCpuUsage),
 *   which other processes cannot stretch: the figure to read when the machine is busy (the JSON gives the
 *   1-minute load average next to it). The kernel counts CPU time in scheduler ticks (a few ms), so it is
 *   coarse below ~10 ms.
 * The last line is one JSON object (html_5mb_ms, max_event_loop_block_ms, growth_per_10x, …).
 * Targets: 5 MB HTML ≤ 2 s, growth per 10× ≤ 15, event-loop block of the node's paths ≤ 100 ms.
 * Optional argument: a scale factor for the sizes (e.g. 0.2 for a quick run).
 */
import { loadavg } from 'node:os';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import {
	buildRawMessage,
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
	type GmailMessagePart,
} from '../../nodes/GmailWorkspace/mime';

const scale = Number(process.argv[2] ?? 1);
// a full GC before every measurement, so garbage left by the previous one is not collected during it
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;
const KB = 1000;
const MB = 1000 * KB;
/** What the node passes as yieldFn: n8n-workflow's sleep(0) is a 0 ms timer. */
const sleep0 = () => new Promise<void>((resolve) => setTimeout(resolve, 0));
/**
 * The main thread's CPU time (process.threadCpuUsage): unlike wall time it does not grow when other processes
 * take the CPU, so the longest slice measured with it stays meaningful on a loaded machine.
 */
const threadCpuMs = () => {
	const c = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage();
	return (c.user + c.system) / 1000;
};
/** The longest stretch between two yields (and before the first / after the last), in main-thread CPU ms. */
let sliceCpu = { last: 0, max: 0 };
const slices = {
	yieldFn: async () => {
		const now = threadCpuMs();
		sliceCpu.max = Math.max(sliceCpu.max, now - sliceCpu.last);
		await sleep0();
		sliceCpu.last = threadCpuMs();
	},
};

// ---------------------------------------------------------------------------------------------------------
// Inputs

/** Deterministic PRNG (mulberry32). */
function rng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

const WORDS = 'the quarterly update our team new product launch sale offer café naïve résumé über straße 価格 お知らせ price free shipping members event news read more today'.split(' ');

/** A newsletter: head with style, tables of articles with links, images, entities, lists, a footer. */
function newsletter(bytes: number, seed = 1): string {
	const r = rng(seed);
	const words = (n: number) => Array.from({ length: n }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ');
	const parts: string[] = [
		'<!DOCTYPE html><html><head><meta charset="utf-8"><title>Newsletter</title><style>td{padding:4px} .btn{color:#fff}</style></head><body>',
		'<table width="100%" cellpadding="0" cellspacing="0"><tr><td align="center"><h1>Weekly &amp; monthly news</h1></td></tr>',
	];
	let size = parts.join('').length;
	let i = 0;
	while (size < bytes - 200) {
		const k = i++ % 6;
		let p: string;
		if (k === 0) p = `<tr><td><h2>${words(5)}</h2><p>${words(30)} &mdash; <a href="https://example.com/article/${i}?utm_source=news&amp;id=${i}">${words(3)}</a>&nbsp;&hellip;</p></td></tr>`;
		else if (k === 1) p = `<tr><td><img src="https://cdn.example.com/img/${i}.png" alt="${words(2)}" width="600"><br>${words(12)} &copy; &euro;${i}</td></tr>`;
		else if (k === 2) p = `<tr><td><ul>${Array.from({ length: 4 }, () => `<li>${words(6)} <a href="https://example.com/l/${i}">more</a></li>`).join('')}</ul></td></tr>`;
		else if (k === 3) p = `<tr><td><table><tr><th>${words(1)}</th><th>${words(1)}</th></tr><tr><td>&#8364;${i}.99</td><td>&#x2713; ${words(3)}</td></tr></table></td></tr>`;
		else if (k === 4) p = `<tr><td><div style="font-family:Arial">${words(20)}<br/>${words(15)}</div><!-- tracking ${i} --></td></tr>`;
		else p = `<tr><td><blockquote>${words(25)}</blockquote><a class="btn" href="mailto:news@example.com">news@example.com</a></td></tr>`;
		parts.push(p);
		size += p.length;
	}
	parts.push('</table><p>Unsubscribe: <a href="https://example.com/u">here</a></p></body></html>');
	return parts.join('');
}

/** Hostile HTML of about `bytes`: unclosed links, deep nesting, a long <pre> with blanks, entity floods. */
function hostileHtml(bytes: number): string {
	const q = Math.floor(bytes / 4);
	return (
		'<a href="https://x.example/">y'.repeat(Math.floor(q / 30)) +
		'<div><ul><li><a href="u">'.repeat(Math.floor(q / 25)) +
		'</a></li></ul></div>'.repeat(Math.floor(q / 20)) +
		'<pre>' +
		' \t'.repeat(Math.floor(q / 4)) +
		'&amp&#x41;&nbsp'.repeat(Math.floor(q / 32)) +
		'<'.repeat(Math.floor(q / 4))
	);
}

function plainText(bytes: number, seed = 2): string {
	const r = rng(seed);
	const lines: string[] = [];
	let size = 0;
	for (let i = 0; size < bytes; i++) {
		const l =
			i % 7 === 0
				? ''
				: Array.from({ length: 10 }, () => WORDS[Math.floor(r() * WORDS.length)]).join(' ') +
					(i % 5 === 0 ? ` see https://example.com/p/${i}?a=1&b=2. or www.example.org/x` : '') +
					(i % 11 === 0 ? ' <tag> "quoted" & more' : '');
		lines.push(l);
		size += l.length + 1;
	}
	return lines.join('\n');
}

const recipients = (n: number) => Array.from({ length: n }, (_, i) => `"Recipient ${i}" <user${i}@example${i % 97}.com>`);
const rawHeaderMessage = (headers: string, body = 'body\r\n') => Buffer.from(headers + '\r\n' + body, 'latin1');

function nestedMultipart(depth: number): Buffer {
	let s = 'Subject: deep\r\nMIME-Version: 1.0\r\n';
	for (let i = 0; i < depth; i++) s += `Content-Type: multipart/mixed; boundary="b${i}"\r\n\r\n--b${i}\r\n`;
	s += 'Content-Type: text/plain\r\n\r\ndeep text\r\n';
	for (let i = depth - 1; i >= 0; i--) s += `--b${i}--\r\n`;
	return Buffer.from(s, 'latin1');
}

// ---------------------------------------------------------------------------------------------------------
// Measuring

interface Row {
	family: string;
	label: string;
	size: number;
	syncMs?: number;
	asyncMs?: number;
	blockMs?: number;
	sliceCpuMs?: number;
	syncBlockMs?: number;
}
const rows: Row[] = [];

async function timeWithMonitor(fn: () => unknown): Promise<{ ms: number; blockMs: number }> {
	gc();
	const h = monitorEventLoopDelay({ resolution: 1 });
	h.enable();
	await new Promise((resolve) => setTimeout(resolve, 5));
	const t0 = performance.now();
	await fn();
	const ms = performance.now() - t0;
	await new Promise((resolve) => setTimeout(resolve, 5));
	h.disable();
	return { ms, blockMs: h.max / 1e6 };
}

const fmt = (v: number | undefined) => (v === undefined ? '-' : v < 10 ? v.toFixed(1) : v.toFixed(0));
const human = (n: number) => (n >= MB ? `${+(n / MB).toFixed(1)} MB` : n >= KB ? `${+(n / KB).toFixed(1)} KB` : `${n} B`);

async function measure(family: string, label: string, size: number, sync?: () => unknown, async?: () => Promise<unknown>) {
	const row: Row = { family, label, size };
	if (sync) {
		// best of 3 below 2 MB, of 2 above (scheduling and GC noise on a shared machine)
		for (let run = 0; run < (size < 2 * MB ? 3 : 2); run++) {
			const m = await timeWithMonitor(sync);
			if (row.syncMs === undefined || m.ms < row.syncMs) {
				row.syncMs = m.ms;
				row.syncBlockMs = m.blockMs;
			}
		}
	}
	if (async) {
		const m = await timeWithMonitor(async () => {
			sliceCpu = { last: threadCpuMs(), max: 0 };
			await async();
			sliceCpu.max = Math.max(sliceCpu.max, threadCpuMs() - sliceCpu.last);
		});
		row.asyncMs = m.ms;
		row.blockMs = m.blockMs;
		row.sliceCpuMs = sliceCpu.max;
	}
	rows.push(row);
	console.log(
		`${family.padEnd(12)} ${label.padEnd(34)} sync ${fmt(row.syncMs).padStart(6)} ms   async ${fmt(row.asyncMs).padStart(6)} ms   max event-loop block ${fmt(row.blockMs).padStart(5)} ms   longest slice ${fmt(row.sliceCpuMs).padStart(5)} ms CPU`,
	);
}

/** Growth per 10× of the sync times of a family's rows, between consecutive sizes. */
function growth(family: string): Array<{ from: number; to: number; g: number }> {
	const list = rows.filter((r) => r.family === family && r.syncMs !== undefined).sort((a, b) => a.size - b.size);
	const out: Array<{ from: number; to: number; g: number }> = [];
	for (let i = 1; i < list.length; i++) {
		const a = list[i - 1];
		const b = list[i];
		if (b.size <= a.size) continue;
		out.push({ from: a.size, to: b.size, g: Math.pow(b.syncMs! / Math.max(a.syncMs!, 0.1), 1 / Math.log10(b.size / a.size)) });
	}
	return out;
}

// ---------------------------------------------------------------------------------------------------------

(async () => {
	console.log(`node ${process.version}; sizes × ${scale}; yieldFn = 0 ms timer (n8n's sleep(0)), slices of 20 ms`);
	// calibration: one fresh 25 MB string (what returning a 25 MB body costs at the least)
	const calibration: number[] = [];
	for (let i = 0; i < 3; i++) {
		const pieces = Array.from({ length: 25_000 }, (_, k) => 'x'.repeat(999) + (k % 10));
		const t0 = performance.now();
		pieces.join('').charCodeAt(0);
		calibration.push(performance.now() - t0);
	}
	const freshString25 = Math.min(...calibration);
	console.log(`calibration: joining a fresh 25 MB string takes ${fmt(freshString25)} ms here (best of 3)`);
	// warm the JIT so the smallest sizes are not dominated by compilation
	htmlToText(newsletter(200 * KB, 9));
	textToHtml(plainText(200 * KB, 9));
	parseRawMessage(buildRawMessage({ from: 'a@example.com', to: recipients(500), html: newsletter(200 * KB, 9) }));

	const sizes = [10 * KB, 100 * KB, 1 * MB, 5 * MB, 25 * MB].map((s) => Math.round(s * scale));
	let html5mb = NaN;
	console.log('\n# HTML → text (newsletter HTML: tables, links, images, entities, lists)');
	for (const size of sizes) {
		const html = newsletter(size);
		await measure('html', `htmlToText ${human(size)}`, size, () => htmlToText(html), () => htmlToTextAsync(html, slices));
		if (size === Math.round(5 * MB * scale)) html5mb = rows[rows.length - 1].syncMs!;
	}
	console.log('\n# HTML → text, hostile (unclosed <a>, deep nesting, blank <pre>, entity and "<" floods)');
	for (const size of sizes.slice(1)) {
		const html = hostileHtml(size);
		await measure('html-hostile', `htmlToText ${human(size)}`, size, () => htmlToText(html), () => htmlToTextAsync(html, slices));
	}
	{
		const n = Math.round(100_000 * scale);
		const html = '<a href="https://x.example/">'.repeat(n) + 'label' + '</a>'.repeat(n);
		await measure('x-html', `${n} nested <a>`, html.length, () => htmlToText(html), () => htmlToTextAsync(html, slices));
		const unclosed = '<a href="x">y'.repeat(n);
		await measure('x-html', `${n} unclosed <a>`, unclosed.length, () => htmlToText(unclosed), () => htmlToTextAsync(unclosed, slices));
	}

	console.log('\n# text → HTML (lines, links, specials)');
	for (const size of sizes.slice(0, 4)) {
		const text = plainText(size);
		await measure('text', `textToHtml ${human(size)}`, size, () => textToHtml(text), () => textToHtmlAsync(text, slices));
	}
	{
		const hostile = ('http://a' + '.'.repeat(Math.round(200_000 * scale)) + 'x ').repeat(20);
		await measure('x-text', `URL + long dot runs ${human(hostile.length)}`, hostile.length, () => textToHtml(hostile), () => textToHtmlAsync(hostile, slices));
	}

	console.log('\n# building (buildRawMessage sync; prepareRawMessage + stream, sliced)');
	const build = async (input: BuildInput) => {
		const prepared = await prepareRawMessage(input, slices);
		let n = prepared.size;
		for await (const chunk of prepared.stream()) n -= chunk.length;
		if (n !== 0) throw new Error('size mismatch');
	};
	for (const size of sizes.slice(1)) {
		const input: BuildInput = { from: 'News <news@example.com>', to: 'bob@example.com', subject: 'Weekly news', html: newsletter(size) };
		await measure('build', `HTML body ${human(size)}`, size, () => buildRawMessage(input), () => build(input));
	}
	for (const n of [5_000, 50_000].map((x) => Math.round(x * scale))) {
		const input: BuildInput = { from: 'a@example.com', to: recipients(n).join(', '), subject: 'hi', text: 'hello' };
		await measure('build-to', `${n} recipients (one string)`, n, () => buildRawMessage(input), () => build(input));
	}
	{
		const n = Math.round(50_000 * scale);
		const input: BuildInput = { from: 'a@example.com', bcc: recipients(n).map((r, i) => (i % 2 ? r : { name: `Ünïcödé ${i}`, address: `u${i}@example.com` })) as BuildInput['bcc'], text: 'x' };
		await measure('x-build', `${n} recipients (array, names)`, n, () => buildRawMessage(input), () => build(input));
	}
	for (const size of [100 * KB, 1 * MB].map((x) => Math.round(x * scale))) {
		const input: BuildInput = { from: 'a@example.com', subject: 'Grüße aus Köln, 日本語 '.repeat(Math.floor(size / 20)), text: 'x' };
		await measure('build-subj', `subject ${human(size)} (encoded words)`, size, () => buildRawMessage(input), () => build(input));
	}
	{
		const size = Math.round(10 * MB * scale);
		const input: BuildInput = { from: 'a@example.com', headers: { 'X-Long': 'word '.repeat(size / 5).trim() }, text: 'x' };
		await measure('x-build', `header ${human(size)} needing folding`, size, () => buildRawMessage(input), () => build(input));
	}

	console.log('\n# parsing (parseRawMessage sync; parseRawMessageAsync, sliced)');
	for (const size of sizes.slice(1, 4)) {
		const raw = buildRawMessage({ from: 'a@example.com', to: 'b@example.com', subject: 'html', html: newsletter(size) });
		await measure('parse', `HTML message ${human(raw.length)}`, raw.length, () => parseRawMessage(raw), () => parseRawMessageAsync(raw, slices));
	}
	{
		// the biggest message Gmail takes: 35 MiB with a 24 MB HTML-only body (text derived when reading)
		const html = newsletter(Math.round(24 * MB * scale));
		const raw = Buffer.from(`From: a@example.com\r\nSubject: big\r\nContent-Type: text/html; charset=utf-8\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${html}`, 'utf8');
		await measure('x-parse', `HTML-only message ${human(raw.length)}`, raw.length, () => parseRawMessage(raw), () => parseRawMessageAsync(raw, slices));
		const attach = buildRawMessage({ from: 'a@example.com', text: 'see attached', attachments: [{ filename: 'big.bin', content: Buffer.alloc(Math.round(25 * MB * scale), 0x5a) }] });
		await measure('x-parse', `25 MB attachment, ${human(attach.length)}`, attach.length, () => parseRawMessage(attach), () => parseRawMessageAsync(attach, slices));
		const text = Buffer.from(`Subject: t\r\nContent-Type: text/plain; charset=utf-8; format=flowed\r\n\r\n${plainText(Math.round(20 * MB * scale)).replace(/\n/g, ' \r\n')}`, 'utf8');
		await measure('x-parse', `20 MB flowed text message`, text.length, () => parseRawMessage(text), () => parseRawMessageAsync(text, slices));
		const data = html.length > 0 ? Buffer.from(html.slice(0, Math.round(20 * MB * scale))).toString('base64url') : '';
		const payload = { id: 'x', payload: { mimeType: 'text/html', headers: [{ name: 'Subject', value: 'p' }], body: { size: data.length, data } } as GmailMessagePart };
		await measure('x-parse', `Gmail payload, 20 MB HTML`, data.length, () => fromGmailPayload(payload), () => fromGmailPayloadAsync(payload, slices));
	}

	console.log('\n# hostile corpus (parsing)');
	const hostile: Array<[string, string, Buffer]> = [];
	for (const n of [1_000, 10_000].map((x) => Math.round(x * scale))) hostile.push(['parse-hdrs', `${n} headers`, rawHeaderMessage(Array.from({ length: n }, (_, i) => `X-H${i}: value ${i} =?utf-8?Q?caf=C3=A9?=\r\n`).join(''))]);
	hostile.push(['x-parse', '100-deep multipart nesting', nestedMultipart(100)]);
	for (const size of [1 * MB, 10 * MB].map((x) => Math.round(x * scale))) hostile.push(['parse-line', `${human(size)} single header line`, rawHeaderMessage(`Subject: ${'x'.repeat(size)}\r\n`)]);
	hostile.push(['x-parse', `${human(Math.round(10 * MB * scale))} single body line`, rawHeaderMessage('Content-Type: text/plain\r\n', 'y'.repeat(Math.round(10 * MB * scale)))]);
	for (const n of [5_000, 50_000].map((x) => Math.round(x * scale))) hostile.push(['parse-to', `${n} addresses in one To`, rawHeaderMessage(`To: ${recipients(n).join(', ')}\r\n`)]);
	for (const n of [10_000, 100_000].map((x) => Math.round(x * scale))) hostile.push(['parse-words', `${n} encoded words`, rawHeaderMessage(`Subject: ${'=?utf-8?B?w6nDqQ==?= '.repeat(n)}\r\n`)]);
	hostile.push(['x-parse', `folded header ${human(Math.round(4 * MB * scale))}`, rawHeaderMessage(`X-Folded: a\r\n${' b c d e f g\r\n'.repeat(Math.round((4 * MB * scale) / 14))}`)]);
	hostile.push(['x-parse', '200k unclosed "<" in a name', rawHeaderMessage(`To: ${'a'.repeat(Math.round(200_000 * scale))} b ${'<'.repeat(Math.round(200_000 * scale))}\r\n`)]);
	for (const [family, label, raw] of hostile) {
		await measure(family, label, raw.length, () => parseRawMessage(raw), () => parseRawMessageAsync(raw, slices));
	}

	// ------------------------------------------------------------------------------------------------------
	const families = [...new Set(rows.map((r) => r.family))].filter((f) => !f.startsWith('x-'));
	const growthBy: Record<string, number> = {};
	let worstAll = 0;
	console.log('\n# growth per 10× (sync times between consecutive sizes; ≈10 linear, 100 quadratic)');
	for (const f of families) {
		const g = growth(f);
		if (!g.length) continue;
		worstAll = Math.max(worstAll, ...g.map((x) => x.g));
		const large = g.filter((x) => x.from >= 100 * KB * Math.min(1, scale));
		if (large.length) growthBy[f] = Math.max(...large.map((x) => x.g));
		console.log(`${f.padEnd(12)} ${g.map((x) => `${human(x.from)}→${human(x.to)}: ${x.g.toFixed(1)}`).join('   ')}`);
	}
	const worst = rows.reduce((a, b) => ((b.blockMs ?? 0) > (a.blockMs ?? 0) ? b : a));
	const slowestSync = rows.reduce((a, b) => ((b.syncMs ?? 0) > (a.syncMs ?? 0) ? b : a));
	const syncOver100 = rows.filter((r) => (r.syncMs ?? 0) > 100).length;
	console.log(
		`\nlongest event-loop block on the sliced paths: ${fmt(worst.blockMs)} ms (${worst.family}: ${worst.label}); ` +
			`longest synchronous call: ${fmt(slowestSync.syncMs)} ms (${slowestSync.family}: ${slowestSync.label}); ` +
			`${syncOver100} of ${rows.length} sync calls take over 100 ms (the node should use the sliced variants)`,
	);
	const htmlRow = (size: number) => rows.find((r) => r.family === 'html' && r.size === Math.round(size * scale));
	const worstCpu = rows.reduce((a, b) => ((b.sliceCpuMs ?? 0) > (a.sliceCpuMs ?? 0) ? b : a));
	console.log(
		`longest slice in main-thread CPU time (not stretched by other processes): ${fmt(worstCpu.sliceCpuMs)} ms (${worstCpu.family}: ${worstCpu.label})`,
	);
	const upTo5mb = rows.filter((r) => r.size <= 5 * MB * scale).reduce((a, b) => ((b.blockMs ?? 0) > (a.blockMs ?? 0) ? b : a));
	console.log(
		JSON.stringify({
			html_5mb_ms: Math.round(html5mb),
			html_25mb_sync_ms: Math.round(htmlRow(25 * MB)?.syncMs ?? NaN),
			html_25mb_async_ms: Math.round(htmlRow(25 * MB)?.asyncMs ?? NaN),
			max_event_loop_block_ms: Number(worst.blockMs!.toFixed(1)),
			max_event_loop_block_where: `${worst.family}: ${worst.label}`,
			max_slice_cpu_ms: Number(worstCpu.sliceCpuMs!.toFixed(1)),
			max_slice_cpu_where: `${worstCpu.family}: ${worstCpu.label}`,
			load_average_1min: Number(loadavg()[0].toFixed(2)),
			max_event_loop_block_inputs_upto_5mb_ms: Number(upTo5mb.blockMs!.toFixed(1)),
			max_sync_call_ms: Math.round(slowestSync.syncMs!),
			growth_per_10x: Number(Math.max(...Object.values(growthBy)).toFixed(1)),
			growth_per_10x_by_family: Object.fromEntries(Object.entries(growthBy).map(([k, v]) => [k, Number(v.toFixed(1))])),
			growth_per_10x_incl_small_inputs: Number(worstAll.toFixed(1)),
			sync_calls_over_100ms: syncOver100,
			fresh_25mb_string_ms: Math.round(freshString25),
			scale,
		}),
	);
})();
