// bench:trigger (issue 13) — run by trigger.sh after it started the stand-in (2026 quota profile) and two n8n 2.41.1
// instances. Our Gmail Workspace Trigger (New Email) and n8n's built-in Gmail Trigger, both ACTIVE and polling every
// minute (n8n's Poll Times "Every Minute": a fixed random second of each minute per workflow), each on its OWN stand-in
// mailbox, with the same mail delivered to both at the same seconds:
//   idle     nothing arrives: quota units per poll;
//   burst    BENCH_BURST (1,000) messages between two polls of both nodes: a third of them in one second, 50 of them
//            labelled by a filter at delivery; ours with Max Emails per Poll 1,000 (plus, on a third mailbox, our
//            Label Added trigger watching the filter's label: it must emit exactly those 50);
//   expiry   BENCH_BACKLOG (300) messages; after ours emitted its first poll's share (Max Emails per Poll 100) BENCH_LATE
//            (100) more arrive and the mailboxes' history is dropped (Gmail answers 404 for the old start id);
//   restart  (second n8n instance) BENCH_BACKLOG messages; after both emitted their first share n8n is stopped,
//            BENCH_LATE more arrive while it is down, and it starts again on the same user folder and database.
// What each node emitted is read from n8n's executions (REST) and their items' message ids; polls and quota units from
// the stand-in's request log, by mailbox. Prints figures; the last line is one JSON object.
import { spawnSync } from 'node:child_process';
import { N8n, Standin } from '../e2e/lib/clients.mjs';
import {
	BUILTIN_TRIGGER,
	BUILTIN_TRIGGER_VERSION,
	OUR_TRIGGER,
	activateWorkflow,
	connectCredential,
	env,
	executionById,
	executionsOf,
	log,
	median,
	nodeRun,
	pollingWorkflow,
	quotaLeastSeconds,
	sleep,
} from './lib.mjs';

const num = (name, def) => Number(process.env[name] ?? def);
const BURST = num('BENCH_BURST', 1000);
const BACKLOG = num('BENCH_BACKLOG', 300);
const LATE = num('BENCH_LATE', 100);
const FILTERED = Math.min(50, Math.floor(BURST / 4));
const OURS_BURST_MAX = 1000;
const OURS_MAX = num('BENCH_OURS_MAX', 100);
const BUILTIN_MAX = num('BENCH_BUILTIN_MAX', 50);
const LATENCY_MS = num('BENCH_LATENCY_MS', 100);
const DEADLINE_MS = num('BENCH_DEADLINE_MIN', 28) * 60_000;
const POLL_S = 60; // n8n's "Every Minute"
const USER_PER_MINUTE_2026 = 6000;
const GRACE_MS = 75_000; // after the last lane drained: one more poll of every node, to see late duplicates
const DOMAIN = 'example.com';

const T0 = Date.now();
const at = (t) => `+${((t - T0) / 1000).toFixed(0)}s`;
const say = (m) => log(`${at(Date.now())} ${m}`);

// --- the two n8n instances and the stand-in -------------------------------------------------------------------------
const google = { port: Number(env('STANDIN_PORT')), ca: env('STANDIN_CA') };
const standin = new Standin(google);
const instances = {
	main: { name: 'main', url: env('N8N_URL'), pid: Number(env('N8N_PID')), down: false },
	restart: { name: 'restart', url: env('RESTART_URL'), pid: Number(env('RESTART_PID')), down: false },
};
async function login(inst) {
	inst.n8n = new N8n(inst.url);
	await inst.n8n.ownerLogin(env('E2E_EMAIL'), env('E2E_PASSWORD'));
}
for (const inst of Object.values(instances)) await login(inst);

await standin.call('POST', 'latency', { fixedMs: LATENCY_MS, jitterMs: 0 });
const quota = await standin.call('POST', 'quota', { profile: '2026', resetCounters: true });
say(`stand-in: ${LATENCY_MS} ms per request; quota profile ${quota.profile ?? '2026'} (${quota.userPerMinute ?? USER_PER_MINUTE_2026} units per user per minute)`);

// --- lanes: one node on one mailbox ---------------------------------------------------------------------------------
const lanes = [];
function lane(scenario, kind, instance, opts = {}) {
	const l = {
		key: `${scenario}/${kind}`,
		scenario,
		kind, // ours | builtin | label
		instance,
		user: `trig-${scenario}-${kind}@${DOMAIN}`,
		nodeName: kind === 'builtin' ? 'Gmail Trigger' : 'Gmail Workspace Trigger',
		maxPerPoll: opts.maxPerPoll,
		expected: new Map(), // message id -> delivered at (ms)
		emitted: [], // {id, at, exec}
		firstEmitted: new Map(), // message id -> ms
		seenExecutions: new Set(),
		failedExecutions: [],
		requests: [],
		pollStarts: [],
		second: undefined,
		activatedAt: undefined,
		drainedAt: undefined,
	};
	lanes.push(l);
	return l;
}
const L = {
	idleOurs: lane('idle', 'ours', 'main', { maxPerPoll: OURS_MAX }),
	idleBuiltin: lane('idle', 'builtin', 'main', { maxPerPoll: BUILTIN_MAX }),
	burstOurs: lane('burst', 'ours', 'main', { maxPerPoll: OURS_BURST_MAX }),
	burstBuiltin: lane('burst', 'builtin', 'main', { maxPerPoll: BUILTIN_MAX }),
	burstLabel: lane('burst', 'label', 'main', { maxPerPoll: OURS_BURST_MAX }),
	expiryOurs: lane('expiry', 'ours', 'main', { maxPerPoll: OURS_MAX }),
	expiryBuiltin: lane('expiry', 'builtin', 'main', { maxPerPoll: BUILTIN_MAX }),
	restartOurs: lane('restart', 'ours', 'restart', { maxPerPoll: OURS_MAX }),
	restartBuiltin: lane('restart', 'builtin', 'restart', { maxPerPoll: BUILTIN_MAX }),
};
const byUser = new Map(lanes.map((l) => [l.user, l]));

// mailboxes (directory users, each with an empty mailbox) and, for the burst, a label set by a delivery filter
for (const l of lanes) await standin.call('POST', 'directory/users', { email: l.user, name: l.key });
const FILTER_LABEL = 'Bench/Filtered';
for (const l of [L.burstOurs, L.burstBuiltin, L.burstLabel]) {
	const label = await standin.api(l.user, 'POST', 'https://gmail.googleapis.com/gmail/v1/users/me/labels', { name: FILTER_LABEL });
	l.filterLabelId = label.id;
	await standin.call('POST', 'filters', { user: l.user, subjectContains: 'filtered', addLabelIds: [label.id] });
}
say(`${lanes.length} mailboxes; the burst's three have a filter that labels "${FILTER_LABEL}" mail whose subject says "filtered"`);

// credentials (connected through the stand-in's consent page, as a user does) and one active workflow per lane
for (const l of lanes) {
	const inst = instances[l.instance];
	const ours = l.kind !== 'builtin';
	l.credential = await connectCredential(inst.n8n, google, ours ? 'ours' : 'builtin', l.user, `${l.key} (${l.user})`);
	let node;
	if (l.kind === 'builtin') {
		// n8n's defaults (Simplify on, no filters) but Max Emails per Poll at its maximum, 50 (default 10)
		node = {
			name: l.nodeName,
			type: BUILTIN_TRIGGER,
			typeVersion: BUILTIN_TRIGGER_VERSION,
			parameters: { maxResults: l.maxPerPoll },
			credentials: { gmailOAuth2: { id: l.credential.id, name: l.credential.name } },
		};
	} else {
		const parameters =
			l.kind === 'label'
				? { event: 'labelChanged', watchLabels: [l.filterLabelId], change: 'added', options: { maxPerPoll: l.maxPerPoll } }
				: { event: 'newEmail', options: { maxPerPoll: l.maxPerPoll } };
		node = {
			name: l.nodeName,
			type: OUR_TRIGGER,
			typeVersion: 1,
			parameters,
			credentials: { gmailWorkspaceOAuth2Api: { id: l.credential.id, name: l.credential.name } },
		};
	}
	l.workflow = await inst.n8n.createWorkflow(pollingWorkflow(`bench:trigger ${l.key}`, node));
}
for (const l of lanes) {
	l.activatedAt = Date.now();
	await activateWorkflow(instances[l.instance].n8n, l.workflow);
}
say(`${lanes.length} workflows active (every minute), each activation polled once (ours: the cursor; the built-in: its timestamp)`);

// --- what happened: the stand-in's log by mailbox, n8n's executions by workflow -------------------------------------
const seqSeen = new Set();
let maxSeq = 0;
async function pullLog() {
	// batch parts are numbered before their envelope is logged: read a little behind the highest number seen
	const entries = await standin.requests(Math.max(0, maxSeq - 2000));
	for (const e of entries) {
		if (seqSeen.has(e.seq)) continue;
		seqSeen.add(e.seq);
		maxSeq = Math.max(maxSeq, e.seq);
		const l = byUser.get(e.subject);
		if (!l) continue;
		e.t = Date.parse(e.time);
		l.requests.push(e);
	}
	for (const l of lanes) {
		l.requests.sort((a, b) => a.t - b.t || a.seq - b.seq);
		l.pollStarts = pollStarts(l);
	}
}

/**
 * When the node's polls began. Ours: each poll after the first reads the history from its cursor (a history.list
 * without pageToken); the activation poll only reads the profile. The built-in: its polls are a few requests in a row
 * (no pacing; ~0.1-1 s apart, and a poll of 50 took up to ~45 s on a busy machine); a request more than 5 s after
 * the previous one begins a poll.
 */
function pollStarts(l) {
	const out = [];
	let prev;
	for (const e of l.requests) {
		if (e.t < l.activatedAt - 1000) {
			prev = e;
			continue;
		}
		const gap = prev ? e.t - prev.t : Infinity;
		if (l.kind === 'builtin') {
			if (gap > 5_000) out.push(e.t);
		} else if (e.routeId === 'gmail.users.history.list' && !/pageToken=/.test(e.query ?? '')) out.push(e.t);
		else if (e.routeId === 'gmail.users.getProfile' && gap > 20_000) out.push(e.t);
		prev = e;
	}
	return out;
}

async function pullExecutions(l) {
	const inst = instances[l.instance];
	if (inst.down) return;
	const list = await executionsOf(inst.n8n, l.workflow.id);
	for (const s of list.sort((a, b) => Number(a.id) - Number(b.id))) {
		if (l.seenExecutions.has(s.id)) continue;
		if (!['success', 'error', 'crashed', 'canceled'].includes(s.status)) continue;
		l.seenExecutions.add(s.id);
		const e = await executionById(inst.n8n, s.id);
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
	if (l.expected.size && !l.drainedAt && [...l.expected.keys()].every((id) => l.firstEmitted.has(id))) {
		l.drainedAt = Math.max(...[...l.expected.keys()].map((id) => l.firstEmitted.get(id)));
		say(`${l.key}: all ${l.expected.size} expected messages emitted (${l.emitted.length} items so far)`);
	}
}

let monitoring = true;
const monitor = (async () => {
	while (monitoring) {
		try {
			await pullLog();
			for (const l of lanes) await pullExecutions(l);
		} catch (e) {
			say(`monitor: ${String(e.message).slice(0, 200)}`);
		}
		await sleep(5000);
	}
})();
const until = async (cond, what, timeoutMs = DEADLINE_MS - (Date.now() - T0)) => {
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

// --- timing deliveries between polls --------------------------------------------------------------------------------
/** Each lane's poll second: from its first poll after activation (n8n draws a random second per workflow). */
async function learnSeconds(ls) {
	await until(() => ls.every((l) => l.pollStarts.some((t) => t > l.activatedAt + 2000)), `the first timed polls of ${ls.map((l) => l.key)}`);
	for (const l of ls) l.second = Math.floor(l.pollStarts.at(-1) / 1000) % 60;
	say(`poll seconds: ${ls.map((l) => `${l.key} :${String(l.second).padStart(2, '0')}`).join(', ')}`);
}

/**
 * The next stretch of `wantS` seconds in which none of the lanes polls: the widest gap between their poll seconds,
 * from 4 s after a poll to 5 s before the next. Waits for its start; returns the seconds it has.
 */
async function betweenPolls(ls, wantS) {
	const secs = [...new Set(ls.map((l) => l.second))].sort((a, b) => a - b);
	let best = { start: secs[0], len: 60 };
	if (secs.length > 1) {
		best = { start: 0, len: -1 };
		for (let i = 0; i < secs.length; i++) {
			const next = i + 1 < secs.length ? secs[i + 1] : secs[0] + 60;
			if (next - secs[i] > best.len) best = { start: secs[i], len: next - secs[i] };
		}
	}
	const seconds = Math.max(1, Math.min(wantS, best.len - 9));
	const startSec = (best.start + 4) % 60;
	const now = Date.now();
	let t = now - (now % 60_000) + startSec * 1000 + 50;
	while (t < now + 500) t += 60_000;
	await sleep(t - now);
	return seconds;
}

/**
 * Deliver the same messages to each lane's mailbox: `plan` is one list of {count, prefix} per second (sameSecond:
 * every message of a call gets that second as its receive time). Records each message's delivery time in its lane.
 */
async function deliver(ls, plan, expect = () => true) {
	const start = Date.now() - (Date.now() % 1000);
	let n = 0;
	for (const [k, parts] of plan.entries()) {
		await sleep(start + k * 1000 + 50 - Date.now());
		for (const l of ls) {
			for (const p of parts) {
				if (!p.count) continue;
				const r = await standin.call('POST', 'deliver', { to: l.user, count: p.count, sameSecond: true, subjectPrefix: p.prefix });
				const t = Date.now();
				for (const d of r.delivered) if (expect(l, d)) l.expected.set(d.id, t);
				n += r.delivered.length;
			}
		}
	}
	return { start, end: Date.now(), messages: n / ls.length };
}

/** `count` messages over `seconds` seconds, one call per second. */
const spread = (count, seconds, prefix) =>
	Array.from({ length: seconds }, (_, k) => [{ count: Math.floor(count / seconds) + (k < count % seconds ? 1 : 0), prefix: `${prefix} s${k + 1}` }]);

// --- the n8n restart (second instance) ------------------------------------------------------------------------------
const alive = (pid) => {
	try {
		process.kill(pid, 0);
		return true;
	} catch {
		return false;
	}
};
async function stopInstance(inst) {
	inst.down = true;
	// trigger.sh started it with setsid: its process group holds n8n and its task runner
	process.kill(-inst.pid, 'SIGTERM');
	for (let i = 0; i < 120 && alive(inst.pid); i++) await sleep(500);
	if (alive(inst.pid)) {
		say(`n8n (${inst.name}) ignored SIGTERM for 60 s: SIGKILL`);
		process.kill(-inst.pid, 'SIGKILL');
	}
	try {
		process.kill(-inst.pid, 'SIGKILL'); // what outlived its leader
	} catch {
		/* none left */
	}
	await sleep(1000);
}
async function startInstance(inst) {
	const r = spawnSync('bash', [env('BENCH_TRIGGER_SH'), '--start-instance', inst.name], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'], timeout: 300_000 });
	const pid = Number(String(r.stdout).trim().split('\n').pop());
	if (r.status !== 0 || !pid) throw new Error(`n8n (${inst.name}) did not start again (exit ${r.status})`);
	inst.pid = pid;
	await login(inst);
	inst.down = false;
}

// --- scenarios --------------------------------------------------------------------------------------------------------
const scenarios = {};

async function burst() {
	const ls = [L.burstOurs, L.burstBuiltin, L.burstLabel];
	await learnSeconds(ls);
	const seconds = await betweenPolls(ls, 12);
	const third = Math.round(BURST / 3);
	const mid = Math.floor(seconds / 2);
	const rest = BURST - third - FILTERED;
	const others = seconds > 1 ? spread(rest, seconds - 1, 'Bench burst') : [[{ count: rest, prefix: 'Bench burst' }]];
	const plan = [];
	for (let k = 0, o = 0; k < seconds; k++) plan.push(k === mid ? [{ count: third, prefix: 'Bench burst same second' }] : others[o++]);
	if (seconds === 1) plan[0].push(...others[0]);
	plan[0] = [...plan[0], { count: FILTERED, prefix: 'Bench burst filtered' }];
	say(`burst: ${BURST} messages to each of ${ls.length} mailboxes over ${seconds} s (${third} in one second, ${FILTERED} labelled by the filter)`);
	// the Label Added trigger expects only the messages the filter labelled
	const d = await deliver(ls, plan, (l, m) => l.kind !== 'label' || (m.labelIds ?? []).includes(l.filterLabelId));
	scenarios.burst = { ...d, lanes: ls };
	say(`burst delivered in ${((d.end - d.start) / 1000).toFixed(1)} s`);
	await until(() => ls.every((l) => l.drainedAt), 'the burst to drain');
}

async function expiry() {
	const ls = [L.expiryOurs, L.expiryBuiltin];
	await learnSeconds(ls);
	const seconds = await betweenPolls(ls, 6);
	say(`expiry: ${BACKLOG} messages to each mailbox over ${seconds} s`);
	const d = await deliver(ls, spread(BACKLOG, seconds, 'Bench backlog'));
	scenarios.expiry = { ...d, lanes: ls };
	// the middle of ours' backlog: it emitted its first poll's share and holds the rest in its queue
	await until(() => L.expiryOurs.emitted.some((e) => e.at >= d.start), "ours' first emission of the backlog");
	const late = await deliver(ls, [[{ count: LATE, prefix: 'Bench late' }]]);
	for (const l of ls) {
		const r = await standin.call('POST', 'history/expire', { user: l.user, all: true });
		say(`expiry: ${l.key} emitted ${l.emitted.length}; ${LATE} more delivered; history dropped (floor ${r.historyFloor}, ${r.dropped} records)`);
	}
	scenarios.expiry.late = late;
	await until(() => ls.every((l) => l.drainedAt), 'the expiry backlog to drain');
}

async function restart() {
	const ls = [L.restartOurs, L.restartBuiltin];
	const inst = instances.restart;
	await learnSeconds(ls);
	const seconds = await betweenPolls(ls, 6);
	say(`restart: ${BACKLOG} messages to each mailbox over ${seconds} s`);
	const d = await deliver(ls, spread(BACKLOG, seconds, 'Bench backlog'));
	scenarios.restart = { ...d, lanes: ls };
	await until(() => ls.every((l) => l.emitted.some((e) => e.at >= d.start)), 'both first emissions of the backlog');
	// stop n8n away from both nodes' poll seconds (a poll in flight would only be repeated: not what this measures)
	for (;;) {
		const s = Math.floor(Date.now() / 1000) % 60;
		if (ls.every((l) => ((s - l.second + 60) % 60) > 12 && ((l.second - s + 60) % 60) > 3)) break;
		await sleep(500);
	}
	say(`restart: ours emitted ${L.restartOurs.emitted.length}, built-in ${L.restartBuiltin.emitted.length} of ${BACKLOG}; stopping n8n (pid ${inst.pid})`);
	const stoppedAt = Date.now();
	await stopInstance(inst);
	const late = await deliver(ls, [[{ count: LATE, prefix: 'Bench while down' }]]);
	await sleep(Math.max(0, stoppedAt + 75_000 - Date.now())); // at least one poll time of each node passes
	await startInstance(inst);
	const startedAt = Date.now();
	say(`restart: n8n up again after ${((startedAt - stoppedAt) / 1000).toFixed(0)} s down (pid ${inst.pid}); ${LATE} messages arrived meanwhile`);
	scenarios.restart.late = late;
	scenarios.restart.down = { from: stoppedAt, to: startedAt };
	await until(() => ls.every((l) => l.drainedAt), 'the restart backlog to drain');
}

const results = await Promise.allSettled([burst(), expiry(), restart()]);
for (const r of results) if (r.status === 'rejected') say(`scenario failed: ${r.reason?.stack ?? r.reason}`);
if (lanes.filter((l) => l.expected.size).every((l) => l.drainedAt)) {
	say(`all drained; one more poll of every node (${GRACE_MS / 1000} s) to see late duplicates`);
	await sleep(GRACE_MS);
}
monitoring = false;
await monitor;
await pullLog();
for (const l of lanes) await pullExecutions(l).catch((e) => say(`${l.key}: ${e.message}`));
const END = Date.now();

// --- figures ----------------------------------------------------------------------------------------------------------
const unitsIn = (l, from, to) => l.requests.filter((e) => e.t >= from && e.t <= to).reduce((u, e) => u + (e.units ?? 0), 0);
const refusedIn = (l, from, to) => l.requests.filter((e) => e.t >= from && e.t <= to && (e.status === 429 || e.quota)).length;

/** Units of each poll that emitted nothing and read nothing new (idle): from a poll's start to the next poll's start. */
function idlePolls(l, until = Infinity) {
	const starts = l.pollStarts.filter((t) => t > l.activatedAt + 2000 && t < until);
	const out = [];
	for (let i = 0; i + 1 < starts.length; i++) out.push(unitsIn(l, starts[i], starts[i + 1] - 1));
	return out;
}

function laneFigures(l, sc) {
	const from = sc.start;
	const ids = l.emitted.map((e) => e.id);
	const unique = new Set(ids);
	const missing = [...l.expected.keys()].filter((id) => !l.firstEmitted.has(id));
	const unexpected = [...unique].filter((id) => !l.expected.has(id));
	const lat = [...l.expected].filter(([id]) => l.firstEmitted.has(id)).map(([id, t]) => (l.firstEmitted.get(id) - t) / 60_000);
	const to = l.drainedAt ?? END;
	const polls = l.pollStarts.filter((t) => t > from && t <= to).length;
	return {
		key: l.key,
		kind: l.kind,
		expected: l.expected.size,
		emitted: ids.length,
		missing: missing.length,
		duplicated: ids.length - unique.size,
		unexpected: unexpected.length,
		drained: !!l.drainedAt,
		polls,
		medianMin: median(lat),
		maxMin: lat.length ? Math.max(...lat) : NaN,
		drainFromEndS: l.drainedAt ? (l.drainedAt - sc.end) / 1000 : NaN,
		units: unitsIn(l, from, to),
		refused: refusedIn(l, from, to),
		failed: l.failedExecutions.length,
		executions: l.seenExecutions.size,
		missingIds: missing.slice(0, 5),
		duplicateIds: [...new Set(ids.filter((id, i) => ids.indexOf(id) !== i))].slice(0, 5),
		repeats: repeats(l),
	};
}

/** Which executions emitted messages again, and which execution had emitted them first (with their times). */
function repeats(l) {
	const first = new Map();
	const groups = new Map();
	for (const e of [...l.emitted].sort((a, b) => a.at - b.at || Number(a.exec) - Number(b.exec))) {
		const f = first.get(e.id);
		if (!f) {
			first.set(e.id, e);
			continue;
		}
		const key = `${e.exec}<${f.exec}`;
		const g = groups.get(key) ?? { exec: e.exec, at: e.at, firstExec: f.exec, firstAt: f.at, n: 0 };
		g.n++;
		groups.set(key, g);
	}
	return [...groups.values()];
}

const label = { ours: 'ours (Gmail Workspace Trigger, New Email)', builtin: `built-in (Gmail Trigger ${BUILTIN_TRIGGER_VERSION})`, label: 'ours (Label Added, the filter\'s label)' };
const pad = (s, n) => String(s).padEnd(n);
const fmt = (x, d = 1) => (Number.isFinite(x) ? x.toFixed(d) : '-');
const rows = [];
console.log('\n=== bench:trigger: n8n 2.41.1, poll every minute, stand-in on Gmail\'s 2026 quota (6,000 units per user per minute) ===');
console.log(`ours: Max Emails per Poll ${OURS_BURST_MAX} in the burst, ${OURS_MAX} elsewhere; built-in: Max Emails per Poll ${BUILTIN_MAX} (its maximum; default 10), other options default`);
console.log(
	`${pad('scenario', 9)}${pad('node', 44)}${pad('expected', 9)}${pad('emitted', 8)}${pad('missing', 8)}${pad('dup', 5)}${pad('polls', 6)}` +
		`${pad('min median', 11)}${pad('min max', 8)}${pad('units', 7)}${pad('429s', 5)}failed`,
);
for (const name of ['burst', 'expiry', 'restart']) {
	const sc = scenarios[name];
	if (!sc) {
		console.log(`${pad(name, 9)}(did not run: see above)`);
		continue;
	}
	for (const l of sc.lanes) {
		const f = laneFigures(l, sc);
		rows.push({ scenario: name, ...f });
		console.log(
			`${pad(name, 9)}${pad(label[l.kind], 44)}${pad(f.expected, 9)}${pad(f.emitted, 8)}${pad(f.missing, 8)}${pad(f.duplicated, 5)}` +
				`${pad(f.drained ? f.polls : `${f.polls}+`, 6)}${pad(fmt(f.medianMin, 2), 11)}${pad(fmt(f.maxMin, 2), 8)}${pad(f.units, 7)}${pad(f.refused, 5)}${f.failed}`,
		);
		if (f.unexpected) console.log(`           ${f.unexpected} emitted messages that were not delivered in this scenario`);
		if (f.missing) console.log(`           missing, e.g. ${f.missingIds.join(', ')}${f.drained ? '' : ' (not emitted by the deadline)'}`);
		if (f.duplicated) {
			const t = (x) => new Date(x).toISOString().slice(11, 19);
			const shown = f.repeats.slice(0, 6).map((g) => `execution ${g.exec} (${t(g.at)}) re-emitted ${g.n} items of execution ${g.firstExec} (${t(g.firstAt)})`);
			console.log(`           emitted more than once: ${shown.join('; ')}${f.repeats.length > 6 ? `; ... (${f.repeats.length} such pairs)` : ''}`);
		}
		for (const x of l.failedExecutions.slice(0, 3)) console.log(`           execution ${x.id} ${x.status}: ${x.error ?? ''}`);
	}
}
const idle = {};
for (const l of [L.idleOurs, L.idleBuiltin]) {
	const u = idlePolls(l);
	idle[l.kind] = { polls: u.length, median: median(u), max: u.length ? Math.max(...u) : NaN, emitted: l.emitted.length };
	console.log(
		`${pad('idle', 9)}${pad(label[l.kind], 44)}${u.length} idle polls: ${fmt(idle[l.kind].median, 1)} units per poll (median; max ${idle[l.kind].max}), ` +
			`${l.emitted.length} items emitted`,
	);
}

const bo = rows.find((r) => r.key === 'burst/ours');
let quotaLine;
if (bo) {
	const least = quotaLeastSeconds(bo.units, USER_PER_MINUTE_2026);
	const target = least + 2 * POLL_S;
	quotaLine = { units: bo.units, leastS: least, targetS: target, measuredS: bo.drainFromEndS };
	console.log(
		`\n2026 quota, ours with Max Emails per Poll ${OURS_BURST_MAX}: the burst took ${bo.units} units; the least time they allow on a ` +
			`${USER_PER_MINUTE_2026}-unit sliding minute is ${least} s (60 s x (ceil(U / ${USER_PER_MINUTE_2026}) - 1)); plus two poll intervals = ${target} s; ` +
			`measured from the last delivery to the last emission: ${fmt(bo.drainFromEndS, 0)} s -> ${bo.drainFromEndS <= target ? 'within' : 'OVER'} the bound`,
	);
}
if (scenarios.restart?.down) console.log(`restart: n8n was down ${((scenarios.restart.down.to - scenarios.restart.down.from) / 1000).toFixed(0)} s; ${LATE} messages arrived meanwhile`);
console.log(`whole run ${((END - T0) / 60_000).toFixed(1)} min after setup`);

const sum = (kind, field) => rows.filter((r) => r.kind === kind).reduce((s, r) => s + r[field], 0);
const bb = rows.find((r) => r.key === 'burst/builtin');
const byScenario = {};
for (const r of rows) {
	const k = `${r.kind === 'builtin' ? 'builtin' : r.kind === 'label' ? 'ours_label' : 'ours'}_${r.scenario}`;
	Object.assign(byScenario, { [`${k}_missing`]: r.missing, [`${k}_duplicated`]: r.duplicated, [`${k}_polls`]: r.drained ? r.polls : null, [`${k}_units`]: r.units });
}
const result = {
	ours_missing: sum('ours', 'missing') + sum('label', 'missing'),
	ours_duplicated: sum('ours', 'duplicated') + sum('label', 'duplicated'),
	ours_idle_units: idle.ours?.median ?? null,
	ours_minutes_to_drain: bo?.drained ? Number((bo.drainFromEndS / 60).toFixed(2)) : null,
	builtin_missing: sum('builtin', 'missing'),
	builtin_duplicated: sum('builtin', 'duplicated'),
	builtin_idle_units: idle.builtin?.median ?? null,
	builtin_minutes_to_drain: bb?.drained ? Number((bb.drainFromEndS / 60).toFixed(2)) : null,
	ours_burst_units: quotaLine?.units ?? null,
	ours_burst_least_seconds_2026: quotaLine?.leastS ?? null,
	ours_burst_target_seconds: quotaLine?.targetS ?? null,
	ours_burst_measured_seconds: quotaLine && Number.isFinite(quotaLine.measuredS) ? Math.round(quotaLine.measuredS) : null,
	ours_burst_within_target: quotaLine ? quotaLine.measuredS <= quotaLine.targetS : null,
	...byScenario,
	ours_failed_executions: sum('ours', 'failed') + sum('label', 'failed'),
	builtin_failed_executions: sum('builtin', 'failed'),
	burst: BURST,
	backlog: BACKLOG,
	late: LATE,
	builtin_max_per_poll: BUILTIN_MAX,
	latency_ms: LATENCY_MS,
};
console.log(JSON.stringify(result));
process.exit(0);
