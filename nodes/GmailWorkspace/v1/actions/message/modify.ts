import type { IDataObject, IExecuteFunctions, INodeExecutionData } from 'n8n-workflow';

import { gmailApiRequest, gmailBatch } from '../../transport';
import { apiError, describeFailure, type HttpFailure } from '../../transport/errors';
import { collectPages } from '../../transport/paginate';
import { asNodeError, forEachItem } from '../helpers/items';
import { messageIdParam } from './messageId';

/**
 * The shared engine of the message cards that change labels or delete (Add / Remove Labels, Mark as Read /
 * Unread, Archive, Move to Trash, Restore from Trash, Delete Permanently).
 *
 * Many items become a few calls: items asking for the same change are grouped and sent as
 * `messages.batchModify` (or `batchDelete`), up to 1,000 IDs per call, 50 quota units each, instead of one
 * 5-unit `modify` per item. Gmail answers both with an empty 204 and silently ignores IDs it does not know, so
 * the outcome per message is read back cheaply from the mailbox history (getProfile before, 1 unit; then
 * history.list, 2 units per page of up to 500 records): each changed message has a record with its labels
 * after the change. A message without a record (nothing to change, or not there) is read with
 * `messages.get?format=minimal` through the batch endpoint; a 404 fails that item only. A call Gmail refuses
 * as a whole (400, e.g. "Invalid id value" for one malformed ID) is redone one message at a time, so a bad ID
 * fails its own item. Every step is linear in the number of items.
 */

export const BATCH_MAX_IDS = 1000;

export interface LabelChange {
	add: string[];
	remove: string[];
}

type Outcome =
	| { ok: true; value: IDataObject }
	| { ok: false; failure: HttpFailure; error: unknown };

interface Group {
	change: LabelChange;
	ids: string[];
	/** Messages the group's call failed for (a failure that is not the message's own). */
	failed: Map<string, Outcome>;
}

interface HistoryChange {
	message?: { id?: string; threadId?: string; labelIds?: string[] };
}
interface HistoryRecord {
	id?: string;
	labelsAdded?: HistoryChange[];
	labelsRemoved?: HistoryChange[];
	messagesDeleted?: HistoryChange[];
}

const failed = (error: unknown): Outcome => ({ ok: false, failure: describeFailure(error), error });

/** Each item's message ID; with Continue On Fail off, a bad one stops the run before anything changes. */
async function planItems<T>(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	plan: (i: number) => Promise<T>,
): Promise<Array<{ id: string; value: T } | Error>> {
	const plans: Array<{ id: string; value: T } | Error> = [];
	for (let i = 0; i < items.length; i++) {
		try {
			plans.push({ id: messageIdParam(ctx, i), value: await plan(i) });
		} catch (error) {
			if (!ctx.continueOnFail()) throw asNodeError(ctx.getNode(), error, i);
			plans.push(error as Error);
		}
	}
	return plans;
}

/** The mailbox's current history id (getProfile, 1 unit): what the history read starts after. */
async function historyStart(ctx: IExecuteFunctions): Promise<string | undefined> {
	const p = await gmailApiRequest<{ historyId?: string | number }>(ctx, 'gmail.users.getProfile');
	return p.historyId === undefined ? undefined : String(p.historyId);
}

/**
 * History records after `start` of the given kinds, at most `maxPages` pages (500 records each); undefined when
 * Gmail no longer has that history or the read fails (the caller then reads the messages instead).
 */
async function historySince(
	ctx: IExecuteFunctions,
	start: string | undefined,
	historyTypes: string[],
	maxPages: number,
): Promise<HistoryRecord[] | undefined> {
	if (!start) return undefined;
	try {
		return await collectPages<HistoryRecord>(
			async (pageToken) => {
				const page = await gmailApiRequest<{ history?: HistoryRecord[]; nextPageToken?: string }>(
					ctx,
					'gmail.users.history.list',
					{
						qs: {
							startHistoryId: start,
							historyTypes,
							maxResults: 500,
							...(pageToken ? { pageToken } : {}),
						},
					},
				);
				return { items: page.history ?? [], nextPageToken: page.nextPageToken };
			},
			{ maxPages },
		);
	} catch {
		return undefined;
	}
}

const short = (m: { id?: string; threadId?: string; labelIds?: string[] }): IDataObject => ({
	id: m.id,
	threadId: m.threadId,
	labelIds: m.labelIds ?? [],
});

/** The error of one item whose message could not be changed: 404 names the ID. */
function itemError(
	ctx: IExecuteFunctions,
	id: string,
	o: Outcome,
	itemIndex: number,
	verb: string,
) {
	if (o.ok) throw new Error('not a failure');
	if (o.failure.status === undefined) return asNodeError(ctx.getNode(), o.error, itemIndex);
	const what = `messages ${id}`;
	if (o.failure.status === 404)
		return apiError(ctx.getNode(), o.failure, {
			what,
			itemIndex,
			message: `Message "${id}" was not found in this mailbox`,
		});
	return apiError(ctx.getNode(), o.failure, {
		what,
		itemIndex,
		prefix: `Gmail did not ${verb} message "${id}"${o.failure.status ? ` (HTTP ${o.failure.status})` : ''}`,
	});
}

const keyOf = (c: LabelChange) =>
	JSON.stringify([[...new Set(c.add)].sort(), [...new Set(c.remove)].sort()]);

/** Group items by the change they ask for: one batch call per group and 1,000 IDs. */
function groupPlans(plans: Array<{ id: string; value: LabelChange } | Error>) {
	const groups = new Map<string, Group>();
	const seen = new Map<string, Set<string>>();
	for (const p of plans) {
		if (p instanceof Error) continue;
		const key = keyOf(p.value);
		const [add, remove] = JSON.parse(key) as [string[], string[]];
		let g = groups.get(key);
		if (!g) {
			g = { change: { add, remove }, ids: [], failed: new Map() };
			groups.set(key, g);
			seen.set(key, new Set());
		}
		if (!seen.get(key)!.has(p.id)) {
			seen.get(key)!.add(p.id);
			g.ids.push(p.id);
		}
	}
	return groups;
}

/**
 * Change the labels of each item's message (see the header). `change(i)` gives item i's labels to add and
 * remove (label IDs); `verb` words errors ("add labels to"). One output item per input item:
 * `{id, threadId, labelIds}` (the message's labels after the change).
 */
export async function modifyMessages(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
	change: (i: number) => Promise<LabelChange>,
	verb: string,
): Promise<INodeExecutionData[]> {
	const plans = await planItems(ctx, items, change);
	const groups = groupPlans(plans);
	const state = new Map<string, Outcome>();
	if (groups.size) {
		const start = await historyStart(ctx);
		const sent = new Set<string>();
		const oneByOne: Array<{ id: string; change: LabelChange }> = [];
		for (const g of groups.values()) {
			const body = {
				...(g.change.add.length ? { addLabelIds: g.change.add } : {}),
				...(g.change.remove.length ? { removeLabelIds: g.change.remove } : {}),
			};
			for (let s = 0; s < g.ids.length; s += BATCH_MAX_IDS) {
				const chunk = g.ids.slice(s, s + BATCH_MAX_IDS);
				try {
					// a label change is idempotent: retrying one that may have been applied is safe
					await gmailApiRequest(ctx, 'gmail.users.messages.batchModify', {
						body: { ids: chunk, ...body },
					});
					for (const id of chunk) sent.add(id);
				} catch (error) {
					const f = describeFailure(error);
					if (f.status === 400) for (const id of chunk) oneByOne.push({ id, change: g.change });
					else for (const id of chunk) g.failed.set(id, failed(error));
				}
			}
		}

		// labels after the change, from the history records the change wrote
		const kinds = new Set<string>();
		for (const g of groups.values()) {
			if (g.change.add.length) kinds.add('labelAdded');
			if (g.change.remove.length) kinds.add('labelRemoved');
		}
		const records = sent.size
			? await historySince(ctx, start, [...kinds], Math.ceil((2 * sent.size) / 500) + 2)
			: undefined;
		for (const r of records ?? [])
			for (const c of [...(r.labelsAdded ?? []), ...(r.labelsRemoved ?? [])])
				if (c.message?.id && sent.has(c.message.id))
					state.set(c.message.id, { ok: true, value: short(c.message) });

		// no record: nothing changed for it, or it does not exist: read it (minimal: ids and labels only)
		const unread = [...sent].filter((id) => !state.has(id));
		const got = await gmailBatch<IDataObject>(
			ctx,
			unread.map((id) => ({
				id: 'gmail.users.messages.get',
				params: { id },
				qs: { format: 'minimal', fields: 'id,threadId,labelIds' },
			})),
		);
		got.forEach((o, k) =>
			state.set(
				unread[k],
				o.ok
					? { ok: true, value: short(o.value) }
					: { ok: false, failure: o.failure, error: o.failure },
			),
		);

		// a call Gmail refused as a whole: each message on its own, so a bad ID fails only its item
		for (const { id, change: c } of oneByOne) {
			try {
				const m = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.messages.modify', {
					params: { id },
					body: {
						...(c.add.length ? { addLabelIds: c.add } : {}),
						...(c.remove.length ? { removeLabelIds: c.remove } : {}),
					},
				});
				state.set(id, { ok: true, value: short(m) });
			} catch (error) {
				state.set(id, failed(error));
			}
		}
	}

	return await forEachItem(ctx, items, async (i) => {
		const p = plans[i];
		if (p instanceof Error) throw p;
		const g = groups.get(keyOf(p.value))!;
		const o = g.failed.get(p.id) ?? state.get(p.id);
		if (!o) throw new Error(`No outcome for message "${p.id}"`);
		if (!o.ok) throw itemError(ctx, p.id, o, i, verb);
		return { ...o.value };
	});
}

/**
 * Delete each item's message for good (`messages.batchDelete`, 50 units per 1,000 IDs; needs the full
 * https://mail.google.com/ scope). Gmail gives no guarantee that the IDs existed, so each deletion is confirmed by
 * its messageDeleted history record; an ID without one was not in the mailbox and fails its item.
 * Output: `{id, threadId, deleted: true}`.
 */
export async function deleteMessages(
	ctx: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const plans = await planItems(ctx, items, async () => undefined);
	const ids = [...new Set(plans.flatMap((p) => (p instanceof Error ? [] : [p.id])))];
	const state = new Map<string, Outcome>();
	if (ids.length) {
		const start = await historyStart(ctx);
		const sent: string[] = [];
		const oneByOne: string[] = [];
		for (let s = 0; s < ids.length; s += BATCH_MAX_IDS) {
			const chunk = ids.slice(s, s + BATCH_MAX_IDS);
			try {
				// deleting again what is gone is ignored by Gmail: a retry is safe
				await gmailApiRequest(ctx, 'gmail.users.messages.batchDelete', { body: { ids: chunk } });
				sent.push(...chunk);
			} catch (error) {
				if (describeFailure(error).status === 400) oneByOne.push(...chunk);
				else for (const id of chunk) state.set(id, failed(error));
			}
		}
		const records = sent.length
			? await historySince(ctx, start, ['messageDeleted'], Math.ceil(sent.length / 500) + 2)
			: undefined;
		const wanted = new Set(sent);
		for (const r of records ?? [])
			for (const c of r.messagesDeleted ?? [])
				if (c.message?.id && wanted.has(c.message.id))
					state.set(c.message.id, {
						ok: true,
						value: { id: c.message.id, threadId: c.message.threadId, deleted: true },
					});
		for (const id of sent) {
			if (state.has(id)) continue;
			// no record: Gmail had no such message; when the history could not be read, the call stands
			state.set(
				id,
				records
					? { ok: false, failure: { status: 404, network: false }, error: undefined }
					: { ok: true, value: { id, deleted: true } },
			);
		}
		for (const id of oneByOne) {
			try {
				await gmailApiRequest(ctx, 'gmail.users.messages.delete', { params: { id } });
				state.set(id, { ok: true, value: { id, deleted: true } });
			} catch (error) {
				state.set(id, failed(error));
			}
		}
	}
	return await forEachItem(ctx, items, async (i) => {
		const p = plans[i];
		if (p instanceof Error) throw p;
		const o = state.get(p.id)!;
		if (!o.ok) throw itemError(ctx, p.id, o, i, 'delete');
		return { ...o.value };
	});
}
