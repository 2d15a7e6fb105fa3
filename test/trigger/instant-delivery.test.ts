import { runTrigger, setupBench, type TriggerHandle } from '../bench';
import { lapseWatch, setPubsubKnobs } from '../standin/pubsub/knobs';
import { pubsubState } from '../standin/pubsub/state';
import { ALICE, TriggerKit } from './kit';

/**
 * Issue #17, Delivery "Instant (Pub/Sub)" when Pub/Sub and Gmail misbehave as Google says they may: redelivery of
 * notifications not acknowledged in time, dropped notifications, a watch that ran out, Gmail's one notification
 * per second per user, and the Label Added event. What the trigger emitted is checked against what the stand-in
 * recorded (its counters, request log and watches).
 */
const bench = setupBench();
const PROJECT = 'demo-project';
const WORKFLOW = 'wfInstantDelivery';

const instant = (instantOptions: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
	delivery: 'instant',
	event: 'newEmail',
	cloudProject: { __rl: true, mode: 'id', value: PROJECT },
	instantOptions,
	...extra,
});

/** A kit whose Pub/Sub answers an empty pull within half a second (the trigger's loop turns quickly). */
async function kitWithShortPulls(): Promise<TriggerKit> {
	const kit = await TriggerKit.create(bench);
	setPubsubKnobs(kit.standin, { pullWaitMs: 500 });
	return kit;
}

async function start(kit: TriggerKit, params: object): Promise<TriggerHandle> {
	return await runTrigger(bench.http, { node: kit.node(params), credentials: kit.store, standin: kit.standin, workflowId: WORKFLOW });
}

const subjectsOf = (h: TriggerHandle) => h.emits.flatMap((e) => e.items.map((i) => String(i.json.subject)));
const ps = (kit: TriggerKit) => pubsubState(kit.standin).snapshot();
const calls = (kit: TriggerKit, routeId: string) => kit.standin.log.filter((e) => e.routeId === routeId);
const sleep = async (ms: number) => await new Promise((resolve) => setTimeout(resolve, ms));

describe('Gmail Workspace Trigger: Instant (Pub/Sub) delivery', () => {
	it('a notification whose acknowledgement failed comes again (ack deadline passed) and the mail is still emitted exactly once', async () => {
		const kit = await kitWithShortPulls();
		// catch-up far away: only notifications drive the reads here
		const h = await start(kit, instant({ catchUpMinutes: 5 }));
		try {
			setPubsubKnobs(kit.standin, { ackDeadlineSeconds: 1 });
			kit.standin.faults = [{ match: { routeId: 'pubsub.projects.subscriptions.acknowledge' }, share: 1, action: 500 }];
			await kit.deliver({ subjectPrefix: 'Once', count: 1 });
			await h.waitFor((x) => x.emits.length >= 1, 10_000, 'the emit');
			// the whole round fails (every retry of the acknowledgement answered 500), then Pub/Sub may answer again
			await h.waitFor((x) => x.logs.some((l) => l.level === 'warn' && /round 1 failed/.test(l.message)), 20_000, 'a failed round');
			const faulted = calls(kit, 'pubsub.projects.subscriptions.acknowledge').filter((e) => e.fault === '500');
			expect(faulted.length).toBeGreaterThanOrEqual(2);
			kit.standin.faults = [];
			await h.waitFor(() => ps(kit).counters.redelivered >= 1, 10_000, 'the redelivery');
			await h.waitFor(() => ps(kit).counters.acked >= 1, 10_000, 'the acknowledgement of the redelivered notification');
			await sleep(1_500);
			expect(subjectsOf(h)).toEqual(['Once 1']);
			expect(h.emits).toHaveLength(1);
			expect(ps(kit).subscriptions[0]).toMatchObject({ backlog: 0, outstanding: 0 });
			// one failed round is not reported to n8n (3 consecutive ones are)
			expect(h.errors).toEqual([]);
		} finally {
			await h.close();
		}
	}, 45_000);

	it('every notification dropped: the catch-up read emits the mail within Catch Up Every, once, and renews the watch', async () => {
		const kit = await kitWithShortPulls();
		setPubsubKnobs(kit.standin, { dropShare: 1 });
		const h = await start(kit, instant({ catchUpMinutes: 0.1 }));
		try {
			const sent = Date.now();
			await kit.deliver({ subjectPrefix: 'Dropped', count: 2, sameSecond: true });
			await h.waitFor((x) => x.emits.length >= 1, 15_000, 'the catch-up emit');
			expect(h.emits[0].at - sent).toBeLessThan(6_000 + 3_000);
			expect(ps(kit).counters).toMatchObject({ shareDropped: 1, notified: 0, published: 0 });
			// the catch-up found mail no notification announced: the watch is renewed
			await h.waitFor(() => calls(kit, 'gmail.users.watch').length >= 2, 5_000, 'the renewed watch');
			// a second catch-up finds nothing new
			await sleep(7_000);
			expect(subjectsOf(h).sort()).toEqual(['Dropped 1', 'Dropped 2']);
		} finally {
			await h.close();
		}
	}, 45_000);

	it('a fifth of 30 notifications dropped, mail arriving one by one: every message emitted once', async () => {
		const kit = await kitWithShortPulls();
		setPubsubKnobs(kit.standin, { dropShare: 0.2 });
		const h = await start(kit, instant({ catchUpMinutes: 0.1 }));
		try {
			for (let i = 1; i <= 30; i++) {
				// Gmail sends at most one notification per second per user: step the stand-in clock past it
				kit.standin.tokens.clockSkewMs += 1_100;
				await kit.deliver({ subjectPrefix: `One by one ${i}`, count: 1 });
				await sleep(100);
			}
			const expected = Array.from({ length: 30 }, (_, i) => `One by one ${i + 1} 1`);
			await h.waitFor((x) => subjectsOf(x).length >= 30, 15_000, 'all 30 emitted');
			await sleep(1_000);
			const counters = ps(kit).counters;
			expect(counters.shareDropped).toBeGreaterThan(0);
			expect(counters.rateDropped).toBe(0);
			expect(counters.notified + counters.shareDropped).toBe(30);
			expect(subjectsOf(h).sort()).toEqual(expected.sort());
		} finally {
			await h.close();
		}
	}, 45_000);

	it('a lapsed watch: the next mail is emitted by the catch-up and the watch is started again', async () => {
		const kit = await kitWithShortPulls();
		const h = await start(kit, instant({ catchUpMinutes: 0.1 }));
		try {
			expect(lapseWatch(kit.standin, ALICE)).toBe(true);
			expect(ps(kit).watches).toEqual([expect.objectContaining({ user: ALICE, active: false })]);
			await kit.deliver({ subjectPrefix: 'After lapse', count: 1 });
			expect(ps(kit).counters.notified).toBe(0);
			await h.waitFor((x) => x.emits.length >= 1, 15_000, 'the catch-up emit');
			expect(subjectsOf(h)).toEqual(['After lapse 1']);
			await h.waitFor(() => calls(kit, 'gmail.users.watch').length >= 2, 5_000, 'the watch started again');
			expect(ps(kit).watches).toEqual([expect.objectContaining({ user: ALICE, active: true })]);
			// and Gmail notifies again: the next mail comes by notification
			const before = ps(kit).counters.notified;
			kit.standin.tokens.clockSkewMs += 1_100;
			await kit.deliver({ subjectPrefix: 'Notified', count: 1 });
			expect(ps(kit).counters.notified).toBe(before + 1);
			await h.waitFor((x) => x.emits.length >= 2, 10_000, 'the notified emit');
			expect(subjectsOf(h)).toEqual(['After lapse 1', 'Notified 1']);
		} finally {
			await h.close();
		}
	}, 45_000);

	it('a burst of 50 messages (Gmail drops notifications beyond one per second per user): all 50 emitted once', async () => {
		const kit = await kitWithShortPulls();
		// no catch-up within the test: the one notification Gmail sent is enough
		const h = await start(kit, instant({ catchUpMinutes: 5 }));
		try {
			await kit.deliver({ subjectPrefix: 'Burst', count: 50 });
			expect(ps(kit).counters).toMatchObject({ notified: 1, rateDropped: 49 });
			await h.waitFor((x) => subjectsOf(x).length >= 50, 15_000, 'all 50 emitted');
			await sleep(1_500);
			const got = subjectsOf(h);
			expect(got).toHaveLength(50);
			expect(new Set(got)).toEqual(new Set(Array.from({ length: 50 }, (_, i) => `Burst ${i + 1}`)));
		} finally {
			await h.close();
		}
	}, 45_000);

	it('mail right after a notified change (its notification dropped: one per second per user) is emitted by the follow-up read, not the catch-up', async () => {
		const kit = await kitWithShortPulls();
		const h = await start(kit, instant({ catchUpMinutes: 10 }));
		try {
			await kit.deliver({ subjectPrefix: 'First', count: 1 });
			await h.waitFor((x) => subjectsOf(x).includes('First 1'), 10_000, 'the notified message');
			// within the same stand-in second as the first notification: Gmail publishes nothing for it
			await kit.deliver({ subjectPrefix: 'Unannounced', count: 1 });
			const sent = Date.now();
			expect(ps(kit).counters).toMatchObject({ notified: 1, rateDropped: 1 });
			await h.waitFor((x) => subjectsOf(x).includes('Unannounced 1'), 10_000, 'the unannounced message');
			expect(Date.now() - sent).toBeLessThan(5_000);
			expect(subjectsOf(h)).toEqual(['First 1', 'Unannounced 1']);
			// two reads after the notification's: none from a catch-up, no re-watch
			expect(calls(kit, 'gmail.users.watch')).toHaveLength(1);
		} finally {
			await h.close();
		}
	}, 30_000);

	it('a burst beyond Max Emails per Poll goes out in rounds straight after each other, not at the next notification', async () => {
		const kit = await kitWithShortPulls();
		const h = await start(kit, instant({ catchUpMinutes: 10 }, { options: { maxPerPoll: 10 } }));
		try {
			await kit.deliver({ subjectPrefix: 'Backlog', count: 35 });
			await h.waitFor((x) => subjectsOf(x).length >= 35, 15_000, 'all 35 emitted');
			expect(h.emits.map((e) => e.items.length)).toEqual([10, 10, 10, 5]);
			expect(new Set(subjectsOf(h)).size).toBe(35);
			expect(ps(kit).counters.notified).toBe(1);
		} finally {
			await h.close();
		}
	}, 30_000);

	it('Label Added or Removed: starring a message emits labelAdded through a watch filtered on the label', async () => {
		const kit = await kitWithShortPulls();
		const [m] = await kit.deliver({ subjectPrefix: 'Star me', count: 1 });
		const h = await start(kit, instant({ catchUpMinutes: 5 }, { event: 'labelChanged', watchLabels: ['STARRED'], change: 'added' }));
		try {
			expect(ps(kit).watches).toEqual([expect.objectContaining({ user: ALICE, labelIds: ['STARRED'], labelFilterBehavior: 'INCLUDE', active: true })]);
			kit.standin.tokens.clockSkewMs += 1_100;
			kit.relabel(m.id, ['STARRED']);
			expect(ps(kit).counters.notified).toBe(1);
			await h.waitFor((x) => x.emits.length >= 1, 10_000, 'the labelAdded emit');
			expect(h.emits[0].items.map((i) => i.json)).toEqual([
				expect.objectContaining({ id: m.id, subject: 'Star me 1', event: 'labelAdded', labelsAdded: [{ id: 'STARRED', name: 'STARRED' }] }),
			]);
			// a change that touches no starred message does not pass Gmail's filter: no notification
			kit.standin.tokens.clockSkewMs += 1_100;
			await kit.deliver({ subjectPrefix: 'Not starred', count: 1 });
			expect(ps(kit).counters).toMatchObject({ notified: 1, filtered: 1 });
		} finally {
			await h.close();
		}
	}, 45_000);
});
