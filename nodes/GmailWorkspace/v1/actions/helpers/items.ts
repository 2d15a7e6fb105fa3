import type { IDataObject, IExecuteFunctions, INode, INodeExecutionData } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

/** n8n's own error types pass through; anything else becomes a NodeOperationError for that item. */
export function asNodeError(
	node: INode,
	error: unknown,
	itemIndex: number,
): NodeApiError | NodeOperationError {
	if (error instanceof NodeApiError || error instanceof NodeOperationError) return error;
	return new NodeOperationError(node, error as Error, { itemIndex });
}

/**
 * Run `fn` for each input item: outputs keep `pairedItem`, and with "Continue On Fail" an item's
 * error becomes an output item instead of stopping the workflow.
 */
export async function forEachItem(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	fn: (itemIndex: number) => Promise<IDataObject | IDataObject[] | INodeExecutionData[]>,
): Promise<INodeExecutionData[]> {
	const out: INodeExecutionData[] = [];
	for (let i = 0; i < items.length; i++) {
		try {
			out.push(...toItems(await fn(i), i));
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx.getNode(), error, i);
			out.push({ json: { error: (error as Error).message }, pairedItem: { item: i } });
		}
	}
	return out;
}

function isExecutionData(v: unknown): v is INodeExecutionData {
	return (
		typeof v === 'object' &&
		v !== null &&
		'json' in v &&
		typeof (v as INodeExecutionData).json === 'object'
	);
}

/** Results of one input item as output items paired with it. */
export function toItems(
	result: IDataObject | IDataObject[] | INodeExecutionData[],
	itemIndex: number,
): INodeExecutionData[] {
	const list = Array.isArray(result) ? result : [result];
	return list.map((r) =>
		isExecutionData(r)
			? { ...r, pairedItem: { item: itemIndex } }
			: { json: r as IDataObject, pairedItem: { item: itemIndex } },
	);
}
