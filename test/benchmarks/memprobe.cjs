// bench:send's optional memory probe (BENCH_MEMPROBE=1), preloaded into the n8n main process with --require: every
// 10 ms it records process.memoryUsage() (rss, heapUsed, external, arrayBuffers) and V8's new-space use, and every
// garbage collection (kind, duration), appending them to BENCH_MEMPROBE_FILE as JSON lines. send.mjs reads the lines
// of each send node's window. With BENCH_MEMPROBE_GC=1 (n8n started with --expose-gc) SIGUSR2 makes the process
// collect garbage at once (a full GC), so the bench can tell live memory from garbage not yet collected.
// Test tooling only: inert unless BENCH_MEMPROBE_FILE is set, and only in `n8n start` (not the task runner).
'use strict';
const file = process.env.BENCH_MEMPROBE_FILE;
if (file && process.argv.includes('start')) {
	const fs = require('node:fs');
	const v8 = require('node:v8');
	const { PerformanceObserver, performance } = require('node:perf_hooks');
	const KINDS = { 1: 'scavenge', 2: 'mark-compact', 4: 'incremental', 8: 'weakcb', 16: 'minor-mark-sweep' };
	let lines = [];
	const newSpace = () => {
		for (const s of v8.getHeapSpaceStatistics()) if (s.space_name === 'new_space') return s.space_used_size;
		return 0;
	};
	const sample = (tag) => {
		const m = process.memoryUsage();
		lines.push(JSON.stringify({ t: Date.now(), rss: m.rss, heapUsed: m.heapUsed, heapTotal: m.heapTotal, external: m.external, arrayBuffers: m.arrayBuffers, newSpace: newSpace(), ...(tag ? { tag } : {}) }));
	};
	new PerformanceObserver((list) => {
		for (const e of list.getEntries()) {
			const kind = e.detail?.kind ?? e.kind;
			lines.push(JSON.stringify({ t: Math.round(performance.timeOrigin + e.startTime), gc: KINDS[kind] ?? String(kind), ms: Number(e.duration.toFixed(2)) }));
		}
		sample('after-gc');
	}).observe({ entryTypes: ['gc'] });
	setInterval(sample, 10).unref();
	setInterval(() => {
		if (!lines.length) return;
		fs.appendFileSync(file, `${lines.join('\n')}\n`);
		lines = [];
	}, 200).unref();
	if (typeof global.gc === 'function') {
		process.on('SIGUSR2', () => {
			sample('before-forced-gc');
			global.gc();
			sample('after-forced-gc');
		});
	}
}
