import { createSign } from 'node:crypto';

import type { IHttpRequestHelper } from 'n8n-workflow';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The claims Google's token endpoint expects in a service-account assertion (RFC 7523). */
export function assertionClaims(serviceAccount: string, subject: string | undefined, scopes: string[], nowSeconds = Math.floor(Date.now() / 1000)) {
	return {
		iss: serviceAccount,
		...(subject ? { sub: subject } : {}),
		scope: scopes.join(' '),
		aud: GOOGLE_TOKEN_URL,
		iat: nowSeconds,
		exp: nowSeconds + 3600,
	};
}

/** Sign claims with a service account's private key (RS256), as Google's client libraries do. */
export function signJwt(claims: object, privateKeyPem: string, keyId?: string): string {
	const header = { alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) };
	const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const input = `${enc(header)}.${enc(claims)}`;
	const signature = createSign('RSA-SHA256').update(input).sign(privateKeyPem.replace(/\\n/g, '\n'));
	return `${input}.${signature.toString('base64url')}`;
}

/** POST a grant to Google's token endpoint (form-encoded) and return the access token it issues. */
export async function requestGoogleToken(ctx: IHttpRequestHelper, form: Record<string, string>): Promise<string> {
	const { access_token } = (await ctx.helpers.httpRequest({
		method: 'POST',
		url: GOOGLE_TOKEN_URL,
		headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
		body: new URLSearchParams(form).toString(),
		json: true,
	})) as { access_token: string };
	return access_token;
}
