import { SCOPE_PRESETS } from '../../credentials/scopes';
import { chain, setupBench } from '../bench';
import { subjects, TRIGGER, TriggerKit } from './kit';

/**
 * Issue #13, the mechanism: Gmail's history cursor in static data, the backlog across restarts, the
 * resync after the history expired, manual test mode, failures that must fail the poll.
 */
const bench = setupBench();

const newEmail = (options: Record<string, unknown> = {}) => ({ event: 'newEmail', options });

const state = (kit: TriggerKit) => kit.staticData[`node:${TRIGGER}`] as { historyId: string; queue: unknown[]; lastInternalDate: number; boundary: unknown[] };

/** Every subject appears exactly once. */
function expectOnce(items: Array<{ subject?: unknown }>, expected: string[]) {
	const got = items.map((i) => String(i.subject));
	expect([...got].sort()).toEqual([...expected].sort());
	expect(new Set(got).size).toBe(got.length);
}

const range = (prefix: string, n: number) => Array.from({ length: n }, (_, i) => `${prefix} ${i + 1}`);

describe('Gmail Workspace Trigger: cursor, backlog, resync', () => {
	it('backlog: Max Emails per Poll emits the oldest first and keeps the rest in static data across restarts', async () => {
		const kit = await TriggerKit.create(bench);
		const params = newEmail({ maxPerPoll: 10 });
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Burst', count: 16, sameSecond: true });
		await kit.deliver({ subjectPrefix: 'Later', count: 9 });

		const polls: string[][] = [];
		for (;;) {
			// kit.poll passes the static data through JSON each time: every poll is an n8n restart
			const r = await kit.poll(params);
			expect(r.error).toBeUndefined();
			if (!r.items) break;
			polls.push(subjects(r.json));
			if (polls.length === 1) expect(state(kit).queue).toHaveLength(15);
		}
		expect(polls.map((p) => p.length)).toEqual([10, 10, 5]);
		expect(polls.flat()).toEqual([...range('Burst', 16), ...range('Later', 9)]);
		expect(state(kit).queue).toEqual([]);
	});

	it('history expired (404): resynchronises from the last emitted message with no loss and no duplicate, and says so in the log', async () => {
		const kit = await TriggerKit.create(bench);
		const params = newEmail();
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Seen', count: 3, sameSecond: true });
		expect(subjects((await kit.poll(params)).json)).toEqual(range('Seen', 3));

		// mail in the same second as the last emitted one, and later mail, then Gmail forgets the history
		kit.add(['INBOX', 'UNREAD'], 'Same second', 'Bob <bob@example.com>', {});
		kit.mailbox.messages.get([...kit.mailbox.messages.keys()].at(-1)!)!.internalDate = state(kit).lastInternalDate;
		await kit.deliver({ subjectPrefix: 'Missed', count: 2 });
		kit.add(['DRAFT'], 'Draft in the gap');
		await kit.expireHistory();

		const resync = await kit.poll(params);
		expect(resync.error).toBeUndefined();
		expectOnce(resync.json, ['Same second', 'Missed 1', 'Missed 2']);
		expect(resync.logs).toContainEqual({ level: 'warn', message: expect.stringMatching(/no longer keeps the mailbox history since \d+ .*Resynchronising/) });
		expect(resync.exchanges.map((e) => new URL(e.url).pathname)).toEqual(
			expect.arrayContaining(['/gmail/v1/users/me/history', '/gmail/v1/users/me/profile', '/gmail/v1/users/me/messages']),
		);

		// back on history from the new cursor
		await kit.deliver({ subjectPrefix: 'After' });
		const after = await kit.poll(params);
		expect(subjects(after.json)).toEqual(['After 1']);
		expect(after.logs.filter((l) => l.level === 'warn')).toEqual([]);
	});

	it('history expiry in the middle of a backlog: every message once', async () => {
		const kit = await TriggerKit.create(bench);
		const params = newEmail({ maxPerPoll: 5 });
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Burst', count: 12, sameSecond: true });
		const emitted = [...(await kit.poll(params)).json];
		expect(emitted).toHaveLength(5);
		await kit.deliver({ subjectPrefix: 'Gap', count: 3 });
		await kit.expireHistory();
		const rest = await kit.drain(params);
		emitted.push(...rest.items);
		expectOnce(emitted, [...range('Burst', 12), ...range('Gap', 3)]);
	});

	it('a message deleted before it could be read is skipped with a note; the poll goes on', async () => {
		const kit = await TriggerKit.create(bench);
		await kit.poll(newEmail());
		const [gone] = await kit.deliver({ subjectPrefix: 'Gone' });
		await kit.deliver({ subjectPrefix: 'Kept' });
		kit.remove(gone.id);
		const r = await kit.poll(newEmail());
		expect(r.error).toBeUndefined();
		expect(subjects(r.json)).toEqual(['Kept 1']);
		expect(r.logs).toContainEqual({ level: 'info', message: expect.stringContaining(`message ${gone.id} was deleted before it could be read; skipped`) });
		expect(state(kit).queue).toEqual([]);
	});

	it('manual test ("Fetch Test Event") returns the newest matching message and does not touch the cursor', async () => {
		const kit = await TriggerKit.create(bench);
		await kit.poll(newEmail());
		const before = structuredClone(kit.staticData);
		await kit.deliver({ subjectPrefix: 'Mail', count: 3 });
		kit.add(['DRAFT'], 'Newest is a draft');

		const test = await kit.poll(newEmail(), { mode: 'manual' });
		expect(test.error).toBeUndefined();
		expect(test.json).toEqual([expect.objectContaining({ subject: 'Mail 3', event: 'messageAdded' })]);
		expect(test.staticData).toEqual(before);
		expect(test.exchanges.some((e) => new URL(e.url).pathname.endsWith('/history'))).toBe(false);

		// the same through n8n's manual execution (WorkflowExecute), as the editor's button runs it
		const run = await bench.run(chain(kit.node(newEmail())), { credentials: kit.store, standin: kit.standin });
		expect(run.status).toBe('success');
		expect(run.nodes[TRIGGER].json).toEqual([expect.objectContaining({ subject: 'Mail 3' })]);

		// the active trigger still emits all three
		expect(subjects((await kit.poll(newEmail())).json)).toEqual(range('Mail', 3));
	});

	it('a revoked token fails the poll with the reconnect message; the saved state stays for the next poll', async () => {
		const kit = await TriggerKit.create(bench);
		await kit.poll(newEmail());
		await kit.deliver({ subjectPrefix: 'Waiting' });
		const saved = structuredClone(kit.staticData);
		await kit.standin.dispatch({
			method: 'POST',
			host: 'oauth2.googleapis.com',
			url: '/__standin/refresh-token',
			headers: { 'content-type': 'application/json' },
			body: Buffer.from(JSON.stringify({ refresh_token: kit.conn.refreshToken, state: 'revoked' })),
		});
		kit.standin.tokens.expireAll();

		const r = await kit.poll(newEmail());
		expect(r.items).toBeNull();
		expect(r.error?.message).toMatch(/reconnect the account/);
		expect(r.staticData).toEqual(saved);
		expect(JSON.stringify(r.error)).not.toContain(kit.conn.refreshToken);
		expect(JSON.stringify(r.logs)).not.toContain(kit.conn.accessToken);
	});

	it('a failure Gmail keeps answering fails the poll (not an empty poll), and names what to fix', async () => {
		const kit = await TriggerKit.create(bench, { scopes: SCOPE_PRESETS.admin });
		const r = await kit.poll(newEmail());
		expect(r.items).toBeNull();
		expect(r.error).toBeDefined();
		expect(r.error!.httpCode).toBe('403');
		expect(r.error!.message).toMatch(/scope|permission/i);
		expect(r.staticData).toEqual({});
	});

	it('a transient failure of history.list is retried by the transport; the poll succeeds', async () => {
		const kit = await TriggerKit.create(bench);
		await kit.poll(newEmail());
		await kit.deliver({ subjectPrefix: 'Through' });
		kit.standin.faults.push({ match: { host: 'gmail.googleapis.com', path: '/history' }, nth: [1], action: 503 });
		const r = await kit.poll(newEmail());
		expect(r.error).toBeUndefined();
		expect(subjects(r.json)).toEqual(['Through 1']);
		expect(r.exchanges.filter((e) => new URL(e.url).pathname.endsWith('/history')).map((e) => e.status)).toEqual([503, 200]);
	});

	it('the label dropdown lists the mailbox labels through the trigger node', async () => {
		const kit = await TriggerKit.create(bench);
		const work = kit.userLabel('Work');
		const options = await bench.loadOptions({ node: kit.node({ event: 'labelChanged' }), method: 'getLabels', credentials: kit.store, standin: kit.standin });
		expect(options).toEqual(expect.arrayContaining([{ name: 'INBOX', value: 'INBOX' }, { name: 'Work', value: work }]));
	});

	it('a poll stops fetching when half its time budget is spent and leaves the rest queued', async () => {
		const kit = await TriggerKit.create(bench);
		const params = newEmail({ maxPerPoll: 1000 });
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Many', count: 150, sameSecond: true });
		const tight = await kit.poll(params, { budgetMs: 0 });
		expect(tight.json).toHaveLength(100);
		expect(state(kit).queue).toHaveLength(50);
		const rest = await kit.poll(params);
		expect(subjects([...tight.json, ...rest.json])).toEqual(range('Many', 150));
	});

	it('a burst (a third in one second, some labelled by a filter at delivery) through restarts and an expiry: nothing missed, nothing twice', async () => {
		const kit = await TriggerKit.create(bench);
		const billing = kit.userLabel('Billing');
		await kit.addFilter({ subjectContains: 'invoice', addLabelIds: [billing] });
		const mail = newEmail({ maxPerPoll: 40 });
		const label = { event: 'labelChanged', watchLabels: [billing], options: { maxPerPoll: 40 } };
		// two triggers on one mailbox, each with its own static data
		const labelKit = kit.sibling();
		await kit.poll(mail);
		await labelKit.poll(label);

		await kit.deliver({ subjectPrefix: 'Same second', count: 60, sameSecond: true });
		await kit.deliver({ subjectPrefix: 'Your invoice', count: 20 });
		await kit.deliver({ subjectPrefix: 'Spread', count: 40 });
		const emitted = [...(await kit.poll(mail)).json];
		const labelled = [...(await labelKit.poll(label)).json];
		await kit.expireHistory();
		await kit.deliver({ subjectPrefix: 'After expiry', count: 10 });
		await kit.deliver({ subjectPrefix: 'Late invoice', count: 5 });
		emitted.push(...(await kit.drain(mail)).items);
		labelled.push(...(await labelKit.drain(label)).items);

		expectOnce(emitted, [...range('Same second', 60), ...range('Your invoice', 20), ...range('Spread', 40), ...range('After expiry', 10), ...range('Late invoice', 5)]);
		expectOnce(labelled, [...range('Your invoice', 20), ...range('Late invoice', 5)]);
		expect(labelled.every((i) => i.event === 'labelAdded')).toBe(true);
	});
});
