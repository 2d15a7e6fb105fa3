/**
 * Delivery-time filters (the stand-in's stand-in for Gmail filters; users.settings.filters is not served).
 *
 * Gmail applies a filter while the message arrives, so the message is added to the mailbox already carrying the
 * filter's labels: history shows one messageAdded record with those labels, not a messageAdded followed by a
 * labelAdded. (A trigger that watches labelAdded never sees filter-labelled mail: PipedreamHQ/pipedream#11394,
 * activepieces/activepieces#7757; and one that asks history.list for labelId=INBOX misses mail a filter archived:
 * Nine-Minds/alga-psa#1322.)
 */
import { badRequest } from '../core/errors';
import { parseQuery, matches } from './search';
import { headersAll } from './mime';
import { derive, searchDoc, type DeliveryFilter, type GmailState, type Mailbox, type StoredMessage } from './store';

export type { DeliveryFilter } from './store';

/** What POST /__standin/filters takes (the filter without its id). */
export type FilterInput = Omit<DeliveryFilter, 'id'>;

const lower = (v: string) => v.toLowerCase();

/** Validate a filter against the mailbox (criteria present, labels exist) and add it. */
export function addFilter(g: GmailState, mb: Mailbox, input: FilterInput): DeliveryFilter {
	const f: DeliveryFilter = { id: g.newFilterId() };
	for (const k of ['from', 'to', 'subjectContains', 'query'] as const) {
		const v = input[k];
		if (v === undefined) continue;
		if (typeof v !== 'string' || !v.trim()) throw badRequest(`filter ${k} must be a non-empty string`);
		f[k] = v;
	}
	if (!f.from && !f.to && !f.subjectContains && !f.query) throw badRequest('Filter must have at least one criterion (from, to, subjectContains, query)');
	if (f.query) {
		try {
			parseQuery(f.query);
		} catch (e) {
			throw badRequest(`filter query: ${(e as Error).message}`);
		}
	}
	for (const k of ['addLabelIds', 'removeLabelIds'] as const) {
		const v = input[k];
		if (v === undefined) continue;
		if (!Array.isArray(v)) throw badRequest(`filter ${k} must be an array of label ids`);
		for (const id of v) if (typeof id !== 'string' || !mb.labels.has(id)) throw badRequest(`Invalid label: ${id}`);
		f[k] = [...v];
	}
	if (!f.addLabelIds?.length && !f.removeLabelIds?.length) throw badRequest('Filter must have an action (addLabelIds or removeLabelIds)');
	mb.filters.push(f);
	return f;
}

/** Does the filter match a message arriving in the mailbox? Every criterion given must match. */
export function filterMatches(f: DeliveryFilter, mb: Mailbox, m: StoredMessage, now: number): boolean {
	const mime = derive(m.raw).mime;
	const inHeaders = (names: string[], needle: string) => names.some((n) => headersAll(mime, n).some((v) => lower(v).includes(lower(needle))));
	if (f.from && !inHeaders(['From'], f.from)) return false;
	if (f.to && !inHeaders(['To', 'Cc', 'Delivered-To'], f.to)) return false;
	if (f.subjectContains && !inHeaders(['Subject'], f.subjectContains)) return false;
	if (f.query && !matches(searchDoc(m, (id) => mb.labelName(id)), parseQuery(f.query), { now, me: mb.email })) return false;
	return true;
}

/**
 * The labels an arriving message ends up with: `labelIds` (INBOX, UNREAD, …) changed by every matching filter, in
 * the order the filters were added. Returns the labels and the ids of the filters that matched.
 */
export function applyFilters(mb: Mailbox, raw: Buffer, labelIds: string[], internalDate: number, now: number): { labelIds: string[]; matched: string[] } {
	let labels = [...new Set(labelIds)];
	const matched: string[] = [];
	const probe: StoredMessage = { id: '', threadId: '', raw, labelIds: labels, internalDate, historyId: 0 };
	for (const f of mb.filters) {
		probe.labelIds = labels;
		if (!filterMatches(f, mb, probe, now)) continue;
		matched.push(f.id);
		labels = labels.filter((l) => !f.removeLabelIds?.includes(l));
		for (const l of f.addLabelIds ?? []) if (!labels.includes(l)) labels.push(l);
	}
	return { labelIds: labels, matched };
}
