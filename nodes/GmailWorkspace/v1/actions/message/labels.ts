import type { IExecuteFunctions } from 'n8n-workflow';

import { gmailApiRequest } from '../../transport';

/** Label id → name of the connected mailbox (labels.list, 1 quota unit); call once per node run. */
export async function loadLabelNames(ctx: IExecuteFunctions): Promise<Map<string, string>> {
	const r = await gmailApiRequest<{ labels?: Array<{ id: string; name: string }> }>(
		ctx,
		'gmail.users.labels.list',
	);
	return new Map((r.labels ?? []).map((l) => [l.id, l.name]));
}
