import type { ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';

import { paramError, readBoolean, readPositiveNumber, readText } from '../params';
import { pollParams, readSettings } from './config';
import { DEFAULT_CATCH_UP_MIN } from './description';
import { pollTrigger } from './poll';
import { instantNames } from './pubsub';
import { openInstant, type InstantSettings } from './pull-loop';

function readInstantSettings(ctx: ITriggerFunctions): InstantSettings {
	const p = pollParams(ctx);
	const project = readText(p, 0, 'cloudProject', 'Cloud Project', { singleLine: true });
	if (!project)
		throw paramError(
			p,
			'Cloud Project',
			'is empty: choose the Cloud project of the OAuth client',
			0,
		);
	const node = ctx.getNode();
	return {
		names: instantNames(project, ctx.getWorkflow().id ?? '', node.id ?? node.name),
		catchUpMs:
			readPositiveNumber(p, 0, 'instantOptions.catchUpMinutes', 'Catch Up Every (Minutes)', {
				fallback: DEFAULT_CATCH_UP_MIN,
				max: 60,
			}) * 60_000,
		deleteOnClose: readBoolean(
			p,
			0,
			'instantOptions.deleteSubscription',
			'Delete Subscription on Deactivation',
		),
	};
}

interface Running {
	/** Resolves to the close function once the setup is done. */
	opened: Promise<() => Promise<void>>;
	started: boolean;
	close?: Promise<void>;
}

/**
 * Instant deliveries running in this n8n process, by workflow and node. n8n 2.x registers a node that has both
 * poll() and trigger() once for each (two trigger() calls for one activation) and keeps only one of the answers:
 * a call that comes while the same trigger is still starting shares it, so one loop runs and whichever
 * closeFunction n8n keeps stops it. A call after it started is a new activation: the old loop is stopped first.
 */
const running = new Map<string, Running>();

function closeOnce(key: string, r: Running): Promise<void> {
	r.close ??= r.opened.then(async (close) => await close()).catch(() => undefined);
	if (running.get(key) === r) running.delete(key);
	return r.close;
}

/**
 * Delivery "Instant (Pub/Sub)", started by n8n on activation (pull-loop.ts does the work). Delivery "Polling"
 * answers with nothing to close; "Fetch Test Event" of an older editor shows the newest matching message.
 */
export async function startInstant(ctx: ITriggerFunctions): Promise<ITriggerResponse> {
	const settings = readSettings(ctx);
	if (ctx.getMode() === 'manual') {
		return {
			manualTriggerFunction: async () => {
				const out = await pollTrigger(ctx);
				if (out) ctx.emit(out);
			},
		};
	}
	if (settings.delivery !== 'instant') return {};
	const instant = readInstantSettings(ctx);
	const node = ctx.getNode();
	const key = `${ctx.getWorkflow().id ?? ''}/${node.id ?? node.name}`;
	let current = running.get(key);
	if (current?.started) {
		await closeOnce(key, current);
		current = undefined;
	}
	if (!current) {
		const r: Running = { opened: openInstant(ctx, settings, instant), started: false };
		current = r;
		running.set(key, r);
		r.opened.then(
			() => (r.started = true),
			() => running.get(key) === r && running.delete(key),
		);
	}
	const mine = current;
	await mine.opened;
	return { closeFunction: async () => await closeOnce(key, mine) };
}
