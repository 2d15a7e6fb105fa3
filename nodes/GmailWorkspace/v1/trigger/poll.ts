import type { IDataObject, INodeExecutionData } from 'n8n-workflow';

import { fetchError } from '../actions/message/fetch';
import { loadLabelNames } from '../actions/message/labels';
import { messageItem } from '../actions/message/output';
import {
	readSettings,
	resolveLabelFilters,
	type PollSettings,
	type TriggerContext,
} from './config';
import {
	compareHistoryIds,
	eventsFromHistory,
	historyTypes,
	newEmailRejection,
	newEmailSearch,
	watchedLabelsOf,
	type EventKind,
	type PendingEvent,
	type TriggerConfig,
} from './events';
import {
	currentHistoryId,
	fetchForTrigger,
	isHistoryExpired,
	readHistory,
	searchIds,
	type TriggerMessage,
} from './gmail';
import {
	noteEmitted,
	pruneBoundary,
	readState,
	resyncFromMs,
	writeState,
	type TriggerState,
} from './state';

/** n8n's default poll budget when the host does not tell (older n8n versions). */
const DEFAULT_BUDGET_MS = 5 * 60_000;
/** Messages fetched per round of a poll; between rounds the poll checks its time budget. */
const ROUND = 100;
/** Candidates the manual test looks at. */
const TEST_CANDIDATES = 10;

/**
 * One poll of the Gmail Workspace Trigger. Manual test: the newest matching message, state untouched.
 * Active: read Gmail's history from the cursor (or start it), queue the events, emit up to Max Emails per
 * Poll of them oldest first, and keep the rest and the cursor in the workflow's static data.
 */
export async function pollTrigger(ctx: TriggerContext): Promise<INodeExecutionData[][] | null> {
	const settings = readSettings(ctx);
	if (ctx.getMode() === 'manual') {
		await resolveLabelFilters(ctx, settings.cfg);
		return await testEvent(ctx, settings);
	}
	// Instant delivery reads the history from its own trigger(); n8n's poll times then do nothing
	if (settings.delivery === 'instant') return null;
	return await readAndDrain(ctx, settings);
}

/**
 * One read of the history from the saved cursor and one drain of the queue: a poll, or the instant
 * delivery's answer to a notification (and its regular catch-up). Null when there is nothing to emit.
 */
export async function readAndDrain(
	ctx: TriggerContext,
	settings: PollSettings,
): Promise<INodeExecutionData[][] | null> {
	// n8n starts a poll at every poll time, also while the previous one still runs (a backlog paced by
	// Gmail's quota can take minutes): a second poll would read the same saved cursor and emit the same
	// messages again, so it is skipped; the running poll saves the cursor and the queue when it ends
	const started = Date.now();
	const key = `${ctx.getWorkflow().id ?? ''}/${ctx.getNode().id ?? ctx.getNode().name}`;
	const previous = running.get(key);
	if (previous !== undefined && started - previous < pollBudgetMs(ctx) + LEASE_MARGIN_MS) {
		ctx.logger.info(
			`Gmail Workspace Trigger "${ctx.getNode().name}": the poll that started at ${new Date(previous).toISOString()} ` +
				'is still running; this poll time is skipped (the next one continues from the saved cursor)',
			{ workflowId: ctx.getWorkflow().id, nodeName: ctx.getNode().name },
		);
		return null;
	}
	running.set(key, started);
	try {
		await resolveLabelFilters(ctx, settings.cfg);
		return await activePoll(ctx, settings, started);
	} finally {
		if (running.get(key) === started) running.delete(key);
	}
}

/** Polls in progress in this n8n process (start time), by workflow and node. */
const running = new Map<string, number>();
/** A poll older than its budget plus this is taken to be gone (it cannot hold the next polls back). */
const LEASE_MARGIN_MS = 60_000;

const pollBudgetMs = (ctx: TriggerContext) =>
	'getPollBudgetMs' in ctx && typeof ctx.getPollBudgetMs === 'function'
		? ctx.getPollBudgetMs()
		: DEFAULT_BUDGET_MS;

async function activePoll(
	ctx: TriggerContext,
	settings: PollSettings,
	started: number,
): Promise<INodeExecutionData[][] | null> {
	const data = ctx.getWorkflowStaticData('node');
	// work on a copy: a poll that fails leaves the saved state as it was, and the next poll repeats it
	const state = readState(data);
	if (state.event !== settings.cfg.event) {
		state.queue = [];
		state.event = settings.cfg.event;
	}
	if (!state.historyId) await startCursor(ctx, state, settings);
	else await readNewEvents(ctx, state, settings);
	// everything that arrived before `started` is in the history read (or queued)
	state.lastReadAt = started;
	const items = await drain(ctx, state, settings, started);
	pruneBoundary(state, Date.now());
	writeState(data as IDataObject, state);
	return items.length ? [items] : null;
}

/** First activation: from now on (the mailbox's current history id), plus the last N messages if asked. */
async function startCursor(ctx: TriggerContext, state: TriggerState, settings: PollSettings) {
	const historyId = await currentHistoryId(ctx);
	state.historyId = historyId;
	state.lastInternalDate = Date.now();
	state.boundary = [];
	if (settings.firstRunCount > 0) {
		const found = await searchEvents(ctx, settings.cfg, {
			historyId,
			limit: settings.firstRunCount,
		});
		enqueue(state, found);
	}
}

async function readNewEvents(ctx: TriggerContext, state: TriggerState, settings: PollSettings) {
	const from = state.historyId!;
	let read: Awaited<ReturnType<typeof readHistory>> | undefined;
	let failure: unknown;
	try {
		read = await readHistory(ctx, from, historyTypes(settings.cfg));
	} catch (error) {
		failure = error;
	}
	if (!read) {
		// the transport's NodeApiError (after its retries), passed on as it is
		if (!isHistoryExpired(failure)) throw failure as Error;
		await resync(ctx, state, settings);
		return;
	}
	enqueue(state, eventsFromHistory(read.records, settings.cfg));
	if (compareHistoryIds(read.historyId, from) > 0) state.historyId = read.historyId;
}

/**
 * Gmail no longer has the history since the cursor (404): find what arrived since the last emitted
 * message with a search, leave out what was already emitted at that boundary, and continue from the
 * mailbox's current history id (taken first, so nothing falls between the search and the new cursor).
 */
async function resync(ctx: TriggerContext, state: TriggerState, settings: PollSettings) {
	const after = Math.floor(resyncFromMs(state, Date.now()) / 1000);
	const labelChanges = settings.cfg.event === 'labelChanged';
	ctx.logger.warn(
		`Gmail Workspace Trigger "${ctx.getNode().name}": Gmail no longer keeps the mailbox history since ${state.historyId} ` +
			`(it keeps about a week, sometimes only hours). Resynchronising with a search for messages received since ` +
			`${new Date(after * 1000).toISOString()}; messages already emitted are not emitted again.` +
			(labelChanges
				? ' New messages carrying a watched label are found; label changes in the gap on messages received before it cannot be recovered from a search.'
				: ''),
		{ workflowId: ctx.getWorkflow().id, nodeName: ctx.getNode().name },
	);
	const historyId = await currentHistoryId(ctx);
	const found = await searchEvents(ctx, settings.cfg, { historyId, afterSeconds: after });
	enqueue(state, found);
	state.historyId = historyId;
}

/**
 * Events found by a search instead of the history (first run, resync, manual test), oldest first:
 * New Email's filters as a Gmail search; for labels, the messages carrying a watched label.
 */
async function searchEvents(
	ctx: TriggerContext,
	cfg: TriggerConfig,
	opts: { historyId: string; afterSeconds?: number; limit?: number; kind?: EventKind },
): Promise<PendingEvent[]> {
	let kind: EventKind;
	let search: { q: string; includeSpamTrash: boolean };
	// labels any of which counts: one search per label (Gmail's labelIds means all of them)
	let anyOf: string[] = [];
	let allOf: string[] = [];
	if (cfg.event === 'newEmail') {
		kind = 'messageAdded';
		search = { q: newEmailSearch(cfg, opts.afterSeconds), includeSpamTrash: cfg.includeSpamTrash };
		if (cfg.labelMatch === 'all') allOf = cfg.labelIds;
		else anyOf = cfg.labelIds;
	} else {
		kind = opts.kind ?? 'labelAdded';
		if (kind === 'labelAdded' && cfg.change === 'removed') return [];
		search = {
			q: opts.afterSeconds === undefined ? '' : `after:${Math.max(0, opts.afterSeconds)}`,
			includeSpamTrash: true,
		};
		anyOf = cfg.watchLabels;
	}
	let ids: string[];
	if (anyOf.length > 1) {
		const lists: string[][] = [];
		for (const label of anyOf)
			lists.push(await searchIds(ctx, { ...search, labelIds: [label] }, opts.limit));
		// Gmail's message ids grow with time: oldest first across the labels
		ids = [...new Set(lists.flat())].sort(compareHexIds);
		if (opts.limit !== undefined) ids = ids.slice(-opts.limit);
	} else {
		// Gmail answers newest first
		ids = (
			await searchIds(ctx, { ...search, labelIds: anyOf.length ? anyOf : allOf }, opts.limit)
		).reverse();
	}
	return ids.map((messageId) => ({ kind, messageId, historyId: opts.historyId, listed: true }));
}

const compareHexIds = (a: string, b: string) => a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);

/** Add events to the queue, leaving out a message already queued or already emitted at the boundary. */
function enqueue(state: TriggerState, events: PendingEvent[]) {
	const key = (e: PendingEvent) => `${e.kind}:${e.messageId}:${e.listed ? '' : e.historyId}`;
	const queued = new Set(state.queue.map(key));
	const queuedMessages = new Set(
		state.queue.filter((e) => e.kind !== 'labelRemoved').map((e) => `${e.kind}:${e.messageId}`),
	);
	const emitted = new Set(state.boundary.map((b) => b.id));
	for (const e of events) {
		if (queued.has(key(e))) continue;
		// a message that arrived is emitted once, whether history or a search found it
		if (e.kind !== 'labelRemoved' && (e.listed || e.arrived || e.kind === 'messageAdded')) {
			if (emitted.has(e.messageId) || queuedMessages.has(`${e.kind}:${e.messageId}`)) continue;
		}
		queued.add(key(e));
		if (e.kind !== 'labelRemoved') queuedMessages.add(`${e.kind}:${e.messageId}`);
		state.queue.push(e);
	}
}

/**
 * Emit up to Max Emails per Poll events from the front of the queue: fetch their messages through the
 * batch endpoint, apply the filters, build Read Email's item. A message deleted before it could be read is
 * skipped with a note; any other failure fails the poll (the queue is saved only when the poll succeeds).
 */
async function drain(
	ctx: TriggerContext,
	state: TriggerState,
	settings: PollSettings,
	started: number,
): Promise<INodeExecutionData[]> {
	const { cfg } = settings;
	const out: INodeExecutionData[] = [];
	const budget = pollBudgetMs(ctx);
	const detail = settings.output === 'full' || settings.downloadAttachments ? 'full' : 'metadata';
	let labels: Map<string, string> | undefined;
	while (state.queue.length && out.length < settings.maxPerPoll) {
		// leave the rest to the next poll rather than overrun the poll's time
		if (out.length && Date.now() - started > budget / 2) break;
		const chunk = state.queue.slice(0, Math.min(ROUND, settings.maxPerPoll - out.length));
		const fetched = await fetchForTrigger(
			ctx,
			chunk.map((e) => e.messageId),
			detail,
		);
		const matching = await queryMatches(ctx, cfg, chunk, fetched);
		for (const e of chunk) {
			const outcome = fetched.get(e.messageId)!;
			if (!outcome.ok) {
				if (outcome.failure.status === 404) {
					ctx.logger.info(
						`Gmail Workspace Trigger "${ctx.getNode().name}": message ${e.messageId} was deleted before it could be read; skipped`,
					);
					continue;
				}
				throw fetchError(ctx, e.messageId, outcome.failure, 0);
			}
			const m = outcome.value;
			const labelIds = m.message.labelIds ?? [];
			let changed: string[] = [];
			if (cfg.event === 'newEmail') {
				if (newEmailRejection({ labelIds, from: m.message.from }, cfg)) continue;
				if (matching && !e.listed && !matching.has(e.messageId)) continue;
			} else {
				changed = e.labelIds ?? watchedLabelsOf(labelIds, cfg);
				if (!changed.length) continue;
			}
			labels ??= await loadLabelNames(ctx);
			out.push(await eventItem(ctx, e, m, changed, labels, settings));
			noteEmitted(state, e.messageId, m.internalDate, Date.now());
		}
		state.queue.splice(0, chunk.length);
	}
	return out;
}

/** New Email's search query, for events the history found: the ids of the chunk's messages Gmail's search matches. */
async function queryMatches(
	ctx: TriggerContext,
	cfg: TriggerConfig,
	chunk: PendingEvent[],
	fetched: Map<string, { ok: boolean; value?: TriggerMessage }>,
): Promise<Set<string> | undefined> {
	if (cfg.event !== 'newEmail' || !cfg.query) return undefined;
	const dates = chunk
		.filter((e) => !e.listed)
		.map((e) => fetched.get(e.messageId))
		.map((o) => (o?.ok ? o.value?.internalDate : undefined))
		.filter((d): d is number => d !== undefined);
	if (!dates.length) return new Set();
	const from = Math.floor(Math.min(...dates) / 1000) - 1;
	const to = Math.floor(Math.max(...dates) / 1000) + 2;
	const ids = await searchIds(ctx, {
		q: `(${cfg.query}) after:${from} before:${to}`,
		includeSpamTrash: true,
	});
	return new Set(ids);
}

async function eventItem(
	ctx: TriggerContext,
	e: PendingEvent,
	m: TriggerMessage,
	changed: string[],
	labels: Map<string, string>,
	settings: PollSettings,
): Promise<INodeExecutionData> {
	const item = await messageItem(
		ctx,
		m.message,
		labels,
		{
			includeHeaders: false,
			downloadAttachments: settings.downloadAttachments,
			binaryPrefix: settings.binaryPrefix,
		},
		0,
	);
	const named = changed.map((id) => ({ id, name: labels.get(id) ?? id }));
	const result: INodeExecutionData = {
		json: {
			...item.json,
			event: e.kind,
			labelsAdded: e.kind === 'labelAdded' ? named : [],
			labelsRemoved: e.kind === 'labelRemoved' ? named : [],
			historyId: e.listed && m.historyId ? m.historyId : e.historyId,
		},
	};
	if (item.binary) result.binary = item.binary;
	return result;
}

/** "Fetch Test Event": the newest matching message, without reading or moving the cursor. */
async function testEvent(
	ctx: TriggerContext,
	settings: PollSettings,
): Promise<INodeExecutionData[][] | null> {
	const { cfg } = settings;
	const kind: EventKind =
		cfg.event === 'newEmail'
			? 'messageAdded'
			: cfg.change === 'removed'
				? 'labelRemoved'
				: 'labelAdded';
	const found = await searchEvents(ctx, cfg, { historyId: '0', limit: TEST_CANDIDATES, kind });
	const scratch = readState({});
	scratch.queue = found.reverse();
	const items = await drain(ctx, scratch, { ...settings, maxPerPoll: 1 }, Date.now());
	return items.length ? [items] : null;
}
