import type { IDataObject } from 'n8n-workflow';

import { runTrigger, setupBench, type TriggerHandle } from '../bench';
import { setPubsubKnobs } from '../standin/pubsub/knobs';
import { pubsubState } from '../standin/pubsub/state';
import { ALICE, TriggerKit } from './kit';

/**
 * Issue #17: deactivation and re-activation of the Instant (Pub/Sub) delivery, and the Polling delivery's
 * trigger() staying idle. Read back from the stand-in's request log, Pub/Sub state and the trigger's emits.
 */
const bench = setupBench();
const PROJECT = 'demo-project';
const WORKFLOW = 'wfInstantLifecycle';
const SUBSCRIPTION = `projects/${PROJECT}/subscriptions/gmail-workspace-${WORKFLOW}`;

const instant = (instantOptions: Record<string, unknown> = {}) => ({
	delivery: 'instant',
	event: 'newEmail',
	cloudProject: { __rl: true, mode: 'id', value: PROJECT },
	instantOptions: { catchUpMinutes: 5, ...instantOptions },
});

async function start(kit: TriggerKit, params: object, staticData?: IDataObject): Promise<TriggerHandle> {
	return await runTrigger(bench.http, { node: kit.node(params), credentials: kit.store, standin: kit.standin, workflowId: WORKFLOW, staticData });
}

const subjectsOf = (h: TriggerHandle) => h.emits.flatMap((e) => e.items.map((i) => String(i.json.subject)));
const ps = (kit: TriggerKit) => pubsubState(kit.standin).snapshot();
const calls = (kit: TriggerKit, prefix: string) => kit.standin.log.filter((e) => e.routeId?.startsWith(prefix));
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

/** Activate, have one message emitted, deactivate; then the checks every deactivation passes. */
async function emitOnceThenClose(kit: TriggerKit, params: object): Promise<TriggerHandle> {
	const h = await start(kit, params);
	try {
		await kit.deliver({ subjectPrefix: 'Before', count: 1 });
		await h.waitFor((x) => x.emits.length >= 1, 10_000, 'the first emit');
		await h.waitFor(() => ps(kit).counters.acked >= 1, 10_000, 'the acknowledgement');
	} finally {
		await h.close();
	}
	expect(calls(kit, 'gmail.users.stop')).toHaveLength(1);
	expect(ps(kit).watches).toEqual([]);
	// the pull the deactivation cut short is answered within pullWaitMs; after that, no call at all
	await sleep(700);
	const pubsubCalls = calls(kit, 'pubsub.').length;
	const gmailCalls = calls(kit, 'gmail.').length;
	kit.standin.tokens.clockSkewMs += 1_100;
	await kit.deliver({ subjectPrefix: 'While away', count: 1 });
	await sleep(2_000);
	expect(calls(kit, 'pubsub.')).toHaveLength(pubsubCalls);
	expect(calls(kit, 'gmail.')).toHaveLength(gmailCalls);
	expect(ps(kit).counters.notified).toBe(1);
	expect(subjectsOf(h)).toEqual(['Before 1']);
	return h;
}

describe('Gmail Workspace Trigger: Instant (Pub/Sub) deactivation and re-activation', () => {
	it('close() stops the watch and the pulls and keeps the subscription; re-activated with the saved cursor it emits the mail that came meanwhile, once', async () => {
		const kit = await TriggerKit.create(bench);
		setPubsubKnobs(kit.standin, { pullWaitMs: 500 });
		const first = await emitOnceThenClose(kit, instant());
		expect(ps(kit).subscriptions).toEqual([expect.objectContaining({ name: expect.stringMatching(new RegExp(`^${SUBSCRIPTION}-`)) })]);
		expect(calls(kit, 'pubsub.projects.subscriptions.delete')).toHaveLength(0);

		const again = await start(kit, instant(), first.emits.at(-1)!.staticData);
		try {
			await again.waitFor((x) => x.emits.length >= 1, 10_000, 'the emit after re-activation');
			await sleep(1_500);
			expect(subjectsOf(again)).toEqual(['While away 1']);
			expect(ps(kit).watches).toEqual([expect.objectContaining({ user: ALICE, active: true })]);
			// the kept subscription is found, not created again
			expect(calls(kit, 'pubsub.projects.subscriptions.create')).toHaveLength(1);
		} finally {
			await again.close();
		}
	}, 30_000);

	it('with Delete Subscription on Deactivation the subscription is gone after close(); re-activation creates it again and emits the mail that came meanwhile, once', async () => {
		const kit = await TriggerKit.create(bench);
		setPubsubKnobs(kit.standin, { pullWaitMs: 500 });
		const params = instant({ deleteSubscription: true });
		const first = await emitOnceThenClose(kit, params);
		expect(ps(kit).subscriptions).toEqual([]);
		expect(calls(kit, 'pubsub.projects.subscriptions.delete')).toEqual([expect.objectContaining({ status: 200 })]);
		// the topic and Gmail's right to publish on it stay
		expect(ps(kit).topics).toHaveLength(1);

		const again = await start(kit, params, first.emits.at(-1)!.staticData);
		try {
			expect(ps(kit).subscriptions).toHaveLength(1);
			expect(calls(kit, 'pubsub.projects.subscriptions.create')).toHaveLength(2);
			await again.waitFor((x) => x.emits.length >= 1, 10_000, 'the emit after re-activation');
			await sleep(1_500);
			expect(subjectsOf(again)).toEqual(['While away 1']);
		} finally {
			await again.close();
		}
		expect(ps(kit).subscriptions).toEqual([]);
	}, 30_000);
});

describe('Gmail Workspace Trigger: Polling delivery', () => {
	it("trigger() does nothing: no Pub/Sub call, no watch, no emit (poll() does the work)", async () => {
		const kit = await TriggerKit.create(bench);
		const h = await start(kit, { delivery: 'polling', event: 'newEmail' });
		try {
			expect(h.response).toEqual({});
			await kit.deliver({ subjectPrefix: 'Polled', count: 1 });
			await sleep(1_500);
			expect(calls(kit, 'pubsub.')).toEqual([]);
			expect(calls(kit, 'gmail.users.watch')).toEqual([]);
			expect(h.exchanges).toEqual([]);
			expect(h.emits).toEqual([]);
			expect(ps(kit).topics).toEqual([]);
		} finally {
			await h.close();
		}
	}, 15_000);
});
