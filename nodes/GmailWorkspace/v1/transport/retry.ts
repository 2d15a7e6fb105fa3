import { sleep } from 'n8n-workflow';

import { describeFailure, isRateLimit, isRetryable, type HttpFailure } from './errors';

export interface RetryPolicy {
	/** Attempts in all, the first included. */
	maxAttempts: number;
	baseDelayMs: number;
	maxDelayMs: number;
	/**
	 * A request that changes state (send) may have been processed when no answer came back (reset,
	 * timeout) or a 5xx came after the upload. Such requests are retried only when this says so,
	 * e.g. after checking that the message did not arrive. Idempotent requests omit it.
	 */
	safeToRetry?: (failure: HttpFailure) => Promise<boolean>;
	/** Called on every rate-limit answer (429, rate-limit 403), before the backoff: the pacer learns from it. */
	onRateLimited?: (failure: HttpFailure) => void;
	/** Called once when Google answers 401; the request is then repeated (e.g. with a fresh token). */
	onUnauthorized?: () => void | Promise<void>;
}

export const DEFAULT_RETRY: RetryPolicy = { maxAttempts: 6, baseDelayMs: 500, maxDelayMs: 32_000 };

/** The deadline of one request when the card sets none (its Request Timeout option). */
export const REQUEST_TIMEOUT_MS = 60_000;
const MAX_TIMEOUT_MS = 3_600_000;

/**
 * A deadline n8n's request helper can take: a whole number of milliseconds from 1 to an hour. Anything
 * else (negative, zero, NaN, huge) would make the socket's timer throw from a callback, where no one catches it.
 */
export function clampTimeoutMs(ms: unknown): number {
	const n = typeof ms === 'number' && Number.isFinite(ms) ? Math.round(ms) : REQUEST_TIMEOUT_MS;
	return Math.min(MAX_TIMEOUT_MS, Math.max(1, n));
}

/** Exponential backoff with full jitter, or the server's Retry-After when it gave one. */
export function backoffMs(
	attempt: number,
	policy: RetryPolicy,
	failure: HttpFailure,
	random = Math.random,
) {
	if (failure.retryAfterMs !== undefined)
		return Math.min(failure.retryAfterMs, policy.maxDelayMs) + random() * 250;
	const cap = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
	return cap / 2 + random() * (cap / 2);
}

/**
 * Run `call`, retrying Google's transient failures (429, rate-limit 403, 5xx, network) with backoff.
 * A failure that is final goes through `toError` (the caller's NodeApiError), with the attempts made.
 */
export async function withRetries<T>(
	call: () => Promise<T>,
	toError: (error: unknown, attempts: number) => Error,
	policy: RetryPolicy = DEFAULT_RETRY,
): Promise<T> {
	let refreshed = false;
	for (let attempt = 1; ; attempt++) {
		try {
			return await call();
		} catch (error) {
			const failure = describeFailure(error);
			if (failure.status === 401 && policy.onUnauthorized && !refreshed) {
				refreshed = true;
				await policy.onUnauthorized();
				continue;
			}
			const transient = isRetryable(failure) || failure.network;
			// a rate-limit answer means the request was refused, so repeating it is always safe; anything
			// else may have been processed: the policy decides (after the backoff, so the lookup sees it)
			const refused = isRateLimit(failure);
			if (refused) policy.onRateLimited?.(failure);
			if (!transient || attempt >= policy.maxAttempts) throw toError(error, attempt);
			await sleep(backoffMs(attempt, policy, failure));
			if (!refused && policy.safeToRetry && !(await policy.safeToRetry(failure)))
				throw toError(error, attempt);
		}
	}
}
