import { NodeApiError, type INode, type JsonObject } from 'n8n-workflow';
import { describeFailure, isRetryable, parseRetryAfter } from '../../nodes/GmailWorkspace/v1/transport/errors';

const node: INode = { id: '1', name: 'Gmail Workspace', type: 'n8n-nodes-gmail-workspace.gmailWorkspace', typeVersion: 1, position: [0, 0], parameters: {} };

/** The shape axios gives n8n-core for an HTTP error answer. */
function axiosError(status: number, data: unknown, headers: Record<string, string> = {}) {
	const e = new Error(`Request failed with status code ${status}`) as Error & Record<string, unknown>;
	Object.assign(e, { isAxiosError: true, response: { status, headers, data } });
	return e;
}

describe('describeFailure', () => {
	it('reads status, Retry-After and Google reason through the NodeApiError n8n-core throws', () => {
		const google = { error: { code: 429, message: 'User-rate limit exceeded.', errors: [{ reason: 'rateLimitExceeded', domain: 'usageLimits', message: 'x' }], status: 'RESOURCE_EXHAUSTED' } };
		const err = new NodeApiError(node, axiosError(429, google, { 'Retry-After': '3' }) as unknown as JsonObject);
		const f = describeFailure(err);
		expect(f).toMatchObject({ status: 429, retryAfterMs: 3000, reason: 'rateLimitExceeded', message: 'User-rate limit exceeded.', network: false });
		expect(isRetryable(f)).toBe(true);
	});

	it('classifies Google answers', () => {
		const f = (status: number, reason?: string) =>
			isRetryable(describeFailure(axiosError(status, reason ? { error: { message: 'm', errors: [{ reason }] } } : '')));
		expect(f(503)).toBe(true);
		expect(f(500)).toBe(true);
		expect(f(403, 'userRateLimitExceeded')).toBe(true);
		expect(f(403, 'insufficientPermissions')).toBe(false);
		expect(f(404, 'notFound')).toBe(false);
		expect(f(400, 'invalidArgument')).toBe(false);
	});

	it("reads the status of a token refresh Google answered 5xx or 429, as n8n's OAuth2 client reports it, so it is retried", () => {
		// @n8n/client-oauth2: a 4xx body whose `error` is not a string becomes AuthError("[object Object]", body); a 5xx a ResponseError with status
		const authError = Object.assign(new Error('[object Object]'), { code: 'EAUTH', body: { error: { code: 429, message: 'Resource has been exhausted', status: 'RESOURCE_EXHAUSTED' } } });
		const responseError = Object.assign(new Error('HTTP status 503'), { code: 'ESTATUS', status: 503, body: '' });
		for (const [raw, status] of [[authError, 429], [responseError, 503]] as const) {
			const f = describeFailure(new NodeApiError(node, raw as unknown as JsonObject));
			expect([f.status, isRetryable(f)]).toEqual([status, true]);
		}
		// an OAuth error body (invalid_grant) carries no HTTP status of its own: not retried, it says reconnect
		const revoked = Object.assign(new Error('invalid_grant'), { code: 'EAUTH', body: { error: 'invalid_grant' } });
		expect(describeFailure(new NodeApiError(node, revoked as unknown as JsonObject)).status).toBeUndefined();
	});

	it('recognises a connection reset as a network failure without a status', () => {
		const reset = Object.assign(new Error('socket hang up'), { code: 'ECONNRESET' });
		const f = describeFailure(new NodeApiError(node, reset as unknown as JsonObject));
		expect(f.status).toBeUndefined();
		expect(f.network).toBe(true);
	});

	it('parses Retry-After as seconds or an HTTP date', () => {
		expect(parseRetryAfter('2')).toBe(2000);
		expect(parseRetryAfter(new Date(10_000 + 5000).toUTCString(), 10_000)).toBe(5000);
		expect(parseRetryAfter('soon')).toBeUndefined();
	});
});
