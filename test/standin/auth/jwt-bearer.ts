import type { ServiceAccount } from '../core/directory';
import { OAuthError } from '../core/errors';
import type { Standin } from '../core/standin';
import { expiresIn, idToken, type TokenResponse } from './issue';
import { decodeJwt, verifyRs256 } from './jwt';
import { parseScopes, unknownScopes } from './scopes';
import { authState } from './state';

/**
 * grant_type=urn:ietf:params:oauth:grant-type:jwt-bearer: a service account's RS256 assertion
 * (signed with its key file, or by IAM Credentials signJwt), with `sub` for domain-wide delegation.
 * https://developers.google.com/identity/protocols/oauth2/service-account#httprest
 */

/** Audiences Google accepts in the assertion. */
export const TOKEN_AUDIENCES = [
	'https://oauth2.googleapis.com/token',
	'https://www.googleapis.com/oauth2/v4/token',
	'https://accounts.google.com/o/oauth2/token',
];

export const UNAUTHORIZED_CLIENT =
	'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.';
const SHORT_LIVED =
	'Invalid JWT: Token must be a short-lived token (60 minutes) and in a reasonable timeframe. Check your iat and exp values in the JWT claim.';

const grantError = (description: string) => new OAuthError(400, 'invalid_grant', description);

export function jwtBearerGrant(s: Standin, assertion: string | null): TokenResponse | { id_token: string } {
	if (!assertion) throw new OAuthError(400, 'invalid_request', 'Missing required parameter: assertion');
	const jwt = decodeJwt(assertion);
	if (!jwt) throw grantError('Invalid JWT: Unable to parse the JWT.');
	const c = jwt.claims;
	const iss = typeof c.iss === 'string' ? c.iss.toLowerCase() : '';
	const sa: ServiceAccount | undefined =
		s.directory.serviceAccounts.get(iss) ?? [...s.directory.serviceAccounts.values()].find((x) => x.uniqueId === iss);
	if (!sa) throw grantError('Invalid grant: account not found');
	if (jwt.header.kid !== undefined && jwt.header.kid !== sa.privateKeyId) throw grantError('Invalid JWT Signature.');
	if (!verifyRs256(jwt, sa.publicKey)) throw grantError('Invalid JWT Signature.');
	if (typeof c.aud !== 'string' || !TOKEN_AUDIENCES.includes(c.aud)) {
		throw grantError(`Invalid JWT: Failed audience check. The right audience is ${TOKEN_AUDIENCES[0]}`);
	}
	const now = Math.floor(s.tokens.now() / 1000);
	const iat = Number(c.iat);
	const exp = Number(c.exp);
	if (!Number.isFinite(iat) || !Number.isFinite(exp) || exp <= now || iat > now + 300 || exp - iat > 3600 || exp <= iat) {
		throw grantError(SHORT_LIVED);
	}

	const scopes = parseScopes(typeof c.scope === 'string' ? c.scope : '');
	const targetAudience = typeof c.target_audience === 'string' ? c.target_audience : undefined;
	if (targetAudience && !c.sub) {
		// ID token for the service account itself (Cloud Run/IAP style).
		return { id_token: idToken(s, { email: sa.email, clientId: targetAudience, scopes: ['openid', 'email'] }) };
	}
	if (!scopes.length || unknownScopes(scopes).length) {
		throw new OAuthError(400, 'invalid_scope', 'Invalid OAuth scope or ID token audience provided.');
	}

	if (c.sub === undefined || c.sub === sa.email) {
		const at = s.tokens.issueAccess({ email: sa.email, scopes, kind: 'service-account', clientId: sa.uniqueId, serviceAccount: sa.email });
		authState(s).grants.set(at.accessToken, { accessType: 'online' });
		return { access_token: at.accessToken, expires_in: expiresIn(s, at), token_type: 'Bearer' };
	}
	const sub = String(c.sub).toLowerCase();
	const user = s.directory.user(sub);
	if (!user) throw grantError('Invalid email or User ID');
	const dwd = sa.domainWideDelegation.find((d) => d.domain === user.hostedDomain);
	if (!dwd || !scopes.every((x) => dwd.scopes.includes(x))) throw new OAuthError(401, 'unauthorized_client', UNAUTHORIZED_CLIENT);
	const at = s.tokens.issueAccess({ email: sub, scopes, kind: 'dwd', clientId: sa.uniqueId, serviceAccount: sa.email });
	authState(s).grants.set(at.accessToken, { accessType: 'online' });
	return { access_token: at.accessToken, expires_in: expiresIn(s, at), token_type: 'Bearer' };
}
