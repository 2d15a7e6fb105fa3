import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import {
	dropImpersonatedToken,
	impersonatedToken,
	isAuthFailure,
	type Impersonation,
} from './auth';
import { buildBatchBody, parseBatchResponse, BATCH_PATH, MAX_BATCH_PARTS } from './batch';
import { credentialType, type Context } from './credentials';
import {
	apiError,
	describeFailure,
	isRateLimit,
	isRetryable,
	type FailureContext,
	type HttpFailure,
} from './errors';
import { GMAIL_METHODS, gmailPath, type GmailMethodId } from './methods';
import { mailboxPacer, unitsOf, type QuotaPlan } from './quota';
import {
	clampTimeoutMs,
	DEFAULT_RETRY,
	REQUEST_TIMEOUT_MS,
	withRetries,
	type RetryPolicy,
} from './retry';
import { readRequestTimeoutMs } from '../params/timeout';

export const GMAIL_ROOT = 'https://gmail.googleapis.com/';

export interface GmailCall {
	/** Path parameters; userId defaults to "me" (the connected account). */
	params?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
	/** Retry rules for this call (state-changing calls pass `safeToRetry`). */
	retry?: RetryPolicy;
	/** Act as this Workspace user through the service account (admin cards); default: the connected account. */
	as?: Impersonation;
}

/**
 * The deadline of each request: the card's Request Timeout for that item (dropdowns and calls without an
 * item use the default). Every request to Google carries one, so no call waits forever.
 */
export function requestTimeoutMs(ctx: Context, itemIndex = 0): number {
	// dropdowns and polls (no items) use the default
	if (!('getInputData' in ctx) || ctx.getNode().parameters.requestOptions === undefined)
		return REQUEST_TIMEOUT_MS;
	return clampTimeoutMs(readRequestTimeoutMs(ctx, itemIndex));
}

/** One request with the token of an impersonated user (n8n cannot store per-user tokens, so we cache them). */
async function requestAs(
	ctx: Context,
	imp: Impersonation,
	options: IHttpRequestOptions,
	usedToken: { value?: string },
) {
	usedToken.value = await impersonatedToken(ctx, imp);
	return await ctx.helpers.httpRequest({
		...options,
		headers: { ...options.headers, Authorization: `Bearer ${usedToken.value}` },
	});
}

/** A final failure of a Gmail call as the package's NodeApiError (a token-minting error passes as it is). */
function toNodeError(ctx: Context, error: unknown, c: FailureContext) {
	if (isAuthFailure(error)) return error as Error;
	return apiError(ctx.getNode(), error, c);
}

/**
 * Call one Gmail API method through n8n's authenticated helper, so n8n attaches the stored OAuth2
 * token and refreshes it (for every workflow sharing the credential) when Google answers 401.
 * Calls are paced to the mailbox's quota and Google's transient failures are retried with backoff.
 */
export async function gmailApiRequest<T = IDataObject>(
	ctx: Context,
	id: GmailMethodId,
	call: GmailCall = {},
): Promise<T> {
	const params = { userId: call.as?.user ?? 'me', ...call.params };
	return await requestGmail<T>(
		ctx,
		{
			method: GMAIL_METHODS[id].method as IHttpRequestMethods,
			path: gmailPath(id, params),
			userId: params.userId,
			units: (plan) => unitsOf(plan, id),
		},
		call,
	);
}

/** A Gmail call that is not one of GMAIL_METHODS (the Custom API Call): its path filled and checked by the caller. */
export interface GmailCallTarget {
	method: IHttpRequestMethods;
	/** Below https://gmail.googleapis.com/, e.g. gmail/v1/users/me/labels */
	path: string;
	/** The mailbox whose quota the call spends ("me" = the connected account). */
	userId: string;
	/** Quota units of the call in the credential's tier. */
	units: (plan: QuotaPlan) => number;
}

/**
 * Any Gmail API call through the same path as gmailApiRequest (credential, n8n's refresh, pacer, retries,
 * deadline, impersonation, error factory): for the Custom API Call, whose method the package's table may lack.
 */
export async function gmailCustomRequest<T = unknown>(
	ctx: Context,
	target: GmailCallTarget,
	call: Omit<GmailCall, 'params'> = {},
): Promise<T> {
	return await requestGmail<T>(ctx, target, call);
}

/** The one request path of gmailApiRequest and gmailCustomRequest. */
async function requestGmail<T>(ctx: Context, target: GmailCallTarget, call: GmailCall): Promise<T> {
	const { path } = target;
	const timeout = requestTimeoutMs(ctx, call.itemIndex);
	const options: IHttpRequestOptions = {
		method: target.method,
		url: GMAIL_ROOT + path,
		timeout,
		qs: call.qs,
		// Google reads repeated parameters as name=a&name=b (labelIds, metadataHeaders), not name[0]=a
		arrayFormat: 'repeat',
		body: call.body,
		json: true,
	};
	const pacer = await mailboxPacer(ctx, target.userId);
	const usedToken: { value?: string } = {};
	const policy: RetryPolicy = {
		...(call.retry ?? DEFAULT_RETRY),
		onRateLimited: (f) => pacer.rateLimited(f.retryAfterMs),
	};
	return await withRetries(
		async () => {
			await pacer.take(target.units(pacer.plan));
			if (call.as) return (await requestAs(ctx, call.as, options, usedToken)) as T;
			return (await ctx.helpers.httpRequestWithAuthentication.call(
				ctx,
				credentialType(ctx),
				options,
			)) as T;
		},
		(error, attempts) =>
			toNodeError(ctx, error, {
				what: `${options.method} ${path}`,
				itemIndex: call.itemIndex,
				timeoutMs: timeout,
				attempts,
				quota: pacer.plan,
			}),
		call.as
			? {
					...policy,
					onUnauthorized: () => void (usedToken.value && dropImpersonatedToken(usedToken.value)),
				}
			: policy,
	);
}

export interface BatchCall {
	id: GmailMethodId;
	params?: Record<string, string>;
	qs?: Record<string, string | number | boolean | string[]>;
}

export type BatchOutcome<T> = { ok: true; value: T } | { ok: false; failure: HttpFailure };

function queryString(qs: BatchCall['qs'] = {}) {
	const sp = new URLSearchParams();
	for (const [k, v] of Object.entries(qs))
		for (const one of Array.isArray(v) ? v : [v]) sp.append(k, String(one));
	const s = sp.toString();
	return s ? `?${s}` : '';
}

/**
 * Many read calls through Gmail's batch endpoint: one request (one connection) per chunk instead of
 * one per call. Chunks are sized to the mailbox's short-term budget (at most 50 parts, as Google advises)
 * and paced; parts Google refuses for rate limits or 5xx are sent again after the pacer has learnt from
 * the refusal. Returns one outcome per call, in order.
 */
export async function gmailBatch<T = IDataObject>(
	ctx: Context,
	calls: BatchCall[],
	opts: { userId?: string; itemIndex?: number } = {},
): Promise<Array<BatchOutcome<T>>> {
	const userId = opts.userId ?? 'me';
	const outcomes = new Array<BatchOutcome<T>>(calls.length);
	const pacer = await mailboxPacer(ctx, userId);
	const units = (i: number) => unitsOf(pacer.plan, calls[i].id);
	const timeout = requestTimeoutMs(ctx, opts.itemIndex);
	const post = async (chunk: number[]) => {
		const boundary = `batch_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
		const parts = chunk.map((i) => {
			const c = calls[i];
			return {
				method: GMAIL_METHODS[c.id].method,
				path: `/${gmailPath(c.id, { userId, ...c.params })}${queryString(c.qs)}`,
			};
		});
		return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
			method: 'POST',
			url: GMAIL_ROOT + BATCH_PATH,
			timeout,
			headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
			body: buildBatchBody(parts, boundary),
			json: false,
			encoding: 'text',
			returnFullResponse: true,
		})) as { headers: Record<string, string>; body: string };
	};

	const size = Math.max(
		1,
		Math.min(
			MAX_BATCH_PARTS,
			Math.floor(pacer.burstUnits / Math.max(1, ...calls.map((_, i) => units(i)))),
		),
	);
	for (let start = 0; start < calls.length; start += size) {
		// the chunk's parts that still need an answer; each attempt of the retry engine sends only those
		let remaining = calls.slice(start, start + size).map((_, k) => start + k);
		let partsFailure: PartsFailure | undefined;
		try {
			await withRetries(
				async () => {
					await pacer.take(remaining.reduce((n, i) => n + units(i), 0));
					const response = await post(remaining);
					const retry: number[] = [];
					let again: HttpFailure | undefined;
					const answered = new Set<number>();
					for (const part of parseBatchResponse(
						response.headers['content-type'] ?? '',
						String(response.body),
					)) {
						const callIndex = remaining[part.index];
						if (callIndex === undefined) continue;
						answered.add(callIndex);
						if (part.status >= 200 && part.status < 300) {
							outcomes[callIndex] = { ok: true, value: part.body as T };
							continue;
						}
						const failure = describeFailure({
							response: { status: part.status, headers: part.headers, data: part.body },
						});
						// 401 on parts: the batch endpoint answers 200 and each part 401 when the token expired, so
						// n8n (which refreshes on a 401 of the request it sent) never sees it; retried after a refresh
						const unauthorized = part.status === 401;
						if (!isRetryable(failure) && !unauthorized)
							outcomes[callIndex] = { ok: false, failure };
						else {
							retry.push(callIndex);
							// a rate-limit answer is the one to learn from (Retry-After, the pacer's budget)
							if (!again || isRateLimit(failure) || unauthorized) again = failure;
						}
					}
					for (const i of remaining) if (!answered.has(i)) retry.push(i);
					remaining = retry;
					if (retry.length) {
						partsFailure = new PartsFailure(
							again ?? {
								status: 503,
								network: false,
								message: 'Gmail left parts of the batch unanswered',
							},
						);
						throw partsFailure;
					}
				},
				(error, attempts) =>
					error instanceof PartsFailure
						? error
						: toNodeError(ctx, error, {
								what: `POST ${BATCH_PATH}`,
								itemIndex: opts.itemIndex,
								timeoutMs: timeout,
								attempts,
								quota: pacer.plan,
							}),
				{
					...DEFAULT_RETRY,
					onRateLimited: (f) => pacer.rateLimited(f.retryAfterMs),
					// one plain call with the same token: its 401 makes n8n refresh and store the token (or says
					// to reconnect when Google refuses the refresh); the parts are then sent again
					onUnauthorized: async () => {
						await gmailApiRequest(ctx, 'gmail.users.getProfile', {
							params: { userId },
							itemIndex: opts.itemIndex,
						});
					},
				},
			);
		} catch (error) {
			// a whole-call failure is already the transport's NodeApiError (wrapping hands it back as it is)
			if (!(error instanceof PartsFailure) || error !== partsFailure)
				throw new NodeApiError(ctx.getNode(), error as JsonObject);
			// the retries ran out for some parts only: they fail on their own, the rest of the batch stands
			for (const i of remaining) outcomes[i] = { ok: false, failure: error.failure };
		}
	}
	return outcomes;
}

/** Parts of a batch that Google answered with a retryable failure: retried by the engine like a whole call. */
class PartsFailure extends Error {
	readonly response: { status?: number; headers: Record<string, string>; data: unknown };

	constructor(readonly failure: HttpFailure) {
		super(failure.message ?? 'Some parts of the batch failed');
		const headers: Record<string, string> = {};
		if (failure.retryAfterMs !== undefined)
			headers['retry-after'] = String(Math.ceil(failure.retryAfterMs / 1000));
		this.response = {
			status: failure.status,
			headers,
			data: { error: { message: failure.message, errors: [{ reason: failure.reason }] } },
		};
	}
}
