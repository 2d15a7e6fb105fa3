import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { toJsonSchema } from '@langchain/core/utils/json_schema';
import { BinaryDataConfig, BinaryDataService, ErrorReporter, ExecutionLifecycleHooks, WorkflowExecute } from 'n8n-core';
import type {
	IConnections,
	IDataObject,
	IExecuteFunctions,
	INode,
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IVersionedNodeType,
	IWorkflowBase,
} from 'n8n-workflow';
import { NodeConnectionTypes, NodeHelpers, UnexpectedError, Workflow, deepCopy } from 'n8n-workflow';

import { CredentialStore, connectGmail, manualTrigger, setupBench } from '../bench';
import { BenchCredentialsHelper } from '../bench/credentials';
import { createAdditionalData } from '../bench/run';
import { PACKAGE, loadTypes } from '../bench/types/registry';
import { gmailState } from '../standin/gmail/common';
import { addMessage } from '../standin/gmail/store';
import { compose } from '../standin/gmail/seed';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { TOOL_DESCRIPTIONS } from '../../nodes/GmailWorkspace/v1/actions/helpers/toolDescriptions';
import { COMPACT_TEXT_CAP } from '../../nodes/GmailWorkspace/v1/actions/helpers/tool';

/**
 * Gmail Workspace as an AI tool, in process: the tool variant of the node (built as n8n 2.41's loader builds
 * `<type>Tool` for a node with usableAsTool: name + "Tool", no main input, an ai_tool output, the node's own
 * toolDescription kept) wired to a scripted agent node that asks n8n-core for its tools
 * (getInputConnectionData → createNodeAsTool, the path n8n's AI Agent and MCP Server Trigger take) and calls
 * them as a model would. The real-n8n e2e (test/e2e) runs n8n's own agent and MCP trigger.
 */

const bench = setupBench();

const fromAI = (key: string, type = 'string') => `={{ $fromAI('${key}', \`\`, '${type}') }}`;
const messageIdParam = { __rl: true, mode: 'id', value: fromAI('Message_ID') };

/** What the scripted agent saw of one tool and got from each call. */
interface SeenTool {
	name: string;
	description: string;
	schema: IDataObject;
}
interface ToolCall {
	tool: string;
	args: IDataObject;
	output?: string;
	error?: string;
}
type Script = (call: (tool: string, args: IDataObject) => Promise<ToolCall>) => Promise<void>;

let script: Script = async () => {};

/** A test-only agent: lists the connected tools and runs `script` against them. */
class ScriptedAgent implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Scripted Agent',
		name: 'scriptedAgent',
		group: ['transform'],
		version: 1,
		description: 'Calls its tools as the test script says',
		defaults: { name: 'Agent' },
		inputs: [NodeConnectionTypes.Main, { type: NodeConnectionTypes.AiTool, displayName: 'Tools' }],
		outputs: [NodeConnectionTypes.Main],
		properties: [],
	};

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		type Tool = { name: string; description: string; schema: unknown; invoke: (args: IDataObject) => Promise<unknown> };
		const tools = ((await this.getInputConnectionData(NodeConnectionTypes.AiTool, 0)) as Tool[]).flat();
		const seen: SeenTool[] = tools.map((t) => ({ name: t.name, description: t.description, schema: toJsonSchema(t.schema as never) as IDataObject }));
		const calls: ToolCall[] = [];
		await script(async (name, args) => {
			const tool = tools.find((t) => t.name === name);
			if (!tool) throw new UnexpectedError(`no tool ${name}; have ${tools.map((t) => t.name).join(', ')}`);
			const call: ToolCall = { tool: name, args };
			try {
				call.output = String(await tool.invoke(args));
			} catch (error) {
				call.error = (error as Error).message;
			}
			calls.push(call);
			return call;
		});
		return [[{ json: { tools: seen, calls } as unknown as IDataObject }]];
	}
}

/** Our node's tool variant, as n8n 2.41's convertNodeToAiTool makes it from the description. */
function toolVariant(base: INodeType | IVersionedNodeType): INodeType {
	const v1 = NodeHelpers.getVersionedNodeType(base, 1);
	const description = deepCopy(v1.description) as INodeTypeDescription;
	description.name += 'Tool';
	description.displayName += ' Tool';
	description.inputs = [];
	description.outputs = [NodeConnectionTypes.AiTool];
	delete description.usableAsTool;
	// n8n adds its own Description field only when the node has none
	expect(description.properties.some((p) => p.name === 'toolDescription')).toBe(true);
	return { description, methods: v1.methods, execute: v1.execute };
}

const TOOL_TYPE = `${PACKAGE}.gmailWorkspaceTool`;

/** Manual Trigger → Agent, with these tool nodes on the agent's ai_tool input; runs it through n8n-core. */
async function runAgent(standin: Standin, tools: Array<{ name: string; parameters: IDataObject }>, agentScript: Script) {
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store, { email: 'alice@example.com' });
	const { nodeTypes, credentialTypes } = loadTypes();
	nodeTypes.add(PACKAGE, toolVariant(nodeTypes.getByName(`${PACKAGE}.gmailWorkspace`)));
	nodeTypes.add('bench-agent', new ScriptedAgent());

	const trigger = manualTrigger();
	const agent: INode = { id: 'agent', name: 'Agent', type: 'bench-agent.scriptedAgent', typeVersion: 1, position: [200, 0], parameters: {} };
	const toolNodes: INode[] = tools.map((t, k) => ({
		id: `tool-${k}`,
		name: t.name,
		type: TOOL_TYPE,
		typeVersion: 1,
		position: [200 + k * 100, 200],
		parameters: t.parameters as INode['parameters'],
		credentials: { gmailWorkspaceOAuth2Api: conn.reference },
	}));
	const connections: IConnections = { [trigger.name]: { main: [[{ node: 'Agent', type: 'main', index: 0 }]] } };
	for (const t of toolNodes) connections[t.name] = { ai_tool: [[{ node: 'Agent', type: 'ai_tool', index: 0 }]] };

	const nodes = [trigger, agent, ...toolNodes];
	const workflow = new Workflow({ id: 'tool-agent', name: 'Tool agent', nodes, connections, active: false, nodeTypes, settings: { executionOrder: 'v1' } });
	const data = { id: 'tool-agent', name: 'Tool agent', nodes, connections, active: false, settings: { executionOrder: 'v1' } } as unknown as IWorkflowBase;
	const hooks = new ExecutionLifecycleHooks('manual', 'tool-agent-run', data);
	const additionalData = createAdditionalData(new BenchCredentialsHelper(credentialTypes, store), hooks, 'tool-agent');
	Container.set(BinaryDataService, new BinaryDataService(Container.get(BinaryDataConfig), Container.get(ErrorReporter), Container.get(Logger)));

	script = agentScript;
	bench.http.use(standin);
	try {
		const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode: workflow.getNode(trigger.name)! });
		expect(run.data.resultData.error).toBeUndefined();
		return run.data.resultData.runData.Agent[0].data!.main[0]![0].json as unknown as { tools: SeenTool[]; calls: ToolCall[] };
	} finally {
		bench.http.use(undefined);
		script = async () => {};
	}
}

/** An invoice mail with a long HTML body (its text part well over the compact cap). */
function seedInvoice(standin: Standin): string {
	const g = gmailState(standin);
	const rows = Array.from({ length: 60 }, (_, k) => `Line ${k + 1}: consulting services, week ${k + 1}, 8 hours at 95.00 EUR = 760.00 EUR`);
	const raw = compose({
		from: 'Billing <billing@vendor.example.com>',
		to: 'alice@example.com',
		subject: 'Invoice INV-2024-0042',
		date: Date.UTC(2024, 6, 1, 8),
		messageId: '<inv-0042@vendor.example.com>',
		text: `Dear Alice,\r\n\r\nplease find invoice INV-2024-0042 below.\r\n\r\n${rows.join('\r\n')}\r\n\r\nTotal: 45,600.00 EUR`,
		html: `<html><head><style>td{padding:4px;font-family:Arial}</style></head><body><p>Dear Alice,</p><table>${rows.map((r) => `<tr><td style="border:1px solid #ccc">${r}</td></tr>`).join('')}</table><p><b>Total: 45,600.00 EUR</b></p></body></html>`,
	});
	return addMessage(g, g.mailbox('alice@example.com')!, raw, { labelIds: ['INBOX', 'UNREAD'], internalDate: Date.UTC(2024, 6, 1, 8), quiet: true }).id;
}

const SEARCH = {
	name: 'Search emails in Gmail Workspace',
	parameters: {
		resource: 'message',
		operation: 'search',
		query: fromAI('Search_Query'),
		limit: 10,
		filters: { labelIds: fromAI('Label_Names_or_IDs'), sender: fromAI('Sender') },
	},
};
const READ = { name: 'Read email in Gmail Workspace', parameters: { resource: 'message', operation: 'read', messageId: messageIdParam } };
const REPLY = {
	name: 'Reply to email in Gmail Workspace',
	parameters: { resource: 'message', operation: 'reply', messageId: messageIdParam, emailType: 'text', message: fromAI('Message') },
};
const ADD_LABELS = {
	name: 'Add labels to email in Gmail Workspace',
	parameters: { resource: 'message', operation: 'addLabels', messageId: messageIdParam, labelIds: fromAI('Label_Names_or_IDs') },
};
const SEND = {
	name: 'Send email in Gmail Workspace',
	parameters: { resource: 'message', operation: 'send', to: fromAI('To'), subject: fromAI('Subject'), emailType: 'text', message: fromAI('Message') },
};

const toolName = (nodeName: string) => nodeName.replace(/[^a-zA-Z0-9_-]+/g, '_');
const parsed = (call: ToolCall) => JSON.parse(call.output ?? 'null') as IDataObject[];

describe('Gmail Workspace as an AI tool (tool variant through n8n-core)', () => {
	it('the model sees each operation by name, with its own description and the $fromAI keys as its schema', async () => {
		const standin = createStandin({ noCorpus: true });
		const { tools } = await runAgent(standin, [SEARCH, READ, REPLY, ADD_LABELS, SEND], async () => {});
		for (const t of tools) console.log(`tool ${t.name}\n  description: ${t.description}\n  schema: ${JSON.stringify(t.schema)}`);

		const byName = new Map(tools.map((t) => [t.name, t]));
		expect([...byName.keys()].sort()).toEqual([SEARCH, READ, REPLY, ADD_LABELS, SEND].map((t) => toolName(t.name)).sort());
		expect(byName.get('Search_emails_in_Gmail_Workspace')!.description).toBe(TOOL_DESCRIPTIONS.message.search);
		expect(byName.get('Read_email_in_Gmail_Workspace')!.description).toBe(TOOL_DESCRIPTIONS.message.read);
		expect(byName.get('Reply_to_email_in_Gmail_Workspace')!.description).toBe(TOOL_DESCRIPTIONS.message.reply);
		// not n8n's generic "<action> in Gmail Workspace"
		for (const t of tools) expect(t.description.length).toBeGreaterThan(t.name.length + 20);

		const keys = (name: string) => Object.keys(byName.get(name)!.schema.properties as IDataObject).sort();
		expect(keys('Search_emails_in_Gmail_Workspace')).toEqual(['Label_Names_or_IDs', 'Search_Query', 'Sender']);
		// the ID and the reply text are two keys (a locator named "Message" would have shared one with the text)
		expect(keys('Reply_to_email_in_Gmail_Workspace')).toEqual(['Message', 'Message_ID']);
		expect(keys('Send_email_in_Gmail_Workspace')).toEqual(['Message', 'Subject', 'To']);
	});

	it('search → read → reply → add label, as a model would: compact outputs, empty filters accepted, the reply in the thread', async () => {
		const standin = createStandin({ noCorpus: true });
		const invoiceId = seedInvoice(standin);
		const { calls } = await runAgent(standin, [SEARCH, READ, REPLY, ADD_LABELS], async (call) => {
			const search = await call('Search_emails_in_Gmail_Workspace', { Search_Query: 'invoice', Label_Names_or_IDs: '', Sender: '' });
			const id = parsed(search)[0].id as string;
			await call('Search_emails_in_Gmail_Workspace', { Search_Query: 'invoice', Label_Names_or_IDs: '[]', Sender: '' });
			await call('Read_email_in_Gmail_Workspace', { Message_ID: id });
			await call('Reply_to_email_in_Gmail_Workspace', { Message_ID: id, Message: 'Thanks, it is paid.' });
			await call('Add_labels_to_email_in_Gmail_Workspace', { Message_ID: id, Label_Names_or_IDs: 'Receipts' });
		});
		for (const c of calls) expect(c.error).toBeUndefined();
		const [search, searchEmptyList, read, reply, label] = calls;

		// both empty label filters: one search each, without labelIds
		const lists = standin.log.filter((e) => e.routeId === 'gmail.users.messages.list');
		expect(lists).toHaveLength(2);
		for (const l of lists) expect(l.query).not.toContain('labelIds');
		expect(parsed(searchEmptyList)).toEqual(parsed(search));

		for (const out of [parsed(search)[0], parsed(read)[0]]) {
			expect(out.id).toBe(invoiceId);
			expect(out.subject).toBe('Invoice INV-2024-0042');
			expect(out.from).toBe('Billing <billing@vendor.example.com>');
			expect(out.htmlBody).toBeUndefined();
			expect(out.headers).toBeUndefined();
			expect(out.textTruncated).toBe(true);
			expect((out.textBody as string).length).toBe(COMPACT_TEXT_CAP);
			expect(out.textLength as number).toBeGreaterThan(COMPACT_TEXT_CAP);
			expect((out.textBody as string).startsWith('Dear Alice,')).toBe(true);
		}
		console.log(`tool outputs (bytes): search ${search.output!.length}, read ${read.output!.length}, reply ${reply.output!.length}`);

		const mb = gmailState(standin).mailbox('alice@example.com')!;
		const sent = mb.messages.get(parsed(reply)[0].id as string)!;
		expect(sent.threadId).toBe(mb.messages.get(invoiceId)!.threadId);
		expect(sent.labelIds).toContain('SENT');
		expect(sent.raw.toString('latin1')).toMatch(/^In-Reply-To: <inv-0042@vendor\.example\.com>/m);
		const receipts = [...mb.labels.values()].find((l) => l.name === 'Receipts')!.id;
		expect(mb.messages.get(invoiceId)!.labelIds).toContain(receipts);
		expect(parsed(label)[0].labelIds).toContain(receipts);
	});

	it('Output Size Full on the tool gives every field', async () => {
		const standin = createStandin({ noCorpus: true });
		seedInvoice(standin);
		const full = { ...SEARCH, parameters: { ...SEARCH.parameters, outputSize: 'full' } };
		const { calls } = await runAgent(standin, [full], async (call) => {
			await call('Search_emails_in_Gmail_Workspace', { Search_Query: 'invoice', Label_Names_or_IDs: '', Sender: '' });
		});
		const [out] = parsed(calls[0]);
		expect(out.htmlBody).toContain('<table>');
		expect((out.textBody as string).length).toBeGreaterThan(COMPACT_TEXT_CAP);
		expect(out.textTruncated).toBeUndefined();
	});

	it('Return All left to the model: false keeps the Limit of the tool, true reads all', async () => {
		const standin = createStandin({ noCorpus: true, messages: 60 });
		const tool = { ...SEARCH, parameters: { ...SEARCH.parameters, returnAll: fromAI('Return_All', 'boolean') } };
		const { calls } = await runAgent(standin, [tool], async (call) => {
			await call('Search_emails_in_Gmail_Workspace', { Search_Query: 'subject:generated', Label_Names_or_IDs: '', Sender: '', Return_All: false });
			await call('Search_emails_in_Gmail_Workspace', { Search_Query: 'subject:generated', Label_Names_or_IDs: '', Sender: '', Return_All: true });
		});
		for (const c of calls) expect(c.error).toBeUndefined();
		expect(parsed(calls[0])).toHaveLength(10); // the tool's Limit
		expect(parsed(calls[1])).toHaveLength(60);
	});

	it('a send whose subject or recipient carries CR/LF (a header injection) is refused; nothing is sent', async () => {
		const standin = createStandin({ noCorpus: true });
		const { calls } = await runAgent(standin, [SEND], async (call) => {
			await call('Send_email_in_Gmail_Workspace', { To: 'bob@example.com', Subject: 'Hello\r\nBcc: mallory@evil.example', Message: 'hi' });
			await call('Send_email_in_Gmail_Workspace', { To: 'bob@example.com\r\nBcc: mallory@evil.example', Subject: 'Hello', Message: 'hi' });
			await call('Send_email_in_Gmail_Workspace', { To: 'bob@example.com', Subject: 'Hello\nX-Injected: 1', Message: 'hi' });
		});
		expect(calls).toHaveLength(3);
		for (const c of calls) console.log(`refused: ${JSON.stringify(c.args)} → ${c.error}`);
		expect(calls[0].error).toMatch(/"Subject" must be one line/);
		expect(calls[1].error).toMatch(/"To"/);
		expect(calls[2].error).toMatch(/"Subject" must be one line/);
		for (const c of calls) expect(c.output).toBeUndefined();
		expect(standin.log.filter((e) => /messages\.send|upload/.test(e.routeId ?? ''))).toEqual([]);
		const mallory = gmailState(standin).mailbox('mallory@evil.example');
		expect(mallory?.messages.size ?? 0).toBe(0);
		expect([...gmailState(standin).mailbox('bob@example.com')!.messages.values()].filter((m) => /Subject: Hello/.test(m.raw.toString('latin1')))).toEqual([]);
	});
});
