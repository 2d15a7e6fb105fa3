import { randomBytes } from 'node:crypto';

/** Who a token speaks for. `dwd` tokens come from a service account with domain-wide delegation (JWT bearer grant). */
export type TokenKind = 'user' | 'dwd' | 'service-account';

export interface TokenRecord {
	accessToken: string;
	/** The user the token acts as (the impersonated user for dwd tokens, the SA email for service-account tokens). */
	email: string;
	scopes: string[];
	kind: TokenKind;
	clientId: string;
	/** Service account that minted a dwd / service-account token. */
	serviceAccount?: string;
	issuedAt: number;
	expiresAt: number;
}

export interface RefreshRecord {
	refreshToken: string;
	email: string;
	scopes: string[];
	clientId: string;
	revoked?: 'revoked' | 'rapt';
}

/** Access and refresh tokens with expiry. Time comes from `now()` so tests can move the clock. */
export class TokenStore {
	readonly access = new Map<string, TokenRecord>();
	readonly refresh = new Map<string, RefreshRecord>();
	/** Offset added to Date.now(); tests advance it to expire tokens. */
	clockSkewMs = 0;
	/** When set, the clock stands still at this instant (plus clockSkewMs): quota windows and expiry move only with the knob. */
	frozenAt?: number;
	defaultTtlSeconds = 3599;

	now() {
		return (this.frozenAt ?? Date.now()) + this.clockSkewMs;
	}

	issueAccess(
		opts: Omit<TokenRecord, 'accessToken' | 'issuedAt' | 'expiresAt'> & { ttlSeconds?: number },
	): TokenRecord {
		const prefix = opts.kind === 'user' ? 'ya29.standin-' : 'ya29.c.standin-';
		const { ttlSeconds, ...rest } = opts;
		const rec: TokenRecord = {
			...rest,
			accessToken: prefix + randomBytes(18).toString('base64url'),
			issuedAt: this.now(),
			expiresAt: this.now() + (ttlSeconds ?? this.defaultTtlSeconds) * 1000,
		};
		this.access.set(rec.accessToken, rec);
		return rec;
	}

	issueRefresh(email: string, scopes: string[], clientId: string): RefreshRecord {
		const rec: RefreshRecord = {
			refreshToken: '1//standin-' + randomBytes(24).toString('base64url'),
			email,
			scopes,
			clientId,
		};
		this.refresh.set(rec.refreshToken, rec);
		return rec;
	}

	/** Returns the live record for a bearer token, or undefined when unknown or expired. */
	lookup(accessToken: string): TokenRecord | undefined {
		const rec = this.access.get(accessToken);
		if (!rec || rec.expiresAt <= this.now()) return undefined;
		return rec;
	}

	/** Expire every access token of a user (or all) now: the next call gets 401, as after Google's 1 h lifetime. */
	expireAll(email?: string) {
		for (const rec of this.access.values()) {
			if (!email || rec.email === email) rec.expiresAt = this.now() - 1;
		}
	}

	clear() {
		this.access.clear();
		this.refresh.clear();
	}
}
