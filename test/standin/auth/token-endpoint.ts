import { createHash } from 'node:crypto';
import { OAuthError } from '../core/errors';
import type { Ctx, Route, Standin } from '../core/standin';
import type { TokenRecord } from '../core/tokens';
import { authenticateClient, formParams } from './clients';
import { expiresIn, issueUserTokens } from './issue';
import { decodeJwt, googleSigningKey, googleUserId, verifyRs256 } from './jwt';
import { jwtBearerGrant } from './jwt-bearer';
import { SCOPE, hasScope, parseScopes } from './scopes';
import { authState } from './state';

/**
 * oauth2.googleapis.com: POST /token (authorization_code, refresh_token, jwt-bearer), /tokeninfo, /revoke.
 * Errors use the token endpoint's flat {error, error_description} shape.
 * https://developers.google.com/identity/protocols/oauth2/web-server#exchange-authorization-code
 */

const JWT_BEARER = 'urn:ietf:params:oauth:grant-type:jwt-bearer';
export const REVOKED = 'Token has been expired or revoked.';

/** Google's reauth error: the refresh token works again only after the user signs in again (Workspace reauth policy). */
export class ReauthError extends OAuthError {
	constructor() {
		super(400, 'invalid_grant', 'reauth related error (invalid_rapt)', 'invalid_rapt');
	}
	override body() {
		return { ...super.body(), error_uri: 'https://support.google.com/a/answer/9368756' };
	}
}

function authorizationCodeGrant(s: Standin, ctx: Ctx, p: URLSearchParams) {
	const client = authenticateClient(s, p, ctx.headers);
	const code = p.get('code');
	if (!code) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: code');
	if (!code.startsWith('4/')) throw new OAuthError(400, 'invalid_grant', 'Malformed auth code.');
	const rec = authState(s).codes.get(code);
	if (!rec || rec.used || rec.expiresAt <= s.tokens.now() || rec.clientId !== client.clientId) {
		if (rec) rec.used = true; // a replayed code is burnt, as with Google
		throw new OAuthError(400, 'invalid_grant', 'Bad Request');
	}
	if ((p.get('redirect_uri') ?? '') !== rec.redirectUri) throw new OAuthError(400, 'redirect_uri_mismatch', 'Bad Request');
	if (rec.codeChallenge) {
		const verifier = p.get('code_verifier');
		if (!verifier) throw new OAuthError(400, 'invalid_grant', 'Missing code verifier.');
		const derived = rec.codeChallengeMethod === 'plain' ? verifier : createHash('sha256').update(verifier).digest('base64url');
		if (derived !== rec.codeChallenge) throw new OAuthError(400, 'invalid_grant', 'Invalid code verifier.');
	}
	rec.used = true;
	return issueUserTokens(s, {
		email: rec.email,
		scopes: rec.scopes,
		clientId: client.clientId,
		accessType: rec.accessType,
		newRefresh: rec.accessType === 'offline',
		nonce: rec.nonce,
	});
}

function refreshTokenGrant(s: Standin, ctx: Ctx, p: URLSearchParams) {
	const client = authenticateClient(s, p, ctx.headers);
	const token = p.get('refresh_token');
	if (!token) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: refresh_token');
	const rec = s.tokens.refresh.get(token);
	if (!rec || rec.revoked === 'revoked') throw new OAuthError(400, 'invalid_grant', REVOKED);
	if (rec.clientId !== client.clientId) throw new OAuthError(401, 'unauthorized_client', 'Unauthorized');
	if (rec.revoked === 'rapt') throw new ReauthError();
	let scopes = rec.scopes;
	if (p.get('scope')) {
		scopes = parseScopes(p.get('scope'));
		if (!scopes.every((x) => rec.scopes.includes(x))) throw new OAuthError(400, 'invalid_scope', 'Bad Request');
	}
	return issueUserTokens(s, { email: rec.email, scopes, clientId: client.clientId, accessType: 'offline', refreshToken: token });
}

/** The access token a tokeninfo/userinfo request names: ?access_token=, form body, or Authorization: Bearer. */
export function presentedToken(ctx: Ctx): string | undefined {
	const p = formParams(ctx.body, ctx.headers, ctx.query);
	const bearer = /^Bearer\s+(\S+)$/i.exec(String(ctx.headers.authorization ?? ''))?.[1];
	return p.get('access_token') ?? bearer ?? undefined;
}

/** tokeninfo as oauth2.googleapis.com/tokeninfo (and www.googleapis.com/oauth2/v3/tokeninfo) answer it: numbers as strings. */
export function tokenInfoBody(s: Standin, rec: TokenRecord) {
	const grant = authState(s).grants.get(rec.accessToken);
	const identity = hasScope(rec.scopes, SCOPE.openid, SCOPE.email, SCOPE.profile);
	return {
		azp: rec.clientId,
		aud: rec.clientId,
		...(identity ? { sub: rec.kind === 'service-account' ? s.directory.serviceAccounts.get(rec.email)?.uniqueId ?? googleUserId(rec.email) : googleUserId(rec.email) } : {}),
		scope: rec.scopes.join(' '),
		exp: String(Math.floor(rec.expiresAt / 1000)),
		expires_in: String(expiresIn(s, rec)),
		...(hasScope(rec.scopes, SCOPE.email) ? { email: rec.email, email_verified: 'true' } : {}),
		access_type: grant?.accessType ?? 'online',
	};
}

export const invalidToken = () => new OAuthError(400, 'invalid_token', 'Invalid Value');

/** tokeninfo?id_token=: the verified claims with Google's string rendering of numbers and booleans, plus the header. */
function idTokenInfo(s: Standin, jwt: string) {
	const d = decodeJwt(jwt);
	const k = googleSigningKey();
	if (!d || d.header.kid !== k.kid || !verifyRs256(d, k.publicKey)) throw invalidToken();
	if (Number(d.claims.exp) * 1000 <= s.tokens.now()) throw invalidToken();
	const out: Record<string, string> = {};
	for (const [key, v] of Object.entries(d.claims)) out[key] = typeof v === 'string' ? v : JSON.stringify(v);
	return { ...out, alg: d.header.alg, kid: d.header.kid, typ: d.header.typ ?? 'JWT' };
}

function revoke(s: Standin, token: string | null) {
	if (!token) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: token');
	const grants = authState(s).grants;
	let refresh: string | undefined;
	if (s.tokens.refresh.has(token)) refresh = token;
	else if (s.tokens.lookup(token)) refresh = grants.get(token)?.refreshToken;
	else throw new OAuthError(400, 'invalid_token', 'Token expired or revoked');
	// Google revokes the whole grant: the refresh token and every access token minted from it.
	const access = s.tokens.access.get(token);
	if (access) access.expiresAt = s.tokens.now() - 1;
	if (refresh) {
		const r = s.tokens.refresh.get(refresh);
		if (r) r.revoked = 'revoked';
		for (const [at, g] of grants) {
			const rec = s.tokens.access.get(at);
			if (g.refreshToken === refresh && rec) rec.expiresAt = s.tokens.now() - 1;
		}
	}
}

export function tokenEndpointRoutes(s: Standin): Route[] {
	const host = 'oauth2.googleapis.com' as const;
	const tokeninfo = (ctx: Ctx) => {
		const idt = formParams(ctx.body, ctx.headers, ctx.query).get('id_token');
		if (idt) return { body: idTokenInfo(s, idt) };
		const token = presentedToken(ctx);
		const rec = token ? s.tokens.lookup(token) : undefined;
		if (!rec) throw invalidToken();
		return { body: tokenInfoBody(s, rec) };
	};
	return [
		{
			id: 'oauth2.token',
			host,
			method: 'POST',
			paths: ['/token'],
			auth: 'none',
			handler(ctx) {
				const p = formParams(ctx.body, ctx.headers, new URLSearchParams());
				const grantType = p.get('grant_type') ?? '';
				// the request log says which grant it was (queue-mode tests count refreshes)
				ctx.note({ grantType });
				const body =
					grantType === 'authorization_code'
						? authorizationCodeGrant(s, ctx, p)
						: grantType === 'refresh_token'
							? refreshTokenGrant(s, ctx, p)
							: grantType === JWT_BEARER
								? jwtBearerGrant(s, p.get('assertion'))
								: (() => {
										throw new OAuthError(400, 'unsupported_grant_type', `Invalid grant_type: ${grantType}`);
									})();
				return { headers: { 'cache-control': 'no-cache, no-store, max-age=0, must-revalidate', pragma: 'no-cache' }, body };
			},
		},
		{ id: 'oauth2.tokeninfo', host, method: 'GET', paths: ['/tokeninfo'], auth: 'none', handler: tokeninfo },
		{ id: 'oauth2.tokeninfo.post', host, method: 'POST', paths: ['/tokeninfo'], auth: 'none', handler: tokeninfo },
		{
			id: 'oauth2.revoke',
			host,
			method: 'POST',
			paths: ['/revoke'],
			auth: 'none',
			handler(ctx) {
				revoke(s, formParams(ctx.body, ctx.headers, ctx.query).get('token'));
				return { body: {} };
			},
		},
	];
}

