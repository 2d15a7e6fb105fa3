import type { IncomingHttpHeaders } from 'node:http';
import type { OAuthClient } from '../core/directory';
import { OAuthError } from '../core/errors';
import type { Standin } from '../core/standin';

/** OAuth client checks shared by the consent page and the token endpoint. */

/** True when `uri` is one of the client's redirect URIs; a pattern ending in `*` allows any port/path after the prefix. */
export function redirectAllowed(client: OAuthClient, uri: string): boolean {
	let target: URL;
	try {
		target = new URL(uri);
	} catch {
		return false;
	}
	if (target.username || target.password || target.hash) return false;
	return client.redirectUris.some((p) => {
		if (!p.endsWith('*')) return p === uri;
		const prefix = p.slice(0, -1);
		if (!uri.startsWith(prefix)) return false;
		const host = /^[a-z]+:\/\/([^/:]+)/i.exec(prefix)?.[1];
		return !host || target.hostname === host.replace(/^\[|\]$/g, '');
	});
}

/** Form (or JSON) body of a token-endpoint request, merged over the query string. */
export function formParams(body: Buffer, headers: IncomingHttpHeaders, query: URLSearchParams): URLSearchParams {
	const out = new URLSearchParams(query);
	const text = body.toString('utf8');
	if (!text) return out;
	if (String(headers['content-type'] ?? '').includes('application/json')) {
		try {
			for (const [k, v] of Object.entries(JSON.parse(text) as Record<string, unknown>)) out.set(k, String(v));
		} catch {
			throw new OAuthError(400, 'invalid_request', 'Invalid JSON payload received.');
		}
		return out;
	}
	for (const [k, v] of new URLSearchParams(text)) out.set(k, v);
	return out;
}

/**
 * Client authentication as Google's token endpoint does it: client_id/client_secret in the body
 * (client_secret_post) or HTTP Basic (client_secret_basic).
 */
export function authenticateClient(s: Standin, params: URLSearchParams, headers: IncomingHttpHeaders): OAuthClient {
	let id = params.get('client_id') ?? undefined;
	let secret = params.get('client_secret') ?? undefined;
	const basic = /^Basic\s+(\S+)$/i.exec(String(headers.authorization ?? ''));
	if (basic) {
		const decoded = Buffer.from(basic[1], 'base64').toString('utf8');
		const i = decoded.indexOf(':');
		id = decodeURIComponent(i < 0 ? decoded : decoded.slice(0, i));
		secret = i < 0 ? undefined : decodeURIComponent(decoded.slice(i + 1));
	}
	if (!id) throw new OAuthError(400, 'invalid_request', 'Could not determine client ID from request.');
	const client = s.directory.clients.get(id);
	if (!client) throw new OAuthError(401, 'invalid_client', 'The OAuth client was not found.');
	if (!secret) throw new OAuthError(400, 'invalid_request', 'client_secret is missing.');
	if (secret !== client.clientSecret) throw new OAuthError(401, 'invalid_client', 'Unauthorized');
	return client;
}
