import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CredentialStore, chain, connectGmail, manualTrigger, NODE_TYPES, setupBench, type WorkflowJson } from '../bench';
import { SERVICE_ACCOUNT_EMAIL } from '../standin/core/directory';
import { createStandin } from '../standin/server';
import { SCOPE_PRESETS } from '../../credentials/scopes';
import { subjects, TriggerKit } from '../trigger/kit';

const bench = setupBench();
const dir = join(__dirname, '../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
const load = (file: string) => JSON.parse(readFileSync(join(dir, file), 'utf8')) as WorkflowJson & { active?: boolean };
const triggerOf = (wf: WorkflowJson) => wf.nodes.find((n) => n.type === NODE_TYPES.gmailWorkspaceTrigger);
/**
 * Trigger examples start with the Gmail Workspace Trigger and go on to one of n8n's own harmless nodes, which
 * the bench does not load (it has only the Manual Trigger of n8n's nodes): they are tested below through the
 * trigger's poll (active) and n8n's manual execution of the trigger; `npm run e2e` and `npm run demo -- --check`
 * run them whole, active, in n8n 2.41.1.
 */
const triggerFiles = files.filter((f) => triggerOf(load(f)));
/**
 * AI examples (70 AI triage, 71 MCP server): n8n's AI Agent or MCP Server Trigger with our nodes' tool variant
 * (`gmailWorkspaceTool`, parameters from `$fromAI`). The bench has none of n8n's AI nodes: they are checked below
 * (wiring, `$fromAI` keys, each tool's operation run as the plain node), and `npm run e2e` (test/e2e/ai.mjs) runs
 * them whole in n8n 2.41.1, the agent against a scripted model and the MCP server through the MCP SDK client.
 */
const AI_NODE_PREFIX = '@n8n/n8n-nodes-langchain.';
const aiFiles = files.filter((f) => load(f).nodes.some((n) => n.type.startsWith(AI_NODE_PREFIX)));
const cardFiles = files.filter((f) => !triggerFiles.includes(f) && !aiFiles.includes(f));
/** n8n's nodes a trigger example may hand its items to: they only reshape or pass them. */
const HARMLESS = ['n8n-nodes-base.set', 'n8n-nodes-base.noOp'];

/**
 * The demo's example workflows (one per card) run green: alice's connection for the read/send cards, the
 * admin's (with the service account) for the admin cards, as `npm run demo` connects them.
 */
describe('example workflows', () => {
	it('there is one per card', () => {
		const ops = new Set(files.flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as WorkflowJson).nodes.map((n) => `${n.parameters.resource}.${n.parameters.operation}`)));
		for (const op of ['message.read', 'message.search', 'message.send', 'message.sendWithAttachment', 'delegate.add', 'delegate.list', 'delegate.delete', 'forwarding.forwardEmails', 'autoReply.set', 'userSettings.update', 'connection.check', 'sendAs.add']) {
			expect([op, ops.has(op)]).toEqual([op, true]);
		}
		const events = triggerFiles.map((f) => triggerOf(load(f))!.parameters.event).sort();
		expect([...new Set(events)]).toEqual(['labelChanged', 'newEmail']);
		// both deliveries: polling (12, 13) and instant through Pub/Sub (14)
		const deliveries = triggerFiles.map((f) => triggerOf(load(f))!.parameters.delivery ?? 'polling');
		expect([...new Set(deliveries)].sort()).toEqual(['instant', 'polling']);
	});

	it.each(cardFiles)('%s runs green against the stand-in', async (file) => {
		const standin = createStandin({ noCorpus: true });
		const store = new CredentialStore();
		// the demo connects alice with the "All Cards and Permanent Delete" set (Delete Permanently needs it)
		const alice = await connectGmail(standin, store, { email: 'alice@example.com', id: 'alice', scopes: SCOPE_PRESETS.full, data: { scopeSet: 'full' } });
		const admin = await connectGmail(standin, store, { email: 'admin@example.com', id: 'admin' });
		await store.add({ ...admin.reference, type: 'gmailWorkspaceOAuth2Api', data: { ...(await store.read('admin')), serviceAccountEmail: SERVICE_ACCOUNT_EMAIL } });
		const text = readFileSync(join(dir, file), 'utf8')
			.replaceAll('__ADMIN_CREDENTIAL_ID__', admin.reference.id)
			.replaceAll('__ADMIN_CREDENTIAL_NAME__', admin.reference.name)
			.replaceAll('__CREDENTIAL_ID__', alice.reference.id)
			.replaceAll('__CREDENTIAL_NAME__', alice.reference.name);
		if (file.startsWith('07')) {
			// deleting a delegate needs one: run the add example first, as a demo user would
			const add = readFileSync(join(dir, '06-add-delegate.json'), 'utf8').replaceAll('__ADMIN_CREDENTIAL_ID__', 'admin').replaceAll('__ADMIN_CREDENTIAL_NAME__', admin.reference.name);
			expect((await bench.run(JSON.parse(add), { credentials: store, standin })).status).toBe('success');
		}

		const result = await bench.run(JSON.parse(text) as WorkflowJson, { credentials: store, standin });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		for (const [name, node] of Object.entries(result.nodes)) {
			expect([name, node.json.filter((j) => 'error' in j)]).toEqual([name, []]);
			if (name !== "When clicking ‘Execute workflow’") expect([name, node.json.length > 0]).toEqual([name, true]);
		}
	});
});

describe('trigger example workflows', () => {
	it.each(triggerFiles)('%s is active, polls every minute and hands its items to a harmless node', (file) => {
		const wf = load(file);
		const trigger = triggerOf(wf)!;
		expect(wf.active).toBe(true);
		expect(trigger.parameters.pollTimes).toEqual({ item: [{ mode: 'everyMinute' }] });
		expect(trigger.credentials).toEqual({ gmailWorkspaceOAuth2Api: { id: '__CREDENTIAL_ID__', name: '__CREDENTIAL_NAME__' } });
		const next = wf.connections[trigger.name].main[0]!.map((c) => wf.nodes.find((n) => n.name === c.node)!);
		expect(next).toHaveLength(1);
		expect(HARMLESS).toContain(next[0].type);
		expect(wf.nodes).toHaveLength(2);
	});

	it('12 (New Email): active, it emits each delivered message once; the editor\'s manual run gives the newest', async () => {
		const file = triggerFiles.find((f) => triggerOf(load(f))!.parameters.event === 'newEmail')!;
		const params = triggerOf(load(file))!.parameters;
		const kit = await TriggerKit.create(bench);
		await kit.deliver({ subjectPrefix: 'Before activation' });
		expect((await kit.poll(params)).items).toBeNull(); // activation: from now on

		const delivered = await kit.deliver({ subjectPrefix: 'Example 12', count: 2 });
		const r = await kit.poll(params);
		expect(r.error).toBeUndefined();
		expect(r.json.map((i) => [i.id, i.event, i.subject])).toEqual(delivered.map((m, n) => [m.id, 'messageAdded', `Example 12 ${n + 1}`]));
		expect((await kit.poll(params)).items).toBeNull();

		// "Execute workflow" in the editor: n8n's manual execution runs the poll in manual mode
		const run = await bench.run(chain(kit.node(params)), { credentials: kit.store, standin: kit.standin });
		expect(run.status).toBe('success');
		expect(subjects(run.nodes[kit.node(params).name].json)).toEqual(['Example 12 2']);
	});

	it('13 (Label Added or Removed, STARRED): active, it emits a star added and a star removed; the manual run gives the newest starred', async () => {
		const file = triggerFiles.find((f) => triggerOf(load(f))!.parameters.event === 'labelChanged')!;
		const params = triggerOf(load(file))!.parameters;
		const kit = await TriggerKit.create(bench);
		const [a, b] = await kit.deliver({ subjectPrefix: 'Example 13', count: 2 });
		kit.relabel(b.id, ['STARRED']);
		expect((await kit.poll(params)).items).toBeNull(); // activation: from now on

		kit.relabel(a.id, ['STARRED']);
		kit.relabel(b.id, [], ['STARRED']);
		const r = await kit.poll(params);
		expect(r.error).toBeUndefined();
		expect(r.json.map((i) => [i.id, i.event, i.labelsAdded, i.labelsRemoved])).toEqual([
			[a.id, 'labelAdded', [{ id: 'STARRED', name: 'STARRED' }], []],
			[b.id, 'labelRemoved', [], [{ id: 'STARRED', name: 'STARRED' }]],
		]);
		expect((await kit.poll(params)).items).toBeNull();

		const run = await bench.run(chain(kit.node(params)), { credentials: kit.store, standin: kit.standin });
		expect(run.status).toBe('success');
		expect(run.nodes[kit.node(params).name].json).toEqual([expect.objectContaining({ id: a.id, event: 'labelAdded' })]);
	});
});

describe('AI example workflows', () => {
	const TOOL_TYPE = `${NODE_TYPES.gmailWorkspace}Tool`;
	/** Every `$fromAI(key, description, type)` in a node's parameters. */
	const fromAI = (params: unknown) => [...JSON.stringify(params).matchAll(/\$fromAI\('([^']*)', '([^']*)', '(\w+)'\)/g)].map(([, key, description, type]) => ({ key, description, type }));
	const toolsOf = (wf: WorkflowJson) => wf.nodes.filter((n) => n.type === TOOL_TYPE);

	it('there are two: an AI Agent with tools and an MCP Server Trigger with tools', () => {
		expect(aiFiles.map((f) => load(f).nodes.filter((n) => n.type.startsWith(AI_NODE_PREFIX)).map((n) => n.type).sort())).toEqual([
			['@n8n/n8n-nodes-langchain.agent', '@n8n/n8n-nodes-langchain.lmChatOpenAi'],
			['@n8n/n8n-nodes-langchain.mcpTrigger'],
		]);
	});

	it.each(aiFiles)('%s: every Gmail Workspace tool feeds the agent or MCP server, with $fromAI keys n8n accepts', (file) => {
		const wf = load(file);
		const root = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.agent' || n.type === '@n8n/n8n-nodes-langchain.mcpTrigger')!;
		const tools = toolsOf(wf);
		expect(tools.length).toBeGreaterThanOrEqual(2);
		for (const tool of tools) {
			expect([tool.name, wf.connections[tool.name]]).toEqual([tool.name, { ai_tool: [[{ node: root.name, type: 'ai_tool', index: 0 }]] }]);
			expect(tool.credentials).toEqual({ gmailWorkspaceOAuth2Api: { id: '__CREDENTIAL_ID__', name: '__CREDENTIAL_NAME__' } });
			const args = fromAI(tool.parameters);
			expect([tool.name, args.length > 0]).toEqual([tool.name, true]);
			for (const a of args) {
				// n8n's createNodeAsTool refuses other keys; a model needs the description; one key, one meaning
				expect([tool.name, a.key, /^[a-zA-Z0-9_-]{1,64}$/.test(a.key), a.description.length > 5, ['string', 'number', 'boolean', 'json'].includes(a.type)]).toEqual([tool.name, a.key, true, true, true]);
				expect(args.filter((b) => b.key === a.key).every((b) => b.description === a.description && b.type === a.type)).toBe(true);
			}
		}
		if (root.type.endsWith('.agent')) {
			const model = wf.nodes.find((n) => n.type === '@n8n/n8n-nodes-langchain.lmChatOpenAi')!;
			// the demo points this credential at the scripted model; a user picks their own OpenAI credential
			expect(model.credentials).toEqual({ openAiApi: { id: '__OPENAI_CREDENTIAL_ID__', name: '__OPENAI_CREDENTIAL_NAME__' } });
			expect(model.parameters.responsesApiEnabled).toBe(false);
			expect(wf.connections[model.name]).toEqual({ ai_languageModel: [[{ node: root.name, type: 'ai_languageModel', index: 0 }]] });
		} else {
			expect(wf.active).toBe(true);
			expect(root.parameters.path).toBe('gmail-workspace');
		}
	});

	it.each(aiFiles)("%s: each tool's operation runs green as the plain node, with sample values for its $fromAI keys", async (file) => {
		const standin = createStandin({ noCorpus: true });
		const store = new CredentialStore();
		const alice = await connectGmail(standin, store, { email: 'alice@example.com', id: 'alice', scopes: SCOPE_PRESETS.full, data: { scopeSet: 'full' } });
		const plain = (tool: WorkflowJson['nodes'][number], values: Record<string, unknown>) => {
			// $fromAI(...) -> the sample value, as the tool call's argument would be
			const text = JSON.stringify(tool.parameters).replace(/\$fromAI\('([^']*)', '[^']*', '\w+'\)/g, (_, key: string) => JSON.stringify(JSON.stringify(values[key])).slice(1, -1));
			return chain(manualTrigger(), { ...tool, type: NODE_TYPES.gmailWorkspace, parameters: JSON.parse(text), credentials: { gmailWorkspaceOAuth2Api: alice.reference } });
		};
		const found = await bench.run(chain(manualTrigger(), { id: 'find', name: 'Find', type: NODE_TYPES.gmailWorkspace, typeVersion: 1, position: [0, 0], parameters: { resource: 'message', operation: 'search', query: '', limit: 1 }, credentials: { gmailWorkspaceOAuth2Api: alice.reference } }), { credentials: store, standin });
		const messageId = found.nodes.Find.json[0].id as string;
		const values: Record<string, unknown> = { query: '', limit: 3, messageId, message: 'Thank you, received.', labels: 'Receipts', to: 'bob@example.com', subject: 'AI example check' };
		for (const tool of toolsOf(load(file))) {
			for (const a of fromAI(tool.parameters)) expect([tool.name, a.key, a.key in values]).toEqual([tool.name, a.key, true]);
			const result = await bench.run(plain(tool, values), { credentials: store, standin });
			expect([tool.name, result.error]).toEqual([tool.name, undefined]);
			expect([tool.name, result.status]).toEqual([tool.name, 'success']);
			expect([tool.name, result.nodes[tool.name].json.length > 0, result.nodes[tool.name].json.filter((j) => 'error' in j)]).toEqual([tool.name, true, []]);
		}
	});
});
