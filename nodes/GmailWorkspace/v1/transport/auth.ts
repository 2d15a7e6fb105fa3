import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import {
	assertionClaims,
	DEFAULT_TIMEOUT_MS,
	GoogleAuthError,
	isExplained,
	JWT_BEARER_GRANT,
	readServiceAccountKey,
	requestGoogleToken,
	renewalRefusal,
	signJwt,
	unavailable,
} from '../../../../credentials/googleJwt';
import { authentication, credentialId, credentialType, type Context } from './credentials';
import { apiError, describeFailure, isRetryable } from './errors';
import { explainTokenRefusal } from '../readiness/explain';
import { withRetries } from './retry';

/** Acting as a user of the domain through a service account with domain-wide delegation. */
export interface Impersonation {
	/** The Workspace user to act as. */
	user: string;
	/** Service account email; empty = the credential's default. */
	serviceAccount?: string;
	scopes: readonly string[];
	/** The item acting as `user`, named in a refusal (another item may act as another user). */
	itemIndex?: number;
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
	// a service-account key signs for its own account: the "Service Account Email" (or the pasted JSON key's)
	if (authentication(ctx) === 'serviceAccount') {
		try {
			return readServiceAccountKey(creds).email;
		} catch (error) {
			const { message, description } = error as GoogleAuthError;
			throw new NodeOperationError(ctx.getNode(), message, { description });
		}
	}
	const sa = String(creds.serviceAccountEmail ?? '').trim();
	if (!sa) {
		throw new NodeOperationError(
			ctx.getNode(),
			'No service account is set for the admin cards: fill "Service Account for Admin Cards" in the credential or in the card',
		);
	}
	return sa;
}

/** A service-account key signs the assertion itself (the key never leaves this process). */
async function signLocally(ctx: Context, claims: { iss: string }): Promise<string> {
	const { key, email } = readServiceAccountKey(await ctx.getCredentials(credentialType(ctx)));
	if (email.toLowerCase() !== claims.iss.toLowerCase()) {
		throw new GoogleAuthError(
			`The credential's key belongs to ${email} (its "Service Account Email"), but the card's "Service Account" says ${claims.iss}: a key signs only for its own service account. Clear the card's "Service Account", or use a credential with a key of ${claims.iss}.`,
		);
	}
	return signJwt(claims, key);
}

/**
 * The failure of the connection's own token behind a call (not the call's), as an error that names the
 * credential field to fix, or undefined: a refusal our credential's preAuthentication already worded
 * (refresh-token and service-account credentials), or n8n-core's error when Google refused to renew an
 * OAuth2 credential's token (invalid_client, unauthorized_client), which says only "Client authentication
 * failed" and is reworded here in place (the transport can only pass an error on or wrap it).
 */
function credentialFailure(error: unknown): Error | undefined {
	if (typeof error !== 'object' || error === null) return undefined;
	if (authFailures.has(error) || isExplained(error)) return error as Error;
	if (!(error instanceof NodeApiError)) return undefined;
	const refusal = renewalRefusal(error);
	if (!refusal) return undefined;
	error.message = explainTokenRefusal({ credential: 'oAuth2' }, refusal);
	error.description = `Google's token endpoint answered ${refusal.error}${refusal.description ? `: ${refusal.description}` : ''}`;
	authFailures.add(error);
	return error;
}

/** Keyless: the connected account asks IAM Credentials to sign for the service account. */
async function signWithIam(ctx: Context, serviceAccount: string, claims: object): Promise<string> {
	const res = await withRetries(
		async () =>
			(await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
				method: 'POST',
				url: `${IAM_CREDENTIALS}${encodeURIComponent(serviceAccount)}:signJwt`,
				body: { payload: JSON.stringify(claims) },
				json: true,
				timeout: DEFAULT_TIMEOUT_MS,
			})) as { signedJwt: string },
		(error: unknown, attempts?: number) => {
			const own = credentialFailure(error);
			if (own) return own;
			const f = describeFailure(error);
			if (f.network || isRetryable(f))
				return unavailable(
					`Signing for ${serviceAccount}: IAM Credentials (iamcredentials.googleapis.com)`,
					error,
					attempts,
				);
			const fix =
				f.status === 403
					? `The connected account may not sign for ${serviceAccount}: grant it the Service Account Token Creator role (iam.serviceAccounts.signJwt) on that service account, and make sure the credential's scopes include cloud-platform.`
					: f.status === 404
						? `Service account ${serviceAccount} was not found.`
						: `Signing for ${serviceAccount} failed.`;
			// the factory is given nothing of Google's to add to our words: those go in the description
			return Object.assign(
				apiError(
					ctx.getNode(),
					{ network: false },
					{ what: `POST signJwt for ${serviceAccount}`, prefix: fix },
				),
				{
					httpCode: f.status ? String(f.status) : null,
					description: f.message ?? null,
				},
			);
		},
	);
	return res.signedJwt;
}

/** The jwt-bearer exchange for `imp.user`'s token; retried on 5xx and timeouts, a refusal names the fix. */
async function exchange(
	ctx: Context,
	assertion: string,
	imp: Impersonation,
	serviceAccount: string,
) {
	const signer = authentication(ctx) === 'serviceAccount' ? 'key' : 'iam';
	const granted = await requestGoogleToken(
		ctx,
		{ grant_type: JWT_BEARER_GRANT, assertion },
		(refusal) =>
			explainTokenRefusal(
				{
					credential: 'serviceAccount',
					signer,
					serviceAccount,
					user: imp.user,
					userField: 'the card\'s "User Email"',
					scopes: imp.scopes,
				},
				refusal,
			),
	);
	return { access_token: granted.access_token, expires_in: Number(granted.expires_in ?? 3600) };
}

/**
 * An access token for `imp.user`, minted through the service account with domain-wide delegation and
 * cached per (credential, service account, user, scopes) until shortly before it expires.
 */
export async function impersonatedToken(ctx: Context, imp: Impersonation): Promise<string> {
	const serviceAccount = await serviceAccountFor(ctx, imp.serviceAccount);
	const scopes = [...imp.scopes].sort();
	const key = [credentialId(ctx), serviceAccount, imp.user.toLowerCase(), scopes.join(' ')].join(
		'|',
	);
	const cached = tokens.get(key);
	if (cached && cached.expiresAt - EARLY_RENEWAL_MS > Date.now()) return cached.accessToken;

	try {
		const claims = assertionClaims(serviceAccount, imp.user, scopes);
		const assertion =
			authentication(ctx) === 'serviceAccount'
				? await signLocally(ctx, claims)
				: await signWithIam(ctx, serviceAccount, claims);
		const granted = await exchange(ctx, assertion, imp, serviceAccount);
		tokens.set(key, {
			accessToken: granted.access_token,
			expiresAt: Date.now() + granted.expires_in * 1000,
		});
		return granted.access_token;
	} catch (error) {
		const failure =
			error instanceof GoogleAuthError
				? new NodeOperationError(
						ctx.getNode(),
						imp.itemIndex === undefined
							? error.message
							: `${error.message} [item ${imp.itemIndex}]`,
						{ description: error.description, itemIndex: imp.itemIndex },
					)
				: (credentialFailure(error) ??
					(error instanceof NodeApiError || error instanceof NodeOperationError
						? error
						: new NodeOperationError(
								ctx.getNode(),
								`Getting a token for ${imp.user} through ${serviceAccount} failed: check the service account key`,
							)));
		authFailures.add(failure);
		throw failure;
	}
}

/**
 * True for an error that already names the fix, which callers pass on as it is: thrown while minting an
 * impersonated token, or a failure of the connection's own token (see credentialFailure, which rewords
 * n8n-core's OAuth2 renewal error in place).
 */
export function isAuthFailure(error: unknown): boolean {
	return credentialFailure(error) !== undefined;
}

/** Forget a cached token (after Google answered 401 with it). */
export function dropImpersonatedToken(accessToken: string) {
	for (const [key, value] of tokens) if (value.accessToken === accessToken) tokens.delete(key);
}
