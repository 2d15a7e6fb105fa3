import type { IHttpRequestOptions } from 'n8n-workflow';

import { credentialType, type Context } from '../transport/credentials';
import { apiError, httpResponseOf } from '../transport/errors';
import { REQUEST_TIMEOUT_MS, withRetries } from '../transport/retry';
import type { Http } from './readiness';

/**
 * The readiness checks' HTTP through n8n's helpers: signed calls carry the connection's token. Each request
 * has the card's deadline (its Request Timeout), so a hung Google endpoint ends the check.
 */
export function nodeHttp(ctx: Context, timeoutMs = REQUEST_TIMEOUT_MS): Http {
	return async (req) => {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url,
			json: true,
			timeout: timeoutMs,
			returnFullResponse: true,
			...(req.json ? { body: req.json } : {}),
			...(req.form
				? {
						body: new URLSearchParams(req.form).toString(),
						headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
					}
				: {}),
		};
		const what = `${req.method} ${req.url.replace(/^https:\/\//, '').replace(/\?.*$/, '')}`;
		// signed: HTTP errors are thrown, so n8n renews an expired token on a 401 and repeats the call
		const call = async () =>
			(req.signed
				? await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), options)
				: await ctx.helpers.httpRequest(options)) as { statusCode: number; body: unknown };
		let attempts = 1;
		try {
			// every check only reads or signs, so Google's transient answers (5xx, 429, reset, no answer)
			// are repeated as any card's call is: a blip must not read as "reconnect the account"
			const res = await withRetries(call, (error, made) => {
				attempts = made;
				return error as Error;
			});
			return { status: res.statusCode, body: res.body };
		} catch (error) {
			const answer = httpResponseOf(error);
			// no HTTP answer at all (hung, reset): the check cannot go on; say what did not answer
			if (!answer) throw apiError(ctx.getNode(), error, { what, timeoutMs, attempts });
			return { status: answer.status, body: answer.data };
		}
	};
}
