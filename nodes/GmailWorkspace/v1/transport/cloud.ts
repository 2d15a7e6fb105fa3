import type { IDataObject, IHttpRequestMethods } from 'n8n-workflow';

import { credentialType, type Context } from './credentials';
import { apiError, describeFailure, settle } from './errors';
import { DEFAULT_RETRY, REQUEST_TIMEOUT_MS, withRetries, type RetryPolicy } from './retry';

export const PUBSUB_ROOT = 'https://pubsub.googleapis.com/v1/';

export interface CloudCall {
	method: IHttpRequestMethods;
	/** A Google Cloud API URL (Pub/Sub, Resource Manager, IAM). */
	url: string;
	/** How errors name the call, e.g. "POST pubsub/v1/projects/p/topics/t:getIamPolicy". */
	what: string;
	qs?: IDataObject;
	body?: IDataObject;
	timeoutMs?: number;
	/** Ends a long poll early (the trigger's deactivation). */
	abortSignal?: AbortSignal;
	retry?: RetryPolicy;
	/** A long poll: no answer within the deadline (or an abort) is an empty answer, `undefined`, not a failure. */
	emptyOnTimeout?: boolean;
	/**
	 * How long Google may take, in whole seconds (the X-Server-Timeout system parameter,
	 * cloud.google.com/apis/docs/system-parameters): a long poll answers by then, before the request's deadline.
	 */
	serverTimeoutS?: number;
	/** Hand back the last failure as it came (a caller that explains failures itself, readiness/cloud.ts). */
	rawErrors?: boolean;
}

/**
 * One Google Cloud API call with the connection's token through n8n's authenticated helper (n8n refreshes it
 * on a 401 for every workflow sharing the credential), a deadline, the one retry engine and error factory.
 */
export async function cloudRequest<T = IDataObject>(ctx: Context, call: CloudCall): Promise<T> {
	const timeout = call.timeoutMs ?? REQUEST_TIMEOUT_MS;
	const send = async () =>
		(await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
			method: call.method,
			url: call.url,
			...(call.qs ? { qs: call.qs } : {}),
			body: call.body ?? (call.method === 'GET' || call.method === 'DELETE' ? undefined : {}),
			json: true,
			timeout,
			...(call.serverTimeoutS
				? { headers: { 'X-Server-Timeout': String(call.serverTimeoutS) } }
				: {}),
			...(call.abortSignal ? { abortSignal: call.abortSignal } : {}),
		})) as T;
	return await withRetries(
		async () => {
			if (!call.emptyOnTimeout) return await send();
			const got = await settle(send);
			if (!('failure' in got)) return got.value;
			// the caller's T admits undefined (it asked for emptyOnTimeout)
			if (call.abortSignal?.aborted || describeFailure(got.failure).timedOut) return undefined as T;
			throw got.failure as Error;
		},
		(error, attempts) =>
			call.rawErrors
				? (error as Error)
				: apiError(ctx.getNode(), error, { what: call.what, timeoutMs: timeout, attempts }),
		call.retry ?? DEFAULT_RETRY,
	);
}

/** One Cloud Pub/Sub call; `path` is below https://pubsub.googleapis.com/v1/, e.g. projects/p/topics/t:getIamPolicy. */
export async function pubsubRequest<T = IDataObject>(
	ctx: Context,
	call: Omit<CloudCall, 'url' | 'what'> & { path: string },
): Promise<T> {
	const { path, ...rest } = call;
	return await cloudRequest<T>(ctx, {
		...rest,
		url: PUBSUB_ROOT + path,
		what: `${call.method} pubsub/v1/${path}`,
	});
}
