import { createPublicKey } from 'node:crypto';
import type { Ctx, Route, Standin } from '../core/standin';
import type { TokenRecord } from '../core/tokens';
import { expiresIn } from './issue';
import { googleSigningKey, googleUserId, publicJwk } from './jwt';
import { IDENTITY_SCOPES, SCOPE, hasScope } from './scopes';
import { authState } from './state';
import { invalidToken, presentedToken, tokenInfoBody } from './token-endpoint';

/**
 * www.googleapis.com identity endpoints: userinfo v2/v3 (fields depend on the granted email/profile scopes),
 * legacy tokeninfo v1/v2/v3 and the ID-token signing certs (v1 PEM, v3 JWK).
 * https://developers.google.com/identity/openid-connect/openid-connect#obtaininguserprofileinformation
 */

function profile(s: Standin, rec: TokenRecord) {
	const user = s.directory.user(rec.email);
	const sa = s.directory.serviceAccounts.get(rec.email);
	const name = user?.name ?? sa?.displayName ?? rec.email;
	const [given, ...rest] = name.split(' ');
	return {
		id: sa?.uniqueId ?? googleUserId(rec.email),
		email: rec.email,
		name,
		given: given,
		family: rest.join(' ') || undefined,
		picture: `https://lh3.googleusercontent.com/a/standin-${googleUserId(rec.email)}=s96-c`,
		hd: user?.hostedDomain,
		withEmail: hasScope(rec.scopes, SCOPE.email),
		withProfile: hasScope(rec.scopes, SCOPE.profile),
	};
}

/** OpenID Connect userinfo (v3): sub, name, given_name, family_name, picture, email, email_verified, hd. */
function userinfoV3(s: Standin, rec: TokenRecord) {
	const p = profile(s, rec);
	return {
		sub: p.id,
		...(p.withProfile ? { name: p.name, given_name: p.given, family_name: p.family, picture: p.picture } : {}),
		...(p.withEmail ? { email: p.email, email_verified: true } : {}),
		...(p.hd ? { hd: p.hd } : {}),
	};
}

/** OAuth2 v2 userinfo: id, email, verified_email, name, given_name, family_name, picture, hd. */
function userinfoV2(s: Standin, rec: TokenRecord) {
	const p = profile(s, rec);
	return {
		id: p.id,
		...(p.withEmail ? { email: p.email, verified_email: true } : {}),
		...(p.withProfile ? { name: p.name, given_name: p.given, family_name: p.family, picture: p.picture } : {}),
		...(p.hd ? { hd: p.hd } : {}),
	};
}

/** Legacy tokeninfo (www.googleapis.com/oauth2/v1|v2/tokeninfo): issued_to, audience, user_id, scope, expires_in, email, verified_email, access_type. */
function legacyTokenInfo(s: Standin, rec: TokenRecord) {
	const withEmail = hasScope(rec.scopes, SCOPE.email);
	return {
		issued_to: rec.clientId,
		audience: rec.clientId,
		...(hasScope(rec.scopes, ...IDENTITY_SCOPES) ? { user_id: googleUserId(rec.email) } : {}),
		scope: rec.scopes.join(' '),
		expires_in: expiresIn(s, rec),
		...(withEmail ? { email: rec.email, verified_email: true } : {}),
		access_type: authState(s).grants.get(rec.accessToken)?.accessType ?? 'online',
	};
}

export function userinfoRoutes(s: Standin): Route[] {
	const host = 'www.googleapis.com' as const;
	const scopes = [...IDENTITY_SCOPES];
	const lookup = (ctx: Ctx) => {
		const token = presentedToken(ctx);
		const rec = token ? s.tokens.lookup(token) : undefined;
		if (!rec) throw invalidToken();
		return rec;
	};
	const certsHeaders = { 'cache-control': 'public, max-age=21600, must-revalidate, no-transform' };
	const routes: Route[] = [
		{ id: 'oauth2.userinfo.v3', host, method: 'GET', paths: ['/oauth2/v3/userinfo'], scopes, handler: (ctx) => ({ body: userinfoV3(s, ctx.token!) }) },
		{ id: 'oauth2.userinfo.v2', host, method: 'GET', paths: ['/oauth2/v2/userinfo'], scopes, handler: (ctx) => ({ body: userinfoV2(s, ctx.token!) }) },
		{
			id: 'oauth2.certs.v1',
			host,
			method: 'GET',
			paths: ['/oauth2/v1/certs'],
			auth: 'none',
			handler() {
				const k = googleSigningKey();
				return { headers: certsHeaders, body: { [k.kid]: createPublicKey(k.privateKey).export({ type: 'spki', format: 'pem' }).toString() } };
			},
		},
		{
			id: 'oauth2.certs.v3',
			host,
			method: 'GET',
			paths: ['/oauth2/v3/certs'],
			auth: 'none',
			handler() {
				const k = googleSigningKey();
				return { headers: certsHeaders, body: { keys: [publicJwk(k.publicKey, k.kid)] } };
			},
		},
	];
	for (const method of ['GET', 'POST']) {
		routes.push(
			{ id: `oauth2.tokeninfo.v3.${method}`, host, method, paths: ['/oauth2/v3/tokeninfo'], auth: 'none', handler: (ctx) => ({ body: tokenInfoBody(s, lookup(ctx)) }) },
			{ id: `oauth2.tokeninfo.legacy.${method}`, host, method, paths: ['/oauth2/v1/tokeninfo', '/oauth2/v2/tokeninfo'], auth: 'none', handler: (ctx) => ({ body: legacyTokenInfo(s, lookup(ctx)) }) },
		);
	}
	return routes;
}

