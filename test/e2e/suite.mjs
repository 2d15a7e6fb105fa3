// The real-n8n suite against a running n8n (started by run.sh with the package installed and the Google redirect
// preload) and a running stand-in. One credential, connected through the consent page; every case's workflow
// runs through it with `n8n execute --id`; then the token-refresh check.
// usage: node suite.mjs --n8n-url URL --env-file FILE --standin-port P --ca CA --email E --password P --results OUT.json
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { cases, refreshCase } from './cases.mjs';
import { executeWorkflow, executionError, exportCredential, nodeItems } from './lib/cli.mjs';
import { N8n, Standin } from './lib/clients.mjs';
import { CREDENTIAL_TYPE, E2E_DIR, NODE_TYPE, createConnectedCredential, importWorkflows } from './lib/setup.mjs';

const { values: args } = parseArgs({
	options: {
		'n8n-url': { type: 'string' },
		'env-file': { type: 'string' },
		'standin-port': { type: 'string' },
		ca: { type: 'string' },
		email: { type: 'string' },
		password: { type: 'string' },
		user: { type: 'string', default: 'alice@example.com' },
		results: { type: 'string' },
		state: { type: 'string' },
		// n8n 1.x smoke: the package loads, the credential connects, the first case's workflow runs (no refresh check)
		smoke: { type: 'boolean', default: false },
	},
});
const USER = args.user;
const google = { port: Number(args['standin-port']), ca: args.ca };
const n8n = new N8n(args['n8n-url']);
const standin = new Standin(google);
const results = { passed: 0, failed: 0, workflowsThroughCredential: 0, tests: [] };
const selected = args.smoke ? cases.slice(0, 1) : cases;
let byFile = new Map();

async function test(title, fn) {
	const t0 = Date.now();
	try {
		await fn();
		results.passed++;
		results.tests.push({ title, ok: true, ms: Date.now() - t0 });
		console.log(`  PASS ${title} (${((Date.now() - t0) / 1000).toFixed(1)}s)`);
		return true;
	} catch (e) {
		results.failed++;
		results.tests.push({ title, ok: false, ms: Date.now() - t0, error: String(e?.message ?? e) });
		console.log(`  FAIL ${title} (${((Date.now() - t0) / 1000).toFixed(1)}s)\n       ${String(e?.stack ?? e).split('\n').slice(0, 6).join('\n       ')}`);
		return false;
	}
}

const tokenPosts = (reqs) => reqs.filter((r) => r.host === 'oauth2.googleapis.com' && r.method === 'POST' && r.path === '/token');
const googleCalls = (reqs) => reqs.filter((r) => r.host !== 'oauth2.googleapis.com' && r.host !== 'accounts.google.com');

/** Run one imported workflow; assert success and that every API call carried the connected user's token. */
async function runWorkflow(wf, { allowRefresh = false, allowTokenCalls = false, subjects = [USER] } = {}) {
	const since = await standin.lastSeq();
	const r = executeWorkflow(args['env-file'], wf.id);
	const requests = await standin.requests(since);
	const ex = r.execution;
	if (!ex) throw new Error(`no execution JSON from n8n execute (exit ${r.status}):\n${r.log.slice(-3000)}`);
	results.workflowsThroughCredential++;
	assert.equal(ex.status, 'success', `execution status ${ex.status}: ${executionError(ex)}`);
	assert.equal(r.status, 0, `n8n execute exit code ${r.status}`);
	const calls = googleCalls(requests);
	assert.ok(calls.length > 0, 'the workflow reached the stand-in');
	// a batch envelope (POST /batch/gmail/v1) carries no token itself; its parts are logged one by one with theirs
	for (const c of calls.filter((c) => c.status < 400 && !c.path.startsWith('/batch/'))) {
		assert.ok(subjects.includes(c.subject), `${c.method} ${c.host}${c.path} was made as ${c.subject}, not ${subjects.join(' or ')}`);
	}
	const failed = calls.filter((c) => c.status >= 400);
	if (!allowRefresh) {
		assert.deepEqual(failed.map((c) => `${c.status} ${c.path}`), [], 'no rejected calls');
		if (!allowTokenCalls) assert.equal(tokenPosts(requests).length, 0, 'no token refresh');
	}
	return { execution: ex, requests, ms: r.ms };
}

function out(execution) {
	return (name) => nodeItems(execution, name);
}

console.log(`e2e suite: n8n ${args['n8n-url']}, stand-in https://127.0.0.1:${google.port}, user ${USER}`);
await n8n.ownerLogin(args.email, args.password);

// --- the package is loaded -----------------------------------------------------------------------------------
await test(`n8n loaded ${NODE_TYPE} and credential type ${CREDENTIAL_TYPE}`, async () => {
	const types = await n8n.nodeTypes();
	const ours = types.filter((t) => t.name === NODE_TYPE);
	assert.ok(ours.length > 0, `${NODE_TYPE} not in /types/nodes.json`);
	assert.ok(ours.some((t) => (t.credentials ?? []).some((c) => c.name === CREDENTIAL_TYPE)), 'node asks for the credential');
	const creds = await n8n.raw('GET', '/types/credentials.json');
	assert.ok(creds.json.some((c) => c.name === CREDENTIAL_TYPE), `${CREDENTIAL_TYPE} not in /types/credentials.json`);
});

// --- ONE credential, connected like a user does ---------------------------------------------------------------
let credential;
let firstToken;
const connected = await test(`credential connected through the consent page as ${USER} (n8n stores oauthTokenData)`, async () => {
	const since = await standin.lastSeq();
	credential = await createConnectedCredential({ n8n, google, user: USER, log: (m) => console.log(`       ${m}`) });
	const reqs = await standin.requests(since);
	assert.ok(reqs.some((r) => r.host === 'accounts.google.com' && r.method === 'GET' && r.status === 200), 'consent page served');
	assert.ok(reqs.some((r) => r.host === 'accounts.google.com' && r.method === 'POST' && r.status === 302), 'consent approved');
	const posts = tokenPosts(reqs);
	assert.equal(posts.length, 1, 'n8n exchanged the code once');
	assert.equal(posts[0].status, 200, 'code exchange accepted');
	const stored = exportCredential(args['env-file'], credential.id);
	const tok = stored.data?.oauthTokenData;
	assert.ok(tok?.access_token, 'access_token stored');
	assert.ok(tok?.refresh_token, 'refresh_token stored (offline access)');
	assert.equal(stored.type, CREDENTIAL_TYPE);
	firstToken = tok.access_token;
});
if (!connected) {
	results.failed += selected.length + (args.smoke ? 0 : 1); // the workflows cannot run without the credential
	finish();
}

// --- every case's workflow through that credential ---------------------------------------------------------
const imported = await importWorkflows({ n8n, credential, files: selected.map((c) => join(E2E_DIR, 'workflows', c.workflow)) });
byFile = new Map(imported.map((w, i) => [selected[i].workflow, w]));
for (const c of selected) {
	await test(c.title, async () => {
		const run = await runWorkflow(byFile.get(c.workflow), { allowTokenCalls: c.allowTokenCalls, subjects: c.subjects ?? [USER] });
		await c.assert({ out: out(run.execution), requests: run.requests, user: USER, standin });
	});
}

// --- token refresh: expire at Google, the next workflow refreshes once, n8n stores the new token once -----------
if (!args.smoke) await test('expired access token: the next workflow refreshes once, n8n stores the new token, the one after does not refresh', async () => {
	const wf = byFile.get(refreshCase);
	// no workflow so far refreshed (each asserted zero token calls), so the stored token is still the first one
	const before = { access_token: firstToken };
	await standin.expireTokens(USER);
	const run = await runWorkflow(wf, { allowRefresh: true });
	const posts = tokenPosts(run.requests);
	assert.equal(posts.length, 1, `exactly one refresh_token grant (saw ${posts.length})`);
	assert.equal(posts[0].status, 200, 'refresh accepted');
	const rejected = googleCalls(run.requests).filter((r) => r.status === 401);
	assert.equal(rejected.length, 1, 'one call rejected with 401 (the expired token), then retried');
	const after = exportCredential(args['env-file'], credential.id).data.oauthTokenData;
	assert.notEqual(after.access_token, before.access_token, 'n8n stored the refreshed access token');
	assert.ok(after.refresh_token, 'refresh token kept');
	// the next workflow uses the stored token: no refresh, no 401
	const next = await runWorkflow(wf);
	assert.equal(tokenPosts(next.requests).length, 0, 'no second refresh');
	const again = exportCredential(args['env-file'], credential.id).data.oauthTokenData;
	assert.equal(again.access_token, after.access_token, 'stored token unchanged by the following run');
	await cases.find((c) => c.workflow === refreshCase).assert({ out: out(next.execution), requests: next.requests, user: USER, standin });
});

finish();

function finish() {
	results.credentialId = credential?.id;
	results.workflows = [...byFile].map(([, w]) => ({ file: w.file, id: w.id, name: w.name }));
	if (args.results) writeFileSync(args.results, JSON.stringify(results, null, 2));
	if (args.state) writeFileSync(args.state, JSON.stringify({ user: USER, credential, workflows: results.workflows }, null, 2));
	console.log(`suite: ${results.passed} passed, ${results.failed} failed; ${results.workflowsThroughCredential} workflow runs through the shared credential`);
	process.exit(results.failed ? 1 : 0);
}
