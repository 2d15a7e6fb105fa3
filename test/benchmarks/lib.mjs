// Shared by read.mjs and send.mjs: the running n8n (REST, owner session), both credentials connected as the test user
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
