import type { ILoadOptionsFunctions, INodePropertyOptions } from 'n8n-workflow';

import { LabelDirectory } from '../actions/message/labels';
import { gmailApiRequest } from '../transport';

/**
 * The mailbox's labels, system labels first, then user labels by name (nested ones by their full name). Read
 * through the transport like every call, so a 429 is waited out (pacer, Retry-After, retries) instead of
 * leaving the dropdown empty.
 */
export async function getLabels(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const labels = (await LabelDirectory.load(this)).all;
	return labels
		.sort((a, b) =>
			a.type === b.type ? a.name.localeCompare(b.name) : a.type === 'system' ? -1 : 1,
		)
		.map((l) => ({ name: l.name, value: l.id }));
}

/** The account's send-as addresses (its own first). */
export async function getSendAs(this: ILoadOptionsFunctions): Promise<INodePropertyOptions[]> {
	const r = await gmailApiRequest<{
		sendAs?: Array<{ sendAsEmail: string; displayName?: string; isPrimary?: boolean }>;
	}>(this, 'gmail.users.settings.sendAs.list');
	return (r.sendAs ?? [])
		.sort((a, b) => Number(!!b.isPrimary) - Number(!!a.isPrimary))
		.map((a) => ({
			name: a.displayName ? `${a.displayName} <${a.sendAsEmail}>` : a.sendAsEmail,
			value: a.sendAsEmail,
		}));
}
