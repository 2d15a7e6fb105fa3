import { createPrivateKey, createSign, type KeyObject } from 'node:crypto';

import type { IHttpRequestHelper } from 'n8n-workflow';

import { describeFailure } from '../nodes/GmailWorkspace/v1/transport/errors';
import { type TokenRefusal } from '../nodes/GmailWorkspace/v1/readiness/explain';
import { DEFAULT_RETRY, withRetries } from '../nodes/GmailWorkspace/v1/transport/retry';

export const GOOGLE_TOKEN_URL = 'https://oauth2.googleapis.com/token';
export const JWT_BEARER_GRANT = 'urn:ietf:params:oauth:grant-type:jwt-bearer';

/** The deadline of each request to Google's token endpoint and IAM: none waits longer. */
export const DEFAULT_TIMEOUT_MS = 60_000;

/** The claims Google's token endpoint expects in a service-account assertion (RFC 7523). */
export function assertionClaims(
	serviceAccount: string,
	subject: string | undefined,
	scopes: string[],
	nowSeconds = Math.floor(Date.now() / 1000),
) {
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
export function signJwt(claims: object, privateKey: KeyObject | string, keyId?: string): string {
	const header = { alg: 'RS256', typ: 'JWT', ...(keyId ? { kid: keyId } : {}) };
	const enc = (o: object) => Buffer.from(JSON.stringify(o)).toString('base64url');
	const input = `${enc(header)}.${enc(claims)}`;
	const key = typeof privateKey === 'string' ? privateKey.replace(/\\n/g, '\n') : privateKey;
	const signature = createSign('RSA-SHA256').update(input).sign(key);
	return `${input}.${signature.toString('base64url')}`;
}

const EXPLAINED = Symbol.for('n8n-nodes-gmail-workspace.explained');

/**
 * A failure to get a token whose message already names the credential field to fix. Thrown from a
 * credential's preAuthentication (no node there), so a plain Error: n8n-core wraps it in a NodeApiError
 * that keeps its message and description, and the transport passes it on (see isExplained). Its words
 * never hold a secret, key or token.
 */
export class GoogleAuthError extends Error {
	readonly [EXPLAINED] = true;

	constructor(
		message: string,
		/** Google's own words, e.g. "Google's token endpoint answered invalid_client: Unauthorized". */
		readonly description?: string,
	) {
		super(message);
		this.name = 'GoogleAuthError';
	}
}

type Link = {
	cause?: unknown;
	errorResponse?: unknown;
	response?: { status?: number; data?: unknown; body?: unknown };
	body?: unknown;
	status?: unknown;
};

function* chain(error: unknown): Generator<Link> {
	let e = error as Link | undefined;
	for (let depth = 0; e && typeof e === 'object' && depth < 6; depth++) {
		yield e;
		e = (e.cause ?? e.errorResponse) as Link | undefined;
	}
}

/** True when `error`, or an error it wraps, is a GoogleAuthError (its message says what to fix). */
export function isExplained(error: unknown): boolean {
	for (const e of chain(error)) if ((e as Record<symbol, unknown>)[EXPLAINED] === true) return true;
	return false;
}

function asObject(value: unknown): Record<string, unknown> | undefined {
	let v = value;
	if (typeof v === 'string' || v instanceof Uint8Array) {
		try {
			v = JSON.parse(typeof v === 'string' ? v : Buffer.from(v).toString('utf8'));
		} catch {
			return undefined;
		}
	}
	return v && typeof v === 'object' && !Array.isArray(v)
		? (v as Record<string, unknown>)
		: undefined;
}

/**
 * The token endpoint's refusal ({error, error_description}) in the failure of a token request made with
 * n8n's request helper (its axios response). Undefined for anything else (Google's API errors have an
 * object `error`).
 */
export function tokenRefusal(error: unknown): TokenRefusal | undefined {
	return refusalIn(error, (e) => e.response?.data ?? e.response?.body);
}

/**
 * Google's refusal to renew an OAuth2 credential's token, in the error n8n-core throws for it: a
 * NodeApiError around @n8n/client-oauth2's AuthError (code EAUTH), whose `body` is Google's answer.
 */
export function renewalRefusal(error: unknown): TokenRefusal | undefined {
	return refusalIn(error, (e) => ((e as { code?: unknown }).code === 'EAUTH' ? e.body : undefined));
}

function refusalIn(error: unknown, bodyOf: (e: Link) => unknown): TokenRefusal | undefined {
	for (const e of chain(error)) {
		const body = asObject(bodyOf(e));
		if (typeof body?.error !== 'string') continue;
		const text = (v: unknown) => (typeof v === 'string' && v ? v : undefined);
		const status = e.response?.status ?? (typeof e.status === 'number' ? e.status : undefined);
		return {
			...(status ? { status } : {}),
			error: body.error,
			...(text(body.error_description) ? { description: text(body.error_description) } : {}),
			...(text(body.error_subtype) ? { subtype: text(body.error_subtype) } : {}),
		};
	}
	return undefined;
}

/**
 * Why a request to Google's sign-in or IAM service failed for good although it was retried: no answer,
 * a timeout, or 5xx/429 every time. No HTTP status is attached, so callers do not retry it once more.
 */
export function unavailable(service: string, error: unknown, attempts?: number): GoogleAuthError {
	const f = describeFailure(error);
	const timedOut = [...chain(error)].some((e) => {
		const { code, message } = e as { code?: unknown; message?: unknown };
		return code === 'ETIMEDOUT' || (code === 'ECONNABORTED' && /timeout/i.test(String(message)));
	});
	const tries = attempts && attempts > 1 ? ` (${attempts} attempts)` : '';
	const what = f.status
		? `answered HTTP ${f.status}${f.message ? ` (${f.message})` : ''}`
		: timedOut
			? `did not answer within ${DEFAULT_TIMEOUT_MS / 1000} s`
			: 'could not be reached (the connection broke)';
	return new GoogleAuthError(`${service} ${what}${tries}: try again later.`);
}

export interface GoogleToken {
	access_token: string;
	expires_in?: number;
}

/**
 * POST a grant to Google's token endpoint (form-encoded), retrying 5xx, 429, resets and timeouts as every
 * other call is. A refusal (4xx: invalid_client, invalid_grant, …) is final and becomes a GoogleAuthError
 * worded by `explain`, which names the field to fix; nothing of the request (secret, assertion) is quoted.
 */
export async function requestGoogleToken(
	ctx: IHttpRequestHelper,
	form: Record<string, string>,
	explain: (refusal: TokenRefusal) => string,
): Promise<GoogleToken> {
	return await withRetries(
		async () =>
			(await ctx.helpers.httpRequest({
				method: 'POST',
				url: GOOGLE_TOKEN_URL,
				headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
				body: new URLSearchParams(form).toString(),
				json: true,
				timeout: DEFAULT_TIMEOUT_MS,
			})) as GoogleToken,
		(error: unknown, attempts?: number) => {
			const refusal = tokenRefusal(error);
			if (
				refusal &&
				(refusal.status === undefined || refusal.status < 500) &&
				refusal.status !== 429
			) {
				return new GoogleAuthError(
					explain(refusal),
					`Google's token endpoint answered ${refusal.error}${refusal.description ? `: ${refusal.description}` : ''}`,
				);
			}
			return unavailable("Google's token endpoint (oauth2.googleapis.com)", error, attempts);
		},
		DEFAULT_RETRY,
	);
}

/** The PEM key (escaped \\n line breaks allowed), or undefined: node:crypto's reason is not passed on. */
function privateKeyOf(pem: string): KeyObject | undefined {
	try {
		return createPrivateKey(pem.replace(/\\n/g, '\n'));
	} catch {
		return undefined;
	}
}

/** A service account's key as a credential holds it, read and checked before anything is signed. */
export interface ServiceAccountKey {
	key: KeyObject;
	/** The service account the key signs for: the JSON key's client_email, else the "Service Account Email" field. */
	email: string;
}

const PEM_HINT =
	'paste the "private_key" value of the service account\'s JSON key file, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY----- (or the whole JSON key file)';

/**
 * The "Private Key" (a PEM key, or the whole JSON key file pasted) and "Service Account Email" of a
 * service-account credential. Throws a GoogleAuthError naming the field when the key cannot be read or
 * is a JSON key of another service account than the email says. The key is never quoted.
 */
export function readServiceAccountKey(credentials: {
	privateKey?: unknown;
	email?: unknown;
}): ServiceAccountKey {
	let pem = typeof credentials.privateKey === 'string' ? credentials.privateKey.trim() : '';
	let email = typeof credentials.email === 'string' ? credentials.email.trim() : '';
	if (!pem) throw new GoogleAuthError(`The credential's "Private Key" is empty: ${PEM_HINT}.`);
	if (pem.startsWith('{')) {
		// asObject swallows JSON.parse's message, which would quote the key
		const file = asObject(pem);
		if (!file || typeof file.private_key !== 'string') {
			throw new GoogleAuthError(
				`The credential's "Private Key" looks like a JSON key file but has no "private_key" in it: ${PEM_HINT}.`,
			);
		}
		const keyOf = typeof file.client_email === 'string' ? file.client_email.trim() : '';
		if (keyOf && email && keyOf.toLowerCase() !== email.toLowerCase()) {
			throw new GoogleAuthError(
				`The credential's "Private Key" is a key of ${keyOf}, but its "Service Account Email" says ${email}: a key signs only for its own service account. Put ${keyOf} in "Service Account Email", or paste a key of ${email}.`,
			);
		}
		pem = file.private_key;
		email ||= keyOf;
	}
	if (!email)
		throw new GoogleAuthError(
			'The credential\'s "Service Account Email" is empty: paste the "client_email" of the JSON key file.',
		);
	const key = privateKeyOf(pem);
	if (!key)
		throw new GoogleAuthError(
			`The credential's "Private Key" is not a private key n8n can read: ${PEM_HINT}.`,
		);
	if (key.asymmetricKeyType !== 'rsa') {
		throw new GoogleAuthError(
			`The credential's "Private Key" is not an RSA key, and Google's service account keys are: ${PEM_HINT}.`,
		);
	}
	return { key, email };
}
