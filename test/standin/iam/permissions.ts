import type { Project, ServiceAccount } from '../core/directory';
import { GoogleError } from '../core/errors';
import type { Standin } from '../core/standin';
import type { TokenRecord } from '../core/tokens';

/**
 * Who holds which IAM permission, from the directory's role bindings:
 * - project members: roles/viewer on their project (iam.serviceAccounts.get/list, resourcemanager.projects.get);
 * - serviceAccountUsers: roles/iam.serviceAccountUser on the SA;
 * - tokenCreators: roles/iam.serviceAccountTokenCreator on the SA.
 * Permission lists follow https://cloud.google.com/iam/docs/understanding-roles (trimmed to what the stand-in serves).
 */
export const ROLE_PERMISSIONS = {
	viewer: ['iam.serviceAccounts.get', 'iam.serviceAccounts.list', 'resourcemanager.projects.get'],
	serviceAccountUser: [
		'iam.serviceAccounts.actAs',
		'iam.serviceAccounts.get',
		'iam.serviceAccounts.list',
		'resourcemanager.projects.get',
		'resourcemanager.projects.list',
	],
	serviceAccountTokenCreator: [
		'iam.serviceAccounts.get',
		'iam.serviceAccounts.getAccessToken',
		'iam.serviceAccounts.getOpenIdToken',
		'iam.serviceAccounts.implicitDelegation',
		'iam.serviceAccounts.list',
		'iam.serviceAccounts.signBlob',
		'iam.serviceAccounts.signJwt',
		'resourcemanager.projects.get',
	],
} as const;

/** The principal behind a token: a user's email, or the service account's for dwd/service-account tokens acting as the SA. */
export const principal = (t: TokenRecord) => (t.kind === 'service-account' ? t.serviceAccount ?? t.email : t.email);

export function projectPermissions(project: Project | undefined, who: string): Set<string> {
	const out = new Set<string>();
	if (project?.members.includes(who)) for (const p of ROLE_PERMISSIONS.viewer) out.add(p);
	return out;
}

/** Permissions `who` holds on a service account (its own bindings plus what the project grants). */
export function serviceAccountPermissions(s: Standin, sa: ServiceAccount, who: string): Set<string> {
	const out = projectPermissions(s.directory.projects.get(sa.projectId), who);
	if (sa.serviceAccountUsers.includes(who)) for (const p of ROLE_PERMISSIONS.serviceAccountUser) out.add(p);
	if (sa.tokenCreators.includes(who)) for (const p of ROLE_PERMISSIONS.serviceAccountTokenCreator) out.add(p);
	return out;
}

/** A service account by email or unique id. */
export function findServiceAccount(s: Standin, idOrEmail: string): ServiceAccount | undefined {
	const key = idOrEmail.toLowerCase();
	return s.directory.serviceAccounts.get(key) ?? [...s.directory.serviceAccounts.values()].find((x) => x.uniqueId === key);
}

/** IAM's denial: 403 PERMISSION_DENIED with an ErrorInfo detail naming the permission. */
export class PermissionDenied extends GoogleError {
	constructor(readonly permission: string, resource?: string) {
		super(403, `Permission '${permission}' denied on resource${resource ? ` '${resource}'` : ''} (or it may not exist).`, 'forbidden');
	}
	override body() {
		const b = super.body();
		return {
			error: {
				...b.error,
				details: [
					{
						'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
						reason: 'IAM_PERMISSION_DENIED',
						domain: 'iam.googleapis.com',
						metadata: { permission: this.permission },
					},
				],
			},
		};
	}
}
