import { setupBench } from '../bench';
import { ALICE, adminSetup, calls, type Route } from './admin-kit';

/** Add / Delete Send-As Alias through n8n's engine against the stand-in's Gmail settings rules. */

const bench = setupBench();

const add = (alias: string, options: Record<string, unknown> = {}) => ({ resource: 'sendAs', operation: 'add', userEmail: ALICE, sendAsEmail: alias, options });
const del = (alias: string) => ({ resource: 'sendAs', operation: 'delete', userEmail: ALICE, sendAsEmail: alias });

describe.each<Route>(['oauth', 'key'])('Send-As Alias (%s credential)', (route) => {
	test('adds an alias of the domain (ready at once), then deletes it', async () => {
		const setup = await adminSetup(route);
		const added = await setup.run(bench, setup.workflow(setup.node('Gmail', add('sales@example.com', { displayName: 'Sales Team' }))));

		expect(added.error).toBeUndefined();
		expect(added.nodes.Gmail.json[0]).toMatchObject({ userEmail: ALICE, sendAsEmail: 'sales@example.com', displayName: 'Sales Team', verificationStatus: 'accepted', treatAsAlias: true, alreadyExisted: false });
		expect(added.nodes.Gmail.json[0].note).toBeUndefined();
		expect(setup.settings(ALICE).sendAs.get('sales@example.com')).toMatchObject({ displayName: 'Sales Team', verificationStatus: 'accepted', isPrimary: false });
		expect(calls(added, 'POST', /\/users\/alice%40example\.com\/settings\/sendAs$/)).toHaveLength(1);

		const removed = await setup.run(bench, setup.workflow(setup.node('Gmail', del('sales@example.com'))));
		expect(removed.nodes.Gmail.json).toEqual([{ userEmail: ALICE, sendAsEmail: 'sales@example.com', deleted: true }]);
		expect(setup.settings(ALICE).sendAs.has('sales@example.com')).toBe(false);
	});
});

describe('Send-As Alias rules', () => {
	test('an external address stays pending until its owner confirms, and the output says so', async () => {
		const setup = await adminSetup('oauth');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add('alice@partner.org'))));
		expect(result.nodes.Gmail.json[0]).toMatchObject({ sendAsEmail: 'alice@partner.org', verificationStatus: 'pending' });
		expect(result.nodes.Gmail.json[0].note).toMatch(/verification email to alice@partner.org/);
	});

	test('adding an existing alias is reported, not duplicated; deleting a missing one succeeds with deleted false', async () => {
		const setup = await adminSetup('oauth');
		await setup.run(bench, setup.workflow(setup.node('Gmail', add('sales@example.com'))));
		const again = await setup.run(bench, setup.workflow(setup.node('Gmail', add('sales@example.com'))));
		expect(again.error).toBeUndefined();
		expect(again.nodes.Gmail.json[0]).toMatchObject({ sendAsEmail: 'sales@example.com', alreadyExisted: true });
		const missing = await setup.run(bench, setup.workflow(setup.node('Gmail', del('nobody@example.com'))));
		expect(missing.nodes.Gmail.json).toEqual([{ userEmail: ALICE, sendAsEmail: 'nobody@example.com', deleted: false }]);
	});

	test("the user's primary address cannot be deleted: Google's refusal is named", async () => {
		const setup = await adminSetup('oauth');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', del(ALICE))));
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/^Google refused to remove the send-as alias alice@example.com of alice@example.com: /);
	});

	test('a bad alias address names the field', async () => {
		const setup = await adminSetup('oauth');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add('not an address'))));
		expect(result.error?.message).toBe('"Alias Email" must be one email address, got "not an address" [item 0]');
	});
});
