import type { IDataObject } from 'n8n-workflow';

import { sleep } from 'n8n-workflow';

import { fromGmailPayloadAsync, type GmailParsedMessage } from '../../mime';
import type { Detail } from '../actions/message/fetch';
import { gmailApiRequest, gmailBatch } from '../transport';
import type { HttpFailure } from '../transport/errors';
import { collectPages } from '../transport/paginate';
import type { TriggerContext } from './config';
import { compareHistoryIds, type HistoryRecord } from './events';

/** The Gmail calls of the trigger, all through the package's transport (quota pacing, retries, deadlines). */

export interface TriggerMessage {
	message: GmailParsedMessage;
	/** ms since epoch; Gmail's receive time, which its after: search uses. */
	internalDate?: number;
	historyId?: string;
}

export type FetchOutcome =
	| { ok: true; value: TriggerMessage }
	| { ok: false; failure: HttpFailure };

/**
 * Get messages through the batch endpoint, as Read Email does (fetchMessages), keeping internalDate and
 * historyId, which the trigger's cursor needs. One outcome per distinct id.
 */
export async function fetchForTrigger(
	ctx: TriggerContext,
	ids: string[],
	detail: Exclude<Detail, 'raw'>,
): Promise<Map<string, FetchOutcome>> {
	const unique = [...new Set(ids)];
	const outcomes = await gmailBatch<IDataObject>(
		ctx,
		unique.map((id) => ({
			id: 'gmail.users.messages.get',
			params: { id },
			qs: { format: detail },
		})),
	);
	const byId = new Map<string, FetchOutcome>();
	for (const [i, o] of outcomes.entries()) {
		if (!o.ok) {
			byId.set(unique[i], o);
			continue;
		}
		const internalDate = Number(o.value.internalDate);
		byId.set(unique[i], {
			ok: true,
			value: {
				// parsed in slices that yield to n8n's event loop (a 20 MB HTML body must not freeze it)
				message: await fromGmailPayloadAsync(o.value as never, {
					yieldFn: async () => await sleep(0),
				}),
				internalDate:
					Number.isFinite(internalDate) && o.value.internalDate !== undefined
						? internalDate
						: undefined,
				historyId: o.value.historyId === undefined ? undefined : String(o.value.historyId),
			},
		});
	}
	return byId;
}

/** The mailbox's current history id (getProfile, 1 unit). */
export async function currentHistoryId(ctx: TriggerContext): Promise<string> {
	const profile = await gmailApiRequest<{ historyId?: string | number }>(
		ctx,
		'gmail.users.getProfile',
	);
	return String(profile.historyId ?? '');
}

/** Every history record after `startHistoryId` (all pages), and the history id to continue from. */
export async function readHistory(
	ctx: TriggerContext,
	startHistoryId: string,
	historyTypes: string[],
): Promise<{ records: HistoryRecord[]; historyId: string }> {
	let historyId = startHistoryId;
	const records = await collectPages<HistoryRecord>(async (pageToken) => {
		const page = await gmailApiRequest<{
			history?: HistoryRecord[];
			nextPageToken?: string;
			historyId?: string | number;
		}>(ctx, 'gmail.users.history.list', {
			qs: { startHistoryId, historyTypes, maxResults: 500, ...(pageToken ? { pageToken } : {}) },
		});
		if (page.historyId !== undefined && compareHistoryIds(String(page.historyId), historyId) > 0)
			historyId = String(page.historyId);
		return { items: page.history ?? [], nextPageToken: page.nextPageToken };
	});
	for (const r of records)
		if (compareHistoryIds(String(r.id), historyId) > 0) historyId = String(r.id);
	return { records, historyId };
}

/** Message ids of a Gmail search, newest first (messages.list pages, 5 units each). */
export async function searchIds(
	ctx: TriggerContext,
	search: { q: string; labelIds?: string[]; includeSpamTrash: boolean },
	limit = Infinity,
): Promise<string[]> {
	return await collectPages<string>(
		async (pageToken, remaining) => {
			const page = await gmailApiRequest<{
				messages?: Array<{ id: string }>;
				nextPageToken?: string;
			}>(ctx, 'gmail.users.messages.list', {
				qs: {
					...(search.q ? { q: search.q } : {}),
					maxResults: Math.max(1, Math.min(500, remaining)),
					...(search.labelIds?.length ? { labelIds: search.labelIds } : {}),
					...(search.includeSpamTrash ? { includeSpamTrash: true } : {}),
					...(pageToken ? { pageToken } : {}),
				},
			});
			return { items: (page.messages ?? []).map((m) => m.id), nextPageToken: page.nextPageToken };
		},
		{ limit },
	);
}

/** Whether an error is Gmail's answer to a start history id it no longer keeps (404). */
export function isHistoryExpired(error: unknown): boolean {
	const e = error as { httpCode?: string | null; cause?: { httpCode?: string } } | undefined;
	return String(e?.httpCode ?? '') === '404';
}
