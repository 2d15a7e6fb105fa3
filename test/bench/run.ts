import './env';

import { Container } from '@n8n/di';
import {
	BinaryDataConfig,
	BinaryDataService,
	ErrorReporter,
	ExecutionLifecycleHooks,
	ExternalSecretsProxy,
	LoadOptionsContext,
	WorkflowExecute,
} from 'n8n-core';
import { Logger } from '@n8n/backend-common';
import type {
	IBinaryData,
	IConnections,
	IDataObject,
	INode,
	INodeExecutionData,
	INodePropertyOptions,
	IPairedItemData,
	IRun,
	IWorkflowBase,
	IWorkflowExecuteAdditionalData,
	IWorkflowSettings,
	ExecutionStatus,
} from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import type { Standin } from '../standin/core/standin';
import { BenchCredentialsHelper, type CredentialStore, type CredentialWrite } from './credentials';
import { benchDir } from './env';
import type { BenchHttp, ExchangeRecord } from './http';
import { loadTypes } from './types/registry';

/** Workflow JSON as n8n exports it (extra fields such as pinData/meta are ignored). */
export interface WorkflowJson {
	id?: string;
	name?: string;
	nodes: INode[];
	connections: IConnections;
	settings?: IWorkflowSettings;
	staticData?: IDataObject;
}

/**
 * 'default': n8n-core's in-memory mode (binary travels base64 inside the item).
 * 'filesystem': n8n's filesystem mode (the default of a 2.41 server), in a temp dir per run.
 */
export type BinaryMode = 'default' | 'filesystem';

export interface RunOptions {
	credentials: CredentialStore;
	standin: Standin;
	binaryMode?: BinaryMode;
}

export interface NodeResult {
	/** Items of output 0 of the node's last run. */
	json: IDataObject[];
	binary: Array<Record<string, IBinaryData>>;
	pairedItem: Array<IPairedItemData | IPairedItemData[] | number | undefined>;
	/** Every output of the last run, untouched. */
	outputs: INodeExecutionData[][];
	/** How often the node ran. */
	runs: number;
	error?: RunError;
}

export interface RunError {
	message: string;
	description?: string | null;
	name?: string;
	node?: string;
	httpCode?: string | null;
}

export interface RunResult {
	status: ExecutionStatus;
	error?: RunError;
	nodes: Record<string, NodeResult>;
	/** Credential writes n8n made during this run (refreshed OAuth2 tokens). */
	credentialsWrites: CredentialWrite[];
	/** HTTP exchanges routed to the stand-in during this run (all runs' when runs overlap). */
	exchanges: ExchangeRecord[];
	/** Node names in the order n8n finished them (nodeExecuteAfter hook). */
	executionOrder: string[];
	/** Bytes of a binary property of an output item, read through the run's binary data service. */
	binaryBuffer(node: string, itemIndex?: number, property?: string): Promise<Buffer>;
	/** The raw IRun from n8n-core. */
	run: IRun;
}

let executionCounter = 0;

/** Runs in flight share the stand-in routing and the binary data service (both process-wide). */
let inFlight: { standin: Standin; binaryMode: BinaryMode; binaryData: Promise<BinaryDataService>; count: number } | undefined;

/**
 * Execute a workflow with n8n-core's WorkflowExecute, the way n8n runs a manual execution:
 * real node types, credentials helper, lifecycle hooks and binary data service; Google HTTP goes
 * to `standin` through the bench's interceptor.
 */
export async function runWorkflow(http: BenchHttp, workflowJson: WorkflowJson, options: RunOptions): Promise<RunResult> {
	if (!http.installed) throw new UnexpectedError('bench: call setupBench() in the test file before runWorkflow()');
	const binaryMode = options.binaryMode ?? 'default';
	if (inFlight && (inFlight.standin !== options.standin || inFlight.binaryMode !== binaryMode)) {
		throw new UnexpectedError('bench: concurrent runs must share one stand-in and one binary mode');
	}
	const shared = (inFlight ??= { standin: options.standin, binaryMode, binaryData: installBinaryDataService(binaryMode), count: 0 });
	shared.count++;
	http.use(options.standin);
	try {
		return await execute(workflowJson, options, await shared.binaryData, http);
	} finally {
		if (--shared.count === 0) {
			inFlight = undefined;
			http.use(undefined);
		}
	}
}

/** A fresh n8n-core BinaryDataService for the mode, installed where nodes get it (the DI container). */
async function installBinaryDataService(mode: BinaryMode): Promise<BinaryDataService> {
	const config = Container.get(BinaryDataConfig);
	const settings = { ...config, mode, localStoragePath: mode === 'filesystem' ? benchDir('binary-data') : config.localStoragePath };
	const service = new BinaryDataService(settings as BinaryDataConfig, Container.get(ErrorReporter), Container.get(Logger));
	// Without init() the service has no storage manager and keeps binary data inline (n8n's 'default').
	if (mode === 'filesystem') await service.init();
	Container.set(BinaryDataService, service);
	return service;
}

async function execute(json: WorkflowJson, options: RunOptions, binaryData: BinaryDataService, http: BenchHttp): Promise<RunResult> {
	const { nodeTypes, credentialTypes } = loadTypes();
	const credentialsHelper = new BenchCredentialsHelper(credentialTypes, options.credentials);
	const writesBefore = options.credentials.writes.length;
	const exchangesBefore = http.exchanges.length;
	const executionId = String(++executionCounter);

	const workflowData: IWorkflowBase = {
		id: json.id ?? `bench-${executionId}`,
		name: json.name ?? 'Bench workflow',
		active: false,
		isArchived: false,
		activeVersionId: null,
		createdAt: new Date(),
		updatedAt: new Date(),
		nodes: json.nodes,
		connections: json.connections,
		settings: json.settings ?? { executionOrder: 'v1' },
		staticData: json.staticData,
	};
	const workflow = new Workflow({
		id: workflowData.id,
		name: workflowData.name,
		nodes: structuredClone(json.nodes),
		connections: json.connections,
		active: false,
		nodeTypes,
		settings: workflowData.settings,
		staticData: json.staticData,
	});

	const hooks = new ExecutionLifecycleHooks('manual', executionId, workflowData);
	const executionOrder: string[] = [];
	hooks.addHandler('nodeExecuteAfter', (nodeName) => void executionOrder.push(nodeName));
	let finished: IRun | undefined;
	hooks.addHandler('workflowExecuteAfter', (run) => void (finished = run));

	const additionalData = createAdditionalData(credentialsHelper, hooks, workflowData.id);
	const startNode = workflow.getStartNode();
	if (!startNode) throw new UnexpectedError('bench: the workflow has no start node');

	const run = await new WorkflowExecute(additionalData, 'manual').run({ workflow, startNode });
	if (!finished) throw new UnexpectedError('bench: workflowExecuteAfter hook did not run');

	return {
		status: run.status,
		error: toRunError(run.data.resultData.error),
		nodes: collectNodes(run),
		credentialsWrites: options.credentials.writes.slice(writesBefore),
		exchanges: http.exchanges.slice(exchangesBefore),
		executionOrder,
		run,
		async binaryBuffer(node, itemIndex = 0, property = 'data') {
			const binary = run.data.resultData.runData[node]?.at(-1)?.data?.main[0]?.[itemIndex]?.binary?.[property];
			if (!binary) throw new UnexpectedError(`bench: node "${node}" item ${itemIndex} has no binary "${property}"`);
			return await binaryData.getAsBuffer(binary);
		},
	};
}

export interface LoadOptionsRequest {
	/** The node whose dropdown is being opened, with its current parameters and credential. */
	node: INode;
	/** The loadOptions method name, e.g. getLabels. */
	method: string;
	credentials: RunOptions['credentials'];
	standin: RunOptions['standin'];
}

/** Open a dropdown the way n8n's editor does: n8n-core's LoadOptionsContext calling the node's loadOptions method. */
export async function loadOptions(http: BenchHttp, req: LoadOptionsRequest): Promise<INodePropertyOptions[]> {
	if (!http.installed) throw new UnexpectedError('bench: call setupBench() in the test file before loadOptions()');
	const { nodeTypes, credentialTypes } = loadTypes();
	const workflow = new Workflow({ id: 'bench-load-options', nodes: [req.node], connections: {}, active: false, nodeTypes });
	const hooks = new ExecutionLifecycleHooks('internal', 'load-options', { id: 'bench-load-options' } as IWorkflowBase);
	const additionalData = createAdditionalData(new BenchCredentialsHelper(credentialTypes, req.credentials), hooks, workflow.id);
	const nodeType = nodeTypes.getByNameAndVersion(req.node.type, req.node.typeVersion);
	const method = nodeType.methods?.loadOptions?.[req.method];
	if (!method) throw new UnexpectedError(`bench: ${req.node.type} has no loadOptions method ${req.method}`);
	http.use(req.standin);
	try {
		return await method.call(new LoadOptionsContext(workflow, req.node, additionalData, 'parameters'));
	} finally {
		http.use(undefined);
	}
}

/** IWorkflowExecuteAdditionalData for a manual run in one process: no sub-workflows, task runners or UI. */
export function createAdditionalData(
	credentialsHelper: BenchCredentialsHelper,
	hooks: ExecutionLifecycleHooks,
	workflowId: string,
): IWorkflowExecuteAdditionalData & { hooks: ExecutionLifecycleHooks } {
	const unsupported = (what: string) => async () => {
		throw new UnexpectedError(`bench: ${what} is not supported`);
	};
	const base = 'http://localhost:5678/';
	return {
		credentialsHelper,
		hooks,
		externalSecretsProxy: new ExternalSecretsProxy(),
		executeWorkflow: unsupported('executing sub-workflows'),
		getRunExecutionData: async () => undefined,
		getRuntimeCredential: async () => undefined,
		startRunnerTask: unsupported('the Code node task runner'),
		logAiEvent: () => {},
		currentNodeExecutionIndex: 0,
		restApiUrl: `${base}rest`,
		instanceBaseUrl: base,
		formBaseUrl: `${base}form`,
		formWaitingBaseUrl: `${base}form-waiting`,
		formTestBaseUrl: `${base}form-test`,
		webhookBaseUrl: `${base}webhook`,
		webhookWaitingBaseUrl: `${base}webhook-waiting`,
		webhookTestBaseUrl: `${base}webhook-test`,
		mcpBaseUrl: `${base}mcp`,
		mcpTestBaseUrl: `${base}mcp-test`,
		variables: {},
		workflowId,
		userId: 'bench-user',
	};
}

function toRunError(error: IRun['data']['resultData']['error']): RunError | undefined {
	if (!error) return undefined;
	const e = error as typeof error & { httpCode?: string | null; node?: INode };
	return { message: e.message, description: e.description, name: e.name, node: e.node?.name, httpCode: e.httpCode };
}

function collectNodes(run: IRun): Record<string, NodeResult> {
	const nodes: Record<string, NodeResult> = {};
	for (const [name, tasks] of Object.entries(run.data.resultData.runData)) {
		const last = tasks.at(-1);
		const outputs = (last?.data?.main ?? []).map((items) => items ?? []);
		const first = outputs[0] ?? [];
		nodes[name] = {
			json: first.map((item) => item.json),
			binary: first.map((item) => item.binary ?? {}),
			pairedItem: first.map((item) => item.pairedItem),
			outputs,
			runs: tasks.length,
			error: toRunError(last?.error),
		};
	}
	return nodes;
}
