import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';

import { readOption } from '../../params';

/**
 * The node as an AI tool. n8n turns a node with `usableAsTool` into a second node type whose name ends in
 * "Tool" (gmailWorkspaceTool), with an AI tool output instead of main in/out; displayOptions can tell the two
 * apart with `@tool`. Cards that read mail offer an Output Size: Compact by default on the tool (a model's
 * context is small), Full on the normal node.
 */

/** Characters of the text body a compact item keeps. */
export const COMPACT_TEXT_CAP = 2000;

export const OUTPUT_SIZES = ['compact', 'full'] as const;
export type OutputSize = (typeof OUTPUT_SIZES)[number];

/**
 * Whether this run is the tool variant of the node: n8n names it after ours plus "Tool" (an AI Agent may also
 * run it as a plain node of that type), and a tool call through n8n-core's tool wrapper (MCP Server Trigger)
 * says so with isToolExecution where n8n has it.
 */
export const isToolNode = (ctx: Pick<IExecuteFunctions, 'getNode'> & Partial<IExecuteFunctions>) =>
	ctx.getNode().type.endsWith('Tool') || ctx.isToolExecution?.() === true;

const SIZE_OPTIONS = [
	{
		name: 'Compact',
		value: 'compact',
		description: `For AI agents: ID, thread ID, from, to, cc, subject, date, label names, attachment names and sizes, and the text body cut at ${COMPACT_TEXT_CAP.toLocaleString('en-US')} characters (then textTruncated is true and textLength gives the full length); no HTML body, no raw headers`,
	},
	{ name: 'Full', value: 'full', description: 'Every field of the message, HTML body included' },
];

/** The Output Size choice of a card that outputs messages (default Compact on the tool, Full otherwise). */
export const outputSizeFields = (resource: string, operations: string[]): INodeProperties[] => {
	const show = { resource: [resource], operation: operations };
	return [
		{
			displayName: 'Output Size',
			name: 'outputSize',
			type: 'options',
			noDataExpression: true,
			default: 'compact',
			displayOptions: { show: { ...show, '@tool': [true] } },
			options: SIZE_OPTIONS,
		},
		{
			displayName: 'Output Size',
			name: 'outputSize',
			type: 'options',
			noDataExpression: true,
			default: 'full',
			displayOptions: { show: { ...show, '@tool': [false] } },
			options: SIZE_OPTIONS,
		},
	];
};

/** Item `i`'s Output Size (a workflow saved without it gets the variant's default). */
export const readOutputSize = (ctx: IExecuteFunctions, i: number): OutputSize =>
	readOption(
		ctx,
		i,
		'outputSize',
		'Output Size',
		OUTPUT_SIZES,
		isToolNode(ctx) ? 'compact' : 'full',
	);
