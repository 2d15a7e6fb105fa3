// The e2e scripts' tiny test runner: run a named check, print PASS/FAIL with its time, count into `results`.

/**
 * @param {{passed:number, failed:number, tests:object[]}} results  counted into (and later written out by the caller)
 * @param {(title:string, error:unknown) => Promise<void>|void} [onFail]  e.g. take a screenshot
 */
export function testRunner(results, onFail) {
	return async function test(title, fn) {
		const t0 = Date.now();
		const secs = () => ((Date.now() - t0) / 1000).toFixed(1);
		try {
			await fn();
			results.passed++;
			results.tests.push({ title, ok: true, ms: Date.now() - t0 });
			console.log(`  PASS ${title} (${secs()}s)`);
			return true;
		} catch (e) {
			results.failed++;
			results.tests.push({ title, ok: false, ms: Date.now() - t0, error: String(e?.message ?? e) });
			console.log(`  FAIL ${title} (${secs()}s)\n       ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n       ')}`);
			await onFail?.(title, e);
			return false;
		}
	};
}
