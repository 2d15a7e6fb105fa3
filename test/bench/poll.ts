import './env';

import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { ExecutionLifecycleHooks, PollContext } from 'n8n-core';
import type {
	IDataObject,
	INode,
	INodeExecutionData,
	IWorkflowBase,
	WorkflowExecuteMode,
} from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import type { Standin } from '../standin/core/standin';
import { BenchCredentialsHelper, type CredentialStore } from './credentials';
import type { BenchHttp, ExchangeRecord } from './http';
import { loadTypes } from './types/registry';
import { createAdditionalData } from './run';

export interface PollOptions {
	/** The trigger node (type, parameters, credentials) as workflow JSON holds it. */
	node: INode;
	credentials: CredentialStore;
	standin: Standin;
	/** The workflow's static data before the poll, as n8n saved it (JSON); default none (first activation). */
	staticData?: IDataObject;
	/** 'trigger' (an active workflow's poll, the default) or 'manual' ("Fetch Test Event"). */
	mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
	/** The poll's time budget n8n gives (IPollFunctions.getPollBudgetMs); default n8n-core's 5 minutes. */
	budgetMs?: number;
	workflowId?: string;
}

export interface LogRecord {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
}

export interface PollResult {
	/** What poll() returned: the items of output 0, or null (nothing to emit). */
	items: INodeExecutionData[] | null;
	/** Items' json (empty when null). */
	json: IDataObject[];
	/**
	 * The workflow's static data after the poll, as n8n would save it (plain JSON): the updated data when
	 * the poll succeeded, the data from before when it failed (n8n saves nothing for a failed poll).
	 */
	staticData: IDataObject;
	/** The error poll() threw (n8n marks the trigger's execution failed and runs the error workflow). */
	error?: Error & { httpCode?: string | null; description?: string | null };
	/** Messages the node logged through n8n's logger during the poll. */
	logs: LogRecord[];
	exchanges: ExchangeRecord[];
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/**
 * Run a polling node's poll() once with n8n-core's own PollContext, the way n8n's active-workflow poller
 * calls it (mode 'trigger'), or as "Fetch Test Event" (mode 'manual'), with the given static data.
 */
export async function runPoll(http: BenchHttp, options: PollOptions): Promise<PollResult> {
	if (!http.installed) throw new UnexpectedError('bench: call setupBench() in the test file before poll()');
	const { nodeTypes, credentialTypes } = loadTypes();
	const mode = options.mode ?? 'trigger';
	const before = structuredClone(options.staticData ?? {});
	const workflowId = options.workflowId ?? 'bench-poll';
	const workflow = new Workflow({
		id: workflowId,
		name: 'Bench poll workflow',
		nodes: [structuredClone(options.node)],
		connections: {},
		active: mode === 'trigger',
		nodeTypes,
		settings: { executionOrder: 'v1' },
		staticData: structuredClone(before),
	});
	const node = workflow.getNode(options.node.name);
	if (!node) throw new UnexpectedError('bench: poll node missing');
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	if (!nodeType.poll) throw new UnexpectedError(`bench: ${node.type} has no poll()`);

	const hooks = new ExecutionLifecycleHooks(mode, `poll-${Date.now()}`, { id: workflowId } as IWorkflowBase);
	const additionalData = createAdditionalData(new BenchCredentialsHelper(credentialTypes, options.credentials), hooks, workflowId);
	const budget = options.budgetMs ?? 5 * 60_000;
	const context = new PollContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
		undefined,
		undefined,
		undefined,
		undefined,
		undefined,
		() => budget,
	);

	const logs: LogRecord[] = [];
	const logger = Container.get(Logger) as unknown as Record<(typeof LEVELS)[number], (message: string, meta?: object) => void>;
	const originals = LEVELS.map((level) => logger[level]);
	LEVELS.forEach((level, i) => {
		logger[level] = (message: string, meta?: object) => {
			logs.push({ level, message });
			originals[i].call(logger, message, meta);
		};
	});
	const exchangesBefore = http.exchanges.length;
	http.use(options.standin);
	try {
		const returned = await nodeType.poll.call(context);
		const items = returned?.[0] ?? null;
		return {
			items,
			json: (items ?? []).map((i) => i.json),
			staticData: JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject,
			logs,
			exchanges: http.exchanges.slice(exchangesBefore),
		};
	} catch (error) {
		return { items: null, json: [], staticData: before, error: error as PollResult['error'], logs, exchanges: http.exchanges.slice(exchangesBefore) };
	} finally {
		http.use(undefined);
		LEVELS.forEach((level, i) => (logger[level] = originals[i]));
	}
}
