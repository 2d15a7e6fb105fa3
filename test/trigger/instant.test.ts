import { runTrigger, setupBench, type TriggerHandle } from '../bench';
import { pubsubState } from '../standin/pubsub/state';
import { ALICE, TRIGGER, TriggerKit } from './kit';

/**
 * Issue #17, Delivery "Instant (Pub/Sub)": the trigger's trigger() as n8n starts it, against the stand-in's
 * Pub/Sub and Gmail watch. What it set up, emitted and acknowledged is read back from the stand-in.
 */
const bench = setupBench();
const PROJECT = 'demo-project';

const instant = (extra: Record<string, unknown> = {}) => ({
	delivery: 'instant',
	event: 'newEmail',
	cloudProject: { __rl: true, mode: 'id', value: PROJECT },
	instantOptions: { catchUpMinutes: 1 },
	...extra,
});

async function start(kit: TriggerKit, params = instant()): Promise<TriggerHandle> {
	return await runTrigger(bench.http, {
		node: kit.node(params),
		credentials: kit.store,
		standin: kit.standin,
		workflowId: 'wfInstant1',
	});
}

const subjectsOf = (h: TriggerHandle) => h.emits.flatMap((e) => e.items.map((i) => String(i.json.subject)));

describe('Gmail Workspace Trigger: Instant (Pub/Sub)', () => {
	it('activation sets up topic, Gmail publish right, pull subscription and watch; delivered mail is emitted within seconds and acknowledged after the emit', async () => {
		const kit = await TriggerKit.create(bench);
		const h = await start(kit);
		try {
			const ps = pubsubState(kit.standin).snapshot();
			expect(ps.topics).toEqual([
				expect.objectContaining({
					name: `projects/${PROJECT}/topics/gmail-workspace-wfInstant1`,
					policy: expect.objectContaining({
						bindings: [{ role: 'roles/pubsub.publisher', members: ['serviceAccount:gmail-api-push@system.gserviceaccount.com'] }],
					}),
				}),
			]);
			expect(ps.subscriptions).toEqual([
				expect.objectContaining({ topic: `projects/${PROJECT}/topics/gmail-workspace-wfInstant1`, ackDeadlineSeconds: 10 }),
			]);
			expect(ps.watches).toEqual([expect.objectContaining({ user: ALICE, active: true })]);

			const sent = Date.now();
			await kit.deliver({ subjectPrefix: 'Instant', count: 1 });
			await h.waitFor((x) => x.emits.length >= 1, 15_000, 'the first emit');
			expect(h.emits[0].at - sent).toBeLessThan(10_000);
			expect(subjectsOf(h)).toEqual(['Instant 1']);
			expect(h.emits[0].items[0].json).toMatchObject({ event: 'messageAdded', historyId: expect.any(String) });
			// the cursor n8n stores with the emit is past the message
			const saved = h.emits[0].staticData[`node:${TRIGGER}`] as { historyId?: string };
			expect(Number(saved.historyId)).toBeGreaterThanOrEqual(Number(h.emits[0].items[0].json.historyId));
			await h.waitFor(() => pubsubState(kit.standin).snapshot().counters.acked >= 1, 10_000, 'the acknowledgement');
			const pullsBeforeAck = kit.standin.log.filter((e) => e.routeId === 'pubsub.projects.subscriptions.acknowledge');
			expect(pullsBeforeAck.length).toBeGreaterThanOrEqual(1);
		} finally {
			await h.close();
		}
		// deactivation: Gmail's watch stopped, the subscription kept (default)
		const after = pubsubState(kit.standin).snapshot();
		expect(after.watches.filter((w) => w.active)).toEqual([]);
		expect(after.subscriptions).toHaveLength(1);
		expect(kit.standin.log.some((e) => e.routeId === 'gmail.users.stop')).toBe(true);
	}, 60_000);
});
