import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listProjects, listServiceAccounts } from '../readiness/cloud';

/**
 * Service Account dropdown of the admin cards: the connected account's Google Cloud projects, then
 * each project's service accounts (through the connection's token). The "By Email" mode is the free-text fallback.
 */
export async function searchServiceAccounts(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const projects = await listProjects(this);
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchResult['results'] = [];
	for (const project of projects) {
		for (const sa of await listServiceAccounts(this, project.projectId)) {
			const label = `${sa.displayName ? `${sa.displayName} — ` : ''}${sa.email} (${project.name ?? project.projectId})`;
			if (needle && !label.toLowerCase().includes(needle)) continue;
			results.push({
				name: label,
				value: sa.email,
				url: `https://console.cloud.google.com/iam-admin/serviceaccounts?project=${encodeURIComponent(project.projectId)}`,
			});
		}
	}
	return { results };
}
