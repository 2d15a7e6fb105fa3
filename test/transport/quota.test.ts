import { QUOTA_LIMITS } from '../../credentials/quota';
import { mailboxPacer, QUOTA_UNITS_2026, QUOTA_UNITS_LEGACY, quotaPlanOf, RefillBucket, SlidingWindow, unitsOf } from '../../nodes/GmailWorkspace/v1/transport/quota';
import { QUOTA_UNITS_2026 as STANDIN_2026, QUOTA_UNITS_LEGACY as STANDIN_LEGACY } from '../standin/core/quota';

describe('quota tiers', () => {
	it("each tier's limits and per-method costs, the same as the stand-in's (checked against Google's page there)", () => {
		expect(QUOTA_LIMITS.from2026).toEqual({ userPerMinute: 6000, projectPerMinute: 1_200_000 });
		expect(QUOTA_LIMITS.legacy).toEqual({ userPerMinute: 15_000, projectPerMinute: 1_200_000, userPerSecond: 250 });
		for (const [id, units] of Object.entries(QUOTA_UNITS_LEGACY)) expect([id, units]).toEqual([id, STANDIN_LEGACY[id]]);
		for (const [id, units] of Object.entries(QUOTA_UNITS_2026)) expect([id, units]).toEqual([id, STANDIN_2026[id]]);
		const plan = quotaPlanOf({});
		expect(plan.tier).toBe('from2026');
		expect(unitsOf(plan, 'gmail.users.messages.get')).toBe(20);
		expect(unitsOf(plan, 'gmail.users.threads.get')).toBe(40);
		expect(unitsOf(quotaPlanOf({ quotaTier: 'legacy' }), 'gmail.users.messages.get')).toBe(5);
		expect(quotaPlanOf({ quotaTier: 'custom', quotaUserPerMinute: 30000, quotaProjectPerMinute: 2e6 })).toMatchObject({ userPerMinute: 30000, projectPerMinute: 2e6 });
	});
});

describe('SlidingWindow', () => {
	it('counts the units of the last minute, as Google does: a spend frees exactly one window (plus margin) later', () => {
		const w = new SlidingWindow(60_000, 6000, 1000);
		w.add(4000, 0);
		w.add(2000, 30_000);
		expect(w.waitMs(1, 30_000)).toBe(31_001); // the 4,000 of t=0 leave at 61 s
		expect(w.waitMs(3000, 30_000)).toBe(31_001);
		expect(w.waitMs(4500, 30_000)).toBe(61_001); // needs the t=30 s spend gone too
		expect(w.used(61_001)).toBe(2000);
		expect(w.waitMs(4000, 61_001)).toBe(0);
	});

	it('a spend larger than the whole window waits for an empty window, not forever', () => {
		const w = new SlidingWindow(1000, 250);
		w.add(100, 0);
		expect(w.waitMs(1000, 10)).toBe(991);
		expect(w.waitMs(1000, 1001)).toBe(0);
	});
});

/** A node context as far as the pacer reads it. */
function fakeCtx(credentialId: string, creds: Record<string, unknown>) {
	return {
		getNode: () => ({ parameters: {}, credentials: { gmailWorkspaceOAuth2Api: { id: credentialId, name: 'x' } } }),
		getNodeParameter: () => 'oAuth2',
		getCredentials: async () => creds,
	} as never;
}

describe('mailboxPacer', () => {
	it('impersonated users get a per-user budget each, and share one project budget', async () => {
		const ctx = fakeCtx('pacer-users', { quotaTier: 'custom', quotaUserPerMinute: 100, quotaProjectPerMinute: 150, clientId: '4242-abc.apps.googleusercontent.com' });
		const u1 = await mailboxPacer(ctx, 'u1@example.com');
		const u2 = await mailboxPacer(ctx, 'u2@example.com');
		expect(u1).not.toBe(u2);
		expect(await mailboxPacer(ctx, 'U1@example.com')).toBe(u1);
		await u1.take(100);
		// u1's own minute is spent; u2 still has room, within what is left of the project's 150
		expect(u2.waitMs(40)).toBe(0);
		await u2.take(40);
		expect(u1.waitMs(10)).toBeGreaterThan(55_000);
		expect(u2.waitMs(10)).toBe(0);
		expect(u2.waitMs(20)).toBeGreaterThan(55_000); // 100 + 40 + 20 > 150: the project budget stops it
		// another credential of the same Cloud project (same client number) shares the project budget
		const sibling = await mailboxPacer(fakeCtx('pacer-users-2', { quotaTier: 'custom', quotaUserPerMinute: 100, quotaProjectPerMinute: 150, clientId: '4242-other.apps.googleusercontent.com' }), 'me');
		expect(sibling.waitMs(20)).toBeGreaterThan(55_000);
		const stranger = await mailboxPacer(fakeCtx('pacer-users-3', { quotaTier: 'custom', quotaUserPerMinute: 100, quotaProjectPerMinute: 150, clientId: '777-x.apps.googleusercontent.com' }), 'me');
		expect(stranger.waitMs(20)).toBe(0);
	});

	it('after a rate-limit answer the mailbox sends nothing until Retry-After, and its budget is lowered', async () => {
		const pacer = await mailboxPacer(fakeCtx('pacer-429', { quotaTier: 'legacy' }), 'me');
		const before = pacer.burstUnits;
		pacer.rateLimited(300);
		expect(pacer.burstUnits).toBeLessThan(before);
		const started = Date.now();
		await pacer.take(1);
		expect(Date.now() - started).toBeGreaterThanOrEqual(280);
	});
});

describe('RefillBucket (the earlier tier\'s 250 units per second)', () => {
	it('refills continuously at 95 % of the rate: a small call does not hold back the next full batch for a second', () => {
		const b = new RefillBucket(250, 0);
		b.add(16, 0); // labels + list
		expect(b.waitMs(250, 0)).toBe(68); // 16 units come back in 16 / 237.5 s
		b.add(250, 68);
		expect(b.waitMs(250, 68)).toBe(1053); // a full bucket again after 250 / 237.5 s
		expect(b.waitMs(250, 1121)).toBe(0);
	});
});
