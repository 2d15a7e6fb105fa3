// Prints the closing line CI reads: "tests: N passed, N failed[, N skipped]", summed over jest JSON reports
// (*.json) and the logs of the e2e suite and the demo check (their "…: N passed, N failed" line).
const { readFileSync, existsSync } = require('node:fs');
let passed = 0, failed = 0, skipped = 0;
for (const file of process.argv.slice(2)) {
	if (!existsSync(file)) { failed += 1; console.error(`missing test report ${file}`); continue; }
	if (!file.endsWith('.json')) {
		const lines = readFileSync(file, 'utf8').split('\n').filter((l) => /^(e2e|e2e:queue|demo examples): \d+ passed, \d+ failed/.test(l));
		const m = /^(?:e2e|e2e:queue|demo examples): (\d+) passed, (\d+) failed/.exec(lines.at(-1) ?? '');
		if (!m) { failed += 1; console.error(`no "N passed, N failed" line in ${file}`); continue; }
		// e2e:queue's figures (its closing JSON line) are shown here too
		const figures = readFileSync(file, 'utf8').split('\n').filter((l) => l.startsWith('{"executions"')).at(-1);
		if (figures) console.log(`e2e:queue figures: ${figures}`);
		passed += Number(m[1]);
		failed += Number(m[2]);
		continue;
	}
	const r = JSON.parse(readFileSync(file, 'utf8'));
	passed += r.numPassedTests;
	failed += r.numFailedTests + (r.numRuntimeErrorTestSuites ?? 0);
	skipped += r.numPendingTests + (r.numTodoTests ?? 0);
}
if (passed + failed === 0) failed = 1; // a run that ran nothing is not a pass
console.log(`tests: ${passed} passed, ${failed} failed${skipped ? `, ${skipped} skipped` : ''}`);
process.exit(failed ? 1 : 0);
