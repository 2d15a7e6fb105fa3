import { setupBench } from '../bench';
import { subjects, TriggerKit } from './kit';

/**
 * Issue #13, found by bench:trigger: n8n starts a poll at every poll time even while the previous poll of the same
 * trigger still runs (its cron has no overlap guard). A backlog paced by Gmail's 2026 quota (1,000 messages x 20
 * units on 6,000 units a minute) keeps a poll busy for minutes: the polls started meanwhile read the same saved
 * cursor and emitted the same messages again. A poll that finds one of its own still running now skips its turn.
 */
const bench = setupBench();

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);
const historyCalls = (kit: TriggerKit) => kit.standin.log.filter((e) => e.routeId === 'gmail.users.history.list');

describe('Gmail Workspace Trigger: a poll time that comes while the previous poll still runs', () => {
	it('is skipped: no Gmail call, nothing emitted, the running poll emits every message once and the next poll runs', async () => {
		const kit = await TriggerKit.create(bench);
		const params = { event: 'newEmail', options: {} };
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Backlog', count: 5, sameSecond: true });

		// keep the first poll busy: its history read answers 503 with Retry-After 2 s, then succeeds
		kit.standin.faults.push({ match: { host: 'gmail.googleapis.com', path: '/history' }, nth: [1], action: 503, retryAfter: 2 });
		const before = historyCalls(kit).length;
		const first = kit.poll(params);
		for (let i = 0; i < 200 && historyCalls(kit).length === before; i++) await new Promise((r) => setTimeout(r, 10));
		expect(historyCalls(kit).slice(before).map((e) => e.status)).toEqual([503]);

		// the next poll time, with the static data as n8n holds it while the first poll runs
		const second = await kit.poll(params);
		expect(second.error).toBeUndefined();
		expect(second.items).toBeNull();
		expect(second.exchanges).toEqual([]);
		expect(second.logs).toContainEqual({ level: 'info', message: expect.stringMatching(/is still running; this poll time is skipped/) });
		// the bench routes Google's hosts for one poll at a time: the second poll's end unhooked the stand-in
		bench.http.use(kit.standin);

		const done = await first;
		expect(done.error).toBeUndefined();
		expect(subjects(done.json)).toEqual(range('Backlog', 5));
		expect(historyCalls(kit).slice(before).map((e) => e.status)).toEqual([503, 200]);

		// once it ended, polls run again from the cursor it saved: nothing twice, new mail once
		await kit.deliver({ subjectPrefix: 'After' });
		const third = await kit.poll(params);
		expect(third.error).toBeUndefined();
		expect(subjects(third.json)).toEqual(['After 1']);
	});

	it('a poll that failed does not hold the next one back', async () => {
		const kit = await TriggerKit.create(bench);
		const params = { event: 'newEmail', options: {} };
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Kept' });
		// every history read refused with 401: the token is refreshed once, then the poll fails
		kit.standin.faults.push({ match: { host: 'gmail.googleapis.com', path: '/history' }, share: 1, action: 401 });
		const failed = await kit.poll(params);
		expect(failed.error).toBeDefined();
		kit.standin.faults = [];
		const next = await kit.poll(params);
		expect(next.error).toBeUndefined();
		expect(next.logs.filter((l) => /still running/.test(l.message))).toEqual([]);
		expect(subjects(next.json)).toEqual(['Kept 1']);
	});
});
