// npm run demo -- --check: every imported example proves it works, then "demo examples: N passed, N failed".
//  - card examples (a Manual Trigger first): one run each with `n8n execute --id` against the demo's database;
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
	const r = executeWorkflow(args['env-file'], wf.id);
	const error = r.execution?.data?.resultData?.error;
	const agent = json.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.agent');
	const answer = agent && !error && r.execution ? String(nodeItems(r.execution, agent.name)[0]?.output ?? '') : undefined;
	if (answer !== undefined) report(r.status === 0 && !/SCRIPT STOPPED/.test(answer) && answer.length > 0, `${wf.name}: "${answer.slice(0, 160)}"`, answer);
	else report(!error && r.status === 0, wf.name, error?.message ?? r.log.slice(-400));
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
	const standin = new Standin({ port: Number(args['standin-port']), ca: args.ca });
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
