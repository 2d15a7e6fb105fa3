import { SCOPE_PRESETS } from '../../../../credentials/scopes';
import type { HttpFailure } from '../transport/errors';

const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

// in the order they are suggested: the broadest everyday set first
const PRESET_NAMES: Record<keyof typeof SCOPE_PRESETS, string> = {
	readSend: 'Read and Send',
	all: 'All Cards',
	full: 'All Cards and Permanent Delete',
	read: 'Read Only',
	send: 'Send Only',
	admin: 'Admin Settings',
};

/**
 * Google's failure in words a user can act on, for the failures that have a clear fix; undefined when
 * Google's own message is the best there is.
 */
export function explainFailure(f: HttpFailure): string | undefined {
	if (f.oauthError === 'invalid_rapt') {
		return 'Google requires this account to sign in again (reauthentication by a Google Workspace session-control policy). Ask your Workspace admin to exempt this app (Admin console → Security → Access and data control → Google Cloud session control, or mark the OAuth client as trusted), then reconnect the credential.';
	}
	if (f.oauthError === 'invalid_grant') {
		return 'Google no longer accepts this connection (its refresh token expired or was revoked): open the credential and reconnect the account. If Google keeps asking this account to sign in again every few hours, a Google Workspace session-control (reauthentication) policy is the cause: ask your Workspace admin to exempt this app.';
	}
	const metadataOnly = /metadata scope/i.test(f.message ?? '');
	if (f.reason === 'insufficientPermissions' || f.requiredScopes?.length || metadataOnly) {
		// Gmail answers a gmail.metadata-only token asking for bodies or a search with a plain 403
		const needed = f.requiredScopes ?? (metadataOnly ? [READONLY] : []);
		const preset = (Object.keys(PRESET_NAMES) as Array<keyof typeof SCOPE_PRESETS>).find((k) =>
			needed.some((s) => (SCOPE_PRESETS[k] as readonly string[]).includes(s)),
		);
		const which = needed.length ? ` It needs one of: ${needed.join(', ')}.` : '';
		const fix = preset
			? ` Choose the "${PRESET_NAMES[preset]}" scope set (or add the scope to your custom list) in the credential and reconnect.`
			: ' Add the scope to the credential and reconnect.';
		return `The connection is missing a Google permission (scope) this action needs.${which}${fix}`;
	}
	return undefined;
}

/** What Google's token endpoint answered when it refused a grant: its flat {error, error_description} body. */
export interface TokenRefusal {
	status?: number;
	/** OAuth error code: invalid_client, unauthorized_client, invalid_grant, … */
	error: string;
	description?: string;
	/** Google's subtype of invalid_grant (invalid_rapt: a reauthentication policy). */
	subtype?: string;
}

/** Whose token Google refused, so the words can name the field to fix. */
export type TokenRoute =
	/** The OAuth2 credential: n8n renews its token with the "Client ID" and "Client Secret". */
	| { credential: 'oAuth2' }
	/** The refresh-token credential: "Client ID", "Client Secret", "Refresh Token". */
	| { credential: 'refreshToken' }
	/** A service account acting as `user`, its assertion signed with the credential's key or by IAM. */
	| {
			credential: 'serviceAccount';
			signer: 'key' | 'iam';
			serviceAccount: string;
			user: string;
			/** Where the user comes from, e.g. `the credential's "Default User to Impersonate"`. */
			userField: string;
			scopes: readonly string[];
	  };

const CLOUD_CREDENTIALS = 'Google Cloud console (APIs & Services → Credentials)';

const said = (r: TokenRefusal) => (r.description ? `${r.error}: ${r.description}` : r.error);

/**
 * Google's refusal of a token request in words that name the credential field to fix and how. Never
 * quotes the request: the words hold no secret, key or token.
 */
export function explainTokenRefusal(route: TokenRoute, r: TokenRefusal): string {
	const rapt = r.subtype === 'invalid_rapt' || /invalid_rapt/.test(r.description ?? '');
	const unknownClient = r.error === 'invalid_client' && /not found/i.test(r.description ?? '');
	if (route.credential === 'oAuth2') {
		if (unknownClient) {
			return `Google does not know the OAuth client in the credential's "Client ID" (${said(r)}). Copy the Client ID and Client Secret of your OAuth client from ${CLOUD_CREDENTIALS} into the credential, then reconnect the account.`;
		}
		if (r.error === 'invalid_client') {
			return `Google refused the credential's "Client Secret" (${said(r)}): it is not the secret of the OAuth client in "Client ID". Copy the Client Secret of that client from ${CLOUD_CREDENTIALS} into the credential.`;
		}
		if (r.error === 'unauthorized_client') {
			return `Google refused to renew the connection's token for the credential's "Client ID" (${said(r)}): the account was connected through another OAuth client. Put back the Client ID and Client Secret it was connected with, or reconnect the account with this client.`;
		}
		if (r.error === 'invalid_grant')
			return explainFailure({
				network: false,
				oauthError: rapt ? 'invalid_rapt' : 'invalid_grant',
			})!;
		return `Google refused to renew the connection's token (${said(r)}): open the credential and reconnect the account.`;
	}
	if (route.credential === 'refreshToken') {
		if (unknownClient) {
			return `Google does not know the OAuth client in the credential's "Client ID" (${said(r)}): copy the Client ID and Client Secret of the OAuth client that issued the refresh token from ${CLOUD_CREDENTIALS}.`;
		}
		if (r.error === 'invalid_client') {
			return `Google refused the credential's "Client Secret" (${said(r)}): it is not the secret of the OAuth client in "Client ID". Copy the Client Secret of that client from ${CLOUD_CREDENTIALS}.`;
		}
		if (r.error === 'unauthorized_client') {
			return `Google refused the credential's "Refresh Token" for its "Client ID" (${said(r)}): the refresh token was issued to another OAuth client. Enter the Client ID and Client Secret of the client that obtained the refresh token, or obtain a new refresh token with this client.`;
		}
		if (r.error === 'invalid_grant' && rapt) {
			return `Google requires the user of the credential's "Refresh Token" to sign in again (${said(r)}): a Google Workspace session-control (reauthentication) policy applies to this app. Ask your Workspace admin to exempt this OAuth client (Admin console → Security → Access and data control → Google Cloud session control), then obtain a new refresh token and paste it into "Refresh Token".`;
		}
		if (r.error === 'invalid_grant') {
			return `Google no longer accepts the credential's "Refresh Token" (${said(r)}): it expired or was revoked (the user removed the app's access, changed their password, or the token went unused for months). Obtain a new refresh token with offline access for this OAuth client and paste it into "Refresh Token".`;
		}
		return `Google refused the credential's token request (${said(r)}): check its "Client ID", "Client Secret" and "Refresh Token".`;
	}
	const { serviceAccount: sa, user } = route;
	if (r.error === 'unauthorized_client') {
		return `Google refused to let ${sa} act as ${user}: in the Google Admin console (Security → API controls → Domain-wide delegation), authorize the service account's client ID for ${route.scopes.join(', ')}.`;
	}
	if (r.error === 'invalid_grant') {
		const description = r.description ?? '';
		if (/JWT Signature/i.test(description)) {
			return route.signer === 'key'
				? `Google refused the signature of the credential's "Private Key" (${said(r)}): the key is not a key of ${sa} (the credential's "Service Account Email"), or it was deleted or disabled. Paste the private_key and client_email of one current JSON key of that service account (Google Cloud console → IAM & Admin → Service Accounts → Keys).`
				: `Google refused the assertion IAM signed for ${sa} (${said(r)}): try again; if it persists, check that the service account is enabled.`;
		}
		if (/account not found/i.test(description)) {
			return route.signer === 'key'
				? `Google does not know the service account ${sa} in the credential's "Service Account Email" (${said(r)}): paste the client_email of the JSON key file.`
				: `Google does not know the service account ${sa} (${said(r)}): check the card's "Service Account" or the credential's "Service Account for Admin Cards".`;
		}
		if (/short-lived|timeframe/i.test(description)) {
			return `Google refused the signed token request as outside its time window (${said(r)}): this n8n server's clock is off. Set its clock right (enable NTP).`;
		}
		return `Google refused the impersonation of ${user}: check that the user exists in your Workspace domain and is active (${description || r.error}), and correct ${route.userField} if it is mistyped.`;
	}
	return `Google refused a token for ${user} through ${sa} (${said(r)}).`;
}
