import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, sleep } from 'n8n-workflow';

import { dropImpersonatedToken, impersonatedToken, isAuthFailure, type Impersonation } from './auth';
import { buildBatchBody, parseBatchResponse, BATCH_PATH, MAX_BATCH_PARTS } from './batch';
import { credentialId, credentialType, type Context } from './credentials';
import { describeFailure, isRetryable, rewrappable, type HttpFailure } from './errors';
import { explainFailure } from './explain';
import { GMAIL_METHODS, gmailPath, type GmailMethodId } from './methods';
import { pacerFor, quotaUnits, USER_UNITS_PER_SECOND } from './quota';
import { backoffMs, DEFAULT_RETRY, withRetries, type RetryPolicy } from './retry';

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

/** The quota bucket of the mailbox a call acts on: per credential and user. */
function pacer(ctx: Context, userId: string) {
	return pacerFor(`${credentialId(ctx)}:${userId.toLowerCase()}`, USER_UNITS_PER_SECOND);
}

/** One request with the token of an impersonated user (n8n cannot store per-user tokens, so we cache them). */
async function requestAs(ctx: Context, imp: Impersonation, options: IHttpRequestOptions, usedToken: { value?: string }) {
	usedToken.value = await impersonatedToken(ctx, imp);
	return await ctx.helpers.httpRequest({ ...options, headers: { ...options.headers, Authorization: `Bearer ${usedToken.value}` } });
}

function toNodeError(ctx: Context, error: unknown, what: string, itemIndex?: number) {
	if (isAuthFailure(error)) return error as Error;
	const f = describeFailure(error);
	return new NodeApiError(ctx.getNode(), rewrappable(error) as JsonObject, {
		message: explainFailure(f) ?? f.message ?? `Gmail API call ${what} failed`,
		httpCode: f.status ? String(f.status) : undefined,
		itemIndex,
	});
}

/**
 * Call one Gmail API method through n8n's authenticated helper, so n8n attaches the stored OAuth2
 * token and refreshes it (for every workflow sharing the credential) when Google answers 401.
 * Calls are paced to the mailbox's quota and Google's transient failures are retried with backoff.
 */
export async function gmailApiRequest<T = IDataObject>(this: Context, id: GmailMethodId, call: GmailCall = {}): Promise<T> {
	const params = { userId: call.as?.user ?? 'me', ...call.params };
	const options: IHttpRequestOptions = {
		method: GMAIL_METHODS[id].method as IHttpRequestMethods,
		url: GMAIL_ROOT + gmailPath(id, params),
		qs: call.qs,
		// Google reads repeated parameters as name=a&name=b (labelIds, metadataHeaders), not name[0]=a
		arrayFormat: 'repeat',
		body: call.body,
		json: true,
	};
	const bucket = pacer(this, params.userId);
	const usedToken: { value?: string } = {};
	const policy = call.retry ?? DEFAULT_RETRY;
	return await withRetries(
		async () => {
			await bucket.take(quotaUnits(id));
			if (call.as) return (await requestAs(this, call.as, options, usedToken)) as T;
			return (await this.helpers.httpRequestWithAuthentication.call(this, credentialType(this), options)) as T;
		},
		(error) => toNodeError(this, error, id, call.itemIndex),
		call.as ? { ...policy, onUnauthorized: () => usedToken.value && dropImpersonatedToken(usedToken.value) } : policy,
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
 * one per call. Chunks are sized so one chunk fits the mailbox's quota second; parts Google refuses
 * for rate limits or 5xx are sent again with backoff. Returns one outcome per call, in order.
 */
export async function gmailBatch<T = IDataObject>(this: Context, calls: BatchCall[], userId = 'me'): Promise<Array<BatchOutcome<T>>> {
	const outcomes = new Array<BatchOutcome<T>>(calls.length);
	const bucket = pacer(this, userId);
	let pending = calls.map((_, i) => i);
	for (let attempt = 1; pending.length; attempt++) {
		const unitsEach = Math.max(...pending.map((i) => quotaUnits(calls[i].id)));
		const size = Math.max(1, Math.min(MAX_BATCH_PARTS, Math.floor(USER_UNITS_PER_SECOND / unitsEach)));
		const retryLater: number[] = [];
		let lastFailure: HttpFailure | undefined;
		for (let start = 0; start < pending.length; start += size) {
			const chunk = pending.slice(start, start + size);
			await bucket.take(chunk.reduce((n, i) => n + quotaUnits(calls[i].id), 0));
			const boundary = `batch_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
			const parts = chunk.map((i) => {
				const c = calls[i];
				return { method: GMAIL_METHODS[c.id].method, path: `/${gmailPath(c.id, { userId, ...c.params })}${queryString(c.qs)}` };
			});
			const response = (await withRetries(
				async () =>
					await this.helpers.httpRequestWithAuthentication.call(this, credentialType(this), {
						method: 'POST',
						url: GMAIL_ROOT + BATCH_PATH,
						headers: { 'Content-Type': `multipart/mixed; boundary=${boundary}` },
						body: buildBatchBody(parts, boundary),
						json: false,
						encoding: 'text',
						returnFullResponse: true,
					}),
				(error) => toNodeError(this, error, 'batch'),
			)) as { headers: Record<string, string>; body: string };
			const answered = new Set<number>();
			for (const part of parseBatchResponse(response.headers['content-type'] ?? '', String(response.body))) {
				const callIndex = chunk[part.index];
				if (callIndex === undefined) continue;
				answered.add(callIndex);
				if (part.status >= 200 && part.status < 300) {
					outcomes[callIndex] = { ok: true, value: part.body as T };
					continue;
				}
				const failure = describeFailure({ response: { status: part.status, headers: part.headers, data: part.body } });
				if (isRetryable(failure) && attempt < DEFAULT_RETRY.maxAttempts) {
					retryLater.push(callIndex);
					lastFailure = failure;
				} else {
					outcomes[callIndex] = { ok: false, failure };
				}
			}
			for (const i of chunk) if (!answered.has(i)) retryLater.push(i);
		}
		pending = retryLater;
		if (pending.length) await sleep(backoffMs(attempt, DEFAULT_RETRY, lastFailure ?? { network: false }));
	}
	return outcomes;
}
