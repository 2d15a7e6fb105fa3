import { gmailApiRequest } from '../../transport';
import type { Context } from '../../transport/credentials';

/** Label id → name of the connected mailbox (labels.list, 1 quota unit); call once per node run. */
export async function loadLabelNames(ctx: Context): Promise<Map<string, string>> {
	const r = await gmailApiRequest<{ labels?: Array<{ id: string; name: string }> }>(
		ctx,
		'gmail.users.labels.list',
	);
	return new Map((r.labels ?? []).map((l) => [l.id, l.name]));
}
