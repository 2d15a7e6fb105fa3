import './env';

import { Container } from '@n8n/di';
import { Logger } from '@n8n/backend-common';
import { ExecutionLifecycleHooks } from 'n8n-core';
import type { IDataObject, INode, INodeType, IWorkflowBase, IWorkflowExecuteAdditionalData, WorkflowExecuteMode } from 'n8n-workflow';
import { UnexpectedError, Workflow } from 'n8n-workflow';

import { BenchCredentialsHelper, type CredentialStore } from './credentials';
import { createAdditionalData } from './run';
import { loadTypes } from './types/registry';

export interface LogRecord {
	level: 'error' | 'warn' | 'info' | 'debug';
	message: string;
}

/** A workflow of one node, as n8n builds it for a trigger or a poll of an active workflow (or a manual test). */
export interface SingleNode {
	workflow: Workflow;
	node: INode;
	nodeType: INodeType;
	additionalData: IWorkflowExecuteAdditionalData;
}

/** The workflow n8n's active-workflow code would build around `node`, with its static data as n8n saved it. */
export function singleNodeWorkflow(opts: {
	node: INode;
	credentials: CredentialStore;
	workflowId: string;
	name: string;
	mode: Extract<WorkflowExecuteMode, 'trigger' | 'manual'>;
	staticData?: IDataObject;
}): SingleNode {
	const { nodeTypes, credentialTypes } = loadTypes();
	const workflow = new Workflow({
		id: opts.workflowId,
		name: opts.name,
		nodes: [structuredClone(opts.node)],
		connections: {},
		active: opts.mode === 'trigger',
		nodeTypes,
		settings: { executionOrder: 'v1' },
		staticData: structuredClone(opts.staticData ?? {}),
	});
	const node = workflow.getNode(opts.node.name);
	if (!node) throw new UnexpectedError(`bench: node ${opts.node.name} missing`);
	const nodeType = nodeTypes.getByNameAndVersion(node.type, node.typeVersion);
	const hooks = new ExecutionLifecycleHooks(opts.mode, `${opts.name}-${Date.now()}`, { id: opts.workflowId } as IWorkflowBase);
	const additionalData = createAdditionalData(new BenchCredentialsHelper(credentialTypes, opts.credentials), hooks, opts.workflowId);
	return { workflow, node, nodeType, additionalData };
}

const LEVELS = ['error', 'warn', 'info', 'debug'] as const;

/** Record what is logged through n8n's logger into `logs` (still passed on); the returned function stops it. */
export function captureLogs(logs: LogRecord[]): () => void {
	const logger = Container.get(Logger) as unknown as Record<(typeof LEVELS)[number], (message: string, meta?: object) => void>;
	const originals = LEVELS.map((level) => logger[level]);
	LEVELS.forEach((level, i) => {
		logger[level] = (message: string, meta?: object) => {
			logs.push({ level, message });
			originals[i].call(logger, message, meta);
		};
	});
	return () => LEVELS.forEach((level, i) => (logger[level] = originals[i]));
}
