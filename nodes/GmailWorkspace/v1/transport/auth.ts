import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { assertionClaims, GOOGLE_TOKEN_URL, JWT_BEARER_GRANT, signJwt } from '../../../../credentials/googleJwt';
import { authentication, credentialId, credentialType, type Context } from './credentials';
import { describeFailure } from './errors';

/** Acting as a user of the domain through a service account with domain-wide delegation. */
export interface Impersonation {
	/** The Workspace user to act as. */
	user: string;
	/** Service account email; empty = the credential's default. */
	serviceAccount?: string;
	scopes: readonly string[];
}

const IAM_CREDENTIALS = 'https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/';
// Renew a little before Google's expiry so a token never dies mid-request.
const EARLY_RENEWAL_MS = 120_000;
const tokens = new Map<string, { accessToken: string; expiresAt: number }>();
// Errors of minting an impersonated token already say what to fix: the transport passes them on as they are.
const authFailures = new WeakSet<object>();

/** The service account the admin cards use: the card's override, else the credential's default. */
export async function serviceAccountFor(ctx: Context, override?: string): Promise<string> {
	if (override?.trim()) return override.trim();
	const creds = await ctx.getCredentials(credentialType(ctx));
	const sa = String((authentication(ctx) === 'serviceAccount' ? creds.email : creds.serviceAccountEmail) ?? '').trim();
	if (!sa) {
		throw new NodeOperationError(
			ctx.getNode(),
			'No service account is set for the admin cards: fill "Service Account for Admin Cards" in the credential or in the card',
		);
	}
	return sa;
}

/** A service-account key signs the assertion itself (the key never leaves this process). */
async function signLocally(ctx: Context, claims: object): Promise<string> {
	const creds = await ctx.getCredentials(credentialType(ctx));
	return signJwt(claims, String(creds.privateKey));
}

/** Keyless: the connected account asks IAM Credentials to sign for the service account. */
async function signWithIam(ctx: Context, serviceAccount: string, claims: object): Promise<string> {
	try {
		const res = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
			method: 'POST',
			url: `${IAM_CREDENTIALS}${encodeURIComponent(serviceAccount)}:signJwt`,
			body: { payload: JSON.stringify(claims) },
			json: true,
		})) as { signedJwt: string };
		return res.signedJwt;
	} catch (error) {
		const f = describeFailure(error);
		const fix =
			f.status === 403
				? `The connected account may not sign for ${serviceAccount}: grant it the Service Account Token Creator role (iam.serviceAccounts.signJwt) on that service account, and make sure the credential's scopes include cloud-platform.`
				: f.status === 404
					? `Service account ${serviceAccount} was not found.`
					: `Signing for ${serviceAccount} failed.`;
		throw new NodeApiError(ctx.getNode(), error as JsonObject, { message: fix, description: f.message });
	}
}

async function exchange(ctx: Context, assertion: string, imp: Impersonation, serviceAccount: string) {
	try {
		return (await ctx.helpers.httpRequest({
			method: 'POST',
			url: GOOGLE_TOKEN_URL,
			headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
			body: new URLSearchParams({ grant_type: JWT_BEARER_GRANT, assertion }).toString(),
			json: true,
		})) as { access_token: string; expires_in: number };
	} catch (error) {
		const body = (error as { cause?: { response?: { data?: IDataObject } }; response?: { data?: IDataObject } });
		const data = body.cause?.response?.data ?? body.response?.data;
		const code = typeof data?.error === 'string' ? data.error : undefined;
		const message =
			code === 'unauthorized_client'
				? `Google refused to let ${serviceAccount} act as ${imp.user}: in the Google Admin console (Security → API controls → Domain-wide delegation), authorize the service account's client ID for ${imp.scopes.join(', ')}.`
				: code === 'invalid_grant'
					? `Google refused the impersonation of ${imp.user}: check that the user exists in your Workspace domain and is active (${String(data?.error_description ?? '')}).`
					: `Getting a token for ${imp.user} through ${serviceAccount} failed.`;
		throw new NodeApiError(ctx.getNode(), { message, code: code ?? '' } as JsonObject, { message });
	}
}

/**
 * An access token for `imp.user`, minted through the service account with domain-wide delegation and
 * cached per (credential, service account, user, scopes) until shortly before it expires.
 */
export async function impersonatedToken(ctx: Context, imp: Impersonation): Promise<string> {
	const serviceAccount = await serviceAccountFor(ctx, imp.serviceAccount);
	const scopes = [...imp.scopes].sort();
	const key = [credentialId(ctx), serviceAccount, imp.user.toLowerCase(), scopes.join(' ')].join('|');
	const cached = tokens.get(key);
	if (cached && cached.expiresAt - EARLY_RENEWAL_MS > Date.now()) return cached.accessToken;

	try {
		const claims = assertionClaims(serviceAccount, imp.user, scopes);
		const assertion =
			authentication(ctx) === 'serviceAccount' ? await signLocally(ctx, claims) : await signWithIam(ctx, serviceAccount, claims);
		const granted = await exchange(ctx, assertion, imp, serviceAccount);
		tokens.set(key, { accessToken: granted.access_token, expiresAt: Date.now() + granted.expires_in * 1000 });
		return granted.access_token;
	} catch (error) {
		const failure =
			error instanceof NodeApiError || error instanceof NodeOperationError
				? error
				: new NodeOperationError(ctx.getNode(), `Getting a token for ${imp.user} through ${serviceAccount} failed: check the service account key`);
		authFailures.add(failure);
		throw failure;
	}
}

/** True for an error thrown while minting an impersonated token (its message names the fix). */
export function isAuthFailure(error: unknown): boolean {
	return typeof error === 'object' && error !== null && authFailures.has(error);
}

/** Forget a cached token (after Google answered 401 with it). */
export function dropImpersonatedToken(accessToken: string) {
	for (const [key, value] of tokens) if (value.accessToken === accessToken) tokens.delete(key);
}
