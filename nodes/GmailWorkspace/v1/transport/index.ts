import type { IDataObject, IHttpRequestMethods, IHttpRequestOptions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { dropImpersonatedToken, impersonatedToken, isAuthFailure, type Impersonation } from './auth';
import { buildBatchBody, parseBatchResponse, BATCH_PATH, MAX_BATCH_PARTS } from './batch';
import { credentialType, type Context } from './credentials';
import { apiError, describeFailure, isRateLimit, isRetryable, type FailureContext, type HttpFailure } from './errors';
import { GMAIL_METHODS, gmailPath, type GmailMethodId } from './methods';
import { mailboxPacer, unitsOf } from './quota';
import { backoffMs, clampTimeoutMs, DEFAULT_RETRY, REQUEST_TIMEOUT_MS, withRetries, type RetryPolicy } from './retry';
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
	if (!('getInputData' in ctx) || ctx.getNode().parameters.requestOptions === undefined) return REQUEST_TIMEOUT_MS;
	return clampTimeoutMs(readRequestTimeoutMs(ctx, itemIndex));
}

/** One request with the token of an impersonated user (n8n cannot store per-user tokens, so we cache them). */
async function requestAs(ctx: Context, imp: Impersonation, options: IHttpRequestOptions, usedToken: { value?: string }) {
	usedToken.value = await impersonatedToken(ctx, imp);
	return await ctx.helpers.httpRequest({ ...options, headers: { ...options.headers, Authorization: `Bearer ${usedToken.value}` } });
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
export async function gmailApiRequest<T = IDataObject>(ctx: Context, id: GmailMethodId, call: GmailCall = {}): Promise<T> {
	const params = { userId: call.as?.user ?? 'me', ...call.params };
	const path = gmailPath(id, params);
	const timeout = requestTimeoutMs(ctx, call.itemIndex);
	const options: IHttpRequestOptions = {
		method: GMAIL_METHODS[id].method as IHttpRequestMethods,
		url: GMAIL_ROOT + path,
		timeout,
		qs: call.qs,
		// Google reads repeated parameters as name=a&name=b (labelIds, metadataHeaders), not name[0]=a
		arrayFormat: 'repeat',
		body: call.body,
		json: true,
	};
	const pacer = await mailboxPacer(ctx, params.userId);
	const usedToken: { value?: string } = {};
	const policy: RetryPolicy = { ...(call.retry ?? DEFAULT_RETRY), onRateLimited: (f) => pacer.rateLimited(f.retryAfterMs) };
	return await withRetries(
		async () => {
			await pacer.take(unitsOf(pacer.plan, id));
			if (call.as) return (await requestAs(ctx, call.as, options, usedToken)) as T;
			return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), options)) as T;
		},
		(error, attempts) => toNodeError(ctx, error, { what: `${options.method} ${path}`, itemIndex: call.itemIndex, timeoutMs: timeout, attempts, quota: pacer.plan }),
		call.as ? { ...policy, onUnauthorized: () => void (usedToken.value && dropImpersonatedToken(usedToken.value)) } : policy,
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
	for (const [k, v] of Object.entries(qs)) for (const one of Array.isArray(v) ? v : [v]) sp.append(k, String(one));
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
	let pending = calls.map((_, i) => i);
	for (let attempt = 1; pending.length; attempt++) {
		const unitsEach = Math.max(...pending.map(units));
		const size = Math.max(1, Math.min(MAX_BATCH_PARTS, Math.floor(pacer.burstUnits / unitsEach)));
		const retryLater: number[] = [];
		let lastFailure: HttpFailure | undefined;
		for (let start = 0; start < pending.length; start += size) {
			const chunk = pending.slice(start, start + size);
			await pacer.take(chunk.reduce((n, i) => n + units(i), 0));
			const boundary = `batch_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
			const parts = chunk.map((i) => {
				const c = calls[i];
				return { method: GMAIL_METHODS[c.id].method, path: `/${gmailPath(c.id, { userId, ...c.params })}${queryString(c.qs)}` };
			});
			const response = (await withRetries(
				async () =>
					await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
						method: 'POST',
						url: GMAIL_ROOT + BATCH_PATH,
						timeout,
						headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
						body: buildBatchBody(parts, boundary),
						json: false,
						encoding: 'text',
						returnFullResponse: true,
					}),
				(error, attempts) => toNodeError(ctx, error, { what: `POST ${BATCH_PATH}`, itemIndex: opts.itemIndex, timeoutMs: timeout, attempts, quota: pacer.plan }),
				{ ...DEFAULT_RETRY, onRateLimited: (f) => pacer.rateLimited(f.retryAfterMs) },
			)) as { headers: Record<string, string>; body: string };
			const answered = new Set<number>();
			let refused: HttpFailure | undefined;
			for (const part of parseBatchResponse(response.headers['content-type'] ?? '', String(response.body))) {
				const callIndex = chunk[part.index];
				if (callIndex === undefined) continue;
				answered.add(callIndex);
				if (part.status >= 200 && part.status < 300) {
					outcomes[callIndex] = { ok: true, value: part.body as T };
					continue;
				}
				const failure = describeFailure({ response: { status: part.status, headers: part.headers, data: part.body } });
				if (isRateLimit(failure)) refused = failure;
				if (isRetryable(failure) && attempt < DEFAULT_RETRY.maxAttempts) {
					retryLater.push(callIndex);
					lastFailure = failure;
				} else {
					outcomes[callIndex] = { ok: false, failure };
				}
			}
			for (const i of chunk) if (!answered.has(i)) retryLater.push(i);
			// one lesson per chunk: the next chunks wait for the window instead of meeting more refusals
			if (refused) pacer.rateLimited(refused.retryAfterMs);
		}
		pending = retryLater;
		if (pending.length) await sleep(backoffMs(attempt, DEFAULT_RETRY, lastFailure ?? { network: false }));
	}
	return outcomes;
}
