// Gmail Workspace as an AI tool in a real n8n 2.41.1 (issue #16), called from suite.mjs through its `test(...)`:
//  - AI Agent: examples/70-ai-triage.json (Manual Trigger -> AI Agent with n8n's OpenAI Chat Model and four of our
//    tool nodes, `gmailWorkspaceTool`, parameters from `$fromAI`), its OpenAI credential's Base URL pointed at a
//    scripted OpenAI-compatible model on loopback (lib/scripted-model.mjs, its own process: `n8n execute` blocks
//    the suite's event loop). An invoice email is delivered to alice; the script searches for it, reads it, replies
//    and labels it, then answers. Checked: the stand-in's state (the reply in the invoice's thread, the label) and
//    what the model received (each tool's name, description, JSON schema; every tool output passed back, sizes).
//  - MCP: examples/71-mcp-server.json (n8n's MCP Server Trigger with Search Emails and Send Email attached),
//    activated; the official MCP TypeScript SDK client lists the tools and calls them over n8n's endpoint.
// Tool lists: $E2E_WORK/results/ai-tools.json and mcp-tools.json, and printed into the log.
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';
import { executeWorkflow, executionError, nodeItems } from './lib/cli.mjs';
import { connectMcp, listAllTools, resultText, waitForEndpoint } from './lib/mcp-client.mjs';
import { E2E_DIR, NODE_TYPE, loadWorkflow } from './lib/setup.mjs';
import { INVOICE, OPENAI_CREDENTIAL_NAME, REPLY_TEXT, SCRIPTED_API_KEY, invoiceEmail, scriptedLog } from './lib/scripted-model.mjs';

const GMAIL = 'https://gmail.googleapis.com/gmail/v1/users/me';
export const AI_EXAMPLES = { agent: '70-ai-triage.json', mcp: '71-mcp-server.json' };
export const TOOL_TYPE = `${NODE_TYPE}Tool`;
/** How many tests aiChecks counts (for the suite's tally when it cannot run them). */
export const AI_TESTS = 7;
/** The agent example's tools in the order the script calls them, with the $fromAI keys each must ask for. */
const AGENT_TOOLS = [
	{ node: 'Search Emails', tool: 'Search_Emails', keys: { query: 'string', limit: 'number' }, says: /search|find/i },
	{ node: 'Read Email', tool: 'Read_Email', keys: { messageId: 'string' }, says: /read|get/i },
	{ node: 'Reply to Email', tool: 'Reply_to_Email', keys: { messageId: 'string', message: 'string' }, says: /repl/i },
	{ node: 'Add Labels', tool: 'Add_Labels', keys: { messageId: 'string', labels: 'string' }, says: /label/i },
];
const MCP_TOOLS = [
	{ node: 'Search Emails', tool: 'Search_Emails', keys: { query: 'string', limit: 'number' }, says: /search|find/i },
	{ node: 'Send Email', tool: 'Send_Email', keys: { to: 'string', subject: 'string', message: 'string' }, says: /send/i },
];

/** Start the scripted model in its own process (stdin is its lifeline). Returns {url, stop}. */
export async function startScriptedModelProcess(log = () => {}) {
	const child = spawn(process.execPath, [join(E2E_DIR, 'lib', 'scripted-model.mjs'), '--exit-with-stdin'], { stdio: ['pipe', 'pipe', 'inherit'] });
	const url = await new Promise((resolve, reject) => {
		let buf = '';
		const t = setTimeout(() => reject(new Error('the scripted model did not start within 10 s')), 10_000);
		child.stdout.on('data', (d) => {
			buf += d;
			const m = /scripted model: (\S+)/.exec(buf);
			if (m) {
				clearTimeout(t);
				resolve(m[1]);
			}
		});
		child.on('exit', (code) => reject(new Error(`the scripted model exited (${code})`)));
	});
	log(`       scripted model (pid ${child.pid}) on ${url}`);
	return {
		url,
		stop: () =>
			new Promise((r) => {
				if (child.exitCode !== null) return r();
				child.once('exit', () => r());
				child.stdin.end();
				setTimeout(() => child.kill('SIGKILL'), 3000).unref();
			}),
	};
}

/** A tool as the log shows it: name, description, parameters (JSON schema). */
const toolLine = (t) => `         ${t.name}: "${t.description}"\n           ${JSON.stringify(t.parameters ?? t.inputSchema)}`;

/** The schema's property types, e.g. {query: 'string', limit: 'number'}. */
const propertyTypes = (schema) => Object.fromEntries(Object.entries(schema?.properties ?? {}).map(([k, v]) => [k, Array.isArray(v.type) ? v.type[0] : v.type]));

/**
 * @param {object} o
 * @param {import('./lib/clients.mjs').N8n} o.n8n  logged-in owner session
 * @param {import('./lib/clients.mjs').Standin} o.standin
 * @param {{id:string,name:string}} o.credential  the shared (alice) credential
 */
export async function aiChecks({ n8n, standin, credential, user, envFile, examplesDir, resultsDir, test, log = console.log }) {
	const titles = {
		agentRun: `AI Agent: example 70 (AI Agent + OpenAI Chat Model + 4 ${TOOL_TYPE} tools) runs with a scripted OpenAI-compatible model: Search -> Read -> Reply -> Add Labels -> final answer`,
		agentMailbox: "AI Agent: the stand-in recorded the reply in the invoice's thread (In-Reply-To, to the vendor, the reply text) and the Receipts label on the invoice, all as alice",
		agentModel: 'AI Agent: the model received each tool with its name, description and JSON schema ($fromAI keys), and every tool output passed back (sizes printed)',
		mcpList: 'MCP: example 71 (MCP Server Trigger + Search Emails + Send Email) activated; the MCP SDK client connects to n8n and lists both tools with their JSON schemas',
		mcpSearch: 'MCP: Search Emails called through the MCP client finds the invoice; a 50-message Search as a tool vs the node in a workflow (sizes printed)',
		mcpSend: "MCP: Send Email called through the MCP client: bob received it from alice (stand-in), the tool's result names the sent message",
		mcpOff: 'MCP: the server workflow deactivated; its endpoint no longer answers',
	};
	const tag = Date.now().toString(36);
	let model;
	let invoice; // {id, threadId}
	let run; // {execution, requests, modelLog}
	let agentWorkflow; // {id, name, file}: example 70 as saved in n8n (browser.mjs shoots its canvas)

	const agentRan = await test(titles.agentRun, async () => {
		model = await startScriptedModelProcess(log);
		const types = await n8n.nodeTypes();
		for (const t of [TOOL_TYPE, '@n8n/n8n-nodes-langchain.agent', '@n8n/n8n-nodes-langchain.lmChatOpenAi', '@n8n/n8n-nodes-langchain.mcpTrigger']) {
			assert.ok(types.some((x) => x.name === t), `n8n offers ${t} (/types/nodes.json)`);
		}
		// n8n's OpenAI credential, Base URL -> the scripted model (what a user types into the credential form)
		const openAi = await n8n.createCredential(OPENAI_CREDENTIAL_NAME, 'openAiApi', { apiKey: SCRIPTED_API_KEY, url: model.url, header: false });
		const delivered = await standin.call('POST', 'deliver', { to: user, raw: Buffer.from(invoiceEmail(user, tag)).toString('base64') });
		invoice = delivered.delivered[0];
		log(`       delivered the invoice ${invoice.id} (thread ${invoice.threadId}) to ${user}`);
		const wf = loadWorkflow(join(examplesDir, AI_EXAMPLES.agent), credential, { __OPENAI_CREDENTIAL_ID__: openAi.id, __OPENAI_CREDENTIAL_NAME__: OPENAI_CREDENTIAL_NAME });
		const saved = await n8n.createWorkflow(wf);
		agentWorkflow = { id: saved.id, name: saved.name, file: join(examplesDir, AI_EXAMPLES.agent) };
		const since = await standin.lastSeq();
		const r = executeWorkflow(envFile, saved.id);
		const requests = await standin.requests(since);
		const modelLog = await scriptedLog(model.url);
		run = { execution: r.execution, requests, modelLog };
		assert.ok(r.execution, `no execution JSON from n8n execute (exit ${r.status}):\n${r.log.slice(-3000)}`);
		assert.equal(r.execution.status, 'success', `execution status ${r.execution.status}: ${executionError(r.execution)}`);
		assert.equal(r.status, 0, `n8n execute exit code ${r.status}`);
		const [out] = nodeItems(r.execution, 'AI Agent');
		log(`       agent's answer: ${JSON.stringify(out.output)} (${r.ms} ms)`);
		assert.match(String(out.output), /^Done: found the invoice INV-2026-0412 email/, "the script's final answer (the script did not stop early)");
		const steps = (out.intermediateSteps ?? []).map((s) => s.action?.tool);
		assert.deepEqual(steps, AGENT_TOOLS.map((t) => t.tool), 'the agent ran the four tools in order');
		// each tool node ran once, as its own node of the execution (n8n 2.x's agent hands tool calls to the engine)
		for (const t of AGENT_TOOLS) {
			const runs = r.execution.data.resultData.runData[t.node] ?? [];
			assert.equal(runs.length, 1, `${t.node} ran once (runs: ${runs.length})`);
			assert.ok(!runs[0].error, `${t.node} failed: ${runs[0].error?.message}`);
		}
	});

	await test(titles.agentMailbox, async () => {
		assert.ok(agentRan && invoice, 'the agent did not run');
		const calls = run.requests.filter((c) => c.host === 'gmail.googleapis.com');
		assert.deepEqual(calls.filter((c) => c.status >= 400).map((c) => `${c.status} ${c.method} ${c.path}`), [], 'no rejected Gmail call');
		for (const c of calls.filter((c) => !c.path.startsWith('/batch/'))) assert.equal(c.subject, user, `${c.method} ${c.path} made as ${c.subject}`);
		const sends = calls.filter((c) => c.method === 'POST' && /\/messages\/send$/.test(c.path));
		assert.equal(sends.length, 1, 'one messages.send (the reply)');
		// the thread now holds the invoice and alice's reply
		const thread = await standin.api(user, 'GET', `${GMAIL}/threads/${invoice.threadId}?format=metadata`);
		const ids = thread.messages.map((m) => m.id);
		assert.equal(ids.length, 2, `the invoice's thread has the invoice and the reply (${ids.join(', ')})`);
		const replyId = ids.find((id) => id !== invoice.id);
		const reply = await simpleParser(Buffer.from((await standin.api(user, 'GET', `${GMAIL}/messages/${replyId}?format=raw`)).raw, 'base64url'));
		const original = `<${INVOICE.toLowerCase()}-${tag}@vendor.example.net>`;
		assert.equal(reply.inReplyTo, original, 'In-Reply-To: the invoice');
		assert.ok(String(reply.references ?? '').includes(original), 'References: the invoice');
		assert.deepEqual(reply.to.value.map((a) => a.address), ['billing@vendor.example.net'], 'to the vendor');
		assert.equal(reply.from.value[0].address, user, 'from alice');
		assert.equal(reply.subject, `Re: Invoice ${INVOICE} for November`);
		assert.ok(reply.text.includes(REPLY_TEXT), `the reply text the model gave (${JSON.stringify(reply.text.slice(0, 200))})`);
		const replyMeta = thread.messages.find((m) => m.id === replyId);
		assert.ok(replyMeta.labelIds.includes('SENT'), 'the reply is SENT');
		// the label: Receipts (an existing user label, named by the model) on the invoice
		const labels = await standin.api(user, 'GET', `${GMAIL}/labels`);
		const receipts = labels.labels.find((l) => l.name === 'Receipts');
		const inv = await standin.api(user, 'GET', `${GMAIL}/messages/${invoice.id}?format=minimal`);
		assert.ok(inv.labelIds.includes(receipts.id), `Receipts (${receipts.id}) on the invoice (labels ${inv.labelIds.join(', ')})`);
		assert.ok(!replyMeta.labelIds.includes(receipts.id), 'the label went to the invoice, not the reply');
		const modifies = calls.filter((c) => c.method === 'POST' && /\/messages\/(batchModify|[^/]+\/modify)$/.test(c.path));
		assert.ok(modifies.length >= 1, 'a messages.modify / batchModify call added it');
		log(`       reply ${replyId} in thread ${invoice.threadId}; Gmail calls: ${calls.map((c) => `${c.method} ${c.path.replace('/gmail/v1/users/me', '')}`).join(', ')}`);
	});

	await test(titles.agentModel, async () => {
		assert.ok(run?.modelLog, 'the agent did not run');
		const chats = run.modelLog.filter((e) => e.path.endsWith('/chat/completions'));
		assert.equal(chats.length, AGENT_TOOLS.length + 1, `one model call per step: ${chats.map((c) => c.answer?.toolCall?.name ?? 'final').join(', ')}`);
		for (const c of run.modelLog) assert.ok(c.apiKeyOk, `${c.method} ${c.path}: n8n sent the credential's API key`);
		for (const c of chats) assert.equal(c.model, 'gpt-4.1-mini', 'the model named in the example');
		// every call offers the same four tools, with name, description and schema
		const tools = chats[0].tools;
		for (const c of chats) assert.deepEqual(c.tools.map((t) => t.name), tools.map((t) => t.name), 'the same tools on every call');
		assert.deepEqual(tools.map((t) => t.name).sort(), AGENT_TOOLS.map((t) => t.tool).sort(), 'the four tools by name');
		for (const spec of AGENT_TOOLS) {
			const t = tools.find((x) => x.name === spec.tool);
			assert.ok(typeof t.description === 'string' && t.description.trim().length > 10, `${spec.tool} has a description`);
			assert.match(t.description, spec.says, `${spec.tool}'s description says what it does: "${t.description}"`);
			assert.equal(t.parameters?.type, 'object', `${spec.tool}: a JSON schema object`);
			assert.deepEqual(propertyTypes(t.parameters), spec.keys, `${spec.tool}: the $fromAI keys and types`);
			assert.deepEqual([...(t.parameters.required ?? [])].sort(), Object.keys(spec.keys).sort(), `${spec.tool}: every $fromAI key required`);
			for (const [k, v] of Object.entries(t.parameters.properties)) assert.ok(v.description, `${spec.tool}.${k} has a description for the model`);
		}
		// the tool outputs came back, one more per call, in the script's order; the search's held the invoice
		for (const [n, c] of chats.entries()) {
			assert.equal(c.toolResults.length, n, `call ${n + 1} carries ${n} tool result(s)`);
			assert.deepEqual(c.toolResults.map((r) => r.name), AGENT_TOOLS.slice(0, n).map((t) => t.tool));
			for (const r of c.toolResults) assert.ok(r.bytes > 2, `${r.name}'s output passed back (${r.bytes} bytes)`);
		}
		const results = chats.at(-1).toolResults;
		assert.ok(results[0].content.includes(invoice.id), 'the Search output has the invoice ID');
		assert.ok(results[1].content.includes('1,250.00 EUR'), "the Read output has the invoice's text");
		assert.ok(!/ya29\.|refresh_token|access_token/i.test(results.map((r) => r.content).join('')), 'no token in the tool outputs');
		const sizes = results.map((r) => ({ tool: r.name, bytes: r.bytes }));
		const calls = chats.map((c) => c.answer.toolCall ?? { final: c.answer.final });
		writeFileSync(join(resultsDir, 'ai-tools.json'), JSON.stringify({ seenBy: 'scripted OpenAI-compatible model (n8n AI Agent 3.1, OpenAI Chat Model 1.3)', tools, calls, toolOutputSizes: sizes }, null, 2));
		log('       tools as the model received them (name: description, JSON schema):');
		for (const t of tools) log(toolLine(t));
		log(`       tool outputs passed back: ${sizes.map((s) => `${s.tool} ${s.bytes} B`).join(', ')}; request sizes to the model grow with them`);
		log(`       the model's calls: ${calls.map((c) => (c.name ? `${c.name}(${JSON.stringify(c.arguments)})` : 'final answer')).join(' -> ')}`);
	});
	await model?.stop();

	// --- MCP ----------------------------------------------------------------------------------------------------
	let mcp;
	let mcpWf;
	const listed = await test(titles.mcpList, async () => {
		const wf = loadWorkflow(join(examplesDir, AI_EXAMPLES.mcp), credential);
		const trigger = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.mcpTrigger');
		assert.ok(trigger, 'example 71 has the MCP Server Trigger');
		assert.equal(wf.active, true, 'example 71 says "active": true (the demo activates it)');
		const saved = await n8n.createWorkflow(wf);
		const active = await n8n.activateWorkflow(saved.id, saved.versionId);
		assert.equal(active.active, true, 'active after POST /activate');
		mcpWf = { id: saved.id, url: `${n8n.baseUrl}/mcp/${trigger.parameters.path}` };
		// n8n answers POST /activate before its webhook lookup serves the new path (measured: 404 right after, 200 a
		// few seconds later; the same lag on deactivation): wait for the endpoint like a client retrying would
		const ready = await waitForEndpoint(mcpWf.url, 200);
		log(`       MCP endpoint answered ${ready.status} ${ready.ms} ms after activation`);
		mcp = await connectMcp(mcpWf.url);
		log(`       MCP client connected to ${mcpWf.url} over ${mcp.transport}; server ${JSON.stringify(mcp.server)}`);
		const tools = await listAllTools(mcp.client);
		writeFileSync(join(resultsDir, 'mcp-tools.json'), JSON.stringify({ seenBy: `@modelcontextprotocol/sdk client over ${mcp.transport}`, url: mcpWf.url, server: mcp.server, instructions: mcp.instructions, tools }, null, 2));
		log('       tools as the MCP client listed them (name: description, input schema):');
		for (const t of tools) log(toolLine(t));
		assert.deepEqual(tools.map((t) => t.name).sort(), MCP_TOOLS.map((t) => t.tool).sort(), 'Search_Emails and Send_Email');
		for (const spec of MCP_TOOLS) {
			const t = tools.find((x) => x.name === spec.tool);
			assert.match(t.description ?? '', spec.says, `${spec.tool}'s description: "${t.description}"`);
			assert.equal(t.inputSchema?.type, 'object');
			assert.deepEqual(propertyTypes(t.inputSchema), spec.keys, `${spec.tool}: the $fromAI keys and types`);
		}
		assert.match(mcp.instructions ?? '', /search/i, "the trigger's Instructions reach the client");
	});

	await test(titles.mcpSearch, async () => {
		assert.ok(listed, 'the MCP client is not connected');
		const since = await standin.lastSeq();
		const found = await mcp.client.callTool({ name: 'Search_Emails', arguments: { query: `subject:${INVOICE}`, limit: 5 } });
		const text = resultText(found);
		assert.ok(!found.isError, `Search_Emails answered an error: ${text.slice(0, 500)}`);
		assert.ok(text.includes(invoice?.id ?? INVOICE), `the invoice in the result: ${text.slice(0, 300)}`);
		const reqs = await standin.requests(since);
		assert.ok(reqs.some((r) => r.path === '/gmail/v1/users/me/messages' && r.subject === user), "messages.list as alice, from n8n's server process");
		// 50 messages: the tool's output (what a model's context gets) vs the node's in a workflow (n8n execute)
		const big = await mcp.client.callTool({ name: 'Search_Emails', arguments: { query: '', limit: 50 } });
		const bigText = resultText(big);
		assert.ok(!big.isError, `Search_Emails (50) answered an error: ${bigText.slice(0, 500)}`);
		const toolIds = new Set([...bigText.matchAll(/"id"\s*:\s*"([0-9a-f]{8,})"/g)].map((m) => m[1]));
		const normal = await runNormalSearch({ n8n, envFile, credential, limit: 50 });
		assert.equal(normal.items.length, 50, 'the node in a workflow returned 50 messages');
		for (const m of normal.items) assert.ok(toolIds.has(m.id), `message ${m.id} also in the tool's output`);
		const toolBytes = Buffer.byteLength(bigText);
		log(`       Search of 50 messages: tool (MCP) output ${toolBytes} B (${(toolBytes / 50).toFixed(0)} B per message); the node in a workflow ${normal.bytes} B (${(normal.bytes / 50).toFixed(0)} B per message); ratio ${(toolBytes / normal.bytes).toFixed(2)}`);
		writeFileSync(join(resultsDir, 'search-50-sizes.json'), JSON.stringify({ toolBytes, workflowBytes: normal.bytes, messages: 50 }, null, 2));
	});

	await test(titles.mcpSend, async () => {
		assert.ok(listed, 'the MCP client is not connected');
		const subject = `MCP e2e ${tag}`;
		const since = await standin.lastSeq();
		const sent = await mcp.client.callTool({ name: 'Send_Email', arguments: { to: 'bob@example.com', subject, message: 'Sent by an MCP client through n8n.' } });
		const text = resultText(sent);
		assert.ok(!sent.isError, `Send_Email answered an error: ${text.slice(0, 500)}`);
		const reqs = await standin.requests(since);
		const sends = reqs.filter((r) => r.method === 'POST' && /\/messages\/send$/.test(r.path));
		assert.equal(sends.length, 1, 'one messages.send');
		assert.equal(sends[0].subject, user, 'sent as alice');
		assert.equal(sends[0].status, 200);
		const got = await standin.api('bob@example.com', 'GET', `${GMAIL}/messages?q=${encodeURIComponent(`subject:"${subject}"`)}`);
		assert.equal((got.messages ?? []).length, 1, 'bob received it once');
		const copy = await simpleParser(Buffer.from((await standin.api('bob@example.com', 'GET', `${GMAIL}/messages/${got.messages[0].id}?format=raw`)).raw, 'base64url'));
		assert.equal(copy.from.value[0].address, user);
		assert.equal(copy.subject, subject);
		assert.ok(copy.text.includes('Sent by an MCP client through n8n.'));
		const sentIds = (await standin.api(user, 'GET', `${GMAIL}/messages?q=${encodeURIComponent(`in:sent subject:"${subject}"`)}`)).messages ?? [];
		assert.equal(sentIds.length, 1, "alice's SENT copy");
		assert.ok(text.includes(sentIds[0].id), `the tool's result names the sent message ${sentIds[0].id}: ${text.slice(0, 300)}`);
		log(`       Send_Email result (${Buffer.byteLength(text)} B): ${text.slice(0, 300)}`);
	});

	await test(titles.mcpOff, async () => {
		await mcp?.close().catch(() => {});
		assert.ok(mcpWf, 'the MCP workflow was not created');
		const r = await n8n.deactivateWorkflow(mcpWf.id);
		assert.equal(r.active, false);
		const gone = await waitForEndpoint(mcpWf.url, 404);
		assert.equal(gone.status, 404, `the endpoint after deactivation answers ${gone.status}`);
		log(`       MCP endpoint answered 404 ${gone.ms} ms after deactivation`);
	});
	return { agentWorkflow };
}

/** The node (not a tool) in a workflow: Manual Trigger -> Search Emails (limit, default detail) via n8n execute. */
async function runNormalSearch({ n8n, envFile, credential, limit }) {
	const wf = {
		name: `AI e2e: Search ${limit} in a workflow`,
		nodes: [
			{ id: 'a1', name: 'Start', type: 'n8n-nodes-base.manualTrigger', typeVersion: 1, position: [0, 0], parameters: {} },
			{ id: 'a2', name: 'Search Emails', type: NODE_TYPE, typeVersion: 1, position: [240, 0], parameters: { resource: 'message', operation: 'search', query: '', limit }, credentials: { gmailWorkspaceOAuth2Api: { id: credential.id, name: credential.name } } },
		],
		connections: { Start: { main: [[{ node: 'Search Emails', type: 'main', index: 0 }]] } },
		settings: { executionOrder: 'v1' },
	};
	const saved = await n8n.createWorkflow(wf);
	const r = executeWorkflow(envFile, saved.id);
	assert.equal(r.execution?.status, 'success', `normal Search: ${executionError(r.execution) ?? r.log.slice(-1000)}`);
	const items = nodeItems(r.execution, 'Search Emails');
	return { items, bytes: Buffer.byteLength(JSON.stringify(items)) };
}
