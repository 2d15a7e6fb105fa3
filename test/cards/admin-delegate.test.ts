import { setupBench } from '../bench';
import { ALICE, BOB, addUsers, adminSetup, calls, signJwtScopes, tokenExchanges, type Route } from './admin-kit';

/** Add / List / Delete Delegate through n8n's engine against the stand-in's Gmail settings rules. */

const bench = setupBench();

const add = (user: string, delegate: string, options: Record<string, unknown> = {}) => ({
	resource: 'delegate',
	operation: 'add',
	userEmail: user,
	delegateEmail: delegate,
	options,
});

describe.each<Route>(['oauth', 'key'])('Add Delegate (%s credential)', (route) => {
	test('adds the delegate: the stand-in holds it and the output says so', async () => {
		const setup = await adminSetup(route);
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toEqual([
			{ delegatorEmail: ALICE, delegateEmail: BOB, verificationStatus: 'accepted', alreadyExisted: false },
		]);
		expect(setup.settings(ALICE).delegates.get(BOB)).toEqual({ delegateEmail: BOB, verificationStatus: 'accepted' });
		// acted as alice through domain-wide delegation, with the delegates scopes
		const create = calls(result, 'POST', /\/users\/alice%40example\.com\/settings\/delegates$/);
		expect(create).toHaveLength(1);
		expect(create[0].status).toBe(200);
		if (route === 'oauth') {
			expect(signJwtScopes(result)).toEqual([
				'https://www.googleapis.com/auth/gmail.settings.basic https://www.googleapis.com/auth/gmail.settings.sharing',
			]);
			// pre-flight: roles checked once
			expect(calls(result, 'POST', /:testIamPermissions$/)).toHaveLength(1);
		} else {
			// the key signs locally: no IAM call, no role check
			expect(calls(result, 'POST', /:signJwt$|:testIamPermissions$/)).toHaveLength(0);
		}
		expect(tokenExchanges(result)).toHaveLength(1);
	});

	test('an existing delegate is a success with alreadyExisted, and no second create', async () => {
		const setup = await adminSetup(route);
		const wf = setup.workflow(setup.node('Gmail', add(ALICE, BOB)));
		await setup.run(bench, wf);
		const again = await setup.run(bench, wf);

		expect(again.error).toBeUndefined();
		expect(again.nodes.Gmail.json).toEqual([{ delegatorEmail: ALICE, delegateEmail: BOB, verificationStatus: 'accepted', alreadyExisted: true }]);
		expect(calls(again, 'POST', /\/settings\/delegates$/)).toHaveLength(0);
		expect([...setup.settings(ALICE).delegates.keys()]).toEqual([BOB]);
	});
});

test('"Fail If Already a Delegate" turns a duplicate into a clear error', async () => {
	const setup = await adminSetup('oauth');
	setup.settings(ALICE).delegates.set(BOB, { delegateEmail: BOB, verificationStatus: 'accepted' });
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB, { failIfExists: true }))));

	expect(result.status).toBe('error');
	expect(result.error?.message).toBe(`${BOB} is already a delegate of ${ALICE} (status accepted)`);
});

test('the 26th delegate is refused with Google\'s limit named, before any create', async () => {
	const setup = await adminSetup('oauth');
	for (const u of addUsers(setup.standin, 25)) setup.settings(ALICE).delegates.set(u, { delegateEmail: u, verificationStatus: 'accepted' });
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

	expect(result.status).toBe('error');
	expect(result.error?.message).toBe(
		`${ALICE} already has 25 delegates, Google's maximum is 25: remove one (Delete Delegate) before adding ${BOB}`,
	);
	expect(calls(result, 'POST', /\/settings\/delegates$/)).toHaveLength(0);
	expect(setup.settings(ALICE).delegates.has(BOB)).toBe(false);
});

test("Google's own refusals keep its words: a delegate outside the organization", async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, 'someone@other.org'))));

	expect(result.status).toBe('error');
	expect(result.error?.message).toBe(
		`Google refused to add someone@other.org as a delegate of ${ALICE}: Invalid delegate: the delegate must be a member of the same Google Workspace organization [item 0]`,
	);
});

describe('refusals with the exact fix', () => {
	test('a consumer Gmail account cannot run admin cards', async () => {
		const setup = await adminSetup('oauth', { connectAs: 'carol@gmail.com' });
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('The admin cards need a Google Workspace account: carol@gmail.com is a consumer Gmail account');
		expect(calls(result, 'POST', /\/settings\/delegates$/)).toHaveLength(0);
	});

	test('a connected user without the roles gets the gcloud command', async () => {
		const setup = await adminSetup('oauth', { connectAs: 'dave@example.com' });
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'dave@example.com needs the Service Account User role on gmail-admin@demo-project.iam.gserviceaccount.com — grant it with ' +
				'`gcloud iam service-accounts add-iam-policy-binding gmail-admin@demo-project.iam.gserviceaccount.com --member=user:dave@example.com --role=roles/iam.serviceAccountUser`',
		);
		expect(calls(result, 'POST', /:signJwt$/)).toHaveLength(0);
	});

	test('a connection without the cloud-platform scope is told which scope set to choose', async () => {
		const setup = await adminSetup('oauth', { scopes: ['https://www.googleapis.com/auth/gmail.readonly', 'openid', 'email'] });
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

		expect(result.error?.message).toBe(
			'The admin cards need the cloud-platform scope to act through the service account: in the credential choose the "All Cards" or "Admin Settings" scope set and reconnect the account.',
		);
		expect(calls(result, 'POST', /:signJwt$/)).toHaveLength(0);
	});

	test('a Token Creator role missing is named after the User role is there', async () => {
		const setup = await adminSetup('oauth', { connectAs: 'dave@example.com' });
		setup.standin.directory.serviceAccounts.get('gmail-admin@demo-project.iam.gserviceaccount.com')!.serviceAccountUsers.push('dave@example.com');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

		expect(result.error?.message).toContain('dave@example.com needs the Service Account Token Creator role');
		expect(result.error?.message).toContain('--role=roles/iam.serviceAccountTokenCreator');
	});

	test('missing domain-wide delegation names the Admin console fix', async () => {
		const setup = await adminSetup('oauth');
		setup.standin.directory.serviceAccounts.get('gmail-admin@demo-project.iam.gserviceaccount.com')!.domainWideDelegation = [];
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, BOB))));

		expect(result.error?.message).toBe(
			'Google refused to let gmail-admin@demo-project.iam.gserviceaccount.com act as alice@example.com: in the Google Admin console (Security → API controls → Domain-wide delegation), authorize the service account\'s client ID for https://www.googleapis.com/auth/gmail.settings.sharing, https://www.googleapis.com/auth/gmail.settings.basic. [item 0]',
		);
	});

	test.each<Route>(['oauth', 'key'])('an unknown user is named (%s)', async (route) => {
		const setup = await adminSetup(route);
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add('nobody@example.com', BOB))));

		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('Google refused the impersonation of nobody@example.com: check that the user exists in your Workspace domain and is active');
	});

	test('a consumer user as "User Email" is refused before any call to Google', async () => {
		const setup = await adminSetup('oauth');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add('carol@gmail.com', BOB))));

		expect(result.error?.message).toBe(
			'"User Email" carol@gmail.com is a consumer Gmail account: Google offers delegates, forwarding and user settings to admins only for users of a Google Workspace domain [item 0]',
		);
		expect(result.exchanges).toHaveLength(0);
	});

	test('a malformed address is named with its field', async () => {
		const setup = await adminSetup('oauth');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add(ALICE, 'bob at example'))));

		expect(result.error?.message).toBe('"Delegate Email" must be one email address, got "bob at example" [item 0]');
	});

	test('no secret reaches the output or the error', async () => {
		const setup = await adminSetup('key');
		const key = (await setup.store.read(setup.node('x', {}).credentials!.gmailWorkspaceServiceAccountApi.id!)).privateKey as string;
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add('nobody@example.com', BOB))));
		const text = JSON.stringify([result.error, result.nodes]);
		expect(text).not.toContain(key.split('\n')[1]);
		expect(text).not.toMatch(/ya29\.|eyJ[\w-]{10,}\./);
	});
});

test('with Continue On Fail an item\'s error becomes an output item', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(
		bench,
		setup.workflow(setup.node('Gmail', add('nobody@example.com', BOB), { onError: 'continueRegularOutput' })),
	);

	expect(result.status).toBe('success');
	expect(result.nodes.Gmail.json).toEqual([{ error: expect.stringContaining('nobody@example.com') }]);
	expect(result.nodes.Gmail.pairedItem).toEqual([{ item: 0 }]);
});

describe('List and Delete Delegate', () => {
	test('lists one item per delegate, then deletes one; deleting it again reports deleted false', async () => {
		const setup = await adminSetup('oauth');
		for (const d of [BOB, 'dave@example.com']) setup.settings(ALICE).delegates.set(d, { delegateEmail: d, verificationStatus: 'accepted' });

		const listed = await setup.run(bench, setup.workflow(setup.node('List', { resource: 'delegate', operation: 'list', userEmail: ALICE })));
		expect(listed.nodes.List.json).toEqual([
			{ delegatorEmail: ALICE, delegateEmail: BOB, verificationStatus: 'accepted' },
			{ delegatorEmail: ALICE, delegateEmail: 'dave@example.com', verificationStatus: 'accepted' },
		]);

		const del = setup.workflow(setup.node('Delete', { resource: 'delegate', operation: 'delete', userEmail: ALICE, delegateEmail: BOB }));
		const first = await setup.run(bench, del);
		expect(first.nodes.Delete.json).toEqual([{ delegatorEmail: ALICE, delegateEmail: BOB, deleted: true }]);
		expect([...setup.settings(ALICE).delegates.keys()]).toEqual(['dave@example.com']);
		const second = await setup.run(bench, del);
		expect(second.nodes.Delete.json).toEqual([{ delegatorEmail: ALICE, delegateEmail: BOB, deleted: false }]);
	});

	test('a user without delegates lists nothing', async () => {
		const setup = await adminSetup('key');
		const listed = await setup.run(bench, setup.workflow(setup.node('List', { resource: 'delegate', operation: 'list', userEmail: ALICE })));
		expect(listed.error).toBeUndefined();
		expect(listed.nodes.List.json).toEqual([]);
	});

	test('impersonated tokens are cached across items: List (3 items) → Delete each, one signJwt and one token exchange in all', async () => {
		const setup = await adminSetup('oauth');
		const team = addUsers(setup.standin, 3, 'team');
		for (const d of team) setup.settings(ALICE).delegates.set(d, { delegateEmail: d, verificationStatus: 'accepted' });
		const workflow = setup.workflow(
			setup.node('List', { resource: 'delegate', operation: 'list', userEmail: ALICE }),
			setup.node('Delete', { resource: 'delegate', operation: 'delete', userEmail: ALICE, delegateEmail: '={{ $json.delegateEmail }}' }),
		);
		const result = await setup.run(bench, workflow);

		expect(result.error).toBeUndefined();
		expect(result.nodes.Delete.json).toEqual(team.map((d) => ({ delegatorEmail: ALICE, delegateEmail: d, deleted: true })));
		expect(result.nodes.Delete.pairedItem).toEqual([{ item: 0 }, { item: 1 }, { item: 2 }]);
		expect(setup.settings(ALICE).delegates.size).toBe(0);
		expect(calls(result, 'DELETE', /\/settings\/delegates\//)).toHaveLength(3);
		expect(signJwtScopes(result)).toHaveLength(1);
		expect(tokenExchanges(result)).toHaveLength(1);
		// the pre-flight ran once for the execution
		expect(calls(result, 'POST', /:testIamPermissions$/)).toHaveLength(1);
	});

	test('one token per user: List (3 items) → Add Delegate as each listed user', async () => {
		const setup = await adminSetup('oauth');
		const others = addUsers(setup.standin, 3, 'team');
		for (const d of others) setup.settings(ALICE).delegates.set(d, { delegateEmail: d, verificationStatus: 'accepted' });
		// every listed delegate of alice gets bob as its own delegate: 3 items, 3 users
		const workflow = setup.workflow(
			setup.node('List', { resource: 'delegate', operation: 'list', userEmail: ALICE }),
			setup.node('Add', add('={{ $json.delegateEmail }}', BOB)),
			setup.node('Alice again', add(ALICE, BOB)),
		);
		const result = await setup.run(bench, workflow);

		expect(result.error).toBeUndefined();
		expect(result.nodes.Add.json.map((j) => j.delegatorEmail)).toEqual(others);
		for (const u of others) expect(setup.settings(u).delegates.has(BOB)).toBe(true);
		// alice: one token for List and "Alice again" (3 items on one node would share it too); one per team user
		expect(signJwtScopes(result)).toHaveLength(4);
		expect(tokenExchanges(result)).toHaveLength(4);
		expect(calls(result, 'POST', /:testIamPermissions$/)).toHaveLength(1);
		expect(calls(result, 'GET', /\/oauth2\/v3\/userinfo$/)).toHaveLength(1);
	});
});
