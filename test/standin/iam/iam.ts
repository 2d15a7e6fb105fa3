import type { ServiceAccount } from '../core/directory';
import { GoogleError, badRequest } from '../core/errors';
import type { Ctx, Route, Standin } from '../core/standin';
import { signRs256 } from '../auth/jwt';
import { SCOPE, unknownScopes } from '../auth/scopes';
import { authState } from '../auth/state';
import { PermissionDenied, findServiceAccount, principal, projectPermissions, serviceAccountPermissions } from './permissions';

/**
 * iam.googleapis.com v1 (serviceAccounts list/get/testIamPermissions) and iamcredentials.googleapis.com v1
 * (signJwt, generateAccessToken). The JWT signJwt returns is signed with the service account's key, so the
 * token endpoint's jwt-bearer grant accepts it: keyless domain-wide delegation.
 * https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts
 * https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts/signJwt
 */

const IAM_SCOPES = [SCOPE.iam, SCOPE.cloudPlatform];
const CREDENTIALS_SCOPES = [SCOPE.cloudPlatform, SCOPE.iam];

export function serviceAccountResource(sa: ServiceAccount) {
	return {
		name: `projects/${sa.projectId}/serviceAccounts/${sa.email}`,
		projectId: sa.projectId,
		uniqueId: sa.uniqueId,
		email: sa.email,
		displayName: sa.displayName,
		etag: Buffer.from(`etag-${sa.uniqueId}`).toString('base64'),
		oauth2ClientId: sa.uniqueId,
	};
}

const unknownServiceAccount = () => new GoogleError(404, 'Unknown service account', 'notFound');

/** The service account named by an iamcredentials path; the project must be the `-` wildcard. */
function credentialsTarget(s: Standin, ctx: Ctx, permission: string): ServiceAccount {
	const name = `projects/${ctx.params.project}/serviceAccounts/${ctx.params.sa}`;
	if (ctx.params.project !== '-') {
		throw badRequest(`Invalid form of account ID ${name}. The '-' wildcard character is required; replacing it with a project ID is invalid.`);
	}
	const sa = findServiceAccount(s, ctx.params.sa);
	if (!sa || !serviceAccountPermissions(s, sa, principal(ctx.token!)).has(permission)) throw new PermissionDenied(permission);
	return sa;
}

function signJwt(s: Standin, ctx: Ctx) {
	const sa = credentialsTarget(s, ctx, 'iam.serviceAccounts.signJwt');
	const { payload } = ctx.json<{ payload?: string; delegates?: string[] }>();
	let claims: Record<string, unknown>;
	try {
		claims = JSON.parse(payload ?? '');
	} catch {
		throw badRequest('Invalid JWT payload: must be a serialized JSON object.');
	}
	if (!claims || typeof claims !== 'object' || Array.isArray(claims)) throw badRequest('Invalid JWT payload: must be a serialized JSON object.');
	if (claims.exp !== undefined) {
		const now = Math.floor(s.tokens.now() / 1000);
		const exp = claims.exp;
		if (typeof exp !== 'number' || !Number.isInteger(exp) || exp < now || exp > now + 12 * 3600) {
			throw badRequest('Invalid JWT payload: exp must be an integer timestamp not in the past and at most 12 hours in the future.');
		}
	}
	return { body: { keyId: sa.privateKeyId, signedJwt: signRs256(claims, sa.privateKey, sa.privateKeyId) } };
}

function generateAccessToken(s: Standin, ctx: Ctx) {
	const sa = credentialsTarget(s, ctx, 'iam.serviceAccounts.getAccessToken');
	const { scope, lifetime } = ctx.json<{ scope?: string[]; lifetime?: string; delegates?: string[] }>();
	if (!Array.isArray(scope) || !scope.length) throw badRequest('Scope required.');
	if (unknownScopes(scope).length) throw badRequest(`Invalid scope: ${unknownScopes(scope).join(', ')}`);
	const ttl = lifetime === undefined ? 3600 : Number(/^(\d+(?:\.\d+)?)s$/.exec(lifetime)?.[1] ?? NaN);
	if (!Number.isFinite(ttl) || ttl <= 0 || ttl > 3600) throw badRequest(`The lifetime must be at most 3600s (given ${lifetime}).`);
	const at = s.tokens.issueAccess({ email: sa.email, scopes: scope, kind: 'service-account', clientId: sa.uniqueId, serviceAccount: sa.email, ttlSeconds: ttl });
	authState(s).grants.set(at.accessToken, { accessType: 'online' });
	return { body: { accessToken: at.accessToken, expireTime: new Date(at.expiresAt).toISOString().replace(/\.\d{3}Z$/, 'Z') } };
}

export function iamRoutes(s: Standin): Route[] {
	const iam = 'iam.googleapis.com' as const;
	const creds = 'iamcredentials.googleapis.com' as const;
	return [
		{
			id: 'iam.projects.serviceAccounts.list',
			host: iam,
			method: 'GET',
			paths: ['/v1/projects/{project}/serviceAccounts'],
			scopes: IAM_SCOPES,
			handler(ctx) {
				const projectId = ctx.params.project;
				if (projectId === '-') throw badRequest('A project ID is required to list service accounts; the - wildcard is not allowed here.');
				const project = s.directory.projects.get(projectId);
				if (!projectPermissions(project, principal(ctx.token!)).has('iam.serviceAccounts.list')) {
					throw new PermissionDenied('iam.serviceAccounts.list', `projects/${projectId}`);
				}
				const all = [...s.directory.serviceAccounts.values()].filter((sa) => sa.projectId === projectId);
				const size = Math.min(100, Number(ctx.query.get('pageSize') ?? 20) || 20);
				const start = Number(ctx.query.get('pageToken') ?? 0) || 0;
				const page = all.slice(start, start + size);
				return {
					body: {
						...(page.length ? { accounts: page.map(serviceAccountResource) } : {}),
						...(start + size < all.length ? { nextPageToken: String(start + size) } : {}),
					},
				};
			},
		},
		{
			id: 'iam.projects.serviceAccounts.get',
			host: iam,
			method: 'GET',
			paths: ['/v1/projects/{project}/serviceAccounts/{sa}'],
			scopes: IAM_SCOPES,
			handler(ctx) {
				const sa = findServiceAccount(s, ctx.params.sa);
				if (!sa || (ctx.params.project !== '-' && ctx.params.project !== sa.projectId)) throw unknownServiceAccount();
				if (!serviceAccountPermissions(s, sa, principal(ctx.token!)).has('iam.serviceAccounts.get')) {
					throw new PermissionDenied('iam.serviceAccounts.get', `projects/${ctx.params.project}/serviceAccounts/${ctx.params.sa}`);
				}
				return { body: serviceAccountResource(sa) };
			},
		},
		{
			id: 'iam.projects.serviceAccounts.testIamPermissions',
			host: iam,
			method: 'POST',
			paths: ['/v1/projects/{project}/serviceAccounts/{sa}:testIamPermissions'],
			scopes: IAM_SCOPES,
			handler(ctx) {
				const { permissions } = ctx.json<{ permissions?: string[] }>();
				if (!Array.isArray(permissions)) throw badRequest('permissions must be a list.');
				const sa = findServiceAccount(s, ctx.params.sa);
				const held = sa ? serviceAccountPermissions(s, sa, principal(ctx.token!)) : new Set<string>();
				const granted = permissions.filter((p) => held.has(p));
				return { body: granted.length ? { permissions: granted } : {} };
			},
		},
		{
			id: 'iamcredentials.projects.serviceAccounts.signJwt',
			host: creds,
			method: 'POST',
			paths: ['/v1/projects/{project}/serviceAccounts/{sa}:signJwt'],
			scopes: CREDENTIALS_SCOPES,
			handler: (ctx) => signJwt(s, ctx),
		},
		{
			id: 'iamcredentials.projects.serviceAccounts.generateAccessToken',
			host: creds,
			method: 'POST',
			paths: ['/v1/projects/{project}/serviceAccounts/{sa}:generateAccessToken'],
			scopes: CREDENTIALS_SCOPES,
			handler: (ctx) => generateAccessToken(s, ctx),
		},
	];
}
