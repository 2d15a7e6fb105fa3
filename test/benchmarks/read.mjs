// bench:read (issue 6) — run by read.sh after it started the stand-in and n8n. Reads alice's whole mailbox in ONE
// running n8n process: (a) our Search Emails (Return All, detail Full), (b) n8n's built-in Gmail node, Get Many
// (Return All, Simplify off), with the stand-in answering every request after BENCH_LATENCY_MS and enforcing
// BENCH_QUOTA units/s per user. Prints figures; the last line is one JSON object.
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

const LATENCY_MS = Number(process.env.BENCH_LATENCY_MS ?? 100);
const QUOTA = Number(process.env.BENCH_QUOTA ?? 250);
const UNITS_PER_GET = 5; // messages.get
const CEILING = QUOTA / UNITS_PER_GET; // messages per second the per-user quota allows
const pid = Number(env('N8N_PID'));

const { n8n, standin, credentials, user } = await connect();

// --- what the mailbox holds (the stand-in's own listing, as alice) --------------------------------------------
const expected = [];
for (let pageToken; ; ) {
	const page = await standin.api(user, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages?maxResults=500${pageToken ? `&pageToken=${pageToken}` : ''}`);
	expected.push(...(page.messages ?? []).map((m) => m.id));
	pageToken = page.nextPageToken;
	if (!pageToken) break;
}
log(`alice's mailbox (messages.list, no query, spam/trash excluded as both nodes do): ${expected.length} messages`);

const ours = await n8n.createWorkflow(
	chain('bench:read ours', [
		{
			name: 'Search Emails',
			type: OUR_NODE,
			typeVersion: 1,
			parameters: { resource: 'message', operation: 'search', query: '', returnAll: true, detail: 'full' },
			credentials: ourCredentials(credentials),
		},
	]),
);
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
await standin.call('POST', 'quota', { unitsPerSecond: QUOTA });
log(`stand-in: ${LATENCY_MS} ms per request, quota ${QUOTA} units/s per user -> ceiling ${CEILING} messages/s for messages.get`);

const expectedSet = new Set(expected);

async function measure(label, wf, nodeName) {
	await new Promise((r) => setTimeout(r, 1500)); // let the user's quota bucket refill (both share alice's)
	// batch parts get their seq before the envelope is logged: take the highest seq, not the last entry's
	const since = (await standin.requests(0)).reduce((m, q) => Math.max(m, q.seq), 0);
	const rssBefore = rssBytes(pid);
	const sampler = sampleRss(pid, 25);
	const run = await runWorkflow(n8n, wf.id);
	const samples = sampler.stop();
	const requests = await standin.requests(since);
	const ex = run.execution;
	const node = nodeRun(ex, nodeName);
	const items = node?.items ?? [];
	const ids = items.map((i) => i.json?.id).filter(Boolean);
	const unique = new Set(ids);
	const errorItems = items.filter((i) => i.json?.error !== undefined).length;
	const workflowError = ex.status !== 'success' ? 1 : 0;
	const seconds = (node?.executionTime ?? NaN) / 1000;
	const r = {
		label,
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
	};
	return r;
}

/** What the stand-in saw: HTTP requests (batch envelopes count once), batch sizes, 429s, gaps between requests. */
function summarize(reqs) {
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
			if (q.status === 429 || q.status === 403) limited++;
		} else if (q.path.startsWith('/batch')) {
			sizes.push(limited ? `${n}(${limited}x429)` : String(n));
			n = 0;
			limited = 0;
		}
	}
	const gets = reqs.filter((q) => q.routeId === 'gmail.users.messages.get');
	const times = http.map((q) => Date.parse(q.time));
	const gaps = times.slice(1).map((t, i) => t - times[i]);
	const byStatus = {};
	for (const q of reqs) byStatus[q.status] = (byStatus[q.status] ?? 0) + 1;
	return {
		httpRequests: http.length,
		lists: reqs.filter((q) => q.routeId === 'gmail.users.messages.list').length,
		gets: gets.length,
		getsOk: gets.filter((q) => q.status === 200).length,
		singleGets: gets.filter((q) => !q.batch).length,
		batches: envelopes.length,
		batchSizes: sizes,
		partsRateLimited: parts.filter((q) => q.status === 429 || q.status === 403).length,
		httpRateLimited: http.filter((q) => q.status === 429 || q.status === 403).length,
		byStatus,
		medianGapMs: gaps.length ? gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] : undefined,
	};
}

function show(r) {
	const q = r.requests;
	console.log(`\n${r.label}: ${r.status}${r.error ? ` (${r.error})` : ''}`);
	console.log(`  ${r.items} items in ${r.seconds.toFixed(2)} s (node executionTime) = ${r.msgsPerS.toFixed(1)} messages/s`);
	console.log(`  errors seen by the user: ${r.userErrors}; missing ${r.missing}, duplicated ${r.duplicated}, not in the mailbox ${r.unexpected}`);
	console.log(`  n8n RSS: ${fmtMiB(r.rssBefore)} before, peak ${fmtMiB(r.rssPeak)} (+${fmtMiB(r.rssPeak - r.rssBefore)})`);
	console.log(
		`  stand-in: ${q.httpRequests} HTTP requests (${q.lists} list, ${q.batches} batch envelopes, ${q.singleGets} single gets), ` +
			`${q.gets} messages.get (${q.getsOk} ok), rate-limited: ${q.partsRateLimited} batch parts + ${q.httpRateLimited} requests; status ${JSON.stringify(q.byStatus)}`,
	);
	if (q.batches) console.log(`  batch sizes: ${q.batchSizes.join(' ')}`);
	console.log(`  median gap between HTTP requests: ${q.medianGapMs} ms`);
}

log(`(a) our Search Emails, Return All, detail Full ...`);
const a = await measure('ours: Search Emails (Return All, Full)', ours, 'Search Emails');
show(a);
log(`(b) built-in Gmail ${BUILTIN_VERSION} Get Many, Return All, Simplify off (one messages.get per message, in sequence) ...`);
const b = await measure(`built-in Gmail ${BUILTIN_VERSION}: Get Many (Return All, Simplify off)`, builtin, 'Get many messages');
show(b);

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
	ours_429_retried: a.requests.partsRateLimited + a.requests.httpRateLimited,
	ours_peak_rss_mib: Number((a.rssPeak / 1048576).toFixed(0)),
	builtin_peak_rss_mib: Number((b.rssPeak / 1048576).toFixed(0)),
	latency_ms: LATENCY_MS,
	quota_units_per_s: QUOTA,
};
console.log(`\nours ${result.ours_msgs_per_s} msg/s = ${(result.quota_share * 100).toFixed(1)}% of the ${CEILING} msg/s ceiling; built-in ${result.builtin_msgs_per_s} msg/s; ratio ${result.ratio === null ? 'n/a (built-in failed)' : `${result.ratio}x`}`);
console.log(JSON.stringify(result));
