import type { Project } from '../core/directory';
import { GoogleError } from '../core/errors';
import type { Route, Standin } from '../core/standin';
import { SCOPE } from '../auth/scopes';
import { principal, projectPermissions } from './permissions';

/**
 * cloudresourcemanager.googleapis.com: v1 projects.list / projects.get and v3 projects:search,
 * answering with the projects the caller is a member of.
 * https://cloud.google.com/resource-manager/reference/rest/v1/projects/list
 * https://cloud.google.com/resource-manager/reference/rest/v3/projects/search
 */

const CRM_SCOPES = [SCOPE.cloudPlatform, SCOPE.cloudPlatformReadOnly];
const CREATED = '2024-01-15T10:00:00.000Z';
const ORG = '987654321098';

const v1 = (p: Project) => ({
	projectNumber: p.projectNumber,
	projectId: p.projectId,
	lifecycleState: 'ACTIVE',
	name: p.name,
	createTime: CREATED,
	parent: { type: 'organization', id: ORG },
});

const v3 = (p: Project) => ({
	name: `projects/${p.projectNumber}`,
	parent: `organizations/${ORG}`,
	projectId: p.projectId,
	state: 'ACTIVE',
	displayName: p.name,
	createTime: CREATED,
	updateTime: CREATED,
	etag: `W/"${p.projectNumber}"`,
});

export function crmRoutes(s: Standin): Route[] {
	const host = 'cloudresourcemanager.googleapis.com' as const;
	const visible = (who: string) => [...s.directory.projects.values()].filter((p) => projectPermissions(p, who).has('resourcemanager.projects.get'));
	return [
		{
			id: 'cloudresourcemanager.projects.list',
			host,
			method: 'GET',
			paths: ['/v1/projects'],
			scopes: CRM_SCOPES,
			handler(ctx) {
				const list = visible(principal(ctx.token!));
				return { body: list.length ? { projects: list.map(v1) } : {} };
			},
		},
		{
			id: 'cloudresourcemanager.projects.get',
			host,
			method: 'GET',
			paths: ['/v1/projects/{projectId}'],
			scopes: CRM_SCOPES,
			handler(ctx) {
				const p = visible(principal(ctx.token!)).find((x) => x.projectId === ctx.params.projectId);
				if (!p) throw new GoogleError(403, 'The caller does not have permission', 'forbidden');
				return { body: v1(p) };
			},
		},
		{
			id: 'cloudresourcemanager.projects.search',
			host,
			method: 'GET',
			paths: ['/v3/projects:search'],
			scopes: CRM_SCOPES,
			handler(ctx) {
				const list = visible(principal(ctx.token!));
				return { body: list.length ? { projects: list.map(v3) } : {} };
			},
		},
	];
}
