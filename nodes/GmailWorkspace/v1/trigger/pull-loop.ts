import type { INodeExecutionData, ITriggerFunctions } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { describeFailure } from '../transport/errors';
import { resolveLabelFilters, type PollSettings } from './config';
import { ACK_DEADLINE_S, RENEW_WATCH_MS } from './description';
import { readAndDrain } from './poll';
import { readState } from './state';
import {
	acknowledge,
	deleteSubscription,
	ensureInstantSetup,
	pullNotifications,
	stopWatch,
	watchMailbox,
	type InstantNames,
} from './pubsub';

/** The longest one pull waits for a notification (Pub/Sub holds a pull open until one comes). */
const PULL_WAIT_MS = 30_000;
/** Pause after an empty pull, so a Pub/Sub that answers at once does not turn the loop into a busy one. */
const EMPTY_PULL_PAUSE_MS = 1_000;
/** The shortest pull: below this the next read is due anyway. */
const MIN_PULL_MS = 1_000;
/** When the read after a notified read comes (Gmail drops notifications above one per second per mailbox). */
const FOLLOW_UP_MS = 1_500;
/** Consecutive failed rounds after which the failure is reported to n8n (which restarts the trigger). */
const REPORT_AFTER_FAILURES = 3;
/** Renew the watch this long before Google ends it. */
const RENEW_BEFORE_END_MS = 3600_000;

export interface InstantSettings {
	names: InstantNames;
	catchUpMs: number;
	deleteOnClose: boolean;
}

/** Gmail's watch filter: only when every event the trigger fires on carries one of the labels. */
function watchLabels(settings: PollSettings): string[] {
	const { cfg } = settings;
	if (cfg.event === 'labelChanged') return cfg.change === 'added' ? cfg.watchLabels : [];
	return cfg.labelMatch === 'any' ? cfg.labelIds : [];
}

/**
 * Instant delivery: on activation, the Pub/Sub topic and pull subscription, Gmail's right to publish, the
 * watch; then pull notifications and answer each batch with the polling trigger's own history read, emit,
 * and only then acknowledge. A read every Catch Up minutes covers late or dropped notifications; the watch
 * is renewed daily, and at once when a catch-up found mail no notification announced.
 */
export async function openInstant(
	ctx: ITriggerFunctions,
	settings: PollSettings,
	instant: InstantSettings,
): Promise<() => Promise<void>> {
	const { names } = instant;
	await resolveLabelFilters(ctx, settings.cfg);
	await ensureInstantSetup(ctx, names, ACK_DEADLINE_S);
	// the cursor before the watch: what arrives while the watch starts is in the history read
	let pending: INodeExecutionData[][] | null = await readAndDrain(ctx, settings);
	let watch = await watchMailbox(ctx, names, watchLabels(settings));
	let watchedAt = Date.now();
	let lastRead = Date.now();
	let followUpAt: number | undefined;
	let closed = false;
	const abort = new AbortController();
	const log = (level: 'info' | 'warn', message: string) =>
		ctx.logger[level](`Gmail Workspace Trigger "${ctx.getNode().name}" (instant): ${message}`, {
			workflowId: ctx.getWorkflow().id,
			nodeName: ctx.getNode().name,
		});

	// n8n-workflow's sleep in short slices, so a deactivation does not wait out a backoff
	const pause = async (ms: number) => {
		for (const end = Date.now() + ms; !closed && Date.now() < end; )
			await sleep(Math.min(250, end - Date.now()));
	};

	const rewatch = async (why: string) => {
		watch = await watchMailbox(ctx, names, watchLabels(settings));
		watchedAt = Date.now();
		log('info', `watch renewed (${why}) until ${new Date(watch.expiration).toISOString()}`);
	};

	const round = async () => {
		if (pending) {
			ctx.emit(pending);
			pending = null;
		}
		const now = Date.now();
		if (now - watchedAt >= RENEW_WATCH_MS || now >= watch.expiration - RENEW_BEFORE_END_MS)
			await rewatch('daily renewal');
		// the next read without a notification: the follow-up of the last notified read, or the catch-up
		const catchUpAt = lastRead + instant.catchUpMs;
		const readAt = Math.min(catchUpAt, followUpAt ?? Infinity);
		const untilRead = readAt - Date.now();
		// a read due within a second: wait for it rather than pull (Pub/Sub's wait is in whole seconds)
		if (untilRead > 0 && untilRead < MIN_PULL_MS) await pause(untilRead);
		const notes =
			untilRead >= MIN_PULL_MS
				? await pullNotifications(ctx, names, {
						waitMs: Math.min(PULL_WAIT_MS, untilRead),
						abortSignal: abort.signal,
					})
				: [];
		// unacknowledged notifications come again to the next activation: nothing is lost by stopping here
		if (closed) return;
		const catchUp = catchUpAt <= Date.now();
		const followUp = followUpAt !== undefined && followUpAt <= Date.now();
		if (!notes.length && !catchUp && !followUp) {
			if (untilRead > MIN_PULL_MS) await pause(EMPTY_PULL_PAUSE_MS);
			return;
		}
		const out = await readAndDrain(ctx, settings);
		lastRead = Date.now();
		// Gmail publishes at most one notification per second per mailbox and drops the rest: mail that came
		// right after a notified change is announced by nothing, so a notified read is followed by one more
		// and events beyond Max Emails per Poll wait in the queue: they go out at once, in the next rounds
		const backlog = readState(ctx.getWorkflowStaticData('node')).queue.length > 0;
		followUpAt = backlog ? lastRead : notes.length ? lastRead + FOLLOW_UP_MS : undefined;
		if (out) ctx.emit(out);
		// acknowledged only once the events are out: a crash before this gets them delivered again
		await acknowledge(
			ctx,
			names,
			notes.map((n) => n.ackId),
		);
		if (catchUp && !followUp && out)
			await rewatch('a catch-up found mail no notification announced');
	};

	const loop = (async () => {
		let failures = 0;
		while (!closed) {
			try {
				await round();
				failures = 0;
			} catch (error) {
				if (closed) break;
				failures++;
				const f = describeFailure(error);
				log(
					'warn',
					`round ${failures} failed (${(error as Error).message}${f.status ? `, HTTP ${f.status}` : ''}); trying again`,
				);
				if (failures === REPORT_AFTER_FAILURES) ctx.emitError(error as Error);
				await pause(Math.min(60_000, 1_000 * 2 ** failures));
			}
		}
	})();

	return async () => {
		closed = true;
		abort.abort();
		await loop;
		try {
			await stopWatch(ctx);
		} catch (error) {
			log('warn', `could not stop the Gmail watch (${(error as Error).message})`);
		}
		if (!instant.deleteOnClose) return;
		try {
			await deleteSubscription(ctx, names);
		} catch (error) {
			log('warn', `could not delete the Pub/Sub subscription (${(error as Error).message})`);
		}
	};
}
