import type { INodeProperties } from 'n8n-workflow';

import { readPositiveNumber, type ParamContext } from './read';

export const DEFAULT_TIMEOUT_SECONDS = 60;
/** Longer waits are clamped: an hour is more than any Google answer needs. */
export const MAX_TIMEOUT_SECONDS = 3600;

/** "Request Options": shared by every card; the deadline of each request to Google. */
export const requestOptionsField: INodeProperties = {
	displayName: 'Request Options',
	name: 'requestOptions',
	type: 'collection',
	placeholder: 'Add option',
	default: {},
	options: [
		{
			displayName: 'Request Timeout (Seconds)',
			name: 'timeout',
			type: 'number',
			typeOptions: { minValue: 0.1, numberPrecision: 1 },
			default: DEFAULT_TIMEOUT_SECONDS,
			description:
				'How long to wait for Google to answer one request before it counts as failed and is retried (at most an hour). A send whose answer never came is checked before it is sent again, so it is never sent twice.',
		},
	],
};

/** The Request Timeout of item `itemIndex`, in milliseconds; refused when not above 0, clamped at an hour. */
export function readRequestTimeoutMs(ctx: ParamContext, itemIndex: number): number {
	const seconds = readPositiveNumber(
		ctx,
		itemIndex,
		'requestOptions.timeout',
		'Request Timeout (Seconds)',
		{
			fallback: DEFAULT_TIMEOUT_SECONDS,
			max: MAX_TIMEOUT_SECONDS,
		},
	);
	return Math.max(1, Math.round(seconds * 1000));
}
