import type { IDataObject, JsonObject } from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS } from '../../../../credentials/googleJwt';
import { isAuthFailure } from './auth';
import { credentialType, type Context } from './credentials';
import { describeFailure, isRetryable } from './errors';
import { withRetries } from './retry';

const CRM = 'https://cloudresourcemanager.googleapis.com/v1/projects';
const IAM = 'https://iam.googleapis.com/v1/projects/';

export interface CloudServiceAccount {
	email: string;
	displayName?: string;
	projectId: string;
}

/** One read of Resource Manager or IAM, with a deadline; 5xx, 429 and network failures are retried. */
async function cloudGet(ctx: Context, url: string, qs: IDataObject): Promise<IDataObject> {
	return await withRetries(
		async () =>
			(await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
				method: 'GET',
				url,
				qs,
				json: true,
				timeout: DEFAULT_TIMEOUT_MS,
			})) as IDataObject,
		(error) => error as Error,
	);
}

/** The Google Cloud projects the connected account can see (Resource Manager v1 projects.list). */
export async function listProjects(ctx: Context, maxPages = 5): Promise<Array<{ projectId: string; name?: string }>> {
	const out: Array<{ projectId: string; name?: string }> = [];
	let pageToken: string | undefined;
	try {
		for (let page = 0; page < maxPages; page++) {
			const res = await cloudGet(ctx, CRM, { pageSize: 100, ...(pageToken ? { pageToken } : {}) });
			for (const p of (res.projects as IDataObject[] | undefined) ?? []) {
				if (p.lifecycleState === undefined || p.lifecycleState === 'ACTIVE') out.push({ projectId: String(p.projectId), name: p.name as string | undefined });
			}
			pageToken = res.nextPageToken as string | undefined;
			if (!pageToken) break;
		}
	} catch (error) {
		// the connection's own token failed (its message names the credential field): say that, not "scope";
		// it is n8n-core's NodeApiError, and wrapping one again hands back the original
		if (isAuthFailure(error)) throw new NodeApiError(ctx.getNode(), error as JsonObject);
		const f = describeFailure(error);
		if (f.network || isRetryable(f)) {
			throw new NodeApiError(ctx.getNode(), error as JsonObject, {
				message: `Could not list your Google Cloud projects: Resource Manager ${f.status ? `answered HTTP ${f.status}` : 'did not answer'} on every attempt. Try again later, or type the service account email instead.`,
				description: f.message,
			});
		}
		throw new NodeApiError(ctx.getNode(), error as JsonObject, {
			message: 'Could not list your Google Cloud projects: the connection needs the cloud-platform scope ("All Cards" or "Admin Settings" scope set). You can type the service account email instead.',
			description: f.message,
		});
	}
	return out;
}

/** Service accounts of one project (IAM v1 serviceAccounts.list); a project the account may not list yields none. */
export async function listServiceAccounts(ctx: Context, projectId: string, maxPages = 5): Promise<CloudServiceAccount[]> {
	const out: CloudServiceAccount[] = [];
	let pageToken: string | undefined;
	try {
		for (let page = 0; page < maxPages; page++) {
			const res = await cloudGet(ctx, `${IAM}${encodeURIComponent(projectId)}/serviceAccounts`, { pageSize: 100, ...(pageToken ? { pageToken } : {}) });
			for (const sa of (res.accounts as IDataObject[] | undefined) ?? []) {
				if (sa.disabled === true) continue;
				out.push({ email: String(sa.email), displayName: sa.displayName as string | undefined, projectId });
			}
			pageToken = res.nextPageToken as string | undefined;
			if (!pageToken) break;
		}
	} catch {
		// e.g. 403 on a project where the account only sees the project itself: skip it
	}
	return out;
}
