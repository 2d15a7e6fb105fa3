import { gmailDiscovery } from '../core/discovery';

/** Scopes the stand-in's consent page and token endpoint accept, and the short forms Google expands. */
export const SCOPE = {
	openid: 'openid',
	email: 'https://www.googleapis.com/auth/userinfo.email',
	profile: 'https://www.googleapis.com/auth/userinfo.profile',
	cloudPlatform: 'https://www.googleapis.com/auth/cloud-platform',
	cloudPlatformReadOnly: 'https://www.googleapis.com/auth/cloud-platform.read-only',
	iam: 'https://www.googleapis.com/auth/iam',
	cloudProjects: 'https://www.googleapis.com/auth/cloudplatformprojects',
	cloudProjectsReadOnly: 'https://www.googleapis.com/auth/cloudplatformprojects.readonly',
	pubsub: 'https://www.googleapis.com/auth/pubsub',
} as const;

/** Google grants `email`/`profile` under their long names (the `scope` of the token response shows those). */
const SHORT: Record<string, string> = { email: SCOPE.email, profile: SCOPE.profile };

export const IDENTITY_SCOPES = [SCOPE.openid, SCOPE.email, SCOPE.profile, 'email', 'profile'];

export function knownScopes(): Set<string> {
	return new Set([...Object.keys(gmailDiscovery().doc.auth.oauth2.scopes), ...Object.values(SCOPE)]);
}

/** Splits a space-separated scope string, expands short forms, drops duplicates (order kept). */
export function parseScopes(raw: string | undefined | null): string[] {
	const out: string[] = [];
	for (const s of (raw ?? '').split(/[\s,]+/).filter(Boolean)) {
		const long = SHORT[s] ?? s;
		if (!out.includes(long)) out.push(long);
	}
	return out;
}

export function unknownScopes(scopes: string[]): string[] {
	const known = knownScopes();
	return scopes.filter((s) => !known.has(s));
}

/** True when the granted scopes (short or long forms) include any of `wanted`. */
export function hasScope(granted: string[], ...wanted: string[]): boolean {
	const g = parseScopes(granted.join(' '));
	return parseScopes(wanted.join(' ')).some((s) => g.includes(s));
}
