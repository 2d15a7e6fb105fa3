// npm run demo -- --check: every imported example proves it works, then "demo examples: N passed, N failed".
//  - card examples (a Manual Trigger first): one run each with `n8n execute --id` against the demo's database; each
//    mailbox card that ran must have left its Gmail call in the stand-in's request log, answered 2xx (GMAIL_CALLS);
//  - trigger examples (active, polling every minute): `n8n execute` cannot show them working (the CLI runs in mode
//    "cli", where n8n passes a polling node's input through instead of polling), so one starred message is delivered
//    (POST /__standin/deliver with labelIds [STARRED]) and n8n's own poller must start an execution of each active
//    trigger example within DEMO_CHECK_WAIT seconds (default 100: each polls once a minute): New Email emits it as
//    messageAdded, Label Added or Removed (STARRED) as labelAdded (a label present at delivery counts as added); the
//    instant New Email example (14, Gmail push through the stand-in's Pub/Sub) the same, within seconds;
//  - the AI triage example (an AI Agent): run with `n8n execute` like a card, against the demo's scripted model; the
//    agent's answer must be the script's final one (not "SCRIPT STOPPED", which the model says when a tool failed);
//  - the MCP server example (MCP Server Trigger, active): the MCP SDK client connects to n8n's endpoint, lists the
//    tools and calls Search Emails for the invoice the demo delivered.
// usage: node demo-check.mjs --state state.json --env-file n8n.env --n8n-url URL --email E --password P
//                            --standin-port P --ca CA [--user alice@example.com]
import { readFileSync } from 'node:fs';
import { parseArgs } from 'node:util';
import { executeWorkflow, nodeItems } from './lib/cli.mjs';
import { N8n, Standin } from './lib/clients.mjs';
import { connectMcp, listAllTools, resultText, waitForEndpoint } from './lib/mcp-client.mjs';
import { INVOICE } from './lib/scripted-model.mjs';
import { n8nFlatted, triggerRuns, triggerShape } from './trigger.mjs';

const { values: args } = parseArgs({
	options: {
		state: { type: 'string' },
		'env-file': { type: 'string' },
		'n8n-url': { type: 'string' },
		email: { type: 'string' },
		password: { type: 'string' },
		'standin-port': { type: 'string' },
		ca: { type: 'string' },
		user: { type: 'string', default: 'alice@example.com' },
	},
});
const WAIT_MS = Number(process.env.DEMO_CHECK_WAIT || 100) * 1000;
const state = JSON.parse(readFileSync(args.state, 'utf8'));
let ok = 0;
let bad = 0;
const report = (pass, title, why) => {
	if (pass) ok++;
	else bad++;
	console.log(`  ${pass ? 'PASS' : 'FAIL'} ${title}${pass || !why ? '' : `: ${why}`}`);
};

/**
 * The Gmail method(s) a mailbox card calls: one of them must be in the stand-in's log for each such node that ran.
 * Admin cards, Check connection and Custom API by path are checked by the e2e suite (test/e2e/cases.mjs) instead.
 */
const MODIFY = ['gmail.users.messages.batchModify', 'gmail.users.messages.modify'];
const SEND = ['gmail.users.messages.send'];
const GMAIL_CALLS = {
	message: {
		read: ['gmail.users.messages.get'], search: ['gmail.users.messages.list'],
		send: SEND, sendWithAttachment: SEND, reply: SEND, forward: SEND,
		addLabels: MODIFY, removeLabels: MODIFY, markAsRead: MODIFY, markAsUnread: MODIFY, archive: MODIFY,
		moveToTrash: MODIFY, restoreFromTrash: MODIFY,
		deletePermanently: ['gmail.users.messages.batchDelete', 'gmail.users.messages.delete'],
	},
	thread: {
		addLabels: ['gmail.users.threads.modify'], removeLabels: ['gmail.users.threads.modify'],
		trash: ['gmail.users.threads.trash'], untrash: ['gmail.users.threads.untrash'],
		get: ['gmail.users.threads.get'], search: ['gmail.users.threads.list'], reply: SEND,
	},
	draft: Object.fromEntries(['create', 'delete', 'get', 'list', 'send', 'update'].map((op) => [op, [`gmail.users.drafts.${op}`]])),
	label: {
		create: ['gmail.users.labels.create'], delete: ['gmail.users.labels.delete'], list: ['gmail.users.labels.list'],
		update: ['gmail.users.labels.patch'],
	},
};
const CARD_TYPE = /gmailWorkspace$/;

/** Problems with the calls a card example made: a mailbox card that ran but whose Gmail call is not in `log`. */
function missingCalls(json, execution, log) {
	const ran = execution?.data?.resultData?.runData ?? {};
	const problems = [];
	const seen = [];
	for (const node of json.nodes) {
		if (!CARD_TYPE.test(node.type) || !ran[node.name]) continue;
		const { resource = 'message', operation, mode, apiMethod } = node.parameters;
		const want = resource === 'customApi' ? (mode !== 'path' && apiMethod ? [apiMethod] : undefined) : GMAIL_CALLS[resource]?.[operation];
		if (!want) continue;
		const hits = log.filter((e) => want.includes(e.routeId) && e.status < 300);
		if (hits.length) seen.push(`${node.name}: ${hits[0].routeId} ×${hits.length}`);
		else problems.push(`"${node.name}" (${resource}.${operation}) ran, but the stand-in recorded no answered ${want.join(' or ')}`);
	}
	return { problems, seen };
}

const standin = new Standin({ port: Number(args['standin-port']), ca: args.ca });
const triggers = [];
const mcpServers = [];
for (const wf of state.workflows) {
	const json = JSON.parse(readFileSync(wf.file, 'utf8'));
	const shape = triggerShape(json);
	if (shape) {
		triggers.push({ ...wf, ...shape });
		continue;
	}
	const mcp = json.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
	if (mcp) {
		mcpServers.push({ ...wf, path: mcp.parameters.path });
		continue;
	}
	const since = await standin.lastSeq();
	const r = executeWorkflow(args['env-file'], wf.id);
	const error = r.execution?.data?.resultData?.error;
	const agent = json.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.agent');
	const answer = agent && !error && r.execution ? String(nodeItems(r.execution, agent.name)[0]?.output ?? '') : undefined;
	if (answer !== undefined) report(r.status === 0 && !/SCRIPT STOPPED/.test(answer) && answer.length > 0, `${wf.name}: "${answer.slice(0, 160)}"`, answer);
	else if (error || r.status !== 0) report(false, wf.name, error?.message ?? r.log.slice(-400));
	else {
		const { problems, seen } = missingCalls(json, r.execution, await standin.requests(since));
		report(!problems.length, `${wf.name}${seen.length ? ` (${seen.join('; ')})` : ''}`, problems.join('; '));
	}
}

for (const wf of mcpServers) {
	const url = `${args['n8n-url'].replace(/\/$/, '')}/mcp/${wf.path}`;
	try {
		if (!wf.active) throw new Error('not active (the demo activates workflows whose file says "active": true)');
		const ready = await waitForEndpoint(url, 200);
		if (ready.status !== 200) throw new Error(`${url} answers ${ready.status}`);
		const mcp = await connectMcp(url);
		try {
			const tools = await listAllTools(mcp.client);
			const search = tools.find((t) => /search/i.test(t.name));
			if (!search) throw new Error(`no search tool among ${tools.map((t) => t.name).join(', ')}`);
			const r = await mcp.client.callTool({ name: search.name, arguments: { query: `subject:${INVOICE}`, limit: 5 } });
			const text = resultText(r);
			if (r.isError || !text.includes(INVOICE)) throw new Error(`${search.name} answered ${text.slice(0, 300)}`);
			report(true, `${wf.name}: MCP client over ${mcp.transport} at ${url}: tools ${tools.map((t) => t.name).join(', ')}; ${search.name} found ${INVOICE}`);
		} finally {
			await mcp.close();
		}
	} catch (e) {
		report(false, wf.name, String(e?.message ?? e));
	}
}

if (triggers.length) {
	const t0 = Date.now();
	const n8n = new N8n(args['n8n-url']);
	await n8n.ownerLogin(args.email, args.password);
	const flatted = n8nFlatted(args['env-file']);
	const subject = `Demo check ${new Date().toISOString()}`;
	const { delivered } = await standin.call('POST', 'deliver', { to: args.user, subjectPrefix: subject, labelIds: ['STARRED'] });
	const id = delivered[0].id;
	const expected = { newEmail: 'messageAdded', labelChanged: 'labelAdded' };
	console.log(`  delivered ${id} ("${subject} 1", starred); waiting for n8n's poller to run the ${triggers.length} active trigger example(s) (≤ ${WAIT_MS / 1000} s)`);
	const cache = new Map();
	const pending = new Map(triggers.map((t) => [t.id, t]));
	const why = new Map();
	while (pending.size && Date.now() - t0 < WAIT_MS) {
		for (const t of [...pending.values()]) {
			if (!t.active) {
				why.set(t.id, 'not active (the demo activates workflows whose file says "active": true)');
				pending.delete(t.id);
				continue;
			}
			const runs = await triggerRuns({ n8n, flatted, cache, ...t });
			const failed = runs.find((r) => r.status !== 'success');
			if (failed) {
				why.set(t.id, `execution ${failed.id} ${failed.status}: ${failed.error ?? ''}`);
				pending.delete(t.id);
				continue;
			}
			const hit = runs.find((r) => r.items.some((i) => i.id === id && i.event === expected[t.event]) && r.next.length > 0);
			if (hit) {
				why.set(t.id, `execution ${hit.id} (${hit.mode}) after ${((Date.now() - t0) / 1000).toFixed(0)} s`);
				t.passed = true;
				pending.delete(t.id);
			}
		}
		if (pending.size) await new Promise((r) => setTimeout(r, 3000));
	}
	for (const t of triggers) {
		const detail = why.get(t.id) ?? `no execution with ${expected[t.event]} for ${id} within ${WAIT_MS / 1000} s`;
		if (t.passed) report(true, `${t.name}: ${expected[t.event]} of the delivered message (${t.delivery}), ${detail}`);
		else report(false, t.name, detail);
	}
}

console.log(`demo examples: ${ok} passed, ${bad} failed`);
process.exit(bad ? 1 : 0);
