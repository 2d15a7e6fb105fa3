import { readFileSync } from 'node:fs';

import type { INode, INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import type { WorkflowJson } from './run';
import { NODE_TYPES } from './types/registry';

/** Builders for workflow JSON in the shape n8n exports. Card tests may also load exported files. */

export const TRIGGER_NAME = 'When clicking ‘Execute workflow’';

export function manualTrigger(name = TRIGGER_NAME): INode {
	return { id: 'trigger', name, type: NODE_TYPES.manualTrigger, typeVersion: 1, position: [0, 0], parameters: {} };
}

export interface NodeSpec {
	name: string;
	type?: string;
	typeVersion?: number;
	parameters?: INodeParameters;
	/** The Gmail Workspace OAuth2 credential reference, as n8n stores it on the node. */
	credential?: INodeCredentialsDetails;
}

/** A node of our package (default type gmailWorkspace v1) using the gmailWorkspaceOAuth2Api credential. */
export function gmailNode(spec: NodeSpec): INode {
	return {
		id: spec.name.replace(/\W+/g, '-').toLowerCase(),
		name: spec.name,
		type: spec.type ?? NODE_TYPES.gmailWorkspace,
		typeVersion: spec.typeVersion ?? 1,
		position: [0, 0],
		parameters: spec.parameters ?? {},
		...(spec.credential ? { credentials: { gmailWorkspaceOAuth2Api: spec.credential } } : {}),
	};
}

/** Nodes connected one after the other (main output 0 → main input 0), the first being the trigger. */
export function chain(...nodes: INode[]): WorkflowJson {
	const connections: WorkflowJson['connections'] = {};
	nodes.forEach((node, i) => {
		node.position = [i * 220, 0];
		const next = nodes[i + 1];
		if (next) connections[node.name] = { main: [[{ node: next.name, type: 'main', index: 0 }]] };
	});
	return { name: 'Bench workflow', nodes, connections, settings: { executionOrder: 'v1' } };
}

/** A workflow exported from n8n (File → Download). */
export function loadWorkflow(path: string): WorkflowJson {
	return JSON.parse(readFileSync(path, 'utf8')) as WorkflowJson;
}
