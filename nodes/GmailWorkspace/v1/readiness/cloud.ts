import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { isAuthFailure } from '../transport/auth';
import type { Context } from '../transport/credentials';
import { apiError, describeFailure, isRetryable } from '../transport/errors';
import { collectPages, type Page } from '../transport/paginate';
import { cloudRequest } from '../transport/cloud';

const CRM = 'https://cloudresourcemanager.googleapis.com/v1/projects';
const IAM = 'https://iam.googleapis.com/v1/projects/';

export interface CloudServiceAccount {
	email: string;
	displayName?: string;
	projectId: string;
}

/** One read of Resource Manager or IAM (retried by the one engine); failures come back raw for listProjects to explain. */
const cloudGet = async (ctx: Context, url: string, qs: IDataObject) =>
	await cloudRequest(ctx, { method: 'GET', url, qs, what: `GET ${url}`, rawErrors: true });

/** One page of a Resource Manager or IAM list, its items under `key`. */
async function cloudPage(
	ctx: Context,
	url: string,
	key: string,
	pageToken?: string,
): Promise<Page<IDataObject>> {
	const res = await cloudGet(ctx, url, { pageSize: 100, ...(pageToken ? { pageToken } : {}) });
	return {
		items: (res[key] as IDataObject[] | undefined) ?? [],
		nextPageToken: res.nextPageToken as string | undefined,
	};
}

/** The Google Cloud projects the connected account can see (Resource Manager v1 projects.list). */
export async function listProjects(
	ctx: Context,
	maxPages = 5,
): Promise<Array<{ projectId: string; name?: string }>> {
	let projects: IDataObject[];
	try {
		projects = await collectPages((pageToken) => cloudPage(ctx, CRM, 'projects', pageToken), {
			maxPages,
		});
	} catch (error) {
		// the connection's own token failed (its message names the credential field): say that, not "scope";
		// it is n8n-core's NodeApiError, and wrapping one again hands back the original
		if (isAuthFailure(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
		const f = describeFailure(error);
		const message =
			f.network || isRetryable(f)
				? `Could not list your Google Cloud projects: Resource Manager ${f.status ? `answered HTTP ${f.status}` : 'did not answer'} on every attempt. Try again later, or type the service account email instead.`
				: 'Could not list your Google Cloud projects: the connection needs the cloud-platform scope ("All Cards" or "Admin Settings" scope set). You can type the service account email instead.';
		// through the package's one NodeApiError factory, given nothing of Google's to add to our words:
		// those go in the description
		throw Object.assign(
			apiError(
				ctx.getNode(),
				{ network: false },
				{ what: 'GET Resource Manager projects', prefix: message },
			),
			{
				httpCode: f.status ? String(f.status) : null,
				description: f.message ?? null,
			},
		);
	}
	return projects
		.filter((p) => p.lifecycleState === undefined || p.lifecycleState === 'ACTIVE')
		.map((p) => ({ projectId: String(p.projectId), name: p.name as string | undefined }));
}

/** Service accounts of one project (IAM v1 serviceAccounts.list); a project the account may not list yields none. */
export async function listServiceAccounts(
	ctx: Context,
	projectId: string,
	maxPages = 5,
): Promise<CloudServiceAccount[]> {
	const url = `${IAM}${encodeURIComponent(projectId)}/serviceAccounts`;
	const accounts = await collectPages(
		async (pageToken) => {
			try {
				return await cloudPage(ctx, url, 'accounts', pageToken);
			} catch {
				// e.g. 403 on a project where the account only sees the project itself: skip it (keeping the pages read)
				return { items: [] };
			}
		},
		{ maxPages },
	);
	return accounts
		.filter((sa) => sa.disabled !== true)
		.map((sa) => ({
			email: String(sa.email),
			displayName: sa.displayName as string | undefined,
			projectId,
		}));
}
