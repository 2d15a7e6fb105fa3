import type { IHttpRequestOptions, ILoadOptionsFunctions } from 'n8n-workflow';

import { CredentialStore, connectGmail, setupBench } from '../bench';
import { SERVICE_ACCOUNT_EMAIL } from '../standin/core/directory';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { searchServiceAccounts } from '../../nodes/GmailWorkspace/v1/methods/serviceAccounts';
import { ALICE, BOB, adminSetup, calls, signJwtScopes } from './admin-kit';

/** The admin cards' "Service Account": the card's override, and the dropdown (projects → service accounts). */

const bench = setupBench();

const add = (serviceAccount: { mode: string; value: string }) => ({
	resource: 'delegate',
	operation: 'add',
	userEmail: ALICE,
	delegateEmail: BOB,
	adminServiceAccount: { __rl: true, ...serviceAccount },
});

test("the card's service account wins over the credential's", async () => {
	const setup = await adminSetup('oauth', { serviceAccountEmail: 'other@demo-project.iam.gserviceaccount.com' });
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add({ mode: 'email', value: ` ${SERVICE_ACCOUNT_EMAIL} ` }))));

	expect(result.error).toBeUndefined();
	expect(calls(result, 'POST', /:signJwt$/).map((x) => decodeURIComponent(new URL(x.url).pathname))).toEqual([
		`/v1/projects/-/serviceAccounts/${SERVICE_ACCOUNT_EMAIL}:signJwt`,
	]);
	expect(signJwtScopes(result)).toHaveLength(1);
	expect(setup.settings(ALICE).delegates.has(BOB)).toBe(true);
});

test('an override the connected account holds no role on is refused with the gcloud command', async () => {
	const setup = await adminSetup('oauth');
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add({ mode: 'list', value: 'nope@demo-project.iam.gserviceaccount.com' }))));

	expect(result.error?.message).toContain('admin@example.com needs the Service Account User role on nope@demo-project.iam.gserviceaccount.com');
	expect(setup.settings(ALICE).delegates.size).toBe(0);
});

test('a credential without a service account and no override names the field to fill', async () => {
	const setup = await adminSetup('oauth', { serviceAccountEmail: '' });
	const result = await setup.run(bench, setup.workflow(setup.node('Gmail', add({ mode: 'list', value: '' }))));
	expect(result.error?.message).toBe('No service account is set for the admin cards: fill "Service Account for Admin Cards" in the credential or in the card');
});

/** A load-options context whose authenticated requests go to the stand-in with `token`. */
function loadOptionsContext(standin: Standin, token: string): ILoadOptionsFunctions {
	const request = async (_type: string, options: IHttpRequestOptions) => {
		const url = new URL(options.url);
		for (const [k, v] of Object.entries(options.qs ?? {})) url.searchParams.set(k, String(v));
		const reply = await standin.dispatch({
			method: options.method ?? 'GET',
			host: url.host,
			url: url.pathname + url.search,
			headers: { authorization: `Bearer ${token}` },
			body: Buffer.alloc(0),
		});
		const body = reply.body.length ? JSON.parse(reply.body.toString()) : {};
		if (reply.status >= 400) throw Object.assign(new Error(`HTTP ${reply.status}`), { response: { status: reply.status, data: body } });
		return body;
	};
	return {
		getNode: () => ({ id: 'n', name: 'Gmail', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }),
		getNodeParameter: () => 'oAuth2',
		helpers: { httpRequestWithAuthentication: request },
	} as unknown as ILoadOptionsFunctions;
}

describe('Service Account dropdown', () => {
	test("lists the service accounts of the connected account's projects, filtered by the search text", async () => {
		const standin = createStandin({ noCorpus: true });
		const admin = await connectGmail(standin, new CredentialStore(), { email: 'admin@example.com' });
		const ctx = loadOptionsContext(standin, admin.accessToken);

		const all = await searchServiceAccounts.call(ctx);
		expect(all.results).toEqual([
			{
				name: `Gmail admin cards — ${SERVICE_ACCOUNT_EMAIL} (Demo Project)`,
				value: SERVICE_ACCOUNT_EMAIL,
				url: 'https://console.cloud.google.com/iam-admin/serviceaccounts?project=demo-project',
			},
		]);
		expect((await searchServiceAccounts.call(ctx, 'GMAIL-ADMIN')).results).toHaveLength(1);
		expect((await searchServiceAccounts.call(ctx, 'nothing like it')).results).toEqual([]);
	});

	test('an account in no project gets an empty list; a token without cloud-platform a clear error', async () => {
		const standin = createStandin({ noCorpus: true });
		const alice = await connectGmail(standin, new CredentialStore(), { email: ALICE });
		expect((await searchServiceAccounts.call(loadOptionsContext(standin, alice.accessToken))).results).toEqual([]);

		const reader = await connectGmail(standin, new CredentialStore(), { email: 'admin@example.com', scopes: ['https://www.googleapis.com/auth/gmail.readonly'] });
		await expect(searchServiceAccounts.call(loadOptionsContext(standin, reader.accessToken))).rejects.toThrow(
			'Could not list your Google Cloud projects: the connection needs the cloud-platform scope',
		);
	});
});
