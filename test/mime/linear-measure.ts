/**
 * Measures linear-cases.ts in this (fresh) process and prints one JSON line per case: {group, name, ratio, attempts}.
 * Run: node --expose-gc --import tsx test/mime/linear-measure.ts [name filter]
 *
 * Why a process of its own: jest runs the whole suite in one process on a 2-core machine (one worker runs in
 * band), so by the time it reaches these cases the heap holds what ninety test files left behind. A 10n input
 * then triggers old-generation collections whose cost is that heap's size, not the input's: in CI one linear
 * case measured 49 through eight attempts while it measures 10-13 alone. A fresh process has only this workload.
 *
 * Times are this thread's CPU time (process.threadCpuUsage), which other processes cannot stretch; the kernel
 * counts it in scheduler ticks (a few ms), so a short call is repeated until MIN_CPU_MS were spent.
 */
import { BOUND, CASES, QUADRATIC_CONTROL } from './linear-cases';

const gc = (globalThis as unknown as { gc?: () => void }).gc ?? (() => undefined);
const cpuMs = () => {
	const c = (process as unknown as { threadCpuUsage(): NodeJS.CpuUsage }).threadCpuUsage();
	return (c.user + c.system) / 1000;
};
const MIN_CPU_MS = 60;

/** CPU ms per call of fn: fn repeated until at least MIN_CPU_MS of this thread's CPU time were spent. */
function perCall(fn: () => unknown): number {
	const t0 = cpuMs();
	let calls = 0;
	let spent = 0;
	do {
		fn();
		calls++;
		spent = cpuMs() - t0;
	} while (spent < MIN_CPU_MS);
	return spent / calls;
}

/** Best of `runs` measurements (CPU ms per call): the minimum filters GC pauses and cache noise. */
function best(fn: () => unknown, runs: number, collect = false): number {
	let min = Infinity;
	for (let i = 0; i < runs; i++) {
		if (collect) gc();
		min = Math.min(min, perCall(fn));
	}
	return min;
}

/**
 * Time ratio between input size 10n and n: best of a few runs each, the small input warmed up first, and the
 * best of up to eight attempts a second apart (a quadratic path fails them all: its ratio is about 100). The
 * pause lets a burst of other work on the machine pass (it shares memory bandwidth and caches even when it
 * does not take this thread's CPU time).
 */
const pause = (ms: number) => Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, ms);
function growth(make: (n: number) => () => unknown, n: number, maxAttempts = 8): { ratio: number; attempts: number } {
	const small = make(n);
	const big = make(n * 10);
	small();
	let ratio = Infinity;
	let attempts = 0;
	while (attempts < maxAttempts && ratio >= BOUND) {
		if (attempts++ > 0) pause(1000);
		gc();
		ratio = Math.min(ratio, best(big, 3, true) / Math.max(best(small, 4), 0.05));
	}
	return { ratio, attempts };
}

const filter = process.argv[2] ?? '';
for (const c of [QUADRATIC_CONTROL, ...CASES]) {
	if (!c.name.includes(filter)) continue;
	gc();
	const { ratio, attempts } = growth(c.make, c.n, c === QUADRATIC_CONTROL ? 1 : 8);
	process.stdout.write(JSON.stringify({ group: c.group, name: c.name, ratio: Math.round(ratio * 10) / 10, attempts }) + '\n');
}
