// The queue-mode run (issue #15), driven by queue.sh once PostgreSQL, Redis, the stand-in, n8n main and two workers
// are up. One OAuth2 credential (alice) shared by four active workflows, an admin credential for the fifth; a load of
// --load-seconds with faults inside it (10% failing calls, Redis restarted, a worker killed mid-send), then the
// refresh token revoked and the account reconnected; then the counts, read from n8n's REST API, the workers' logs
// and the stand-in's request log and mailboxes, and a scan for every secret the stand-in handed out.
import { execFileSync, spawnSync } from 'node:child_process';
import { randomBytes, randomUUID } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { ADMIN, ALICE, SA } from './cases.mjs';
import { N8n, Standin, connectOAuth2 } from './lib/clients.mjs';
import { createConnectedCredential } from './lib/setup.mjs';
import { n8nFlatted } from './trigger.mjs';

const { values: a } = parseArgs({
	options: {
		'n8n-url': { type: 'string' }, work: { type: 'string' }, 'standin-port': { type: 'string' }, ca: { type: 'string' },
		email: { type: 'string' }, password: { type: 'string' }, 'load-seconds': { type: 'string', default: '300' },
		'redis-port': { type: 'string' }, pg: { type: 'string' }, results: { type: 'string' },
	},
});
const WORK = a.work;
const LOAD_MS = Number(a['load-seconds']) * 1000;
const GMAIL = 'https://gmail.googleapis.com/gmail/v1/users/me';
const SEND_PREFIX = 'Queue load send';
const DELIVERY_PREFIX = 'Queue delivery';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const t0 = Date.now();
const log = (m) => console.log(`   [${((Date.now() - t0) / 1000).toFixed(0).padStart(4)} s] ${m}`);

const n8n = new N8n(a['n8n-url']);
const google = { port: Number(a['standin-port']), ca: a.ca };
const standin = new Standin(google);
const flatted = n8nFlatted(join(WORK, 'main.env'));
const checks = [];
const check = (name, ok, detail = '') => {
	checks.push({ name, ok: !!ok, detail });
	console.log(`   ${ok ? 'PASS' : 'FAIL'} ${name}${detail ? ` (${detail})` : ''}`);
};

// ---------- workflows ----------
const node = (name, type, typeVersion, parameters, x, credentials) => ({
	id: randomUUID(), name, type, typeVersion, position: [x, 0], parameters, ...(credentials ? { credentials } : {}),
});
const oauth = (c) => ({ gmailWorkspaceOAuth2Api: { id: c.id, name: c.name } });
const GW = 'n8n-nodes-gmail-workspace.gmailWorkspace';
const schedule = (interval) => node('Schedule', 'n8n-nodes-base.scheduleTrigger', 1.2, { rule: { interval: [interval] } }, 0);
function workflow(name, nodes) {
	const connections = {};
	for (let i = 0; i + 1 < nodes.length; i++) connections[nodes[i].name] = { main: [[{ node: nodes[i + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes, connections, settings: { executionOrder: 'v1', saveDataSuccessExecution: 'all', saveDataErrorExecution: 'all' } };
}

function workflows(alice, admin, attachment) {
	return {
		searchRead: workflow('Queue: search and read 200', [
			schedule({ field: 'minutes', minutesInterval: 2 }),
			node('Search', GW, 1, { resource: 'message', operation: 'search', query: '', limit: 200, detail: 'metadata' }, 220, oauth(alice)),
			node('Read', GW, 1, { resource: 'message', operation: 'read', messageId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, options: {} }, 440, oauth(alice)),
		]),
		send: workflow('Queue: send 5 MiB every 20 s', [
			schedule({ field: 'seconds', secondsInterval: 20 }),
			node('Attachment', 'n8n-nodes-base.readWriteFile', 1.1, { operation: 'read', fileSelector: attachment, options: { dataPropertyName: 'file' } }, 220),
			node('Send', GW, 1, {
				resource: 'message', operation: 'sendWithAttachment', to: 'bob@example.com',
				subject: `=${SEND_PREFIX} {{ $('Schedule').item.json.timestamp }}`, emailType: 'text', message: 'The 5 MiB file is attached.',
				attachments: { attachment: [{ binaryPropertyName: 'file' }] },
				options: { idempotencyKey: "={{ $('Schedule').item.json.timestamp }}" },
			}, 440, oauth(alice)),
		]),
		trigger: workflow('Queue: new email trigger', [
			node('On new email', 'n8n-nodes-gmail-workspace.gmailWorkspaceTrigger', 1, {
				pollTimes: { item: [{ mode: 'everyMinute' }] }, event: 'newEmail', filters: {}, output: 'simple', options: {},
			}, 0, oauth(alice)),
			node('Seen', 'n8n-nodes-base.noOp', 1, {}, 220),
		]),
		admin: workflow('Queue: admin cards through the service account', [
			schedule({ field: 'minutes', minutesInterval: 1 }),
			node('Auto Reply', GW, 1, { resource: 'autoReply', operation: 'set', userEmail: ALICE, enabled: true, subject: 'Out of office', message: 'Away; Bob covers.', options: { restrictToDomain: true } }, 220, oauth(admin)),
			node('Add Delegate', GW, 1, { resource: 'delegate', operation: 'add', userEmail: ALICE, delegateEmail: 'bob@example.com', options: {} }, 440, oauth(admin)),
			node('Delete Delegate', GW, 1, { resource: 'delegate', operation: 'delete', userEmail: ALICE, delegateEmail: 'bob@example.com' }, 660, oauth(admin)),
		]),
		labels: workflow('Queue: label unread mail', [
			schedule({ field: 'minutes', minutesInterval: 1 }),
			node('Unread', GW, 1, { resource: 'message', operation: 'search', query: 'is:unread', limit: 20, detail: 'metadata' }, 220, oauth(alice)),
			node('Label', GW, 1, { resource: 'message', operation: 'addLabels', messageId: { __rl: true, mode: 'id', value: '={{ $json.id }}' }, labelIds: '={{ ["Queue/Processed"] }}', createLabelsIfMissing: true }, 440, oauth(alice)),
		]),
	};
}

// ---------- n8n's executions ----------
async function executionsOf(workflowId) {
	const out = [];
	let lastId;
	for (;;) {
		const q = `filter=${encodeURIComponent(JSON.stringify({ workflowId }))}&limit=100${lastId ? `&lastId=${lastId}` : ''}`;
		const page = await n8n.call('GET', `/rest/executions?${q}`);
		const results = page.results ?? [];
		out.push(...results);
		if (results.length < 100) return out;
		lastId = results.at(-1).id;
	}
}
const details = new Map();
async function detail(id) {
	if (!details.has(id)) {
		const e = await n8n.call('GET', `/rest/executions/${id}`);
		details.set(id, { ...e, data: typeof e.data === 'string' ? flatted.parse(e.data) : e.data });
	}
	return details.get(id);
}
const nodeItems = (e, name) => (e.data?.resultData?.runData?.[name]?.at(-1)?.data?.main?.[0] ?? []).map((i) => i.json);
const errorOf = (e) => e.data?.resultData?.error?.message ?? '';
const FINISHED = ['success', 'error', 'crashed', 'canceled'];

// ---------- processes ----------
const pidOf = (name) => Number(readFileSync(join(WORK, `${name}.pid`), 'utf8').trim());
function killSession(pid) {
	try { process.kill(-pid, 'SIGKILL'); } catch { try { process.kill(pid, 'SIGKILL'); } catch {} }
	spawnSync('pkill', ['-KILL', '-s', String(pid)]);
}
const sessionOf = (pid) => Number(spawnSync('ps', ['-o', 'sid=', '-p', String(pid)], { encoding: 'utf8' }).stdout.trim() || 0);
/** Which worker (1 or 2) holds the TCP connection from this local port (ss -tnp). */
function workerByPort(port) {
	const out = spawnSync('ss', ['-Htnp', 'state', 'established', `( sport = :${port} )`], { encoding: 'utf8' }).stdout;
	const pid = Number(/pid=(\d+)/.exec(out)?.[1] ?? 0);
	if (!pid) return undefined;
	for (const w of [1, 2]) if (sessionOf(pid) === pidOf(`worker${w}`)) return w;
	return undefined;
}
async function startWorker(w) {
	execFileSync('bash', [join(WORK, 'start-worker.sh'), String(w)]);
	const port = Number(a['n8n-url'].split(':').at(-1)) + 10 * w;
	for (let i = 0; i < 360; i++) {
		try { if ((await fetch(`http://127.0.0.1:${port}/healthz`)).ok) return true; } catch {}
		await sleep(500);
	}
	return false;
}

/** Wait until the main's log says every workflow's trigger node was activated (its publication ran). */
async function waitForTriggersStarted(ids, timeoutMs = 120_000) {
	const until = Date.now() + timeoutMs;
	for (;;) {
		const started = new Set();
		for (const line of readFileSync(join(WORK, 'main.log'), 'utf8').split('\n'))
			if (line.includes('Activated trigger node')) for (const id of ids) if (line.includes(`"id": "${id}"`)) started.add(id);
		if (started.size === ids.length) return;
		if (Date.now() > until) throw new Error(`n8n did not start the triggers of ${ids.filter((id) => !started.has(id)).join(', ')} within ${timeoutMs / 1000} s`);
		await sleep(500);
	}
}

// ---------- the run ----------
await n8n.ownerLogin(a.email, a.password);
const alice = await createConnectedCredential({ n8n, google, user: ALICE, name: 'Gmail Workspace (queue mode)', data: { scopeSet: 'full' } });
const admin = await createConnectedCredential({ n8n, google, user: ADMIN, name: 'Gmail Workspace admin (queue mode)', data: { scopeSet: 'all', serviceAccountEmail: SA } });
const attachment = join(WORK, 'files', 'report-5mib.bin');
writeFileSync(attachment, randomBytes(5 * 1024 * 1024));
log(`credentials ${alice.id} (alice, shared by 4 workflows) and ${admin.id} (admin through ${SA})`);

const wfs = {};
for (const [key, wf] of Object.entries(workflows(alice, admin, attachment))) {
	const created = await n8n.createWorkflow(wf);
	wfs[key] = { id: created.id, name: wf.name, versionId: created.versionId };
}
const seq0 = await standin.lastSeq();
for (const w of Object.values(wfs)) await n8n.activateWorkflow(w.id, w.versionId);
// n8n 2.x answers the activation before its publication outbox has started the triggers (the trigger's
// first poll, which sets its cursor, runs after): mail delivered in between is older than the activation
await waitForTriggersStarted(Object.values(wfs).map((w) => w.id));
log(`5 workflows active: ${Object.values(wfs).map((w) => w.name).join('; ')}`);

const delivered = []; // {id, subject}
let stopLoops = false;
const loops = [
	(async () => { // 10 messages a minute into alice's inbox
		for (let k = 1; !stopLoops; k++) {
			const subject = `${DELIVERY_PREFIX} ${k}`;
			const r = await standin.call('POST', 'deliver', { to: ALICE, count: 1, from: 'Sender <news@outside.example.net>', subjectPrefix: subject });
			delivered.push(...r.delivered.map((m) => ({ id: m.id, subject, at: new Date().toISOString() })));
			await sleep(6000);
		}
	})(),
	(async () => { // every access token expires each minute
		for (let m = 1; !stopLoops; m++) {
			await sleep(60_000);
			if (!stopLoops) await standin.expireTokens();
		}
	})(),
];

const phase = {};
const at = async (ms) => { const wait = t0 + ms - Date.now(); if (wait > 0) await sleep(wait); };
const loadStart = Date.now();
const mark = (ms) => loadStart + ms - t0;

// 10% of calls fail for a minute: 500, 503, 429, reset, hang, 2% each
await at(mark(LOAD_MS * 0.4));
phase.faultsFrom = new Date().toISOString();
await standin.call('POST', 'faults', ['500', '503', '429', 'reset', 'hang'].map((x) => ({ share: 0.02, action: /^\d+$/.test(x) ? Number(x) : x, retryAfter: x === '429' ? 2 : undefined })));
log('faults on: 10% of calls answer 500 / 503 / 429 / reset / hang');
await sleep(Math.min(60_000, LOAD_MS * 0.2));
const faultsSeen = (await standin.call('GET', 'faults')).faults.reduce((n, f) => n + (f.hits?.length ?? 0), 0);
await standin.call('DELETE', 'faults');
phase.faultsTo = new Date().toISOString();
log(`faults off (${faultsSeen} calls failed on purpose)`);

// Redis restarted under the running workload
const redisCmd = readFileSync(join(WORK, 'redis.cmd'), 'utf8').trim();
spawnSync('redis-cli', ['-p', a['redis-port'], 'shutdown', 'nosave']);
phase.redisDownAt = new Date().toISOString();
await sleep(3000);
execFileSync('bash', ['-c', `setsid bash -c "exec ${redisCmd.replace(/"/g, '\\"')}" >> '${WORK}/redis.log' 2>&1 < /dev/null & echo $! > '${WORK}/redis.pid'`]);
let redisUp = false;
for (let i = 0; i < 40 && !redisUp; i++) { redisUp = spawnSync('redis-cli', ['-p', a['redis-port'], 'ping'], { encoding: 'utf8' }).stdout.includes('PONG'); if (!redisUp) await sleep(250); }
log(`Redis restarted (${redisUp ? 'up again' : 'NOT up'})`);

// a worker killed mid-send: the 5 MiB message goes up in four 2 MiB chunks (resumable upload); the next upload's
// last chunk is stored by Gmail, then its answer never comes, and the worker holding the connection dies
await standin.call('POST', 'faults', [{ match: { method: 'PUT', path: '^/upload/gmail/v1/users/me/messages/send$' }, nth: [4], phase: 'after', action: 'hang' }]);
let hit;
for (let i = 0; i < 120 && !hit; i++) { hit = (await standin.call('GET', 'faults')).faults[0]?.hits?.[0]; if (!hit) await sleep(500); }
const killedWorker = hit ? workerByPort(hit.remotePort) : undefined;
const killAt = new Date();
/** Executions a worker started and had not finished (its log), i.e. what dies with it. */
const unfinished = (w) => {
	const text = readFileSync(join(WORK, `worker${w}.log`), 'utf8');
	const done = new Set([...text.matchAll(/Worker finished execution (\d+)/g)].map((m) => m[1]));
	return [...text.matchAll(/Worker started execution (\d+)/g)].map((m) => m[1]).filter((id) => !done.has(id));
};
let diedWithWorker = [];
if (killedWorker) {
	killSession(pidOf(`worker${killedWorker}`));
	diedWithWorker = unfinished(killedWorker);
	log(`worker ${killedWorker} killed while its send hung (client port ${hit.remotePort})`);
}
await standin.call('DELETE', 'faults');
const restarted = killedWorker ? await startWorker(killedWorker) : false;
log(killedWorker ? `worker ${killedWorker} ${restarted ? 'restarted' : 'did NOT restart'}` : 'no send caught in flight: no worker killed');

await at(mark(LOAD_MS));
stopLoops = true;
await Promise.all(loops);
phase.loadEnd = new Date().toISOString();
log(`load over: ${delivered.length} messages delivered to alice`);

// the execution the killed worker held: n8n marks it crashed (or failed); Retry (what a user clicks) must not send twice
let killed;
let retry;
let killedSubject;
let storedBeforeRetry;
let storedAfterRetry;
const countSent = async (subject) =>
	((await standin.api(ALICE, 'GET', `${GMAIL}/messages?q=${encodeURIComponent(`subject:"${subject}" in:sent`)}&maxResults=10`)).messages ?? []).length;
if (killedWorker) {
	for (let i = 0; i < 120 && !killed; i++) {
		const list = await executionsOf(wfs.send.id);
		killed = list.find((e) => diedWithWorker.includes(String(e.id)) && FINISHED.includes(e.status));
		if (!killed) await sleep(1000);
	}
	if (killed) {
		const original = await detail(killed.id);
		const stack = original.data?.executionData?.nodeExecutionStack?.find((x) => x.node?.name === 'Schedule');
		const scheduled = nodeItems(original, 'Schedule')[0]?.timestamp ?? stack?.data?.main?.[0]?.[0]?.json?.timestamp;
		killedSubject = `${SEND_PREFIX} ${scheduled}`;
		storedBeforeRetry = scheduled ? await countSent(killedSubject) : undefined;
		const r = await n8n.raw('POST', `/rest/executions/${killed.id}/retry`, { loadWorkflow: false });
		retry = { status: r.status, text: r.text.slice(0, 300) };
		const list = await executionsOf(wfs.send.id);
		const again = list.find((e) => String(e.retryOf) === String(killed.id));
		if (again) { retry.execution = await detail(again.id); retry.output = nodeItems(retry.execution, 'Send')[0]; }
		if (retry.output === undefined) {
			// n8n did not run the Send again (e.g. a job it gave up as stalled keeps no data to retry from)
			retry.n8n = errorOf(retry.execution ?? {}) || retry.text;
		}
		const retriedAt = retry.execution && nodeItems(retry.execution, 'Schedule')[0]?.timestamp;
		if (!scheduled && retriedAt) killedSubject = `${SEND_PREFIX} ${retriedAt}`;
		storedAfterRetry = scheduled || retriedAt ? await countSent(killedSubject) : undefined;
		log(`killed execution ${killed.id} (${killed.status}, "${killedSubject}": ${storedBeforeRetry} in SENT); retried as ${again?.id ?? '?'}: ${JSON.stringify(retry.output ?? retry.text)}; now ${storedAfterRetry} in SENT`);
	}
}

// the other executions that died with the worker (a trigger's events, a search) are retried too, as a user would
const retriedOthers = [];
for (const id of diedWithWorker) {
	if (String(id) === String(killed?.id)) continue;
	const r = await n8n.raw('POST', `/rest/executions/${id}/retry`, { loadWorkflow: false });
	retriedOthers.push({ id, status: r.status, result: r.json?.data?.status ?? r.text.slice(0, 120) });
}
if (retriedOthers.length) log(`retried what else died with the worker: ${JSON.stringify(retriedOthers)}`);

// the refresh token revoked: executions fail with the reconnect message, the admin workflow goes on; reconnecting heals
const revokeAt = new Date();
await standin.call('POST', 'refresh-token', { email: ALICE, state: 'revoked' });
await standin.expireTokens(ALICE);
log('alice\'s refresh token revoked and her access tokens expired');
const failedSince = async (key, since) => (await executionsOf(wfs[key].id)).filter((e) => e.status === 'error' && Date.parse(e.startedAt) >= since);
const okSince = async (key, since) => (await executionsOf(wfs[key].id)).filter((e) => e.status === 'success' && Date.parse(e.startedAt) >= since);
const revokedFailures = {};
let adminDuringRevoke = [];
for (let i = 0; i < 100; i++) {
	for (const key of ['send', 'labels']) if (!revokedFailures[key]) revokedFailures[key] = (await failedSince(key, revokeAt))[0];
	adminDuringRevoke = await okSince('admin', revokeAt.getTime());
	if (revokedFailures.send && revokedFailures.labels && adminDuringRevoke.length) break;
	await sleep(1000);
}
const revokeMessages = {};
for (const [key, e] of Object.entries(revokedFailures)) if (e) revokeMessages[key] = errorOf(await detail(e.id));
const reconnectAt = new Date();
await connectOAuth2(n8n, alice.id, { ...google, user: ALICE });
log('alice reconnected (the consent page again, the same credential)');
// one more message, so the trigger has something to emit after the reconnect (the load's last deliveries may all
// have been emitted before the revoke: a poll that finds nothing starts no execution to count as healed)
{
	const subject = `${DELIVERY_PREFIX} after reconnect`;
	const r = await standin.call('POST', 'deliver', { to: ALICE, count: 1, from: 'Sender <news@outside.example.net>', subjectPrefix: subject });
	delivered.push(...r.delivered.map((m) => ({ id: m.id, subject, at: new Date().toISOString() })));
}
const healed = {};
for (let i = 0; i < 150; i++) {
	for (const key of ['send', 'labels', 'trigger']) if (!healed[key]) healed[key] = (await okSince(key, reconnectAt.getTime()))[0];
	if (healed.send && healed.labels && healed.trigger) break;
	await sleep(1000);
}

// the trigger catches up every delivery (its history cursor survived the revoked minutes)
const emittedIds = async () => {
	const ids = [];
	for (const e of await executionsOf(wfs.trigger.id)) {
		if (e.status !== 'success') continue;
		for (const item of nodeItems(await detail(e.id), 'On new email')) if (item.event === 'messageAdded' || item.id) ids.push(item.id);
	}
	return ids;
};
let emitted = [];
for (let i = 0; i < 16; i++) {
	emitted = await emittedIds();
	if (delivered.every((d) => emitted.includes(d.id))) break;
	await sleep(10_000);
}
for (const w of Object.values(wfs)) await n8n.deactivateWorkflow(w.id);
for (let i = 0; i < 180; i++) {
	const running = [];
	for (const w of Object.values(wfs)) running.push(...(await executionsOf(w.id)).filter((e) => !FINISHED.includes(e.status)));
	if (!running.length) break;
	await sleep(1000);
}
log('all workflows deactivated, no execution running');

// ---------- counts ----------
const all = [];
for (const [key, w] of Object.entries(wfs)) for (const e of await executionsOf(w.id)) all.push({ ...e, key });
const byWorker = { 1: 0, 2: 0 };
const workerOf = new Map();
for (const w of [1, 2]) {
	for (const m of readFileSync(join(WORK, `worker${w}.log`), 'utf8').matchAll(/Worker started execution (\d+)/g)) { byWorker[w]++; workerOf.set(m[1], w); }
}
// expected failures: what died with the killed worker (and n8n's Retry of it when n8n keeps nothing to retry
// from), and alice's workflows that ran while her refresh token was revoked, failing with the reconnect message
const diedIds = new Set([...diedWithWorker, ...(retry?.output === undefined && retry?.execution ? [retry.execution.id] : [])].map(String));
// (an error a poll raised is saved with createdAt and stoppedAt only)
const when = (e) => Date.parse(e.stoppedAt ?? e.startedAt ?? e.createdAt);
const revokedRun = (e) => when(e) >= revokeAt.getTime() && when(e) <= reconnectAt.getTime() + 90_000;
const failed = [];
const revokedAll = [];
const died = [];
for (const e of all.filter((x) => x.status !== 'success')) {
	const msg = errorOf(await detail(e.id));
	if (diedIds.has(String(e.id))) { died.push({ id: e.id, workflow: e.key, status: e.status }); continue; }
	// n8n's Retry of a job it gave up as stalled ends at once with n8n's own message: nothing of ours ran
	if (e.retryOf && diedIds.has(String(e.retryOf)) && /failed to be processed too many times/.test(msg)) {
		died.push({ id: e.id, workflow: e.key, status: e.status, retryOf: e.retryOf });
		continue;
	}
	if (e.key !== 'admin' && revokedRun(e) && /reconnect the account/.test(msg)) { revokedAll.push(e.id); continue; }
	failed.push({ id: e.id, workflow: e.key, status: e.status, worker: workerOf.get(String(e.id)), startedAt: e.startedAt, createdAt: e.createdAt, stoppedAt: e.stoppedAt, error: msg.slice(0, 300) });
}

const sentMail = await standin.api(ALICE, 'GET', `${GMAIL}/messages?q=${encodeURIComponent(`subject:"${SEND_PREFIX}" in:sent`)}&maxResults=500`);
const sentIds = (sentMail.messages ?? []).map((m) => m.id);
const subjects = new Map();
for (const id of sentIds) {
	const m = await standin.api(ALICE, 'GET', `${GMAIL}/messages/${id}?format=metadata&metadataHeaders=Subject`);
	const s = m.payload.headers.find((h) => h.name === 'Subject')?.value;
	subjects.set(s, (subjects.get(s) ?? 0) + 1);
}
const duplicateSends = [...subjects.values()].reduce((n, c) => n + c - 1, 0);
const sendOk = [];
for (const e of all.filter((x) => x.key === 'send' && x.status === 'success')) {
	const out = nodeItems(await detail(e.id), 'Send')[0];
	if (out?.id) sendOk.push(out.id);
}
const lostSends = sendOk.filter((id) => !sentIds.includes(id)).length;
emitted = await emittedIds();
const missed = delivered.filter((d) => !emitted.includes(d.id));
for (const m of missed) log(`not emitted: ${m.id} "${m.subject}" delivered at ${m.at}`);
if (missed.length) {
	for (const e of await executionsOf(wfs.trigger.id)) log(`   trigger execution ${e.id} ${e.status} ${e.startedAt} (${nodeItems(await detail(e.id), 'On new email').length} items)`);
}
const emittedDelivered = emitted.filter((id) => delivered.some((d) => d.id === id));
const repeated = emittedDelivered.length - new Set(emittedDelivered).size;

const requests = await standin.requests(seq0);
const refreshes = requests.filter((r) => r.detail?.grantType === 'refresh_token');
const rateLimited = requests.filter((r) => r.status === 429).length;
const userVisible429 = failed.filter((f) => /429|rate limit|quota/i.test(f.error)).length;

// ---------- secrets scan: logs at debug level, the whole database, the workers' output ----------
const secrets = await standin.call('GET', 'secrets');
// three body lines of each private key: any copy of a key (PEM or JSON-escaped) contains them
const keyLines = new Set(secrets.privateKeys.flatMap((k) => k.split('\n').filter((l) => l.length >= 40 && !l.startsWith('-----')).slice(1, 4)));
const tokenSet = new Set([...secrets.accessTokens, ...secrets.refreshTokens]);
const [pgBin, pgPort] = a.pg.split('|');
const dumpFile = join(WORK, 'n8n-db.sql');
execFileSync(join(pgBin, 'pg_dump'), ['-h', '127.0.0.1', '-p', pgPort, '-U', 'n8n', '-f', dumpFile, 'n8n']);
const scanned = { 'main.log': join(WORK, 'main.log'), 'worker1.log': join(WORK, 'worker1.log'), 'worker2.log': join(WORK, 'worker2.log'), 'postgres dump': dumpFile };
const secretHits = {};
for (const [label, file] of Object.entries(scanned)) {
	const text = readFileSync(file, 'latin1');
	let hits = 0;
	for (const m of text.matchAll(/ya29\.[A-Za-z0-9._-]+|1\/\/[A-Za-z0-9._-]+/g)) if (tokenSet.has(m[0])) hits++;
	for (const s of secrets.clientSecrets) hits += text.split(s).length - 1;
	for (const line of keyLines) if (text.includes(line)) hits++;
	secretHits[label] = { bytes: text.length, hits };
}
const secretHitTotal = Object.values(secretHits).reduce((n, s) => n + s.hits, 0);

// ---------- checks ----------
console.log();
check('executions ran on both workers', byWorker[1] > 0 && byWorker[2] > 0, `worker 1: ${byWorker[1]}, worker 2: ${byWorker[2]}`);
check('no execution failed (besides those on the killed worker and the revoked minutes)', failed.length === 0, failed.map((f) => `${f.workflow} #${f.id} ${f.status}: ${f.error}`).join(' | '));
check('no send duplicated', duplicateSends === 0, `${sentIds.length} sent, ${subjects.size} subjects`);
check('no send lost', lostSends === 0, `${sendOk.length} successful send executions`);
check('every delivered message emitted by the trigger', missed.length === 0, `${delivered.length} delivered, ${missed.length} missed`);
check('no trigger event repeated', repeated === 0);
check('no 429 reached a user', userVisible429 === 0, `${rateLimited} answered 429 by the stand-in`);
check('10% faults were injected for a minute', faultsSeen > 0, `${faultsSeen} calls`);
check('Redis restarted under load', redisUp);
check('a worker was killed mid-send and restarted', !!killedWorker && restarted, killedWorker ? `worker ${killedWorker}` : 'no send caught');
check('the killed execution is marked (crashed or failed)', !!killed, killed ? `#${killed.id} ${killed.status}` : '');
// n8n keeps the killed execution's input when it marks it crashed; a job it gave up as stalled has none, and its
// Retry fails without running a node: then nothing can be sent twice, and the duplicates check covers the rest
const retryRan = retry?.output !== undefined;
check('the killed send is in the mailbox once or not at all', duplicateSends === 0 && (storedBeforeRetry === undefined || storedBeforeRetry <= 1), `${storedBeforeRetry ?? 'subject unknown'} before the retry`);
check(
	"n8n's Retry of it does not send it twice (Idempotency Key: a stored one is found, alreadySent)",
	retryRan
		? storedAfterRetry === 1 && (storedBeforeRetry === 0 || retry.output.alreadySent === true)
		: duplicateSends === 0,
	retryRan
		? `${storedBeforeRetry} before, ${storedAfterRetry} after: ${JSON.stringify(retry.output)}`
		: `n8n did not run it again: ${String(retry?.n8n ?? '').slice(0, 120)}`,
);
check('revoked: executions fail with the reconnect message', Object.keys(revokeMessages).length === 2 && Object.values(revokeMessages).every((m) => /reconnect the account/.test(m)), Object.values(revokeMessages).map((m) => m.slice(0, 80)).join(' | '));
check('revoked: the admin workflow (its own credential) goes on', adminDuringRevoke.length > 0, `${adminDuringRevoke.length} successful runs`);
check('reconnecting heals every workflow of the credential', !!(healed.send && healed.labels && healed.trigger));
check('refreshes made (tokens expired each minute)', refreshes.length > 0 && refreshes.every((r) => r.status === 200 || Date.parse(r.time) >= revokeAt.getTime() || r.fault), `${refreshes.length} refresh grants`);
check('no secret in the logs at debug level or the database', secretHitTotal === 0, Object.entries(secretHits).map(([k, v]) => `${k} ${(v.bytes / 1e6).toFixed(1)} MB: ${v.hits}`).join(', '));

const result = {
	checks,
	executions: all.length,
	failed_executions: failed.length,
	failed,
	by_worker: byWorker,
	killed_execution: killed ? { id: killed.id, status: killed.status, stored_before_retry: storedBeforeRetry, stored_after_retry: storedAfterRetry, retry: retry?.output } : undefined,
	revoked_failures: revokedAll.length,
	died_with_worker: died,
	retried_after_kill: retriedOthers,
	revoke_messages: revokeMessages,
	sends_requested: all.filter((e) => e.key === 'send').length,
	sends_delivered: subjects.size,
	duplicate_sends: duplicateSends,
	lost_sends: lostSends,
	trigger_delivered: delivered.length,
	trigger_emitted: new Set(emittedDelivered).size,
	missed_events: missed.length,
	repeated_events: repeated,
	refreshes: refreshes.length,
	refreshes_ok: refreshes.filter((r) => r.status === 200).length,
	rate_limited_answers: rateLimited,
	user_visible_429: userVisible429,
	faults_injected: faultsSeen,
	secret_hits: secretHitTotal,
	secrets_scanned: secretHits,
	secrets_known: { tokens: tokenSet.size, clientSecrets: secrets.clientSecrets.length, privateKeyLines: keyLines.size },
	phase: { ...phase, revokeAt: revokeAt.toISOString(), reconnectAt: reconnectAt.toISOString() },
	seconds: Math.round((Date.now() - t0) / 1000),
};
writeFileSync(a.results, JSON.stringify(result, null, 2));
process.exit(checks.every((c) => c.ok) ? 0 : 1);
