import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

/**
 * One operation (a card in n8n's node panel): its parameters and how it runs.
 * `execute` receives every input item at once so an operation can fetch concurrently;
 * simple operations run per item through `forEachItem` (helpers/items.ts).
 */
export interface Operation {
	description: INodeProperties[];
	execute(this: IExecuteFunctions, items: INodeExecutionData[]): Promise<INodeExecutionData[]>;
}

/** resource value → operation value → operation. Filled as cards land. */
export type OperationMap = Record<string, Record<string, Operation>>;
