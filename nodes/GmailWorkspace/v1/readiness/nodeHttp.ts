import type { IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { credentialType, type Context } from '../transport/credentials';
import { httpResponseOf } from '../transport/errors';
import { REQUEST_TIMEOUT_MS } from '../transport/retry';
import type { Http } from './readiness';

/** The readiness checks' HTTP through n8n's helpers: signed calls carry the connection's token. */
export function nodeHttp(ctx: Context): Http {
	return async (req) => {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url,
			json: true,
			timeout: REQUEST_TIMEOUT_MS,
			returnFullResponse: true,
			...(req.json ? { body: req.json } : {}),
			...(req.form
				? { body: new URLSearchParams(req.form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }
				: {}),
		};
		if (!req.signed) {
			const res = (await ctx.helpers.httpRequest({ ...options, ignoreHttpStatusErrors: true })) as { statusCode: number; body: unknown };
			return { status: res.statusCode, body: res.body };
		}
		// signed: HTTP errors are thrown, so n8n renews an expired token on a 401 and repeats the call
		try {
			const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), options)) as { statusCode: number; body: unknown };
			return { status: res.statusCode, body: res.body };
		} catch (error) {
			const answer = httpResponseOf(error);
			// no HTTP answer (network): n8n-core's NodeApiError, which wrapping hands back as it is
			if (!answer) throw new NodeApiError(ctx.getNode(), error as JsonObject);
			return { status: answer.status, body: answer.data };
		}
	};
}
