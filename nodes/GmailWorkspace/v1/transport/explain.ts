import { SCOPE_PRESETS } from '../../../../credentials/scopes';
import type { HttpFailure } from './errors';

const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

// in the order they are suggested: the broadest everyday set first
const PRESET_NAMES: Record<keyof typeof SCOPE_PRESETS, string> = {
	readSend: 'Read and Send',
	all: 'All Cards',
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
		const fix = preset ? ` Choose the "${PRESET_NAMES[preset]}" scope set (or add the scope to your custom list) in the credential and reconnect.` : ' Add the scope to the credential and reconnect.';
		return `The connection is missing a Google permission (scope) this action needs.${which}${fix}`;
	}
	return undefined;
}
