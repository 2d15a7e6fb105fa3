import type { INode, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { explainFailure } from '../readiness/explain';
import { describePlan, type QuotaPlan } from './quota';

/**
 * What an HTTP failure from n8n's request helpers says, whatever wraps it: n8n-core throws a
 * NodeApiError whose `cause` is the underlying axios error (status, headers, Google's JSON body).
 */
export interface HttpFailure {
	status?: number;
	/** Delay the server asked for (Retry-After), in milliseconds. */
	retryAfterMs?: number;
	/** Google's error reason, e.g. rateLimitExceeded, notFound. */
	reason?: string;
	/** Google's error message. */
	message?: string;
	/** No HTTP answer at all: reset, timeout, refused. The request may or may not have been processed. */
	network: boolean;
	/** No answer within the request's deadline (a network failure too). */
	timedOut?: boolean;
	/** Scopes Google said the call needs (WWW-Authenticate: … error="insufficient_scope", scope="…"). */
	requiredScopes?: string[];
	/** OAuth error code of a token refresh that failed (invalid_grant, invalid_rapt). */
	oauthError?: string;
}

interface Wrapped {
	httpCode?: string | null;
	statusCode?: number;
	/** n8n's OAuth2 client: the token endpoint's HTTP status (ResponseError) and its body (AuthError too). */
	status?: number;
	body?: unknown;
	code?: string;
	response?: { status?: number; headers?: Record<string, unknown>; data?: unknown; body?: unknown };
	cause?: Wrapped;
	errorResponse?: Wrapped;
}

const NETWORK_CODES = [
	'ECONNRESET',
	'ETIMEDOUT',
	'ECONNABORTED',
	'ECONNREFUSED',
	'EPIPE',
	'EAI_AGAIN',
	'ERR_SOCKET_CONNECTION_TIMEOUT',
	'UND_ERR_SOCKET',
];

function innermost(error: unknown): Wrapped[] {
	const chain: Wrapped[] = [];
	let e = error as Wrapped | undefined;
	for (let depth = 0; e && typeof e === 'object' && depth < 5; depth++) {
		chain.push(e);
		e = e.cause ?? e.errorResponse;
	}
	return chain;
}

function parseBody(data: unknown): { reason?: string; message?: string } {
	let body = data;
	if (typeof body === 'string' || body instanceof Uint8Array) {
		try {
			body = JSON.parse(typeof body === 'string' ? body : Buffer.from(body).toString('utf8'));
		} catch {
			return {};
		}
	}
	const err = (
		body as { error?: { message?: unknown; errors?: Array<{ reason?: unknown }> } } | undefined
	)?.error;
	if (!err || typeof err !== 'object') return {};
	return {
		message: typeof err.message === 'string' ? err.message : undefined,
		reason:
			typeof err.errors?.[0]?.reason === 'string' ? (err.errors[0].reason as string) : undefined,
	};
}

/**
 * The status in a Google error body ({"error": {"code": 429, ...}}) when nothing else carries it: n8n's OAuth2
 * client reports a token refresh answered that way as an AuthError with the body only.
 */
function bodyCode(body: unknown): number | undefined {
	const code = (body as { error?: { code?: unknown } } | undefined)?.error?.code;
	return typeof code === 'number' ? code : undefined;
}

/** Retry-After is seconds or an HTTP date. */
export function parseRetryAfter(value: unknown, now = Date.now()): number | undefined {
	if (typeof value !== 'string' && typeof value !== 'number') return undefined;
	const seconds = Number(value);
	if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
	const at = Date.parse(String(value));
	return Number.isFinite(at) ? Math.max(0, at - now) : undefined;
}

/** The HTTP answer inside a failed request's error (status, headers, body), if there was one. */
export function httpResponseOf(
	error: unknown,
): { status: number; headers: Record<string, unknown>; data: unknown } | undefined {
	const r = innermost(error).find((e) => e.response?.status)?.response;
	return r ? { status: r.status!, headers: r.headers ?? {}, data: r.data ?? r.body } : undefined;
}

export function describeFailure(error: unknown): HttpFailure {
	const chain = innermost(error);
	const withResponse = chain.find((e) => e.response?.status);
	const status =
		withResponse?.response?.status ??
		chain
			.map((e) => {
				const n = e.statusCode ?? (typeof e.status === 'number' ? e.status : Number(e.httpCode));
				return Number.isFinite(n) ? n : bodyCode(e.body);
			})
			.find((n) => Number.isInteger(n) && n! >= 100);
	const headers = withResponse?.response?.headers ?? {};
	const retryAfterHeader = Object.entries(headers).find(
		([k]) => k.toLowerCase() === 'retry-after',
	)?.[1];
	const { reason, message } = parseBody(
		withResponse?.response?.data ?? withResponse?.response?.body,
	);
	const network = !status && chain.some((e) => !!e.code && NETWORK_CODES.includes(e.code));
	const timedOut =
		network &&
		chain.some(
			(e) =>
				e.code === 'ETIMEDOUT' ||
				(e.code === 'ECONNABORTED' && /timeout/i.test(String((e as { message?: string }).message))),
		);
	const authenticate = String(
		Object.entries(headers).find(([k]) => k.toLowerCase() === 'www-authenticate')?.[1] ?? '',
	);
	const scopes = /insufficient_scope/.test(authenticate)
		? /scope="([^"]*)"/.exec(authenticate)?.[1]
		: undefined;
	const text = chain
		.map(
			(e) =>
				`${(e as { message?: string }).message ?? ''} ${JSON.stringify(e.response?.data ?? '')}`,
		)
		.join(' ');
	// n8n-core reports every refused refresh (invalid_grant, incl. its invalid_rapt subtype) as "needs to be reconnected"
	const oauthError = /invalid_rapt/.test(text)
		? 'invalid_rapt'
		: /invalid_grant|needs to be reconnected/.test(text)
			? 'invalid_grant'
			: undefined;
	return {
		status,
		retryAfterMs: parseRetryAfter(retryAfterHeader),
		reason,
		message,
		network,
		...(timedOut ? { timedOut } : {}),
		...(scopes ? { requiredScopes: scopes.split(' ').filter(Boolean) } : {}),
		...(oauthError ? { oauthError } : {}),
	};
}

/**
 * The error to wrap in our own NodeApiError: n8n-core already throws a NodeApiError, and wrapping one
 * again hands back the original (our message would be lost), so wrap its cause, the HTTP error itself.
 */
export function rewrappable(error: unknown): object {
	const e = error as { name?: string; cause?: unknown; constructor?: { name?: string } };
	const isNodeApiError = e?.constructor?.name === 'NodeApiError';
	return (isNodeApiError && e.cause instanceof Error ? e.cause : error) as object;
}

const RATE_LIMIT_REASONS = [
	'rateLimitExceeded',
	'userRateLimitExceeded',
	'concurrentLimitExceeded',
];

/** Google refused the call for a rate limit (it was not processed). */
export function isRateLimit(f: HttpFailure): boolean {
	return (
		f.status === 429 || (f.status === 403 && !!f.reason && RATE_LIMIT_REASONS.includes(f.reason))
	);
}

/** Failures that Google asks clients to retry with backoff: 429, rate-limit 403s, 5xx. */
export function isRetryable(f: HttpFailure): boolean {
	if (f.status === 429 || (f.status !== undefined && f.status >= 500)) return true;
	return f.status === 403 && !!f.reason && RATE_LIMIT_REASONS.includes(f.reason);
}

export interface FailureContext {
	/** What was being done, for the fallback message: "GET gmail/v1/users/me/messages". */
	what: string;
	itemIndex?: number;
	/** The request's deadline, to say how long we waited. */
	timeoutMs?: number;
	/** Attempts made in all. */
	attempts?: number;
	/** Words before the explanation, e.g. "Gmail did not send the message". */
	prefix?: string;
	/** The whole message, when the caller has better words; the explanation then goes to the description. */
	message?: string;
	/** The credential's quota tier, named when Google's rate limits outlasted the retries. */
	quota?: QuotaPlan;
}

/** Google's rate limit outlasted the retries: which quota, which tier is set, and how to raise it. */
function rateLimitAdvice(f: HttpFailure, c: FailureContext): string {
	const which =
		f.reason === 'userRateLimitExceeded'
			? "the mailbox's per-user quota"
			: f.reason === 'rateLimitExceeded'
				? "the Cloud project's quota"
				: f.reason === 'dailyLimitExceeded'
					? "the Cloud project's daily quota"
					: "Gmail's rate limit";
	const tier = c.quota ? ` The credential's "Gmail API Quota" is ${describePlan(c.quota)}.` : '';
	return `Google still refused ${c.what} for ${which}${f.reason ? ` (${f.reason})` : ''} after ${c.attempts ?? 1} attempts.${tier} To go faster, ask Google for a higher Gmail API quota (Cloud console → IAM & Admin → Quotas) and set "Custom" with the new figures in the credential; otherwise run fewer messages at a time.`;
}

/**
 * The one factory of the package's NodeApiError: Google's failure in words a user can act on (the
 * missing scope, reconnect, the deadline that passed), Google's own message otherwise.
 */
export function apiError(node: INode, error: unknown, c: FailureContext): NodeApiError {
	const f =
		error instanceof Error || (error as HttpFailure)?.network === undefined
			? describeFailure(error)
			: (error as HttpFailure);
	const tries = c.attempts && c.attempts > 1 ? ` (${c.attempts} attempts)` : '';
	const why =
		explainFailure(f) ??
		(isRateLimit(f)
			? rateLimitAdvice(f, c)
			: f.timedOut
				? `Google did not answer ${c.what} within ${formatSeconds(c.timeoutMs)}${tries}. Try again later, or raise "Request Timeout" in the card's Request Options.`
				: f.network && !f.message
					? `The connection to Google broke during ${c.what}${tries}. Try again later.`
					: f.message);
	const said =
		c.message ??
		(c.prefix
			? why
				? `${c.prefix}: ${why}`
				: c.prefix
			: (why ?? `Gmail API call ${c.what} failed`));
	// the item, as paramError words it: a failure of one item among many names it
	const message =
		c.itemIndex === undefined || /\[item \d+\]$/.test(said)
			? said
			: `${said} [item ${c.itemIndex}]`;
	// n8n replaces the message of an error carrying a network code (ECONNABORTED…) with its own generic one
	const cause = error instanceof Error && !f.network ? rewrappable(error) : { message };
	const description = c.message && why !== c.message ? why : undefined;
	return new NodeApiError(node, cause as JsonObject, {
		message,
		description,
		httpCode: f.status ? String(f.status) : undefined,
		itemIndex: c.itemIndex,
	});
}

const formatSeconds = (ms?: number) =>
	ms === undefined ? 'the time allowed' : `${Math.round(ms / 100) / 10} s`;

/** A call's value or its failure (the transport's NodeApiError), for callers that act on some failures. */
export async function settle<T>(
	run: () => Promise<T>,
): Promise<{ value: T } | { failure: unknown }> {
	try {
		return { value: await run() };
	} catch (failure) {
		return { failure };
	}
}
