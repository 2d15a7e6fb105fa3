import type { ILoadOptionsFunctions, INodeListSearchResult } from 'n8n-workflow';

import { listProjects } from '../readiness/cloud';

/** Cloud Project dropdown of the instant trigger: the projects the connected account can see. */
export async function searchCloudProjects(
	this: ILoadOptionsFunctions,
	filter?: string,
): Promise<INodeListSearchResult> {
	const needle = (filter ?? '').trim().toLowerCase();
	const results: INodeListSearchResult['results'] = [];
	for (const project of await listProjects(this)) {
		const label = project.name ? `${project.name} (${project.projectId})` : project.projectId;
		if (needle && !label.toLowerCase().includes(needle)) continue;
		results.push({
			name: label,
			value: project.projectId,
			url: `https://console.cloud.google.com/cloudpubsub/topic/list?project=${encodeURIComponent(project.projectId)}`,
		});
	}
	return { results };
}
