// bench:read (issues 6 and 12) — run by read.sh after it started the stand-in and n8n. Reads alice's whole mailbox in
// ONE running n8n process, on two Gmail quota models of the stand-in, with every request answered after
// BENCH_LATENCY_MS:
//   legacy (projects that used the Gmail API before May 2026): (a) our Search Emails (Return All, detail Full) with a
//     credential whose "Gmail API Quota" is "Projects Created Earlier", (b) n8n's built-in Gmail node, Get Many
//     (Return All, Simplify off); ceiling: the per-user burst bucket of BENCH_QUOTA units/s (messages.get 5 units);
//   2026 (projects created from May 2026: 6,000 units per user per sliding minute, messages.get 20 units): the same two
//     workflows, ours with a credential on "Projects Created From May 2026" (the default).
// Each run starts on empty quota counters. Prints figures; the last line is one JSON object.
import {
	BUILTIN_NODE,
	BUILTIN_VERSION,
	OUR_NODE,
	builtinCredentials,
	chain,
	connect,
	env,
	fmtMiB,
	log,
	nodeRun,
	ourCredentials,
	peak,
	rssBytes,
	runWorkflow,
	sampleRss,
} from './lib.mjs';
import { createConnectedCredential } from '../e2e/lib/setup.mjs';

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const QUOTA = Number(process.env.BENCH_QUOTA ?? 250);
const UNITS_PER_GET = 5; // messages.get, legacy model
const CEILING = QUOTA / UNITS_PER_GET; // messages per second the legacy per-user burst bucket allows
const USER_PER_MINUTE_2026 = 6000; // the 2026 model's per-user budget (stand-in profile `2026`)
const pid = Number(env('N8N_PID'));

const { n8n, standin, google, credentials, user } = await connect();
// ours on the legacy model: the same connection with "Gmail API Quota" = Projects Created Earlier, so the pacer spends
// that tier's budget and costs (the default credential is on the 2026 tier and would pace a legacy project 4x slower)
const oursLegacy = await createConnectedCredential({ n8n, google, user, name: 'Gmail Workspace (bench, legacy quota)', data: { quotaTier: 'legacy' } });
log(`credential ${oursLegacy.id}: Gmail API Quota "Projects Created Earlier" (legacy); ${credentials.ours.id}: default ("Projects Created From May 2026")`);

// --- what the mailbox holds (the stand-in's own listing, as alice) --------------------------------------------
const expected = [];
for (let pageToken; ; ) {
	const page = await standin.api(user, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages?maxResults=500${pageToken ? `&pageToken=${pageToken}` : ''}`);
	expected.push(...(page.messages ?? []).map((m) => m.id));
	pageToken = page.nextPageToken;
	if (!pageToken) break;
}
log(`alice's mailbox (messages.list, no query, spam/trash excluded as both nodes do): ${expected.length} messages`);

const oursNode = (creds) => ({
	name: 'Search Emails',
	type: OUR_NODE,
	typeVersion: 1,
	parameters: { resource: 'message', operation: 'search', query: '', returnAll: true, detail: 'full' },
	credentials: creds,
});
const ours = await n8n.createWorkflow(chain('bench:read ours (legacy quota)', [oursNode({ gmailWorkspaceOAuth2Api: { id: oursLegacy.id, name: oursLegacy.name } })]));
const ours2026 = await n8n.createWorkflow(chain('bench:read ours (2026 quota)', [oursNode(ourCredentials(credentials))]));
const builtin = await n8n.createWorkflow(
	chain('bench:read built-in', [
		{
			name: 'Get many messages',
			type: BUILTIN_NODE,
			typeVersion: BUILTIN_VERSION,
			parameters: { resource: 'message', operation: 'getAll', returnAll: true, simple: false, filters: {}, options: {} },
			credentials: builtinCredentials(credentials),
		},
	]),
);

await standin.call('POST', 'latency', { fixedMs: LATENCY_MS, jitterMs: 0 });
log(`stand-in: ${LATENCY_MS} ms per request`);

const PROFILES = {
	// legacy: 15,000 units per user per minute + the burst bucket; 1,065 messages x 5 units stay far below the minute
	// budget, so the bucket (BENCH_QUOTA units/s) is the ceiling, as before the minute windows existed
	legacy: { profile: 'legacy', unitsPerSecond: QUOTA },
	2026: { profile: '2026' },
};

const expectedSet = new Set(expected);

async function measure(label, wf, nodeName, profile) {
	// every run starts on empty counters (windows, burst bucket) of the profile it measures
	const settings = await standin.call('POST', 'quota', { ...PROFILES[profile], resetCounters: true });
	await new Promise((r) => setTimeout(r, 1500)); // quiet n8n between runs
	await standin.call('DELETE', 'quota'); // the pause's own calls (none expected) do not count either
	// batch parts get their seq before the envelope is logged: take the highest seq, not the last entry's
	const since = (await standin.requests(0)).reduce((m, q) => Math.max(m, q.seq), 0);
	const rssBefore = rssBytes(pid);
	const sampler = sampleRss(pid, 25);
	const run = await runWorkflow(n8n, wf.id);
	const samples = sampler.stop();
	const requests = await standin.requests(since);
	const quotaAfter = await standin.call('GET', 'quota');
	const ex = run.execution;
	const node = nodeRun(ex, nodeName);
	const items = node?.items ?? [];
	const ids = items.map((i) => i.json?.id).filter(Boolean);
	const unique = new Set(ids);
	const errorItems = items.filter((i) => i.json?.error !== undefined).length;
	const workflowError = ex.status !== 'success' ? 1 : 0;
	const seconds = (node?.executionTime ?? NaN) / 1000;
	return {
		label,
		profile,
		userPerMinute: settings.userPerMinute,
		burstPerSecond: settings.burstPerSecond,
		status: ex.status,
		error: node?.error ?? ex.data?.resultData?.error?.message,
		items: items.length,
		seconds,
		msgsPerS: ids.length / seconds,
		userErrors: workflowError + errorItems,
		missing: expected.filter((id) => !unique.has(id)).length,
		duplicated: ids.length - unique.size,
		unexpected: [...unique].filter((id) => !expectedSet.has(id)).length,
		rssBefore,
		rssPeak: peak(samples),
		requests: summarize(requests),
		refused: quotaAfter.refused,
	};
}

/** What the stand-in saw: HTTP requests (batch envelopes count once), batch sizes, 429s, units, gaps between requests. */
function summarize(reqs) {
	const limitedAnswer = (q) => q.status === 429 || q.status === 403;
	const parts = reqs.filter((q) => q.batch);
	const http = reqs.filter((q) => !q.batch && !q.path.startsWith('/__standin'));
	const envelopes = http.filter((q) => q.path.startsWith('/batch'));
	// a batch's parts are logged (batch: true) just before its envelope
	const sizes = [];
	let n = 0;
	let limited = 0;
	for (const q of reqs) {
		if (q.batch) {
			n++;
			if (limitedAnswer(q)) limited++;
		} else if (q.path.startsWith('/batch')) {
			sizes.push(limited ? `${n}(${limited}x${q.status === 403 ? 403 : 429})` : String(n));
			n = 0;
			limited = 0;
		}
	}
	const gets = reqs.filter((q) => q.routeId === 'gmail.users.messages.get');
	const times = http.map((q) => Date.parse(q.time));
	const gaps = times.slice(1).map((t, i) => t - times[i]);
	const byStatus = {};
	for (const q of reqs) byStatus[q.status] = (byStatus[q.status] ?? 0) + 1;
	const byLimit = {};
	for (const q of reqs) if (q.quota) byLimit[q.quota] = (byLimit[q.quota] ?? 0) + 1;
	return {
		httpRequests: http.length,
		lists: reqs.filter((q) => q.routeId === 'gmail.users.messages.list').length,
		gets: gets.length,
		getsOk: gets.filter((q) => q.status === 200).length,
		singleGets: gets.filter((q) => !q.batch).length,
		batches: envelopes.length,
		batchSizes: sizes,
		partsRateLimited: parts.filter(limitedAnswer).length,
		httpRateLimited: http.filter(limitedAnswer).length,
		refusedByLimit: byLimit,
		units: reqs.reduce((u, q) => u + (q.units ?? 0), 0),
		byStatus,
		// when each batch envelope reached the stand-in, seconds after the run's first request
		batchAt: envelopes.map((q) => (Date.parse(q.time) - times[0]) / 1000),
		firstMs: times[0],
		lastMs: times.at(-1),
		medianGapMs: gaps.length ? gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] : undefined,
	};
}

/** The best times the 2026 model allows for U units on one user's 6,000-unit sliding minute that starts empty. */
function bestTimes(units) {
	const perMin = USER_PER_MINUTE_2026;
	return {
		// the formula of issue 12: the first 6,000 units at once, then 100 units/s (a continuous-refill view)
		fluidS: (Math.max(0, units - perMin) / perMin) * 60,
		// what the stand-in's window (units leave exactly 60 s after they were charged) can actually give: any 60 s
		// span holds at most 6,000 units, so U units need ceil(U / 6,000) spans: the last spend >= 60 s x (that - 1)
		windowS: units <= perMin ? 0 : 60 * (Math.ceil(units / perMin) - 1),
	};
}

function show(r) {
	const q = r.requests;
	const limits = `${r.profile} profile: ${r.userPerMinute} units per user per minute${r.burstPerSecond ? `, burst ${r.burstPerSecond} units/s` : ''}`;
	console.log(`\n${r.label} [${limits}]: ${r.status}${r.error ? ` (${r.error})` : ''}`);
	console.log(`  ${r.items} items in ${r.seconds.toFixed(2)} s (node executionTime) = ${r.msgsPerS.toFixed(1)} messages/s`);
	console.log(`  errors seen by the user: ${r.userErrors}; missing ${r.missing}, duplicated ${r.duplicated}, not in the mailbox ${r.unexpected}`);
	console.log(`  n8n RSS: ${fmtMiB(r.rssBefore)} before, peak ${fmtMiB(r.rssPeak)} (+${fmtMiB(r.rssPeak - r.rssBefore)})`);
	console.log(
		`  stand-in: ${q.httpRequests} HTTP requests (${q.lists} list, ${q.batches} batch envelopes, ${q.singleGets} single gets), ` +
			`${q.gets} messages.get (${q.getsOk} ok), ${q.units} quota units charged; status ${JSON.stringify(q.byStatus)}`,
	);
	console.log(
		`  rate-limited answers (429/403): ${q.partsRateLimited} batch parts + ${q.httpRateLimited} requests` +
			` (log, by limit ${JSON.stringify(q.refusedByLimit)}; stand-in counters: ${r.refused.total} refused ${JSON.stringify(r.refused.byLimit)})`,
	);
	if (q.batches) console.log(`  batch sizes: ${q.batchSizes.join(' ')}`);
	if (q.batches) console.log(`  batches reached the stand-in at (s after the first request): ${q.batchAt.map((t) => t.toFixed(2)).join(' ')}`);
	console.log(`  median gap between HTTP requests: ${q.medianGapMs} ms; first to last request ${((q.lastMs - q.firstMs) / 1000).toFixed(2)} s`);
}

const rateLimited = (r) => r.requests.partsRateLimited + r.requests.httpRateLimited;

log(`legacy profile (burst ${QUOTA} units/s per user -> ceiling ${CEILING} messages/s for messages.get):`);
log(`(a) our Search Emails, Return All, detail Full, credential on "Projects Created Earlier" ...`);
const a = await measure('ours: Search Emails (Return All, Full)', ours, 'Search Emails', 'legacy');
show(a);
log(`(b) built-in Gmail ${BUILTIN_VERSION} Get Many, Return All, Simplify off (one messages.get per message, in sequence) ...`);
const b = await measure(`built-in Gmail ${BUILTIN_VERSION}: Get Many (Return All, Simplify off)`, builtin, 'Get many messages', 'legacy');
show(b);

log(`2026 profile (6,000 units per user per sliding minute, messages.get 20 units):`);
log(`(c) our Search Emails, Return All, detail Full, credential on "Projects Created From May 2026" ...`);
const c = await measure('ours: Search Emails (Return All, Full)', ours2026, 'Search Emails', '2026');
show(c);
const best = bestTimes(c.requests.units);
console.log(
	`  best times for ${c.requests.units} units on an empty 6,000/min window: ${best.fluidS.toFixed(1)} s by the issue's formula ` +
		`(max(0, U - 6000) / 6000 min) -> share ${(best.fluidS / c.seconds).toFixed(3)}; ${best.windowS} s on a sliding window ` +
		`(60 s x (ceil(U / 6000) - 1)) -> share ${(best.windowS / c.seconds).toFixed(3)}`,
);
log(`(d) built-in Gmail ${BUILTIN_VERSION} Get Many on the 2026 profile ...`);
const d = await measure(`built-in Gmail ${BUILTIN_VERSION}: Get Many (Return All, Simplify off)`, builtin, 'Get many messages', '2026');
show(d);

const ok = (r) => r.status === 'success' && r.userErrors === 0 && r.missing === 0 && r.duplicated === 0 && r.unexpected === 0;
const result = {
	ours_msgs_per_s: Number(a.msgsPerS.toFixed(1)),
	builtin_msgs_per_s: Number(b.msgsPerS.toFixed(1)),
	quota_share: Number((a.msgsPerS / CEILING).toFixed(3)),
	ratio: b.msgsPerS > 0 ? Number((a.msgsPerS / b.msgsPerS).toFixed(2)) : null,
	...(b.status !== 'success' ? { builtin_error: String(b.error ?? '').slice(0, 200) } : {}),
	user_errors: a.userErrors,
	missing: a.missing,
	duplicated: a.duplicated,
	builtin_user_errors: b.userErrors,
	builtin_missing: b.missing,
	builtin_duplicated: b.duplicated,
	messages: expected.length,
	ceiling_msgs_per_s: CEILING,
	ours_seconds: Number(a.seconds.toFixed(2)),
	builtin_seconds: Number(b.seconds.toFixed(2)),
	ours_429_retried: rateLimited(a),
	ours_peak_rss_mib: Number((a.rssPeak / 1048576).toFixed(0)),
	builtin_peak_rss_mib: Number((b.rssPeak / 1048576).toFixed(0)),
	latency_ms: LATENCY_MS,
	quota_units_per_s: QUOTA,
	ours_2026_ok: ok(c),
	// the best time the stand-in's quota model (a sliding 60 s window) allows for the same units
	quota_share_2026: Number((best.windowS / c.seconds).toFixed(3)),
	user_errors_2026: c.userErrors,
	rate_limited_answers_2026: rateLimited(c),
	builtin_2026_ok: ok(d),
	builtin_2026_user_errors: d.userErrors,
	// against a budget that refilled continuously (issue 12's first formula; no client can reach it, see README)
	quota_share_2026_fluid: Number((best.fluidS / c.seconds).toFixed(3)),
	ours_2026_seconds: Number(c.seconds.toFixed(2)),
	ours_2026_msgs_per_s: Number(c.msgsPerS.toFixed(2)),
	missing_2026: c.missing,
	duplicated_2026: c.duplicated,
	units_2026: c.requests.units,
	ideal_seconds_2026: Number(best.fluidS.toFixed(1)),
	window_best_seconds_2026: best.windowS,
	builtin_2026_messages: d.items,
	builtin_2026_seconds: Number(d.seconds.toFixed(2)),
	builtin_2026_rate_limited_answers: rateLimited(d),
	...(d.status !== 'success' ? { builtin_2026_error: String(d.error ?? '').slice(0, 200) } : {}),
	builtin_2026_missing: d.missing,
	builtin_2026_duplicated: d.duplicated,
};
console.log(`\nlegacy: ours ${result.ours_msgs_per_s} msg/s = ${(result.quota_share * 100).toFixed(1)}% of the ${CEILING} msg/s ceiling; built-in ${result.builtin_msgs_per_s} msg/s; ratio ${result.ratio === null ? 'n/a (built-in failed)' : `${result.ratio}x`}`);
console.log(
	`2026: ours ${ok(c) ? 'complete' : 'NOT complete'} in ${result.ours_2026_seconds} s (${c.requests.units} units; ${rateLimited(c)} rate-limited answers): ` +
		`quota_share_2026 ${result.quota_share_2026} (sliding window), ${result.quota_share_2026_fluid} (continuous refill); ` +
		`built-in ${ok(d) ? 'complete' : `NOT complete (${d.items} of ${expected.length} messages, ${rateLimited(d)} rate-limited answers)`} in ${result.builtin_2026_seconds} s`,
);
console.log(JSON.stringify(result));
