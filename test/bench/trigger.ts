import './env';

import { TriggerContext } from 'n8n-core';
import type { IDataObject, INode, INodeExecutionData, ITriggerResponse, WorkflowExecuteMode } from 'n8n-workflow';
import { UnexpectedError, type Workflow } from 'n8n-workflow';

import type { Standin } from '../standin/core/standin';
import type { CredentialStore } from './credentials';
import type { BenchHttp, ExchangeRecord } from './http';
import { captureLogs, singleNodeWorkflow, type LogRecord } from './single-node';

export interface TriggerOptions {
	/** The trigger node (type, parameters, credentials) as workflow JSON holds it. */
	node: INode;
	credentials: CredentialStore;
	standin: Standin;
	/** The workflow's static data at activation, as n8n saved it (JSON); default none (first activation). */
	staticData?: IDataObject;
	workflowId?: string;
	/**
	 * 'trigger' (an active workflow, activation 'activate', the default) or 'manual' (the editor's
	 * "Execute step"/"Test workflow", activation 'manual'; n8n stops a manual trigger after its first emit,
	 * so such a test waits for one emit and closes).
	 */
	mode?: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
	/**
	 * Called synchronously inside emit(), after the emit was recorded (n8n's emit returns void and does not
	 * wait for the execution). A test may block or throw here to play a slow or failing n8n.
	 */
	onEmit?: (emit: TriggerEmit, handle: TriggerHandle) => void;
}

export interface TriggerEmit {
	/** Date.now() when emit() was called. */
	at: number;
	/** Items of output 0. */
	items: INodeExecutionData[];
	/** The workflow's static data at the moment of emit (JSON): n8n saves static data when a trigger emits. */
	staticData: IDataObject;
}

export interface TriggerHandle {
	/** One entry per emit() call, in order. */
	readonly emits: TriggerEmit[];
	/** Errors passed to emitError() (n8n deactivates the workflow and retries its activation). */
	readonly errors: Error[];
	/** Errors passed to saveFailedExecution() (n8n records a failed execution, the trigger stays active). */
	readonly failedExecutions: Error[];
	/** Messages the node logged through n8n's logger since activation. */
	readonly logs: LogRecord[];
	/** HTTP exchanges routed to the stand-in since activation (a fresh copy on each read). */
	readonly exchanges: ExchangeRecord[];
	/** What trigger() returned (n8n keeps it and calls its closeFunction on deactivation). */
	readonly response: ITriggerResponse | undefined;
	readonly closed: boolean;
	/** The workflow's static data now (JSON snapshot). */
	staticData(): IDataObject;
	/**
	 * Resolve once `predicate(handle)` holds, checking every 20 ms; reject after `timeoutMs` with a message
	 * naming what was awaited (`description`, default the predicate's source) and what the trigger did.
	 */
	waitFor(predicate: (handle: TriggerHandle) => boolean, timeoutMs: number, description?: string): Promise<void>;
	/** Deactivate: call closeFunction once (later calls return the same promise), then stop routing HTTP. */
	close(): Promise<void>;
}

const WAIT_STEP_MS = 20;

/** The trigger that is running (routing and logger capture are process-wide, so one at a time). */
let running: TriggerHandle | undefined;

const snapshot = (workflow: Workflow) => JSON.parse(JSON.stringify(workflow.staticData)) as IDataObject;

/**
 * Activate a trigger node the way n8n's active-workflow code does: n8n-core's TriggerContext with emit,
 * emitError and saveFailedExecution callbacks, then `nodeType.trigger.call(context)`. The trigger keeps
 * running after this resolves; the test drives the stand-in, watches the handle and calls close().
 * One trigger at a time per bench, and no bench.run/runPoll/loadOptions while it runs (they end by
 * clearing the HTTP routing the trigger needs).
 */
export async function runTrigger(http: BenchHttp, options: TriggerOptions): Promise<TriggerHandle> {
	if (!http.installed) throw new UnexpectedError('bench: call setupBench() in the test file before runTrigger()');
	if (running && !running.closed) throw new UnexpectedError('bench: a trigger is already running; close() it first (one at a time)');
	if (http.active && http.active !== options.standin) {
		throw new UnexpectedError('bench: HTTP is routed to another stand-in (a run in flight?); a trigger needs the routing to itself');
	}
	const mode = options.mode ?? 'trigger';
	const workflowId = options.workflowId ?? 'bench-trigger';
	const { workflow, node, nodeType, additionalData } = singleNodeWorkflow({
		node: options.node,
		credentials: options.credentials,
		workflowId,
		name: 'Bench trigger workflow',
		mode,
		staticData: options.staticData,
	});
	if (!nodeType.trigger) throw new UnexpectedError(`bench: ${node.type} has no trigger() (a polling node? use runPoll)`);

	const emits: TriggerEmit[] = [];
	const errors: Error[] = [];
	const failedExecutions: Error[] = [];
	const logs: LogRecord[] = [];
	const exchangesBefore = http.exchanges.length;
	let response: ITriggerResponse | undefined;
	let closing: Promise<void> | undefined;
	let closed = false;

	const handle: TriggerHandle = {
		emits,
		errors,
		failedExecutions,
		logs,
		get exchanges() {
			return http.exchanges.slice(exchangesBefore);
		},
		get response() {
			return response;
		},
		get closed() {
			return closed;
		},
		staticData: () => snapshot(workflow),
		waitFor: async (predicate, timeoutMs, description = predicate.toString()) => {
			const deadline = Date.now() + timeoutMs;
			while (!predicate(handle)) {
				if (Date.now() >= deadline) {
					const last = errors.at(-1);
					throw new Error(
						`bench: waited ${timeoutMs} ms for ${description}; the trigger emitted ${emits.length} time(s), ` +
							`reported ${errors.length} error(s)${last ? ` (last: ${last.message})` : ''}` +
							`${closed ? ' and is closed' : ''}`,
					);
				}
				await new Promise((resolve) => setTimeout(resolve, WAIT_STEP_MS));
			}
		},
		close: () => (closing ??= deactivate()),
	};

	const context = new TriggerContext(
		workflow,
		node,
		additionalData,
		mode,
		mode === 'manual' ? 'manual' : 'activate',
		(data) => {
			const emit: TriggerEmit = { at: Date.now(), items: data[0] ?? [], staticData: snapshot(workflow) };
			emits.push(emit);
			options.onEmit?.(emit, handle);
		},
		(error) => void errors.push(error),
		(error) => void failedExecutions.push(error),
	);

	const restoreLogger = captureLogs(logs);
	const release = () => {
		closed = true;
		http.use(undefined);
		restoreLogger();
		if (running === handle) running = undefined;
	};

	async function deactivate(): Promise<void> {
		try {
			// n8n runs the close function inside the workflow's expression isolate.
			const closeFunction = response?.closeFunction;
			if (closeFunction) await workflow.expression.withIsolate(async () => await closeFunction.call(response));
		} finally {
			release();
		}
	}

	running = handle;
	http.use(options.standin);
	try {
		response = await nodeType.trigger.call(context);
	} catch (error) {
		// Activation failed: n8n reports it and does not keep the workflow active.
		release();
		throw error;
	}
	return handle;
}
