// bench:instant (issue 17) — run by instant.sh after it started the stand-in (2026 quota profile) and one n8n 2.41.1.
// Our Gmail Workspace Trigger (New Email) ACTIVE twice, on Delivery "Instant (Pub/Sub)" and on Delivery "Polling"
// (n8n's Poll Times "Every Minute"), each on its OWN stand-in mailbox, with the same mail delivered to both:
//   trickle  BENCH_MESSAGES (200) one by one at random moments over BENCH_MINUTES (5);
//   burst    then BENCH_BURST (500) at once;
//   idle     two more mailboxes (instant, polling) that get nothing: quota units and Pub/Sub calls over the run, scaled
//            to an hour;
//   variant  then a third instant node on its own mailbox, with BENCH_DROP_SHARE (20 %) of Gmail's notifications
//            dropped by the stand-in and the watch lapsing once halfway (POST /__standin/pubsub/knobs, /lapse):
//            BENCH_VARIANT_MESSAGES (100) over BENCH_VARIANT_MINUTES (3).
// What each node emitted is read from n8n's executions (REST) and their items' message ids; quota units and Pub/Sub
// calls from the stand-in's request log, by mailbox. Prints figures; the last line is one JSON object.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { N8n, Standin } from '../e2e/lib/clients.mjs';
import {
	OUR_TRIGGER,
	activateWorkflow,
	connectCredential,
	env,
	executionById,
	executionsOf,
	log,
	median,
	nodeRun,
	percentile,
	pollingWorkflow,
	requestLogReader,
	sleep,
} from './lib.mjs';

const num = (name, def) => Number(process.env[name] ?? def);
const MESSAGES = num('BENCH_MESSAGES', 200);
const MINUTES = num('BENCH_MINUTES', 5);
const BURST = num('BENCH_BURST', 500);
const VARIANT_MESSAGES = num('BENCH_VARIANT_MESSAGES', 100);
const VARIANT_MINUTES = num('BENCH_VARIANT_MINUTES', 3);
const DROP_SHARE = num('BENCH_DROP_SHARE', 0.2);
const CATCH_UP_MIN = num('BENCH_CATCHUP_MIN', 3);
const MAX_PER_POLL = num('BENCH_MAX_PER_POLL', 1000);
const LATENCY_MS = num('BENCH_LATENCY_MS', 100);
const PULL_WAIT_MS = process.env.BENCH_PULL_WAIT_MS ? Number(process.env.BENCH_PULL_WAIT_MS) : undefined;
const PROJECT = 'demo-project'; // the Cloud project of the stand-in's OAuth client
const DOMAIN = 'example.com';
const DRAIN_MS = 6 * 60_000; // after the burst: the longest wait for both nodes to emit it (2026 quota: 500 reads = 10,000 units)

const T0 = Date.now();
const at = (t) => `+${((t - T0) / 1000).toFixed(0)}s`;
const say = (m) => log(`${at(Date.now())} ${m}`);

const google = { port: Number(env('STANDIN_PORT')), ca: env('STANDIN_CA') };
const standin = new Standin(google);
const n8n = new N8n(env('N8N_URL'));
await n8n.ownerLogin(env('E2E_EMAIL'), env('E2E_PASSWORD'));

await standin.call('POST', 'latency', { fixedMs: LATENCY_MS, jitterMs: 0 });
const quota = await standin.call('POST', 'quota', { profile: '2026', resetCounters: true });
await standin.call('POST', 'pubsub/knobs', { dropShare: 0, ...(PULL_WAIT_MS !== undefined ? { pullWaitMs: PULL_WAIT_MS } : {}) });
const knobs0 = (await standin.call('GET', 'pubsub')).knobs;
say(`stand-in: ${LATENCY_MS} ms per request; quota profile ${quota.profile ?? '2026'}; Pub/Sub knobs ${JSON.stringify(knobs0)}`);

// --- lanes: one trigger node on one mailbox ---------------------------------------------------------------------------
const lanes = [];
function lane(scenario, delivery) {
	const l = {
		key: `${scenario}/${delivery}`,
		scenario,
		delivery,
		user: `inst-${scenario}-${delivery}@${DOMAIN}`,
		nodeName: 'Gmail Workspace Trigger',
		expected: new Map(), // message id -> {t: delivered at (ms), phase}
		emitted: [], // {id, at, exec}
		firstEmitted: new Map(),
		seenExecutions: new Set(),
		failedExecutions: [],
		requests: [],
	};
	lanes.push(l);
	return l;
}
const L = {
	instant: lane('main', 'instant'),
	polling: lane('main', 'polling'),
	idleInstant: lane('idle', 'instant'),
	idlePolling: lane('idle', 'polling'),
	variant: lane('variant', 'instant'),
};
const byUser = new Map(lanes.map((l) => [l.user, l]));
const pullLog = requestLogReader(standin, (e) => byUser.get(e.subject)?.requests.push(e));

for (const l of lanes) await standin.call('POST', 'directory/users', { email: l.user, name: l.key });
for (const l of lanes) {
	l.credential = await connectCredential(n8n, google, 'ours', l.user, `${l.key} (${l.user})`);
	const parameters =
		l.delivery === 'instant'
			? {
					event: 'newEmail',
					delivery: 'instant',
					cloudProject: { __rl: true, mode: 'id', value: PROJECT },
					instantOptions: { catchUpMinutes: CATCH_UP_MIN },
					options: { maxPerPoll: MAX_PER_POLL },
				}
			: { event: 'newEmail', delivery: 'polling', options: { maxPerPoll: MAX_PER_POLL } };
	const node = {
		name: l.nodeName,
		type: OUR_TRIGGER,
		typeVersion: 1,
		parameters,
		credentials: { gmailWorkspaceOAuth2Api: { id: l.credential.id, name: l.credential.name } },
	};
	l.workflow = await n8n.createWorkflow(pollingWorkflow(`bench:instant ${l.key}`, node));
}
for (const l of lanes) {
	l.activatedAt = Date.now();
	const r = await activateWorkflow(n8n, l.workflow);
	if (r?.active === false) throw new Error(`${l.key}: not active after activation: ${JSON.stringify(r).slice(0, 300)}`);
}
say(`${lanes.length} workflows active (instant: project ${PROJECT}, Catch Up Every ${CATCH_UP_MIN} min; polling: every minute; Max Emails per Poll ${MAX_PER_POLL})`);

// --- what happened: n8n's executions by workflow, the stand-in's log by mailbox ------------------------------------
async function pullExecutions(l) {
	const list = await executionsOf(n8n, l.workflow.id, 100);
	for (const s of list.sort((a, b) => Number(a.id) - Number(b.id))) {
		if (l.seenExecutions.has(s.id)) continue;
		if (!['success', 'error', 'crashed', 'canceled'].includes(s.status)) continue;
		l.seenExecutions.add(s.id);
		const e = await executionById(n8n, s.id);
		const run = nodeRun(e, l.nodeName);
		const t = Date.parse(s.startedAt ?? s.createdAt);
		if (s.status !== 'success' || run?.error) l.failedExecutions.push({ id: s.id, status: s.status, error: run?.error ?? e.data?.resultData?.error?.message });
		for (const item of run?.items ?? []) {
			const id = item.json?.id;
			if (!id) continue;
			l.emitted.push({ id, at: t, exec: s.id });
			if (!l.firstEmitted.has(id)) l.firstEmitted.set(id, t);
		}
	}
}
const drained = (l) => l.expected.size > 0 && [...l.expected.keys()].every((id) => l.firstEmitted.has(id));

let monitoring = true;
let lastMinute = Date.now();
const monitor = (async () => {
	while (monitoring) {
		try {
			await pullLog();
			for (const l of lanes) await pullExecutions(l);
			if (Date.now() - lastMinute >= 60_000) {
				lastMinute = Date.now();
				const part = (l) => `${l.key} ${l.firstEmitted.size}/${l.expected.size} emitted (${l.emitted.length} items, ${l.seenExecutions.size} executions)`;
				say(`minute: ${[L.instant, L.polling, L.variant].map(part).join('; ')}`);
			}
		} catch (e) {
			say(`monitor: ${String(e.message).slice(0, 200)}`);
		}
		await sleep(3000);
	}
})();
const until = async (cond, what, timeoutMs) => {
	const end = Date.now() + timeoutMs;
	while (!cond()) {
		if (Date.now() > end) {
			say(`gave up waiting for ${what}`);
			return false;
		}
		await sleep(1000);
	}
	return true;
};

/** Deliver one call's worth (`count` messages) to each lane's mailbox; records each message's delivery time. */
async function deliver(ls, count, prefix, phase) {
	for (const l of ls) {
		const r = await standin.call('POST', 'deliver', { to: l.user, count, sameSecond: true, subjectPrefix: prefix });
		const t = Date.now();
		for (const d of r.delivered) l.expected.set(d.id, { t, phase });
	}
}

/** `n` moments, uniform at random over `ms`, in order. */
const randomMoments = (n, ms) => Array.from({ length: n }, () => Math.random() * ms).sort((a, b) => a - b);

// let every node finish its activation read before anything arrives
await sleep(10_000);

// --- trickle, then burst ------------------------------------------------------------------------------------------
const main = [L.instant, L.polling];
const pubsubCounters = async () => (await standin.call('GET', 'pubsub')).counters;
const countersAtTrickle = await pubsubCounters();
const trickleStart = Date.now();
say(`trickle: ${MESSAGES} messages one by one at random moments over ${MINUTES} min, each to both mailboxes`);
let k = 0;
for (const m of randomMoments(MESSAGES, MINUTES * 60_000)) {
	await sleep(trickleStart + m - Date.now());
	await deliver(main, 1, `Bench trickle ${++k}`, 'trickle');
}
await sleep(trickleStart + MINUTES * 60_000 - Date.now());
const burstAt = Date.now();
const countersAtBurst = await pubsubCounters();
const lastTrickle = Math.max(...[...L.instant.expected.values()].map((v) => v.t));
say(`burst: ${BURST} messages at once to each mailbox`);
await deliver(main, BURST, 'Bench burst', 'burst');
await until(() => main.every(drained), 'the burst to drain', DRAIN_MS);
const idleEnd = Date.now();
const countersAtDrain = await pubsubCounters();
say(`main: drained (instant ${drained(L.instant)}, polling ${drained(L.polling)})`);

// --- variant: notifications dropped, the watch lapsing once ------------------------------------------------------
await standin.call('POST', 'pubsub/knobs', { dropShare: DROP_SHARE });
const countersBefore = (await standin.call('GET', 'pubsub')).counters;
const variantStart = Date.now();
say(`variant: ${VARIANT_MESSAGES} messages over ${VARIANT_MINUTES} min, ${DROP_SHARE * 100} % of notifications dropped, the watch lapses halfway`);
let lapsedAt;
k = 0;
for (const m of randomMoments(VARIANT_MESSAGES, VARIANT_MINUTES * 60_000)) {
	await sleep(variantStart + m - Date.now());
	if (!lapsedAt && m >= (VARIANT_MINUTES * 60_000) / 2) {
		const r = await standin.call('POST', 'pubsub/lapse', { user: L.variant.user });
		lapsedAt = Date.now();
		say(`variant: watch lapsed (${JSON.stringify(r)})`);
	}
	await deliver([L.variant], 1, `Bench variant ${++k}`, 'variant');
}
const variantEnd = Date.now();
// a lapsed watch sends nothing: only a catch-up read (every CATCH_UP_MIN) finds what came after it
await until(() => drained(L.variant), 'the variant to drain', (CATCH_UP_MIN + 1.5) * 60_000);
const countersAfter = (await standin.call('GET', 'pubsub')).counters;
await standin.call('POST', 'pubsub/knobs', { dropShare: 0 });
say('all drained or given up; 20 s more to see late duplicates');
await sleep(20_000);
monitoring = false;
await monitor;
await pullLog();
for (const l of lanes) await pullExecutions(l).catch((e) => say(`${l.key}: ${e.message}`));
const END = Date.now();

// --- figures ----------------------------------------------------------------------------------------------------------
const within = (l, from, to) => l.requests.filter((e) => e.t >= from && e.t <= to);
const units = (es) => es.reduce((u, e) => u + (e.units ?? 0), 0);
const pubsubCalls = (es) => es.filter((e) => String(e.routeId ?? '').startsWith('pubsub.')).length;
const refused = (es) => es.filter((e) => e.status === 429 || e.quota).length;

function figures(l, phase) {
	const exp = [...l.expected].filter(([, v]) => !phase || v.phase === phase);
	const ids = new Set(exp.map(([id]) => id));
	const lat = exp.filter(([id]) => l.firstEmitted.has(id)).map(([id, v]) => (l.firstEmitted.get(id) - v.t) / 1000);
	const mine = l.emitted.filter((e) => ids.has(e.id));
	return {
		expected: exp.length,
		emitted: mine.length,
		missing: exp.filter(([id]) => !l.firstEmitted.has(id)).length,
		duplicated: mine.length - new Set(mine.map((e) => e.id)).size,
		median: median(lat),
		p95: percentile(lat, 95),
		max: lat.length ? Math.max(...lat) : NaN,
	};
}
const pad = (s, n) => String(s).padEnd(n);
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const r1 = (x) => (Number.isFinite(x) ? Number(x.toFixed(1)) : null);

console.log(`\n=== bench:instant: n8n 2.41.1, stand-in on Gmail's 2026 quota, ${LATENCY_MS} ms per request; our trigger, Max Emails per Poll ${MAX_PER_POLL} ===`);
console.log('seconds from delivery (the stand-in\'s answer to the deliver call) to the start of the n8n execution that emitted the message');
console.log(`${pad('phase', 9)}${pad('delivery', 22)}${pad('expected', 9)}${pad('emitted', 8)}${pad('missing', 8)}${pad('dup', 5)}${pad('median s', 9)}${pad('p95 s', 8)}max s`);
const F = {};
for (const [l, label] of [
	[L.instant, 'Instant (Pub/Sub)'],
	[L.polling, 'Polling, every minute'],
]) {
	for (const phase of ['trickle', 'burst', undefined]) {
		const f = figures(l, phase);
		F[`${l.delivery}_${phase ?? 'all'}`] = f;
		console.log(
			`${pad(phase ?? 'all', 9)}${pad(label, 22)}${pad(f.expected, 9)}${pad(f.emitted, 8)}${pad(f.missing, 8)}${pad(f.duplicated, 5)}` +
				`${pad(fmt(f.median), 9)}${pad(fmt(f.p95), 8)}${fmt(f.max)}`,
		);
	}
	for (const x of l.failedExecutions.slice(0, 3)) console.log(`           execution ${x.id} ${x.status}: ${x.error ?? ''}`);
	const es = within(l, trickleStart, idleEnd);
	console.log(`           ${label}: ${l.seenExecutions.size} executions; from the first delivery to the drain: ${units(es)} quota units, ${pubsubCalls(es)} Pub/Sub calls, ${refused(es)} quota refusals`);
}
// Gmail sends at most one notification per second per user and drops the rest (stand-in README "Pub/Sub"): mail that
// lands within a second of a notified change is announced by nothing, and waits for the next change or catch-up read
const delta = (a, b, k) => (b[k] ?? 0) - (a[k] ?? 0);
console.log(
	`           notifications (all mailboxes): trickle ${delta(countersAtTrickle, countersAtBurst, 'notified')} sent, ` +
		`${delta(countersAtTrickle, countersAtBurst, 'rateDropped')} dropped by the 1-per-second limit; burst (delivered ` +
		`${((burstAt - lastTrickle) / 1000).toFixed(1)} s after the last trickle message) ${delta(countersAtBurst, countersAtDrain, 'notified')} sent, ` +
		`${delta(countersAtBurst, countersAtDrain, 'rateDropped')} dropped by that limit`,
);
const fv = figures(L.variant);
F.variant = fv;
const dropped = (countersAfter.shareDropped ?? 0) - (countersBefore.shareDropped ?? 0);
const notified = (countersAfter.notified ?? 0) - (countersBefore.notified ?? 0);
const watches = within(L.variant, variantStart, END).filter((e) => e.routeId === 'gmail.users.watch').length;
console.log(
	`${pad('variant', 9)}${pad('Instant, 20 % dropped', 22)}${pad(fv.expected, 9)}${pad(fv.emitted, 8)}${pad(fv.missing, 8)}${pad(fv.duplicated, 5)}` +
		`${pad(fmt(fv.median), 9)}${pad(fmt(fv.p95), 8)}${fmt(fv.max)}`,
);
const counterDelta = Object.entries(countersAfter)
	.map(([k, v]) => [k, v - (countersBefore[k] ?? 0)])
	.filter(([, v]) => v);
console.log(
	`           stand-in over the variant: ${notified} notifications published, ${dropped} dropped (dropShare ${DROP_SHARE}); ` +
		`watch lapsed at ${lapsedAt ? at(lapsedAt) : '-'}; users.watch calls afterwards: ${watches}; ${L.variant.failedExecutions.length} failed executions`,
);

// idle: from a minute after activation (past the activation reads) to the main drain, scaled to an hour
const idleFrom = Math.max(L.idleInstant.activatedAt, L.idlePolling.activatedAt) + 60_000;
const idleS = (idleEnd - idleFrom) / 1000;
const idle = {};
for (const l of [L.idleInstant, L.idlePolling]) {
	const es = within(l, idleFrom, idleEnd);
	idle[l.delivery] = {
		units: units(es),
		pubsub: pubsubCalls(es),
		requests: es.length,
		unitsPerHour: Math.round((units(es) * 3600) / idleS),
		pubsubPerHour: Math.round((pubsubCalls(es) * 3600) / idleS),
		emitted: l.emitted.length,
	};
	const routes = {};
	for (const e of es) routes[e.routeId] = (routes[e.routeId] ?? 0) + 1;
	console.log(
		`idle ${pad(l.delivery, 8)} ${fmt(idleS / 60)} min measured, scaled to an hour: ${idle[l.delivery].unitsPerHour} quota units/h, ` +
			`${idle[l.delivery].pubsubPerHour} Pub/Sub calls/h (measured ${idle[l.delivery].units} units, ${idle[l.delivery].pubsub} Pub/Sub calls; ` +
			`${Object.entries(routes).map(([r, n]) => `${r} ${n}`).join(', ')}); ${l.emitted.length} items emitted`,
	);
}
console.log(`           Pub/Sub counters over the variant (all mailboxes): ${counterDelta.map(([k, v]) => `${k} ${v}`).join(', ')}`);
// the node's own warnings in n8n's log (a failed round of the instant loop is retried; 3 in a row reach n8n as an error)
const n8nLog = readFileSync(join(env('BENCH_WORK'), 'main.log'), 'utf8');
const failedRounds = (n8nLog.match(/\(instant\): round \d+ failed/g) ?? []).length;
console.log(`n8n log: ${failedRounds} failed rounds of the instant loop (retried), e.g. ${(/\(instant\): round \d+ failed \(([^)]*)/.exec(n8nLog)?.[1] ?? '-').slice(0, 160)}`);
console.log(`Pub/Sub long-poll wait of the stand-in: ${knobs0.pullWaitMs} ms (Google's pull may hold longer: Pub/Sub calls per hour idle depend on it)`);
console.log(`whole run ${((END - T0) / 60_000).toFixed(1)} min after setup; load average ${(await import('node:os')).loadavg().map((x) => x.toFixed(2)).join(' ')}`);

const result = {
	instant_median_s: r1(F.instant_trickle.median),
	instant_p95_s: r1(F.instant_trickle.p95),
	instant_missing: F.instant_all.missing,
	instant_duplicated: F.instant_all.duplicated,
	polling_median_s: r1(F.polling_trickle.median),
	idle_units_per_hour: idle.instant.unitsPerHour,
	instant_max_s: r1(F.instant_trickle.max),
	polling_p95_s: r1(F.polling_trickle.p95),
	polling_max_s: r1(F.polling_trickle.max),
	polling_missing: F.polling_all.missing,
	polling_duplicated: F.polling_all.duplicated,
	instant_burst_median_s: r1(F.instant_burst.median),
	instant_burst_p95_s: r1(F.instant_burst.p95),
	instant_burst_max_s: r1(F.instant_burst.max),
	polling_burst_median_s: r1(F.polling_burst.median),
	polling_burst_p95_s: r1(F.polling_burst.p95),
	polling_burst_max_s: r1(F.polling_burst.max),
	burst_notified: delta(countersAtBurst, countersAtDrain, 'notified'),
	idle_pubsub_calls_per_hour: idle.instant.pubsubPerHour,
	idle_polling_units_per_hour: idle.polling.unitsPerHour,
	idle_minutes_measured: r1(idleS / 60),
	variant_missing: fv.missing,
	variant_duplicated: fv.duplicated,
	variant_median_s: r1(fv.median),
	variant_max_s: r1(fv.max),
	variant_notifications_dropped: dropped,
	variant_notifications_published: notified,
	instant_failed_rounds: failedRounds,
	instant_failed_executions: L.instant.failedExecutions.length + L.variant.failedExecutions.length,
	messages: MESSAGES,
	minutes: MINUTES,
	burst: BURST,
	variant_messages: VARIANT_MESSAGES,
	drop_share: DROP_SHARE,
	catch_up_minutes: CATCH_UP_MIN,
	latency_ms: LATENCY_MS,
	pull_wait_ms: knobs0.pullWaitMs,
};
console.log(JSON.stringify(result));
process.exit(0);
