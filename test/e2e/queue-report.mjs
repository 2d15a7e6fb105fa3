// The closing lines of `npm run e2e:queue`: its checks as "e2e:queue: N passed, N failed" (CI's summary counts them)
// and one JSON line with the load, fault and scan figures and the bad-input suite's counts.
//   node queue-report.mjs QUEUE_JSON [BAD_INPUT_JSON]
import { existsSync, readFileSync } from 'node:fs';

const [queueFile, badFile] = process.argv.slice(2);
const q = existsSync(queueFile) ? JSON.parse(readFileSync(queueFile, 'utf8')) : undefined;
const bad = badFile && existsSync(badFile) ? JSON.parse(readFileSync(badFile, 'utf8')) : undefined;
const checks = [...(q?.checks ?? [{ name: 'queue run produced its results', ok: false }])];
if (bad) checks.push({ name: 'every bad input ends in a clear error', ok: bad.cases >= 80 && bad.clear === bad.cases, detail: `${bad.clear}/${bad.cases}` });
else checks.push({ name: 'bad-input suite report', ok: false, detail: 'missing' });

// the issue's figures (missing ones count against the run), then the context of the run
const FIGURES = ['executions', 'failed_executions', 'duplicate_sends', 'lost_sends', 'missed_events', 'repeated_events',
	'user_visible_429', 'secret_hits', 'refreshes', 'rate_limited_answers'];
const CONTEXT = ['by_worker', 'sends_requested', 'sends_delivered', 'trigger_delivered', 'trigger_emitted', 'faults_injected',
	'revoked_failures', 'seconds'];
const line = {
	...Object.fromEntries(FIGURES.map((k) => [k, q?.[k] ?? (k === 'failed_executions' ? 1 : 0)])),
	bad_inputs: bad?.cases ?? 0,
	bad_inputs_clear: bad?.clear ?? 0,
	...Object.fromEntries(CONTEXT.map((k) => [k, q?.[k]])),
};
const passed = checks.filter((c) => c.ok).length;
for (const c of checks.filter((x) => !x.ok)) console.log(`   failed: ${c.name}${c.detail ? ` (${c.detail})` : ''}`);
console.log(`e2e:queue: ${passed} passed, ${checks.length - passed} failed`);
console.log(JSON.stringify(line));
process.exit(passed === checks.length ? 0 : 1);
