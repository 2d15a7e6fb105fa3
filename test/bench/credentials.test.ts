import type { Standin } from '../standin/core/standin';
import { STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from '../standin/core/directory';
import { createStandin } from '../standin/server';
import { CredentialStore, NODE_TYPES, chain, connectGmail, gmailNode, manualTrigger, setupBench } from '.';

/**
 * The bench's credentials helper behaves as n8n's: defaults along `extends`, hidden fields owned by
 * the type, and the preAuthentication path (expirable token) for non-OAuth2 credential types.
 */

const bench = setupBench();
let standin: Standin;

beforeEach(() => {
	standin = createStandin({ noCorpus: true });
});

test("the OAuth2 credential gets oAuth2Api's and its own defaults; stored hidden endpoints never win", async () => {
	const store = new CredentialStore();
	const alice = await connectGmail(standin, store);
	const raw = await store.read(alice.reference.id);
	await store.add({
		...alice.reference,
		type: 'gmailWorkspaceOAuth2Api',
		data: { ...raw, accessTokenUrl: 'https://evil.example.com/token', authentication: 'header' },
	});
	standin.tokens.expireAll();

	const result = await bench.run(
		chain(manualTrigger(), gmailNode({ name: 'Probe', type: NODE_TYPES.gmailProbe, parameters: { operation: 'getProfile' }, credential: alice.reference })),
		{ credentials: store, standin },
	);

	expect(result.error).toBeUndefined();
	// The refresh went to Google's token URL with the client in the body: the type's hidden values.
	const refresh = result.exchanges.find((x) => x.url.endsWith('/token'))!;
	expect(refresh.url).toBe('https://oauth2.googleapis.com/token');
	expect(new URLSearchParams(refresh.requestBody.toString()).get('client_secret')).toBe(STANDIN_CLIENT_SECRET);
});

test('a refresh-token credential mints its access token through preAuthentication and stores it once', async () => {
	const store = new CredentialStore();
	const alice = await connectGmail(standin, new CredentialStore());
	const reference = { id: 'rt-1', name: 'Headless alice' };
	await store.add({
		...reference,
		type: 'gmailWorkspaceRefreshTokenApi',
		data: { clientId: STANDIN_CLIENT_ID, clientSecret: STANDIN_CLIENT_SECRET, refreshToken: alice.refreshToken },
	});
	const workflow = chain(
		manualTrigger(),
		{
			...gmailNode({ name: 'Probe', type: NODE_TYPES.gmailProbe, parameters: { authentication: 'refreshToken', operation: 'getProfile' } }),
			credentials: { gmailWorkspaceRefreshTokenApi: reference },
		},
	);

	const first = await bench.run(workflow, { credentials: store, standin });
	const second = await bench.run(workflow, { credentials: store, standin });

	expect([first.status, second.status]).toEqual(['success', 'success']);
	expect(first.nodes.Probe.json[0].emailAddress).toBe('alice@example.com');
	expect(first.exchanges.map((x) => [new URL(x.url).pathname, x.status])).toEqual([
		['/token', 200],
		['/gmail/v1/users/me/profile', 200],
	]);
	const minted = (JSON.parse(first.exchanges[0].responseBody.toString()) as { access_token: string }).access_token;
	expect(first.exchanges[1].bearer).toBe(minted);
	expect(first.credentialsWrites).toEqual([
		{ id: 'rt-1', type: 'gmailWorkspaceRefreshTokenApi', kind: 'data', data: expect.objectContaining({ accessToken: minted }) },
	]);
	// The second run reuses the stored token: no token request, no write.
	expect(second.exchanges.map((x) => [new URL(x.url).pathname, x.bearer])).toEqual([['/gmail/v1/users/me/profile', minted]]);
	expect(second.credentialsWrites).toEqual([]);
});
