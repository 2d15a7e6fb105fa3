import type { IDataObject } from 'n8n-workflow';

import type { EventKind, PendingEvent, TriggerEvent } from './events';

/**
 * What the trigger keeps in the workflow's static data (plain JSON, saved by n8n with the execution, or
 * committed when a poll emits nothing), so that n8n can stop and start between any two polls.
 */
export interface TriggerState {
	version: 1;
	/** The event the state was built for; another event starts a fresh queue (the cursor stays). */
	event?: TriggerEvent;
	/** Gmail history id read up to (every event before it is emitted, dropped by a filter, or queued). */
	historyId?: string;
	/** Events read but not emitted yet (beyond Max Emails per Poll), oldest first. */
	queue: PendingEvent[];
	/** Newest internalDate (ms) of an emitted message, or the activation time. */
	lastInternalDate?: number;
	/** When (ms, n8n's clock) the last poll that read the history (or started the cursor) began. */
	lastReadAt?: number;
	/** Emitted messages a resync's search would find again (see resyncFromMs), to leave out. */
	boundary: BoundaryMessage[];
}

export interface BoundaryMessage {
	id: string;
	internalDate: number;
}

const KINDS: EventKind[] = ['messageAdded', 'labelAdded', 'labelRemoved'];
/** At most this many remembered messages (static data stays small); the oldest are forgotten. */
const MAX_BOUNDARY_IDS = 5000;

const finite = (v: unknown) => (typeof v === 'number' && Number.isFinite(v) ? v : undefined);
const isText = (v: unknown): v is string => typeof v === 'string' && v.length > 0;

/** The state from static data; anything malformed is dropped (a fresh start is safer than a crash loop). */
export function readState(data: IDataObject): TriggerState {
	const queue = Array.isArray(data.queue)
		? (data.queue as unknown[]).filter(
				(e): e is PendingEvent =>
					!!e &&
					typeof e === 'object' &&
					KINDS.includes((e as PendingEvent).kind) &&
					isText((e as PendingEvent).messageId) &&
					isText((e as PendingEvent).historyId),
			)
		: [];
	return {
		version: 1,
		event: data.event === 'newEmail' || data.event === 'labelChanged' ? data.event : undefined,
		historyId: isText(data.historyId) && /^\d+$/.test(data.historyId) ? data.historyId : undefined,
		queue: queue.map((e) => ({ ...e, ...(e.labelIds ? { labelIds: [...e.labelIds] } : {}) })),
		lastInternalDate: finite(data.lastInternalDate),
		lastReadAt: finite(data.lastReadAt),
		boundary: Array.isArray(data.boundary)
			? (data.boundary as unknown[])
					.filter(
						(b): b is BoundaryMessage =>
							!!b &&
							typeof b === 'object' &&
							isText((b as BoundaryMessage).id) &&
							Number.isFinite((b as BoundaryMessage).internalDate),
					)
					.map((b) => ({ id: b.id, internalDate: b.internalDate }))
			: [],
	};
}

/** Write the state into n8n's static data object (in place: n8n watches that object). */
export function writeState(data: IDataObject, state: TriggerState): void {
	for (const key of Object.keys(data)) delete data[key];
	Object.assign(data, JSON.parse(JSON.stringify(state)) as IDataObject);
}

/**
 * How far before the boundary a resync searches. Delivered mail carries its receive time as internalDate, but
 * a message can arrive with an earlier one (a burst stamped a second apart, an import): a minute of margin,
 * and every message emitted within it is remembered so that it is not emitted twice.
 */
export const RESYNC_MARGIN_MS = 60_000;

/**
 * Where a resync's search starts (ms, on a whole second): a margin before the earlier of the newest emitted
 * message and the last successful read of the history (mail that arrived since has a later receive time).
 */
export function resyncFromMs(
	state: Pick<TriggerState, 'lastInternalDate' | 'lastReadAt'>,
	now: number,
): number {
	const horizon =
		Math.min(state.lastInternalDate ?? now, state.lastReadAt ?? now) - RESYNC_MARGIN_MS;
	return (Math.floor(horizon / 1000) - 1) * 1000;
}

/** Forget emitted messages a resync can no longer find (the start only moves forward). */
export function pruneBoundary(state: TriggerState, now: number): void {
	const start = resyncFromMs(state, now);
	state.boundary = state.boundary.filter((b) => b.internalDate >= start).slice(-MAX_BOUNDARY_IDS);
}

/**
 * Note an emitted message: lastInternalDate only moves forward, and a message a resync's search would
 * find again (internalDate at or after its start) is remembered.
 */
export function noteEmitted(
	state: TriggerState,
	id: string,
	internalDate: number | undefined,
	now: number,
): void {
	if (internalDate === undefined || !Number.isFinite(internalDate)) return;
	if (state.lastInternalDate === undefined || internalDate > state.lastInternalDate)
		state.lastInternalDate = internalDate;
	state.boundary = state.boundary.filter((b) => b.id !== id);
	if (internalDate >= resyncFromMs(state, now)) state.boundary.push({ id, internalDate });
	pruneBoundary(state, now);
}
