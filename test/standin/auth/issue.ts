import { createHash } from 'node:crypto';
import type { Standin } from '../core/standin';
import type { TokenRecord } from '../core/tokens';
import { googleSigningKey, googleUserId, signRs256 } from './jwt';
import { SCOPE, hasScope } from './scopes';
import { authState } from './state';

export const GOOGLE_ISSUER = 'https://accounts.google.com';

/** Google's token response ({access_token, expires_in, refresh_token?, scope, token_type, id_token?}). */
export interface TokenResponse {
	access_token: string;
	expires_in: number;
	refresh_token?: string;
	scope?: string;
	token_type: 'Bearer';
	id_token?: string;
}

export const expiresIn = (s: Standin, rec: TokenRecord) => Math.max(0, Math.round((rec.expiresAt - s.tokens.now()) / 1000));

/** An OpenID Connect ID token as Google mints it: RS256 by "Google"'s key, with hd for Workspace accounts. */
export function idToken(s: Standin, opts: { email: string; clientId: string; scopes: string[]; accessToken?: string; nonce?: string }): string {
	const user = s.directory.user(opts.email);
	const now = Math.floor(s.tokens.now() / 1000);
	const claims: Record<string, unknown> = {
		iss: GOOGLE_ISSUER,
		azp: opts.clientId,
		aud: opts.clientId,
		sub: googleUserId(opts.email),
	};
	if (user?.hostedDomain) claims.hd = user.hostedDomain;
	if (hasScope(opts.scopes, SCOPE.email)) Object.assign(claims, { email: opts.email, email_verified: true });
	if (opts.accessToken) {
		const h = createHash('sha256').update(opts.accessToken).digest();
		claims.at_hash = h.subarray(0, 16).toString('base64url');
	}
	if (hasScope(opts.scopes, SCOPE.profile) && user) {
		const [given, ...rest] = user.name.split(' ');
		Object.assign(claims, { name: user.name, given_name: given, family_name: rest.join(' ') || undefined });
	}
	if (opts.nonce) claims.nonce = opts.nonce;
	Object.assign(claims, { iat: now, exp: now + 3600 });
	const k = googleSigningKey();
	return signRs256(claims, k.privateKey, k.kid);
}

/** Issue a user's access token (and a refresh token for offline access) and build Google's token response. */
export function issueUserTokens(
	s: Standin,
	opts: { email: string; scopes: string[]; clientId: string; accessType: 'online' | 'offline'; refreshToken?: string; newRefresh?: boolean; nonce?: string },
): TokenResponse {
	const at = s.tokens.issueAccess({ email: opts.email, scopes: opts.scopes, kind: 'user', clientId: opts.clientId });
	let refresh = opts.refreshToken;
	if (opts.newRefresh) refresh = s.tokens.issueRefresh(opts.email, opts.scopes, opts.clientId).refreshToken;
	authState(s).grants.set(at.accessToken, { accessType: refresh ? 'offline' : opts.accessType, refreshToken: refresh });
	const body: TokenResponse = {
		access_token: at.accessToken,
		expires_in: expiresIn(s, at),
		...(opts.newRefresh && refresh ? { refresh_token: refresh } : {}),
		scope: opts.scopes.join(' '),
		token_type: 'Bearer',
	};
	if (opts.scopes.includes(SCOPE.openid)) {
		body.id_token = idToken(s, { email: opts.email, clientId: opts.clientId, scopes: opts.scopes, accessToken: at.accessToken, nonce: opts.nonce });
	}
	return body;
}
