import type { WorkflowJson } from '../bench';
import { setupBench } from '../bench';
import { ALICE, addUsers, adminSetup, calls, signJwtScopes, tokenExchanges, type Route } from './admin-kit';

/** Set Auto Reply through n8n's engine: dates in the workflow's timezone, Google's vacation rules. */

const bench = setupBench();
const BASIC = 'https://www.googleapis.com/auth/gmail.settings.basic';

const autoReply = (extra: Record<string, unknown> = {}, options: Record<string, unknown> = {}) => ({
	resource: 'autoReply',
	operation: 'set',
	userEmail: ALICE,
	enabled: true,
	subject: 'Out of office',
	message: 'Back on January 2nd.',
	options,
	...extra,
});

const inZone = (wf: WorkflowJson, timezone: string): WorkflowJson => ({ ...wf, settings: { ...wf.settings, timezone } });

describe.each<Route>(['oauth', 'key'])('Set Auto Reply (%s credential)', (route) => {
	test("stores the vacation responder; dates without a zone are read in the workflow's timezone", async () => {
		const setup = await adminSetup(route);
		const node = setup.node(
			'Gmail',
			autoReply({}, { startTime: '2026-12-24T00:00:00', endTime: '2027-01-02T08:30:00', restrictToDomain: true, htmlMessage: '<p>Back <b>soon</b><script>x()</script></p>' }),
		);
		const result = await setup.run(bench, inZone(setup.workflow(node), 'Europe/Berlin'));

		expect(result.error).toBeUndefined();
		const stored = {
			enableAutoReply: true,
			responseSubject: 'Out of office',
			responseBodyPlainText: 'Back on January 2nd.',
			responseBodyHtml: '<p>Back <b>soon</b></p>',
			restrictToContacts: false,
			restrictToDomain: true,
			// Berlin is UTC+1 in winter
			startTime: String(Date.UTC(2026, 11, 23, 23, 0, 0)),
			endTime: String(Date.UTC(2027, 0, 2, 7, 30, 0)),
		};
		expect(setup.settings(ALICE).vacation).toEqual(stored);
		expect(result.nodes.Gmail.json).toEqual([{ userEmail: ALICE, ...stored }]);
		expect(tokenExchanges(result)).toHaveLength(1);
		if (route === 'oauth') expect(signJwtScopes(result)).toEqual([BASIC]);
	});
});

test('summer time, a zone in the value, and a date-only value', async () => {
	const setup = await adminSetup('oauth');
	const node = setup.node('Gmail', autoReply({}, { startTime: '2026-07-01', endTime: '2026-07-10T12:00:00-04:00' }));
	const result = await setup.run(bench, inZone(setup.workflow(node), 'Europe/Berlin'));

	expect(result.error).toBeUndefined();
	expect(setup.settings(ALICE).vacation).toMatchObject({
		startTime: String(Date.UTC(2026, 5, 30, 22, 0, 0)),
		endTime: String(Date.UTC(2026, 6, 10, 16, 0, 0)),
	});
});

test('an end before the start is refused before anything is written', async () => {
	const setup = await adminSetup('oauth');
	const node = setup.node('Gmail', autoReply({}, { startTime: '2027-01-02T00:00:00', endTime: '2026-12-24T00:00:00' }));
	const result = await setup.run(bench, inZone(setup.workflow(node), 'UTC'));

	expect(result.status).toBe('error');
	expect(result.error?.message).toBe('"End Time" (2026-12-24T00:00:00.000Z) must be after "Start Time" (2027-01-02T00:00:00.000Z) [item 0]');
	expect(result.error?.description).toBe("Times are read in the workflow's timezone, UTC.");
	expect(calls(result, 'PUT', /\/settings\/vacation$/)).toHaveLength(0);
	expect(setup.settings(ALICE).vacation.enableAutoReply).toBe(false);
});

test('a date that is not one is named with its field', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', autoReply({}, { endTime: '2026-02-30' }))));
	expect(result.error?.message).toBe('"End Time" is not a date, got "2026-02-30" [item 0]');
});

test('turning on needs a subject or a message', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', autoReply({ subject: '', message: '  ' }))));
	expect(result.error?.message).toBe('Give a "Subject" or a "Message": Google needs one of them to turn the auto reply on');
});

test('turning off keeps the stored subject and message', async () => {
	const setup = await adminSetup('key');
	await setup.run(bench, setup.workflow(setup.node('Gmail', autoReply())));
	const off = await setup.run(bench, setup.workflow(setup.node('Gmail', { resource: 'autoReply', operation: 'set', userEmail: ALICE, enabled: false })));

	expect(off.error).toBeUndefined();
	expect(setup.settings(ALICE).vacation).toEqual({
		enableAutoReply: false,
		responseSubject: 'Out of office',
		responseBodyPlainText: 'Back on January 2nd.',
		restrictToContacts: false,
		restrictToDomain: false,
	});
	expect(off.nodes.Gmail.json[0]).toMatchObject({ userEmail: ALICE, enableAutoReply: false });
});

test('N items of one user share one impersonated token (one signJwt, one exchange)', async () => {
	const setup = await adminSetup('oauth');
	for (const d of addUsers(setup.standin, 4, 'team')) setup.settings(ALICE).delegates.set(d, { delegateEmail: d, verificationStatus: 'accepted' });
	const workflow = setup.workflow(
		setup.node('Delegates', { resource: 'delegate', operation: 'list', userEmail: ALICE }),
		setup.node('Gmail', autoReply({ subject: '={{ "Ask " + $json.delegateEmail }}' })),
	);
	const result = await setup.run(bench, workflow);

	expect(result.error).toBeUndefined();
	expect(result.nodes.Gmail.json.map((j) => j.responseSubject)).toEqual(['team1', 'team2', 'team3', 'team4'].map((u) => `Ask ${u}@example.com`));
	expect(calls(result, 'PUT', /\/settings\/vacation$/)).toHaveLength(4);
	// one token for the list (delegates scopes) and one for the 4 auto-reply items
	expect(signJwtScopes(result).filter((s) => s === BASIC)).toHaveLength(1);
	expect(signJwtScopes(result)).toHaveLength(2);
	expect(tokenExchanges(result)).toHaveLength(2);
	expect(calls(result, 'POST', /:testIamPermissions$/)).toHaveLength(1);
});

test('with Continue On Fail, a bad item becomes an output item and the good ones go through', async () => {
	const setup = await adminSetup('oauth');
	for (const d of ['bob@example.com', 'carol@gmail.com', 'dave@example.com']) {
		setup.settings(ALICE).delegates.set(d, { delegateEmail: d, verificationStatus: 'accepted' });
	}
	const workflow = setup.workflow(
		setup.node('Delegates', { resource: 'delegate', operation: 'list', userEmail: ALICE }),
		setup.node('Gmail', autoReply({ userEmail: '={{ $json.delegateEmail }}' }), { onError: 'continueRegularOutput' }),
	);
	const result = await setup.run(bench, workflow);

	expect(result.status).toBe('success');
	const out = result.nodes.Gmail.json;
	expect(out[0]).toMatchObject({ userEmail: 'bob@example.com', enableAutoReply: true });
	expect(out[1]).toEqual({ error: expect.stringContaining('carol@gmail.com is a consumer Gmail account') });
	expect(out[2]).toMatchObject({ userEmail: 'dave@example.com', enableAutoReply: true });
	expect(result.nodes.Gmail.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
	expect(setup.settings('dave@example.com').vacation.enableAutoReply).toBe(true);
});
