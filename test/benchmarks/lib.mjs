// Shared by read.mjs, send.mjs and trigger.mjs: the running n8n (REST, owner session), both credentials connected as the test user
// through the stand-in's consent page, manual runs through the REST API (the run happens inside the n8n process whose
// memory we sample), execution data, and a VmRSS sampler for that process.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { N8n, Standin, connectOAuth2 } from '../e2e/lib/clients.mjs';
import { CREDENTIAL_TYPE, createConnectedCredential, standinClient } from '../e2e/lib/setup.mjs';

export const BUILTIN_CREDENTIAL_TYPE = 'gmailOAuth2';
export const OUR_NODE = 'n8n-nodes-gmail-workspace.gmailWorkspace';
export const BUILTIN_NODE = 'n8n-nodes-base.gmail';
export const BUILTIN_VERSION = 2.2; // what n8n 2.41.1's Gmail node defaults to (versions 2, 2.1, 2.2)
export const TRIGGER = 'Start';

export const env = (name) => {
	const v = process.env[name];
	if (!v) throw new Error(`${name} is not set (run through the .sh script)`);
	return v;
};
export const log = (m) => console.log(`>> ${m}`);
export const MiB = 1048576;

/** n8n's own `flatted` (execution data is stored and served flatted). */
const flatted = createRequire(join(env('N8N_PREFIX'), 'node_modules', 'n8n', 'package.json'))('flatted');

export async function connect({ user = 'alice@example.com' } = {}) {
	const n8n = new N8n(env('N8N_URL'));
	const google = { port: Number(env('STANDIN_PORT')), ca: env('STANDIN_CA') };
	const standin = new Standin(google);
	await n8n.ownerLogin(env('E2E_EMAIL'), env('E2E_PASSWORD'));
	const ours = await createConnectedCredential({ n8n, google, user, name: 'Gmail Workspace (bench)' });
	const created = await n8n.createCredential('Gmail built-in (bench)', BUILTIN_CREDENTIAL_TYPE, standinClient());
	await connectOAuth2(n8n, created.id, { ...google, user });
	const builtin = { id: created.id, name: 'Gmail built-in (bench)' };
	log(`credentials connected as ${user}: ${CREDENTIAL_TYPE} ${ours.id}, ${BUILTIN_CREDENTIAL_TYPE} ${builtin.id}`);
	return { n8n, standin, google, credentials: { ours, builtin }, user };
}

/** A workflow: Start (manual trigger) -> nodes in a chain. Each node: {name, type, typeVersion, parameters, credentials}. */
export function chain(name, nodes) {
	const all = [{ name: TRIGGER, type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, parameters: {} }, ...nodes].map((n, i) => ({
		id: `c0000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
		position: [i * 220, 0],
		...n,
	}));
	const connections = {};
	for (let i = 0; i + 1 < all.length; i++) connections[all[i].name] = { main: [[{ node: all[i + 1].name, type: 'main', index: 0 }]] };
	return { name, nodes: all, connections, settings: { executionOrder: 'v1' } };
}

export const ourCredentials = (c) => ({ gmailWorkspaceOAuth2Api: { id: c.ours.id, name: c.ours.name } });
export const builtinCredentials = (c) => ({ gmailOAuth2: { id: c.builtin.id, name: c.builtin.name } });

/** VmRSS (bytes) of a process, from /proc. */
export function rssBytes(pid) {
	const m = /VmRSS:\s+(\d+)\s+kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
	return m ? Number(m[1]) * 1024 : NaN;
}

/** Samples VmRSS every `everyMs` with timestamps; stop() returns the samples. */
export function sampleRss(pid, everyMs = 20) {
	const samples = [];
	const take = () => {
		try {
			samples.push({ t: Date.now(), rss: rssBytes(pid) });
		} catch {
			/* process gone */
		}
	};
	take();
	const timer = setInterval(take, everyMs);
	return {
		samples,
		stop() {
			clearInterval(timer);
			take();
			return samples;
		},
	};
}

export const peak = (samples, from = -Infinity, to = Infinity) =>
	samples.filter((s) => s.t >= from && s.t <= to).reduce((m, s) => Math.max(m, s.rss), 0);

/**
 * Run a saved workflow manually through n8n's REST API (what the editor's "Execute workflow" calls) and wait for the
 * execution to finish. Returns {id, execution (status, data parsed), ms (request -> finished seen)}.
 * Each poll (GET /rest/executions/:id) makes n8n load and serialize the execution, ~2 MiB of JS heap in the process
 * being measured. `quiet` keeps n8n quiet while the run lasts: `ended()` (checked every `checkMs`, e.g. against the
 * stand-in's log) says when the work is over; until then n8n is polled only every `slowPollMs`.
 */
export async function runWorkflow(n8n, workflowId, { timeoutMs = 600_000, pollMs = 250, quiet } = {}) {
	const t0 = Date.now();
	const started = await n8n.call('POST', `/rest/workflows/${workflowId}/run`, { triggerToStartFrom: { name: TRIGGER } });
	const id = started?.executionId;
	if (!id) throw new Error(`manual run did not start an execution: ${JSON.stringify(started)}`);
	let ended = !quiet;
	let lastPoll = Date.now();
	for (;;) {
		await new Promise((r) => setTimeout(r, ended ? pollMs : quiet.checkMs));
		if (!ended) {
			ended = await quiet.ended();
			if (!ended && Date.now() - lastPoll < quiet.slowPollMs) continue;
		}
		lastPoll = Date.now();
		const r = await n8n.raw('GET', `/rest/executions/${id}`);
		const e = r.json?.data;
		if (r.status === 200 && e && e.finished !== undefined && ['success', 'error', 'crashed', 'canceled'].includes(e.status)) {
			return { id, execution: { ...e, data: typeof e.data === 'string' ? flatted.parse(e.data) : e.data }, ms: Date.now() - t0 };
		}
		if (Date.now() - t0 > timeoutMs) throw new Error(`execution ${id} not finished after ${timeoutMs} ms (status ${e?.status})`);
	}
}

/** The first run of a node in an execution: {startTime, executionTime, items, error}. */
export function nodeRun(execution, name) {
	const run = execution.data?.resultData?.runData?.[name]?.[0];
	if (!run) return undefined;
	return {
		startTime: run.startTime,
		executionTime: run.executionTime,
		items: run.data?.main?.[0] ?? [],
		error: run.error ? `${run.error.message}${run.error.description ? ` (${run.error.description})` : ''}` : undefined,
	};
}

export const fmtMiB = (b) => `${(b / MiB).toFixed(1)} MiB`;

// --- active polling triggers (bench:trigger) ------------------------------------------------------------------------

export const OUR_TRIGGER = 'n8n-nodes-gmail-workspace.gmailWorkspaceTrigger';
export const BUILTIN_TRIGGER = 'n8n-nodes-base.gmailTrigger';
export const BUILTIN_TRIGGER_VERSION = 1.4; // what n8n 2.41.1's Gmail Trigger defaults to (1 ... 1.4)

/** One more connected credential as `user`: ours (`gmailWorkspaceOAuth2Api`, `data` = further fields) or the built-in's. */
export async function connectCredential(n8n, google, kind, user, name, data = {}) {
	if (kind === 'ours') return await createConnectedCredential({ n8n, google, user, name, data });
	const created = await n8n.createCredential(name, BUILTIN_CREDENTIAL_TYPE, { ...standinClient(), ...data });
	await connectOAuth2(n8n, created.id, { ...google, user });
	return { id: created.id, name };
}

/** A workflow of one polling trigger node (n8n's Poll Times: every minute unless `pollTimes` says otherwise). */
export function pollingWorkflow(name, node, pollTimes = { item: [{ mode: 'everyMinute' }] }) {
	const trigger = {
		id: 'd0000000-0000-4000-8000-000000000001',
		position: [0, 0],
		...node,
		parameters: { pollTimes, ...node.parameters },
	};
	return { name, nodes: [trigger], connections: {}, settings: { executionOrder: 'v1' } };
}

/** Activate (publish) a saved workflow: n8n 2.x wants the version id it activates. */
export async function activateWorkflow(n8n, wf) {
	return await n8n.call('POST', `/rest/workflows/${wf.id}/activate`, { versionId: wf.versionId });
}

/** Summaries of a workflow's executions, newest first ({id, status, mode, startedAt, stoppedAt, ...}). */
export async function executionsOf(n8n, workflowId, limit = 100) {
	const filter = encodeURIComponent(JSON.stringify({ workflowId: String(workflowId) }));
	const r = await n8n.call('GET', `/rest/executions?filter=${filter}&limit=${limit}`);
	return Array.isArray(r) ? r : (r?.results ?? []);
}

/** One execution with its data parsed (n8n serves it flatted). */
export async function executionById(n8n, id) {
	const e = await n8n.call('GET', `/rest/executions/${id}`);
	return { ...e, data: typeof e.data === 'string' ? flatted.parse(e.data) : e.data };
}

/**
 * The least time (s) Gmail's per-user sliding minute lets `units` be spent in, starting from an empty window: any 60 s
 * span holds at most `perMinute` units, so the last spend comes at least 60 s x (ceil(units / perMinute) - 1) after the
 * first (the bound bench:read calls windowS).
 */
export const quotaLeastSeconds = (units, perMinute) => (units <= perMinute ? 0 : 60 * (Math.ceil(units / perMinute) - 1));

// --- shared by trigger.mjs and instant.mjs --------------------------------------------------------------------------

export const sleep = (ms) => new Promise((r) => setTimeout(r, Math.max(0, ms)));

export const median = (xs) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};

/** The p-th percentile (0..100), nearest rank. */
export const percentile = (xs, p) => {
	if (!xs.length) return NaN;
	const s = [...xs].sort((a, b) => a - b);
	return s[Math.min(s.length - 1, Math.max(0, Math.ceil((p / 100) * s.length) - 1))];
};

/**
 * Reads the stand-in's request log incrementally: `pull()` hands each new entry (with `t` = its time in ms) to
 * `onEntry`, once. Batch parts are numbered before their envelope is logged, so it reads a little behind the highest
 * number seen.
 */
export function requestLogReader(standin, onEntry) {
	const seen = new Set();
	let maxSeq = 0;
	return async function pull() {
		const entries = await standin.requests(Math.max(0, maxSeq - 2000));
		for (const e of entries) {
			if (seen.has(e.seq)) continue;
			seen.add(e.seq);
			maxSeq = Math.max(maxSeq, e.seq);
			e.t = Date.parse(e.time);
			onEntry(e);
		}
	};
}
