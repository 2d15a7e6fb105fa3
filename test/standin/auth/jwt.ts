import { createHash, createPublicKey, generateKeyPairSync, sign, verify, type KeyObject } from 'node:crypto';

/** Compact JWS (RS256) helpers on node:crypto: what Google's token endpoint and IAM Credentials sign and check. */

export interface JwtHeader {
	alg: string;
	typ?: string;
	kid?: string;
}

export type JwtClaims = Record<string, unknown>;

const b64 = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

export function signRs256(claims: JwtClaims, key: KeyObject, kid?: string): string {
	const header: JwtHeader = { alg: 'RS256', typ: 'JWT', ...(kid ? { kid } : {}) };
	const input = `${b64(header)}.${b64(claims)}`;
	return `${input}.${sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** Splits and parses a compact JWT without checking it; undefined when it is not one. */
export function decodeJwt(jwt: string): { header: JwtHeader; claims: JwtClaims; input: string; signature: Buffer } | undefined {
	const parts = jwt.split('.');
	if (parts.length !== 3) return undefined;
	try {
		const header = JSON.parse(Buffer.from(parts[0], 'base64url').toString('utf8')) as JwtHeader;
		const claims = JSON.parse(Buffer.from(parts[1], 'base64url').toString('utf8')) as JwtClaims;
		if (!header || typeof header !== 'object' || !claims || typeof claims !== 'object' || Array.isArray(claims)) return undefined;
		return { header, claims, input: `${parts[0]}.${parts[1]}`, signature: Buffer.from(parts[2], 'base64url') };
	} catch {
		return undefined;
	}
}

export function verifyRs256(decoded: { header: JwtHeader; input: string; signature: Buffer }, key: KeyObject): boolean {
	if (decoded.header.alg !== 'RS256') return false;
	try {
		return verify('sha256', Buffer.from(decoded.input), key, decoded.signature);
	} catch {
		return false;
	}
}

/** Google's numeric account id (the `sub` claim): stable per email, 21 digits like the real ones. */
export function googleUserId(email: string): string {
	const h = createHash('sha256').update(email.toLowerCase()).digest();
	let digits = '';
	for (const byte of h) digits += String(byte % 10);
	return '1' + digits.slice(0, 20);
}

/**
 * The key "Google" signs ID tokens with (one per process, like the SA key), published at
 * www.googleapis.com/oauth2/v1/certs (PEM) and /oauth2/v3/certs (JWK) so OAuth2Client.verifyIdToken works.
 */
let googleKeys: { privateKey: KeyObject; publicKey: KeyObject; kid: string } | undefined;
export function googleSigningKey() {
	if (!googleKeys) {
		const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
		googleKeys = { privateKey, publicKey, kid: 'standin-google-1' };
	}
	return googleKeys;
}

export function publicJwk(key: KeyObject, kid: string) {
	const jwk = createPublicKey(key).export({ format: 'jwk' });
	return { kty: jwk.kty, alg: 'RS256', use: 'sig', kid, n: jwk.n, e: jwk.e };
}
