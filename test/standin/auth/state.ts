import type { Standin } from '../core/standin';

/** An authorization code from the consent page, exchanged once at /token. */
export interface AuthCode {
	code: string;
	clientId: string;
	redirectUri: string;
	email: string;
	scopes: string[];
	accessType: 'online' | 'offline';
	codeChallenge?: string;
	codeChallengeMethod?: 'S256' | 'plain';
	nonce?: string;
	expiresAt: number;
	used?: boolean;
}

/** Per-grant facts the core TokenStore does not keep. */
export interface GrantInfo {
	accessType: 'online' | 'offline';
	/** The refresh token an access token was issued with or from (revoking either revokes the grant). */
	refreshToken?: string;
}

export interface AuthState {
	codes: Map<string, AuthCode>;
	grants: Map<string, GrantInfo>;
}

export const AUTH_SLICE = 'auth';

export const authState = (s: Standin) => s.slice<AuthState>(AUTH_SLICE);

export function seedAuth(s: Standin) {
	s.slices.set(AUTH_SLICE, { codes: new Map(), grants: new Map() } satisfies AuthState);
}
