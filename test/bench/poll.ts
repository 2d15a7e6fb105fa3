import './env';

import { PollContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, WorkflowExecuteMode } from 'n8n-workflow';
import { UnexpectedError } from 'n8n-workflow';

import type { Standin } from '../standin/core/standin';
import type { CredentialStore } from './credentials';
import type { BenchHttp, ExchangeRecord } from './http';
import { captureLogs, singleNodeWorkflow, type LogRecord } from './single-node';

export type { LogRecord } from './single-node';

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

/**
 * Run a polling node's poll() once with n8n-core's own PollContext, the way n8n's active-workflow poller
 * calls it (mode 'trigger'), or as "Fetch Test Event" (mode 'manual'), with the given static data.
 */
export async function runPoll(http: BenchHttp, options: PollOptions): Promise<PollResult> {
	if (!http.installed) throw new UnexpectedError('bench: call setupBench() in the test file before poll()');
	const mode = options.mode ?? 'trigger';
	const before = structuredClone(options.staticData ?? {});
	const workflowId = options.workflowId ?? 'bench-poll';
	const { workflow, node, nodeType, additionalData } = singleNodeWorkflow({
		node: options.node,
		credentials: options.credentials,
		workflowId,
		name: 'Bench poll workflow',
		mode,
		staticData: before,
	});
	if (!nodeType.poll) throw new UnexpectedError(`bench: ${node.type} has no poll()`);
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
	const restoreLogger = captureLogs(logs);
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
		restoreLogger();
	}
}
