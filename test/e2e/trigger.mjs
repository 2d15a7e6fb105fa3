// The Gmail Workspace Trigger in a real n8n (issue #13): the two trigger examples (examples/12, 13: New Email, and
// Label Added or Removed on STARRED, both polling every minute into an Edit Fields node) are created through n8n's
// REST API on the shared credential and ACTIVATED the way the editor's Publish/Active toggle does it
// (POST /rest/workflows/:id/activate {versionId}: n8n 2.41's WorkflowsController; it runs the first poll at once).
// Then mail arrives (stand-in POST /__standin/deliver), one message gets a star and another loses one (Gmail API
// messages.modify with a stand-in token for alice), and n8n's own poller, once a minute, must start executions of
// both workflows (GET /rest/executions?filter={"workflowId"}, GET /rest/executions/:id). Both workflows are active at
// once, so one minute covers both. Deactivated at the end (POST /rest/workflows/:id/deactivate).
// Then the Instant (Pub/Sub) example (examples/14, issue #17), alone, after the polling workflows are inactive (its
// pull loop runs only while it is checked): activated the same way (n8n's activation runs the node's trigger(): topic,
// Gmail's publish right, pull subscription, users.watch in the stand-in's Pub/Sub), then messages delivered one at a
// time must each start an execution within seconds; the stand-in's Pub/Sub state (GET /__standin/pubsub) and request
// log show the notification pulled and acknowledged after the history read that emitted it; deactivation = users.stop.
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { instanceEnv } from './lib/cli.mjs';
import { loadWorkflow } from './lib/setup.mjs';

const GMAIL = 'https://gmail.googleapis.com/gmail/v1/users/me';
export const TRIGGER_EXAMPLES = { newEmail: '12-trigger-new-email.json', labelChanged: '13-trigger-label-added-or-removed.json' };
export const TRIGGER_TYPE = 'n8n-nodes-gmail-workspace.gmailWorkspaceTrigger';
export const INSTANT_EXAMPLE = '14-trigger-instant-new-email.json';
/** How many tests the polling part, the instant part and triggerChecks (both) count. */
const POLLING_TESTS = 5;
export const INSTANT_TESTS = 4;
export const TRIGGER_TESTS = POLLING_TESTS + INSTANT_TESTS;
/** Instant: messages delivered one after another, and the longest delivery -> execution start allowed. */
const INSTANT_ROUNDS = 3;
const INSTANT_MAX_MS = 20_000;
const STARRED = [{ id: 'STARRED', name: 'STARRED' }];
/** How long the suite waits for n8n's poller (every minute at a random second per workflow). */
const WAIT_EVENTS_MS = 150_000;
const WAIT_CONFIRM_MS = 75_000;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isHistoryList = (r) => r.host === 'gmail.googleapis.com' && r.method === 'GET' && r.path === '/gmail/v1/users/me/history';
/** The Label Added or Removed trigger (change: both) also asks for labelRemoved; New Email does not. */
const pollerOf = (r) => (new URLSearchParams(r.query).getAll('historyTypes').includes('labelRemoved') ? 'labelChanged' : 'newEmail');

/** n8n's own `flatted` (GET /rest/executions/:id serves the run data flatted), from the instance's n8n install. */
export function n8nFlatted(envFile) {
	const bin = instanceEnv(envFile, 'PATH').split(':')[0].replace(/^'|'$/g, '');
	return createRequire(join(bin, '..', 'n8n', 'package.json'))('flatted');
}

/**
 * The finished executions of a workflow (n8n's REST API, as the Executions tab lists them), each with the items the
 * trigger node emitted and the items of the node after it. `cache` (Map) keeps executions already read.
 * @returns {Promise<Array<{id, mode, status, error, items: object[], next: object[]}>>}
 */
export async function triggerRuns({ n8n, flatted, cache = new Map(), id, trigger, next }) {
	const page = await n8n.call('GET', `/rest/executions?filter=${encodeURIComponent(JSON.stringify({ workflowId: id }))}&limit=100`);
	const out = [];
	for (const summary of page.results ?? []) {
		if (!['success', 'error', 'crashed', 'canceled'].includes(summary.status)) continue; // still running
		if (!cache.has(summary.id)) {
			const e = await n8n.call('GET', `/rest/executions/${summary.id}`);
			cache.set(summary.id, { ...e, data: typeof e.data === 'string' ? flatted.parse(e.data) : e.data });
		}
		const e = cache.get(summary.id);
		const run = (name) => e.data?.resultData?.runData?.[name]?.[0];
		out.push({
			id: e.id,
			mode: e.mode,
			status: e.status,
			startedAt: e.startedAt,
			error: e.data?.resultData?.error?.message,
			items: (run(trigger)?.data?.main?.[0] ?? []).map((i) => i.json),
			next: (run(next)?.data?.main?.[0] ?? []).map((i) => i.json),
		});
	}
	return out;
}

/** The trigger node of a workflow JSON and the node its items go to. */
export function triggerShape(wf) {
	const trigger = wf.nodes.find((n) => n.type === TRIGGER_TYPE);
	return trigger
		? { trigger: trigger.name, next: wf.connections[trigger.name]?.main?.[0]?.[0]?.node, event: trigger.parameters.event, delivery: trigger.parameters.delivery ?? 'polling' }
		: undefined;
}

/**
 * Runs the trigger checks through the suite's `test` (so they count into "e2e: N passed, N failed"): the polling
 * examples (12, 13), then the instant one (14) once they are inactive. TRIGGER_TESTS tests.
 * @param {object} o
 * @param {import('./lib/clients.mjs').N8n} o.n8n  logged-in owner session
 * @param {import('./lib/clients.mjs').Standin} o.standin
 * @param {{id:string,name:string}} o.credential  the shared (alice) credential
 */
export async function triggerChecks(o) {
	await pollingChecks(o);
	await instantChecks(o);
}

/** The polling examples 12 and 13, active together: POLLING_TESTS tests. */
async function pollingChecks({ n8n, standin, credential, user, envFile, examplesDir, test, log = console.log }) {
	const flatted = n8nFlatted(envFile);
	const tag = `E2E trigger ${Date.now().toString(36)}`;
	const wfs = {}; // event -> {id, name, versionId, trigger, next}
	const titles = [
		'trigger workflows (examples 12, 13) created on the shared credential and activated through POST /rest/workflows/:id/activate; n8n ran their first poll',
		`New Email (active, n8n's poller): each delivered message emitted exactly once as messageAdded with its subject and sender, and passed on to Edit Fields`,
		'Label Added or Removed on STARRED (active): the star added and the star removed emitted as labelAdded / labelRemoved with {id, name}',
		"the polls: users.history.list with alice's user token from n8n's credential (2 units each), no 4xx/5xx while the triggers were active",
		'trigger workflows deactivated through POST /rest/workflows/:id/deactivate',
	];
	let since = 0;
	let delivered = [];
	let starred; // the message that gets a star while the trigger is active
	let unstarred; // the message that loses its star
	let collected; // {newEmail: [{execution, items, next}], labelChanged: [...]}

	const activated = await test(titles[0], async () => {
		// two messages of the mailbox for the label change; the one to unstar gets its star before activation
		const list = await standin.api(user, 'GET', `${GMAIL}/messages?maxResults=10`);
		assert.ok(list.messages?.length >= 2, 'alice has messages to star');
		const [a, b] = await Promise.all(list.messages.slice(0, 2).map((m) => standin.api(user, 'GET', `${GMAIL}/messages/${m.id}?format=minimal`)));
		if (a.labelIds?.includes('STARRED')) await standin.api(user, 'POST', `${GMAIL}/messages/${a.id}/modify`, { removeLabelIds: ['STARRED'] });
		if (!b.labelIds?.includes('STARRED')) await standin.api(user, 'POST', `${GMAIL}/messages/${b.id}/modify`, { addLabelIds: ['STARRED'] });
		starred = a.id;
		unstarred = b.id;

		since = await standin.lastSeq();
		for (const [event, file] of Object.entries(TRIGGER_EXAMPLES)) {
			const wf = loadWorkflow(join(examplesDir, file), credential);
			const trigger = wf.nodes.find((n) => n.type === TRIGGER_TYPE);
			assert.ok(trigger, `${file} has the trigger`);
			assert.equal(trigger.parameters.event, event);
			assert.deepEqual(trigger.parameters.pollTimes, { item: [{ mode: 'everyMinute' }] }, 'n8n polls it every minute');
			const next = wf.connections[trigger.name].main[0][0].node;
			const saved = await n8n.createWorkflow(wf);
			assert.ok(saved.versionId, 'n8n gave the workflow a version to publish');
			// what the editor's Publish / Active toggle calls: the version to activate
			const active = await n8n.activateWorkflow(saved.id, saved.versionId);
			assert.equal(active.active, true, `${file}: active after POST /activate`);
			assert.equal(active.activeVersionId, saved.versionId);
			wfs[event] = { id: saved.id, name: saved.name, versionId: saved.versionId, trigger: trigger.name, next };
			log(`       "${saved.name}" (id ${saved.id}) active`);
		}
		const got = await n8n.call('GET', `/rest/workflows/${wfs.newEmail.id}`);
		assert.equal(got.active, true, 'n8n lists the workflow as active');
		// activation polls once (n8n checks the trigger works): each trigger takes the mailbox's history id as its
		// cursor. The activate call may answer before that poll is over: wait for both (≤ 30 s).
		const isProfile = (r) => r.host === 'gmail.googleapis.com' && r.path === '/gmail/v1/users/me/profile' && r.subject === user;
		let first = await standin.requests(since);
		for (const t = Date.now(); first.filter(isProfile).length < 2 && Date.now() - t < 30_000; first = await standin.requests(since)) await sleep(1000);
		const profiles = first.filter(isProfile);
		assert.ok(profiles.length >= 2, `each activation's first poll read the mailbox's history id (getProfile calls: ${profiles.length})`);
		assert.deepEqual(first.filter((r) => r.status >= 400).map((r) => `${r.status} ${r.path}`), [], 'no rejected call at activation');
	});
	if (!activated) {
		for (const t of titles.slice(1, -1)) await test(t, async () => assert.fail('the trigger workflows are not active'));
		await deactivate();
		return;
	}

	const seqBeforeEvents = await standin.lastSeq();
	const t0 = Date.now();
	// mail arrives from outside, and two label changes on other messages
	delivered = (await standin.call('POST', 'deliver', { to: user, count: 3, subjectPrefix: tag, from: 'Erin Outside <erin@outside.example.net>' })).delivered;
	await standin.api(user, 'POST', `${GMAIL}/messages/${starred}/modify`, { addLabelIds: ['STARRED'] });
	await standin.api(user, 'POST', `${GMAIL}/messages/${unstarred}/modify`, { removeLabelIds: ['STARRED'] });
	log(`       delivered ${delivered.length} messages ("${tag} 1..${delivered.length}"), starred ${starred}, unstarred ${unstarred}; waiting for n8n's poller (≤ ${WAIT_EVENTS_MS / 1000} s)`);

	const cache = new Map(); // execution id -> parsed execution
	async function collect() {
		const out = {};
		for (const [event, wf] of Object.entries(wfs)) out[event] = await triggerRuns({ n8n, flatted, cache, ...wf });
		return out;
	}
	const emitted = (runs) => runs.flatMap((r) => r.items);
	const complete = (c) => {
		const mail = new Set(emitted(c.newEmail).map((i) => i.id));
		const labels = emitted(c.labelChanged).map((i) => `${i.event}:${i.id}`);
		return delivered.every((m) => mail.has(m.id)) && labels.includes(`labelAdded:${starred}`) && labels.includes(`labelRemoved:${unstarred}`);
	};
	while (Date.now() - t0 < WAIT_EVENTS_MS) {
		collected = await collect();
		if (complete(collected)) break;
		await sleep(3000);
	}
	const allSeen = complete(collected);
	log(`       ${allSeen ? 'every event seen' : 'NOT every event seen'} after ${((Date.now() - t0) / 1000).toFixed(0)} s (executions: New Email ${collected.newEmail.length}, Label ${collected.labelChanged.length})`);
	if (allSeen) {
		// one more poll of each trigger after the events came out: nothing may come out twice
		const mark = await standin.lastSeq();
		const t1 = Date.now();
		for (;;) {
			const polled = new Set((await standin.requests(mark)).filter(isHistoryList).map(pollerOf));
			if (polled.size === 2 || Date.now() - t1 > WAIT_CONFIRM_MS) break;
			await sleep(3000);
		}
		await sleep(2000); // an execution the last poll started
		collected = await collect();
		log(`       one more poll of each trigger after ${((Date.now() - t1) / 1000).toFixed(0)} s`);
	}

	await test(titles[1], async () => {
		const runs = collected.newEmail;
		assert.ok(runs.length > 0, `no execution of the New Email workflow within ${WAIT_EVENTS_MS / 1000} s`);
		for (const r of runs) {
			assert.equal(r.status, 'success', `execution ${r.id}: ${r.status} ${r.error ?? ''}`);
			assert.equal(r.mode, 'trigger', `execution ${r.id} started by the poller (mode ${r.mode})`);
		}
		const items = emitted(runs);
		assert.deepEqual(items.map((i) => i.id).sort(), delivered.map((m) => m.id).sort(), 'exactly the delivered messages, each once');
		for (const [n, m] of delivered.entries()) {
			const item = items.find((i) => i.id === m.id);
			assert.equal(item.event, 'messageAdded');
			assert.equal(item.subject, `${tag} ${n + 1}`);
			assert.equal(item.from?.address, 'erin@outside.example.net');
			assert.ok(/^\d+$/.test(String(item.historyId)), 'historyId');
		}
		const next = runs.flatMap((r) => r.next);
		assert.deepEqual(
			next.map((j) => `${j.event}|${j.from}|${j.subject}`).sort(),
			delivered.map((_, n) => `messageAdded|erin@outside.example.net|${tag} ${n + 1}`).sort(),
			'Edit Fields got every item',
		);
	});

	await test(titles[2], async () => {
		const runs = collected.labelChanged;
		assert.ok(runs.length > 0, `no execution of the Label Added or Removed workflow within ${WAIT_EVENTS_MS / 1000} s`);
		for (const r of runs) {
			assert.equal(r.status, 'success', `execution ${r.id}: ${r.status} ${r.error ?? ''}`);
			assert.equal(r.mode, 'trigger');
		}
		const items = emitted(runs);
		assert.deepEqual(
			items.map((i) => ({ id: i.id, event: i.event, labelsAdded: i.labelsAdded, labelsRemoved: i.labelsRemoved })).sort((x, y) => x.event.localeCompare(y.event)),
			[
				{ id: starred, event: 'labelAdded', labelsAdded: STARRED, labelsRemoved: [] },
				{ id: unstarred, event: 'labelRemoved', labelsAdded: [], labelsRemoved: STARRED },
			],
			'the two changes, each once; the delivered mail carries no star and is not emitted',
		);
		assert.deepEqual(
			runs.flatMap((r) => r.next).map((j) => `${j.event}|${JSON.stringify(j.labelsAdded)}|${JSON.stringify(j.labelsRemoved)}`).sort(),
			['labelAdded|["STARRED"]|[]', 'labelRemoved|[]|["STARRED"]'],
			'Edit Fields got both',
		);
	});

	await test(titles[3], async () => {
		const reqs = await standin.requests(seqBeforeEvents);
		const polls = reqs.filter(isHistoryList);
		const by = { newEmail: polls.filter((r) => pollerOf(r) === 'newEmail'), labelChanged: polls.filter((r) => pollerOf(r) === 'labelChanged') };
		for (const [event, list] of Object.entries(by)) assert.ok(list.length >= 1, `${event}: n8n's poller called users.history.list (calls: ${list.length})`);
		for (const r of polls) {
			assert.equal(r.subject, user, `history.list made as ${r.subject}`);
			assert.equal(r.tokenKind, 'user', "a user OAuth token (n8n's credential)");
			assert.ok(new URLSearchParams(r.query).get('startHistoryId'), 'from the cursor');
			assert.equal(r.units, 2, 'history.list costs 2 quota units');
		}
		const failed = reqs.filter((r) => r.status >= 400);
		assert.deepEqual(failed.map((r) => `${r.status} ${r.method} ${r.path}`), [], 'no 4xx/5xx');
		log(`       history.list calls: New Email ${by.newEmail.length}, Label ${by.labelChanged.length}; Gmail calls while active: ${reqs.filter((r) => r.host === 'gmail.googleapis.com').length}`);
	});

	await deactivate();

	async function deactivate() {
		await test(titles.at(-1), async () => {
			assert.ok(Object.keys(wfs).length, 'nothing was activated');
			for (const wf of Object.values(wfs)) {
				const r = await n8n.deactivateWorkflow(wf.id);
				assert.equal(r.active, false, `${wf.name}: inactive`);
			}
		});
	}
}

/**
 * The Instant (Pub/Sub) example (14), alone: activation sets up Pub/Sub and the watch, each delivered message starts
 * an execution within seconds, the notification is acknowledged after the read that emitted it, deactivation stops
 * the watch. INSTANT_TESTS tests. Returns the measured delivery -> execution start times (ms).
 */
export async function instantChecks({ n8n, standin, credential, user, envFile, examplesDir, test, log = console.log }) {
	const flatted = n8nFlatted(envFile);
	const tag = `E2E instant ${Date.now().toString(36)}`;
	const titles = [
		"instant example (14) created on the shared credential and activated: n8n's activation ran its trigger(): a Pub/Sub topic in demo-project that gmail-api-push may publish on, a pull subscription (ack deadline 10 s), users.watch on the topic, all as alice",
		`instant: each of ${INSTANT_ROUNDS} messages delivered one after another started an execution (mode trigger) < ${INSTANT_MAX_MS / 1000} s after its delivery, with exactly that message as messageAdded, passed on to Edit Fields`,
		"instant: a notification published per delivery, pulled by n8n's trigger and acknowledged after the history read that emitted its message; nothing outstanding or redelivered; no 4xx/5xx but the setup's 404s (topic and subscription did not exist yet)",
		'instant workflow deactivated through POST /rest/workflows/:id/deactivate: users.stop recorded, the watch inactive, the subscription kept (the default)',
	];
	const measured = []; // delivery -> execution start, ms
	let wf; // {id, name, trigger, next, topic, subscription}
	const rounds = []; // [{message, subject, execution, ms}]
	const seqBefore = await standin.lastSeq();
	const before = await standin.call('GET', 'pubsub');
	const isPubsub = (r) => r.host === 'pubsub.googleapis.com';
	const route = (r, id) => r.routeId === id;

	const activated = await test(titles[0], async () => {
		const json = loadWorkflow(join(examplesDir, INSTANT_EXAMPLE), credential);
		const trigger = json.nodes.find((n) => n.type === TRIGGER_TYPE);
		assert.ok(trigger, `${INSTANT_EXAMPLE} has the trigger`);
		assert.equal(trigger.parameters.delivery, 'instant');
		assert.equal(trigger.parameters.event, 'newEmail');
		const project = trigger.parameters.cloudProject?.value;
		assert.equal(project, 'demo-project', "the Cloud project of the stand-in's OAuth client");
		const saved = await n8n.createWorkflow(json);
		const t = Date.now();
		const active = await n8n.activateWorkflow(saved.id, saved.versionId);
		const activationMs = Date.now() - t;
		assert.equal(active.active, true, `${INSTANT_EXAMPLE}: active after POST /activate`);
		wf = {
			id: saved.id,
			name: saved.name,
			trigger: trigger.name,
			next: json.connections[trigger.name].main[0][0].node,
			topic: `projects/${project}/topics/gmail-workspace-${saved.id}`,
			subscription: `projects/${project}/subscriptions/gmail-workspace-${saved.id}-${trigger.id.slice(0, 12)}`,
		};
		log(`       "${saved.name}" (id ${saved.id}) active after ${activationMs} ms`);
		// n8n awaits trigger() while activating: the watch exists when /activate answers (a slower n8n gets 30 s)
		let ps = await standin.call('GET', 'pubsub');
		for (const t1 = Date.now(); !ps.watches.some((w) => w.topicName === wf.topic) && Date.now() - t1 < 30_000; ps = await standin.call('GET', 'pubsub')) await sleep(500);
		const topic = ps.topics.find((x) => x.name === wf.topic);
		assert.ok(topic, `topic ${wf.topic} created (topics: ${ps.topics.map((x) => x.name).join(', ') || 'none'})`);
		assert.ok(
			topic.policy.bindings?.some((b) => b.role === 'roles/pubsub.publisher' && b.members.includes('serviceAccount:gmail-api-push@system.gserviceaccount.com')),
			`gmail-api-push may publish on it (policy ${JSON.stringify(topic.policy)})`,
		);
		const sub = ps.subscriptions.find((x) => x.name === wf.subscription);
		assert.ok(sub, `subscription ${wf.subscription} created (subscriptions: ${ps.subscriptions.map((x) => x.name).join(', ') || 'none'})`);
		assert.equal(sub.topic, wf.topic);
		assert.equal(sub.ackDeadlineSeconds, 10);
		const watch = ps.watches.find((w) => w.user === user);
		assert.ok(watch, `alice's mailbox is watched (watches: ${JSON.stringify(ps.watches)})`);
		assert.equal(watch.topicName, wf.topic);
		assert.equal(watch.active, true);
		const reqs = await standin.requests(seqBefore);
		const setup = reqs.filter((r) => isPubsub(r) || route(r, 'gmail.users.watch'));
		for (const id of ['topics.create', 'topics.getIamPolicy', 'topics.setIamPolicy', 'subscriptions.create']) {
			assert.ok(setup.some((r) => route(r, `pubsub.projects.${id}`) && r.status === 200), `Pub/Sub ${id} answered 200`);
		}
		assert.ok(setup.some((r) => route(r, 'gmail.users.watch') && r.status === 200), 'users.watch answered 200');
		// n8n 2.x registers a node that has both poll() and trigger() once for each: still one pull loop, one watch
		assert.equal(setup.filter((r) => route(r, 'gmail.users.watch')).length, 1, 'one users.watch (one pull loop) for the activation');
		assert.equal(setup.filter((r) => route(r, 'pubsub.projects.topics.create')).length, 1, 'one topics.create for the activation');
		for (const r of setup) {
			assert.equal(r.subject, user, `${r.method} ${r.host}${r.path} made as ${r.subject}`);
			assert.equal(r.tokenKind, 'user', "a user OAuth token (n8n's credential)");
		}
		log(`       setup: ${setup.filter(isPubsub).length} Pub/Sub calls, users.watch; topic ${wf.topic}`);
	});
	if (!activated) {
		for (const t of titles.slice(1, -1)) await test(t, async () => assert.fail('the instant workflow is not active'));
		await deactivate();
		return measured;
	}

	const seqBeforeEvents = await standin.lastSeq();
	const cache = new Map();
	for (let n = 1; n <= INSTANT_ROUNDS; n++) {
		const t0 = Date.now();
		const [message] = (await standin.call('POST', 'deliver', { to: user, subjectPrefix: `${tag} ${n}`, from: 'Erin Outside <erin@outside.example.net>' })).delivered;
		let execution;
		while (!execution && Date.now() - t0 < INSTANT_MAX_MS + 10_000) {
			const runs = await triggerRuns({ n8n, flatted, cache, ...wf });
			execution = runs.find((r) => r.items.some((i) => i.id === message.id));
			if (!execution) await sleep(250);
		}
		const ms = execution ? Date.parse(execution.startedAt) - t0 : undefined;
		if (ms !== undefined) measured.push(ms);
		rounds.push({ message, subject: `${tag} ${n} 1`, execution, ms });
		log(`       round ${n}: delivered ${message.id}; ${execution ? `execution ${execution.id} started ${(ms / 1000).toFixed(2)} s after the delivery` : `no execution within ${(INSTANT_MAX_MS + 10_000) / 1000} s`}`);
		await sleep(1500); // Gmail notifies at most once a second per mailbox: one notification per message
	}
	const all = await triggerRuns({ n8n, flatted, cache, ...wf });

	await test(titles[1], async () => {
		for (const r of rounds) {
			assert.ok(r.execution, `no execution with ${r.message.id} within ${(INSTANT_MAX_MS + 10_000) / 1000} s`);
			assert.ok(r.ms < INSTANT_MAX_MS, `execution ${r.execution.id} started ${r.ms} ms after the delivery`);
		}
		for (const r of all) {
			assert.equal(r.status, 'success', `execution ${r.id}: ${r.status} ${r.error ?? ''}`);
			assert.equal(r.mode, 'trigger', `execution ${r.id} started by the trigger (mode ${r.mode})`);
		}
		const items = all.flatMap((r) => r.items);
		assert.deepEqual(items.map((i) => i.id).sort(), rounds.map((r) => r.message.id).sort(), 'exactly the delivered messages, each once');
		for (const r of rounds) {
			const item = items.find((i) => i.id === r.message.id);
			assert.equal(item.event, 'messageAdded');
			assert.equal(item.subject, r.subject);
			assert.equal(item.from?.address, 'erin@outside.example.net');
		}
		assert.deepEqual(
			all.flatMap((r) => r.next).map((j) => `${j.event}|${j.from}|${j.subject}`).sort(),
			rounds.map((r) => `messageAdded|erin@outside.example.net|${r.subject}`).sort(),
			'Edit Fields got every item',
		);
	});

	await test(titles[2], async () => {
		// the last ack follows the last emit closely; give it a moment
		let ps;
		for (const t = Date.now(); Date.now() - t < 10_000; await sleep(500)) {
			ps = await standin.call('GET', 'pubsub');
			if (ps.counters.acked - before.counters.acked >= INSTANT_ROUNDS) break;
		}
		const d = (k) => ps.counters[k] - before.counters[k];
		log(`       Pub/Sub counters: published ${d('published')}, pulled ${d('pulled')}, acked ${d('acked')}, redelivered ${d('redelivered')}, notified ${d('notified')}, rate-dropped ${d('rateDropped')}`);
		assert.equal(d('notified'), INSTANT_ROUNDS, 'Gmail notified once per delivered message');
		assert.equal(d('published'), INSTANT_ROUNDS, 'each notification published on the topic');
		assert.equal(d('acked'), INSTANT_ROUNDS, 'each acknowledged');
		assert.equal(d('redelivered'), 0, 'none redelivered (each acknowledged within the ack deadline)');
		const sub = ps.subscriptions.find((x) => x.name === wf.subscription);
		assert.deepEqual({ backlog: sub.backlog, outstanding: sub.outstanding }, { backlog: 0, outstanding: 0 }, 'nothing left in the subscription');

		const reqs = await standin.requests(seqBeforeEvents);
		const reads = reqs.filter((r) => route(r, 'gmail.users.history.list') && Number(r.detail?.records) > 0);
		const acks = reqs.filter((r) => route(r, 'pubsub.projects.subscriptions.acknowledge') && r.detail?.acked > 0);
		const pulls = reqs.filter((r) => route(r, 'pubsub.projects.subscriptions.pull'));
		assert.ok(pulls.filter((r) => r.detail?.messages > 0).length >= INSTANT_ROUNDS, `a pull answered each notification (pulls: ${pulls.length})`);
		assert.ok(reads.length >= INSTANT_ROUNDS, `a history read per notification found the message (reads with records: ${reads.length})`);
		for (const read of reads) {
			const ack = acks.find((a) => a.seq > read.seq);
			assert.ok(ack, `an acknowledge after the history read #${read.seq}`);
			const nextRead = reads.find((x) => x.seq > read.seq);
			assert.ok(!nextRead || ack.seq < nextRead.seq, `the notification read at #${read.seq} acknowledged (#${ack.seq}) before the next one was read (#${nextRead?.seq})`);
		}
		// a batch envelope carries no token itself (its parts are logged one by one with theirs)
		for (const r of reqs.filter((x) => (isPubsub(x) || x.host === 'gmail.googleapis.com') && !x.path.startsWith('/batch/'))) {
			assert.equal(r.subject, user, `${r.method} ${r.host}${r.path} made as ${r.subject}`);
		}
		const failed = (await standin.requests(seqBefore)).filter((r) => r.status >= 400);
		assert.deepEqual(
			failed.map((r) => `${r.status} ${r.routeId}`).sort(),
			['404 pubsub.projects.subscriptions.get', '404 pubsub.projects.topics.get'],
			'only the setup found no topic and no subscription yet',
		);
		log(`       while active: ${pulls.length} pulls, ${reads.length} history reads with records, ${acks.length} acknowledges`);
	});

	await deactivate();
	return measured;

	async function deactivate() {
		await test(titles.at(-1), async () => {
			assert.ok(wf, 'nothing was activated');
			const mark = await standin.lastSeq();
			const t = Date.now();
			const r = await n8n.deactivateWorkflow(wf.id);
			assert.equal(r.active, false, `${wf.name}: inactive`);
			log(`       deactivated after ${Date.now() - t} ms`);
			let stops = [];
			for (const t1 = Date.now(); !stops.length && Date.now() - t1 < 30_000; await sleep(500)) {
				stops = (await standin.requests(mark)).filter((x) => route(x, 'gmail.users.stop'));
			}
			assert.equal(stops.length, 1, 'users.stop called once');
			assert.equal(stops[0].status, 204);
			assert.equal(stops[0].subject, user);
			const ps = await standin.call('GET', 'pubsub');
			assert.deepEqual(ps.watches.filter((w) => w.user === user && w.active), [], "alice's watch is no longer active");
			assert.ok(ps.subscriptions.some((x) => x.name === wf.subscription), 'the subscription is kept (Delete Subscription on Deactivation is off)');
			// the pull loop ended: no Pub/Sub call a few seconds after the deactivation
			const end = await standin.lastSeq();
			await sleep(5000);
			assert.deepEqual((await standin.requests(end)).filter(isPubsub).map((x) => `${x.method} ${x.path}`), [], 'no pull after the deactivation');
		});
	}
}
