import type { IHttpRequestOptions } from 'n8n-workflow';

import { credentialType, type Context } from './credentials';
import type { Http } from './readiness';

/** The readiness checks' HTTP through n8n's helpers: signed calls carry the connection's token. */
export function nodeHttp(ctx: Context): Http {
	return async (req) => {
		const options: IHttpRequestOptions = {
			method: req.method,
			url: req.url,
			json: true,
			returnFullResponse: true,
			ignoreHttpStatusErrors: true,
			...(req.json ? { body: req.json } : {}),
			...(req.form
				? { body: new URLSearchParams(req.form).toString(), headers: { 'Content-Type': 'application/x-www-form-urlencoded' } }
				: {}),
		};
		const res = (req.signed
			? await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), options)
			: await ctx.helpers.httpRequest(options)) as { statusCode: number; body: unknown };
		return { status: res.statusCode, body: res.body };
	};
}
