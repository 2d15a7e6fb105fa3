import { setupBench } from '../bench';
import { ALICE, BOB, adminSetup, calls, signJwtScopes, tokenExchanges, type Route } from './admin-kit';

/** Forward Emails through n8n's engine: forwarding address, then auto-forwarding only once Google accepted it. */

const bench = setupBench();

const forward = (to: string, disposition = 'archive', options: Record<string, unknown> = {}, user = ALICE) => ({
	resource: 'forwarding',
	operation: 'forwardEmails',
	userEmail: user,
	forwardTo: to,
	disposition,
	options,
});

describe.each<Route>(['oauth', 'key'])('Forward Emails (%s credential)', (route) => {
	test('an address of the domain is accepted at once and forwarding is turned on', async () => {
		const setup = await adminSetup(route);
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', forward(BOB, 'archive'))));

		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toEqual([
			{ userEmail: ALICE, forwardingEmail: BOB, verificationStatus: 'accepted', enabled: true, disposition: 'archive' },
		]);
		const s = setup.settings(ALICE);
		expect(s.forwardingAddresses.get(BOB)).toEqual({ forwardingEmail: BOB, verificationStatus: 'accepted' });
		expect(s.autoForwarding).toEqual({ enabled: true, emailAddress: BOB, disposition: 'archive' });
		expect(tokenExchanges(result)).toHaveLength(1);
		if (route === 'oauth') expect(signJwtScopes(result)).toHaveLength(1);
	});

	test('an external address stays pending: enabled false with a note, auto-forwarding untouched', async () => {
		const setup = await adminSetup(route);
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', forward('me@outside.org', 'markRead'))));

		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toEqual([
			{
				userEmail: ALICE,
				forwardingEmail: 'me@outside.org',
				verificationStatus: 'pending',
				enabled: false,
				disposition: 'markRead',
				note: 'me@outside.org is awaiting confirmation: Google sent its owner a verification email, and auto-forwarding stays off until the owner confirms. Run this card again after the confirmation.',
			},
		]);
		expect(setup.settings(ALICE).autoForwarding).toEqual({ enabled: false });
		expect(calls(result, 'PUT', /\/settings\/autoForwarding$/)).toHaveLength(0);
	});
});

test('after the owner confirms, running the card again (address exists: 409) turns forwarding on', async () => {
	const setup = await adminSetup('oauth');
	const wf = setup.workflow(setup.node('Gmail', forward('me@outside.org', 'trash')));
	const first = await setup.run(bench, wf);
	expect(first.nodes.Gmail.json[0].enabled).toBe(false);

	const confirm = await setup.standin.dispatch({
		method: 'POST',
		host: 'gmail.googleapis.com',
		url: '/__standin/forwarding/confirm',
		headers: { 'content-type': 'application/json' },
		body: Buffer.from(JSON.stringify({ user: ALICE, address: 'me@outside.org' })),
	});
	expect(confirm.status).toBe(200);

	const second = await setup.run(bench, wf);
	expect(second.error).toBeUndefined();
	expect(second.nodes.Gmail.json).toEqual([
		{ userEmail: ALICE, forwardingEmail: 'me@outside.org', verificationStatus: 'accepted', enabled: true, disposition: 'trash' },
	]);
	expect(calls(second, 'POST', /\/settings\/forwardingAddresses$/).map((x) => x.status)).toEqual([409]);
	expect(setup.settings(ALICE).autoForwarding).toEqual({ enabled: true, emailAddress: 'me@outside.org', disposition: 'trash' });
});

test('"Only Create the Forwarding Address" leaves auto-forwarding as it was', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', forward(BOB, 'archive', { onlyCreateAddress: true }))));

	expect(result.error).toBeUndefined();
	expect(result.nodes.Gmail.json).toEqual([
		{
			userEmail: ALICE,
			forwardingEmail: BOB,
			verificationStatus: 'accepted',
			enabled: false,
			note: 'Only the forwarding address was created; auto-forwarding was left as it was.',
		},
	]);
	expect(setup.settings(ALICE).forwardingAddresses.has(BOB)).toBe(true);
	expect(setup.settings(ALICE).autoForwarding).toEqual({ enabled: false });
});

test('forwarding to the user itself is refused with the field named', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', forward(ALICE))));
	expect(result.error?.message).toBe(`"Forward To" ${ALICE} is the user's own address: forward to another address`);
	expect(calls(result, 'POST', /\/settings\/forwardingAddresses$/)).toHaveLength(0);
});

test('refusals: consumer connection, missing role, unknown user', async () => {
	const carol = await adminSetup('oauth', { connectAs: 'carol@gmail.com' });
	const r1 = await carol.run(bench, carol.workflow(carol.node('Gmail', forward(BOB))));
	expect(r1.error?.message).toContain('carol@gmail.com is a consumer Gmail account');

	const dave = await adminSetup('oauth', { connectAs: 'dave@example.com' });
	const r2 = await dave.run(bench, dave.workflow(dave.node('Gmail', forward(BOB))));
	expect(r2.error?.message).toContain('dave@example.com needs the Service Account User role');

	const admin = await adminSetup('oauth');
	const r3 = await admin.run(bench, admin.workflow(admin.node('Gmail', forward(BOB, 'archive', {}, 'ghost@example.com'))));
	expect(r3.error?.message).toContain('Google refused the impersonation of ghost@example.com');
	expect(admin.settings(ALICE).autoForwarding).toEqual({ enabled: false });
});
