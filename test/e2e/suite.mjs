// The real-n8n suite against a running n8n (started by run.sh with the package installed and the Google redirect
// preload) and a running stand-in. One shared credential (alice), connected through the consent page; every case's
// workflow runs with `n8n execute --id` through it, or through the case's own credential (cases.mjs `credentials`:
// admin, carol, dave, read-only, custom scopes, service-account key; each created once and shared by its cases);
// then the token-refresh check; then the trigger examples, activated, fired by delivered mail and label changes.
// usage: node suite.mjs --n8n-url URL --env-file FILE --standin-port P --ca CA --email E --password P --results OUT.json
//        [--files-dir DIR]  (a folder n8n may read files from: N8N_RESTRICT_FILE_ACCESS_TO of the instance)
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { parseArgs } from 'node:util';
import { cases, credentials as credentialSpecs, invalidScopeCredential, refreshCase } from './cases.mjs';
import { executeWorkflow, executionError, exportCredential, instanceEnv, nodeBinaries, nodeItems, readBinaryData } from './lib/cli.mjs';
import { N8n, Standin, consentPage } from './lib/clients.mjs';
import { CREDENTIAL_TYPE, E2E_DIR, NODE_TYPE, createConnectedCredential, importWorkflows, standinClient } from './lib/setup.mjs';
import { testRunner } from './lib/runner.mjs';
import { INSTANT_TESTS, TRIGGER_TESTS, instantChecks, triggerChecks } from './trigger.mjs';
import { AI_TESTS, aiChecks } from './ai.mjs';

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
		'files-dir': { type: 'string' },
		// n8n 1.x smoke: the package loads, the credential connects, the first case's workflow runs (no refresh check)
		smoke: { type: 'boolean', default: false },
	},
});
const USER = args.user;
const google = { port: Number(args['standin-port']), ca: args.ca };
const n8n = new N8n(args['n8n-url']);
const standin = new Standin(google);
// workflowsThroughCredential: runs through the shared (alice) credential; workflowsByCredential: every credential's
const SHARED = 'shared';
const results = { passed: 0, failed: 0, workflowsThroughCredential: 0, workflowsByCredential: {}, tests: [] };
// E2E_CASES=prefix[,prefix...]: only the cases whose workflow file name starts with one of them (then no refresh or
// trigger check, which need the full run); unset = every case
const CASE_FILTER = (process.env.E2E_CASES ?? '').split(',').map((p) => p.trim()).filter(Boolean);
const selected = args.smoke ? cases.slice(0, 1) : CASE_FILTER.length ? cases.filter((c) => CASE_FILTER.some((p) => c.workflow.startsWith(p))) : cases;
const fullRun = !args.smoke && !CASE_FILTER.length;
// the AI Agent and MCP checks (ai.mjs): on a full run, or alone with E2E_CASES=ai (or mcp)
const aiRun = !args.smoke && (fullRun || CASE_FILTER.some((p) => /^(ai|mcp)/i.test(p)));
// the trigger checks (trigger.mjs): on a full run, or alone with E2E_CASES=trigger (polling and instant examples) or
// E2E_CASES=instant (only the instant one, ~30 s)
const triggerRun = !args.smoke && (fullRun || CASE_FILTER.some((p) => /^trigger/i.test(p)));
const instantRun = !args.smoke && !triggerRun && CASE_FILTER.some((p) => /^instant/i.test(p));
if (CASE_FILTER.length) console.log(`E2E_CASES=${CASE_FILTER.join(',')}: ${selected.length} of ${cases.length} cases; refresh check skipped; trigger checks ${triggerRun ? 'polling and instant' : instantRun ? 'instant only' : 'skipped'}`);
let byFile = new Map(); // shared credential's workflows by file (the refresh check, the state file for the browser)
const byCase = new Map(); // case -> imported workflow
const creds = new Map(); // credential key -> {id, name, user, type}
let aiWorkflow; // the AI Agent example as saved (ai.mjs), for the browser's canvas shot
const FILES_DIR = args['files-dir'];
const USER_FOLDER = instanceEnv(args['env-file'], 'N8N_USER_FOLDER');

const test = testRunner(results);

const tokenPosts = (reqs) => reqs.filter((r) => r.host === 'oauth2.googleapis.com' && r.method === 'POST' && r.path === '/token');
const googleCalls = (reqs) => reqs.filter((r) => r.host !== 'oauth2.googleapis.com' && r.host !== 'accounts.google.com');

/**
 * Run one imported workflow; assert success (or, with expectError, status "error") and that every API call carried
 * the token of an allowed account. `credential` only counts the run (results.workflowsByCredential).
 */
async function runWorkflow(wf, { allowRefresh = false, allowTokenCalls = false, allowRateLimit = false, subjects = [USER], expectError = false, credential = SHARED } = {}) {
	const since = await standin.lastSeq();
	const r = executeWorkflow(args['env-file'], wf.id);
	const requests = await standin.requests(since);
	const ex = r.execution;
	if (!ex) throw new Error(`no execution JSON from n8n execute (exit ${r.status}):\n${r.log.slice(-3000)}`);
	if (credential === SHARED) results.workflowsThroughCredential++;
	results.workflowsByCredential[credential] = (results.workflowsByCredential[credential] ?? 0) + 1;
	const calls = googleCalls(requests);
	if (expectError) {
		assert.equal(ex.status, 'error', `expected the execution to fail, got status ${ex.status}`);
		assert.ok(ex.data?.resultData?.error?.message, 'the execution names its error');
	} else {
		assert.equal(ex.status, 'success', `execution status ${ex.status}: ${executionError(ex)}`);
		// a signal (status null) after a successful execution: the CLI died while shutting down; its last log lines say where
		assert.equal(r.status, 0, `n8n execute exit code ${r.status}${r.signal ? ` (signal ${r.signal}${r.error ? `, ${r.error.message}` : ''}); last log lines:\n${r.log.slice(-1500)}` : ''}`);
		assert.ok(calls.length > 0, 'the workflow reached the stand-in');
	}
	// a batch envelope (POST /batch/gmail/v1) carries no token itself; its parts are logged one by one with theirs.
	// A resumable upload's session URL is its own credential (Google's design): those PUTs carry no token.
	for (const c of calls.filter((c) => c.status < 400 && !c.path.startsWith('/batch/') && !isUploadSession(c))) {
		assert.ok(subjects.includes(c.subject), `${c.method} ${c.host}${c.path} was made as ${c.subject}, not ${subjects.join(' or ')}`);
	}
	// allowRateLimit: Google's per-user quota may refuse a call with 429 (the card waits and repeats it)
	const failed = calls.filter((c) => c.status >= 400 && !(allowRateLimit && c.status === 429));
	if (!allowRefresh && !expectError) {
		assert.deepEqual(failed.map((c) => `${c.status} ${c.path}`), [], 'no rejected calls');
	}
	if (!allowRefresh && !allowTokenCalls) assert.equal(tokenPosts(requests).length, 0, 'no token call');
	return { execution: ex, requests, ms: r.ms };
}

const isUploadSession = (c) => c.subject === undefined && c.path.startsWith('/upload/') && /upload_id=/.test(c.query);

function out(execution) {
	return (name) => nodeItems(execution, name);
}

/** What a case's assert gets. */
function caseContext(run, c) {
	return {
		out: out(run.execution),
		binary: (name) => nodeBinaries(run.execution, name),
		readBinary: (meta) => readBinaryData(USER_FOLDER, meta),
		requests: run.requests,
		user: USER,
		standin,
		execution: run.execution,
		error: c?.expectError ? run.execution.data.resultData.error : undefined,
	};
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
	// the workflows cannot run without the credential: every case, each other credential, the invalid-scope check, the refresh check,
	// the trigger checks
	const others = new Set(selected.map((c) => c.credential).filter(Boolean)).size;
	results.failed += selected.length + others + (args.smoke ? 0 : 1) + (fullRun ? 1 : 0) + (triggerRun ? TRIGGER_TESTS : instantRun ? INSTANT_TESTS : 0) + (aiRun ? AI_TESTS : 0);
	finish();
}

creds.set(SHARED, { ...credential, user: USER, type: CREDENTIAL_TYPE });

// --- the other credentials the cases use, each connected/created once (shared by its cases) ---------------------
for (const key of [...new Set(selected.map((c) => c.credential).filter(Boolean))]) {
	const spec = credentialSpecs[key];
	const title = spec.type === 'gmailWorkspaceServiceAccountApi'
		? `credential "${key}": a service-account key credential created through n8n's REST API (key from the stand-in)`
		: `credential "${key}" connected through n8n's OAuth endpoints and the consent page as ${spec.user}${spec.dataAfterConnect ? ', then edited' : ''}`;
	await test(title, async () => creds.set(key, await makeCredential(key, spec)));
}

// --- a custom scope Google does not define: the consent page refuses it (n8n's "Connect my account" leg) -------
if (!args.smoke) await test(`a custom-scope credential with ${invalidScopeCredential.scope}: Google's consent page answers invalid_scope naming it, n8n stores no token`, async () => {
	const spec = invalidScopeCredential;
	const created = await n8n.createCredential(spec.name, CREDENTIAL_TYPE, { ...standinClient(), ...spec.data });
	const page = await consentPage(n8n, created.id, google);
	assert.ok(new URL(page.authUrl).searchParams.get('scope').split(' ').includes(spec.scope), 'n8n asked Google for the custom scope');
	assert.equal(page.status, 400, `consent page status ${page.status}`);
	assert.match(page.text, /Error 400: invalid_scope/);
	assert.ok(page.text.includes(spec.scope), 'the page names the scope');
	const stored = exportCredential(args['env-file'], created.id);
	assert.equal(stored.data?.oauthTokenData, undefined, 'no token stored');
});

// --- every case's workflow through its credential ------------------------------------------------------------
for (const c of selected) {
	const cred = creds.get(c.credential ?? SHARED);
	if (!cred) {
		results.failed++;
		results.tests.push({ title: c.title, ok: false, error: `credential ${c.credential} not available` });
		console.log(`  FAIL ${c.title}\n       credential ${c.credential} was not created`);
		continue;
	}
	const [wf] = await importWorkflows({
		n8n,
		credential: cred,
		files: [join(E2E_DIR, 'workflows', c.workflow)],
		replacements: FILES_DIR ? { __FILES_DIR__: FILES_DIR } : {},
	});
	byCase.set(c, { ...wf, credential: c.credential ?? SHARED });
	if (!c.credential) byFile.set(c.workflow, wf);
	await test(c.title, async () => {
		if (c.prepare) await c.prepare({ filesDir: FILES_DIR, standin });
		const run = await runWorkflow(wf, {
			allowTokenCalls: c.allowTokenCalls,
			allowRateLimit: c.allowRateLimit,
			subjects: c.subjects ?? [cred.user],
			expectError: c.expectError,
			credential: c.credential ?? SHARED,
		});
		await c.assert(caseContext(run, c));
	});
}

// --- token refresh: expire at Google, the next workflow refreshes once, n8n stores the new token once -----------
if (fullRun) await test('expired access token: the next workflow refreshes once, n8n stores the new token, the one after does not refresh', async () => {
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
	await cases.find((c) => c.workflow === refreshCase && !c.credential).assert(caseContext(next));
});

// --- Gmail Workspace as an AI tool: n8n's AI Agent with a scripted model, and the MCP Server Trigger (ai.mjs) -------
if (aiRun) {
	({ agentWorkflow: aiWorkflow } = await aiChecks({ n8n, standin, credential, user: USER, envFile: args['env-file'], examplesDir: join(E2E_DIR, '..', '..', 'examples'), resultsDir: dirname(args.results), test }));
}

// --- the Gmail Workspace Trigger, ACTIVE: n8n's own poller fires on delivered mail and on label changes (trigger.mjs);
// last, so no case or the refresh check runs while the triggers poll
if (triggerRun) {
	await triggerChecks({ n8n, standin, credential, user: USER, envFile: args['env-file'], examplesDir: join(E2E_DIR, '..', '..', 'examples'), test });
}
if (instantRun) {
	await instantChecks({ n8n, standin, credential, user: USER, envFile: args['env-file'], examplesDir: join(E2E_DIR, '..', '..', 'examples'), test });
}

finish();

/** A credential of cases.mjs `credentials`: an OAuth2 one connected as its user, or the service-account key. */
async function makeCredential(key, spec) {
	if (spec.type === 'gmailWorkspaceServiceAccountApi') {
		const file = await standin.call('GET', 'service-account-key');
		assert.ok(file.client_email && file.private_key?.includes('BEGIN PRIVATE KEY'), 'the stand-in gave a JSON key');
		const created = await n8n.createCredential(spec.name, spec.type, { email: file.client_email, privateKey: file.private_key, delegatedEmail: spec.delegatedEmail });
		return { id: created.id, name: spec.name, user: spec.delegatedEmail, type: spec.type };
	}
	const since = await standin.lastSeq();
	const made = await createConnectedCredential({ n8n, google, user: spec.user, name: spec.name, data: spec.data });
	const posts = tokenPosts(await standin.requests(since));
	assert.deepEqual(posts.map((p) => p.status), [200], 'n8n exchanged the code once');
	if (spec.dataAfterConnect) {
		// what the credential form sends on Save: every field (n8n keeps oauthTokenData on update)
		await n8n.call('PATCH', `/rest/credentials/${made.id}`, { name: spec.name, type: CREDENTIAL_TYPE, data: { ...standinClient(), ...spec.data, ...spec.dataAfterConnect } });
	}
	return { ...made, user: spec.user, type: CREDENTIAL_TYPE };
}

function finish() {
	results.credentialId = credential?.id;
	results.workflows = [...byFile].map(([, w]) => ({ file: w.file, id: w.id, name: w.name }));
	results.credentials = Object.fromEntries([...creds].map(([k, c]) => [k, { id: c.id, name: c.name, user: c.user, type: c.type }]));
	results.caseWorkflows = [...byCase.values()].map((w) => ({ file: w.file, id: w.id, name: w.name, credential: w.credential }));
	if (args.results) writeFileSync(args.results, JSON.stringify(results, null, 2));
	if (args.state) writeFileSync(args.state, JSON.stringify({ user: USER, credential, workflows: results.workflows, caseWorkflows: results.caseWorkflows, aiWorkflow }, null, 2));
	const per = Object.entries(results.workflowsByCredential).map(([k, n]) => `${k}${creds.get(k)?.user ? ` (${creds.get(k).user})` : ''}: ${n}`).join(', ');
	console.log(`suite: ${results.passed} passed, ${results.failed} failed; ${results.workflowsThroughCredential} workflow runs through the shared credential`);
	if (per) console.log(`workflow runs by credential: ${per}`);
	process.exit(results.failed ? 1 : 0);
}
