import { setupBench } from '../bench';
import { ALICE, BOB, adminSetup, calls, tokenExchanges, type Route } from './admin-kit';

/** Update User Gmail Settings through n8n's engine: only what the card sets changes (read → merge → write). */

const bench = setupBench();

const update = (groups: Record<string, unknown>, user = ALICE) => ({ resource: 'userSettings', operation: 'update', userEmail: user, ...groups });

describe.each<Route>(['oauth', 'key'])('Update User Gmail Settings (%s credential)', (route) => {
	test('IMAP, POP, language and signature: set fields change, the others keep their values', async () => {
		const setup = await adminSetup(route);
		const s = setup.settings(ALICE);
		s.imap = { enabled: true, autoExpunge: false, expungeBehavior: 'trash', maxFolderSize: 0 };
		s.pop = { accessWindow: 'disabled', disposition: 'archive' };
		const node = setup.node(
			'Gmail',
			update({
				imap: { maxFolderSize: 2000 },
				pop: { accessWindow: 'allMail' },
				general: { displayLanguage: 'de-AT', signature: '<b>Alice</b><img src=x onerror="steal()">' },
			}),
		);
		const result = await setup.run(bench, setup.workflow(node));

		expect(result.error).toBeUndefined();
		expect(s.imap).toEqual({ enabled: true, autoExpunge: false, expungeBehavior: 'trash', maxFolderSize: 2000 });
		expect(s.pop).toEqual({ accessWindow: 'allMail', disposition: 'archive' });
		expect(s.language).toEqual({ displayLanguage: 'de' });
		expect(s.sendAs.get(ALICE)?.signature).toBe('<b>Alice</b><img src=x>');
		expect(result.nodes.Gmail.json).toEqual([
			{
				userEmail: ALICE,
				imap: s.imap,
				pop: s.pop,
				language: { displayLanguage: 'de' },
				signature: { sendAsEmail: ALICE, signature: '<b>Alice</b><img src=x>' },
			},
		]);
		// untouched groups are neither read nor written
		expect(calls(result, 'GET', /\/settings\/autoForwarding$/)).toHaveLength(0);
		expect(calls(result, 'PUT', /\/settings\/autoForwarding$/)).toHaveLength(0);
		expect(tokenExchanges(result)).toHaveLength(1);
	});

	test('auto-forwarding to an accepted address is turned on with the disposition kept', async () => {
		const setup = await adminSetup(route);
		const s = setup.settings(ALICE);
		s.forwardingAddresses.set(BOB, { forwardingEmail: BOB, verificationStatus: 'accepted' });
		s.autoForwarding = { enabled: false, emailAddress: BOB, disposition: 'markRead' };
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', update({ autoForwarding: { enabled: true } }))));

		expect(result.error).toBeUndefined();
		expect(s.autoForwarding).toEqual({ enabled: true, emailAddress: BOB, disposition: 'markRead' });
		expect(result.nodes.Gmail.json).toEqual([{ userEmail: ALICE, autoForwarding: s.autoForwarding }]);
	});
});

test('auto-forwarding to an address that is not set up, or still pending, is refused with the fix', async () => {
	const setup = await adminSetup('oauth');
	const missing = await setup.run(bench, setup.workflow(setup.node('Gmail', update({ autoForwarding: { enabled: true, emailAddress: 'x@outside.org' } }))));
	expect(missing.error?.message).toBe(`"Forward To" x@outside.org is not a forwarding address of ${ALICE}: add it with the Forward Emails card first`);

	setup.settings(ALICE).forwardingAddresses.set('x@outside.org', { forwardingEmail: 'x@outside.org', verificationStatus: 'pending' });
	const pending = await setup.run(bench, setup.workflow(setup.node('Gmail', update({ autoForwarding: { enabled: true, emailAddress: 'x@outside.org' } }))));
	expect(pending.error?.message).toBe(
		`"Forward To" x@outside.org is pending: its owner has not confirmed Google's verification email yet, so ${ALICE} cannot forward to it`,
	);
	expect(calls(pending, 'PUT', /\/settings\/autoForwarding$/)).toHaveLength(0);
	expect(setup.settings(ALICE).autoForwarding).toEqual({ enabled: false });
});

test('turning auto-forwarding off keeps the address', async () => {
	const setup = await adminSetup('oauth');
	const s = setup.settings(ALICE);
	s.forwardingAddresses.set(BOB, { forwardingEmail: BOB, verificationStatus: 'accepted' });
	s.autoForwarding = { enabled: true, emailAddress: BOB, disposition: 'archive' };
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', update({ autoForwarding: { enabled: false } }))));
	expect(result.error).toBeUndefined();
	expect(s.autoForwarding).toEqual({ enabled: false, emailAddress: BOB, disposition: 'archive' });
});

test('nothing to change is a clear error, and no call goes to Google', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', update({}))));
	expect(result.error?.message).toBe('Nothing to change: add at least one setting (IMAP, POP, Auto-Forwarding, or Language and Signature)');
	expect(result.exchanges).toHaveLength(0);
});

test("a display language Gmail does not offer keeps Google's words and the user", async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', update({ general: { displayLanguage: 'tlh' } }))));
	expect(result.error?.message).toBe(`Updating the display language of ${ALICE} failed: Unsupported displayLanguage: tlh [item 0]`);
	expect(setup.settings(ALICE).language).toEqual({ displayLanguage: 'en' });
});

test('refusals: consumer connection, missing role, unknown user', async () => {
	const carol = await adminSetup('oauth', { connectAs: 'carol@gmail.com' });
	const r1 = await carol.run(bench, carol.workflow(carol.node('Gmail', update({ pop: { accessWindow: 'allMail' } }))));
	expect(r1.error?.message).toContain('carol@gmail.com is a consumer Gmail account');

	const dave = await adminSetup('oauth', { connectAs: 'dave@example.com' });
	const r2 = await dave.run(bench, dave.workflow(dave.node('Gmail', update({ pop: { accessWindow: 'allMail' } }))));
	expect(r2.error?.message).toContain('gcloud iam service-accounts add-iam-policy-binding');

	const key = await adminSetup('key');
	const r3 = await key.run(bench, key.workflow(key.node('Gmail', update({ pop: { accessWindow: 'allMail' } }, 'ghost@example.com'))));
	expect(r3.error?.message).toContain('Google refused the impersonation of ghost@example.com');
});
