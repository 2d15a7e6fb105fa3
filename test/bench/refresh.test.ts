import { createStandin } from '../standin/server';
import type { Standin } from '../standin/core/standin';
import { join } from 'node:path';

import { CredentialStore, NODE_TYPES, chain, connectGmail, gmailNode, loadWorkflow, manualTrigger, setupBench, type Connection } from '.';

/**
 * The OAuth2 refresh path of n8n-core, end to end: a node of ours calls Gmail with a credential whose
 * access token Google no longer accepts; n8n refreshes it at the token endpoint, stores the new
 * token once, and retries. Runs through WorkflowExecute, the stand-in answers as Google.
 */

const bench = setupBench();

let standin: Standin;
let store: CredentialStore;
let alice: Connection;

const PROBE = 'Gmail Probe';
const profileWorkflow = (credential: Connection, name = 'Read profile') => ({
	...chain(
		manualTrigger(),
		gmailNode({ name: PROBE, type: NODE_TYPES.gmailProbe, parameters: { operation: 'getProfile' }, credential: credential.reference }),
	),
	name,
});

beforeEach(async () => {
	standin = createStandin({ noCorpus: true });
	store = new CredentialStore();
	alice = await connectGmail(standin, store, { email: 'alice@example.com' });
	standin.log.length = 0;
});

/** The stand-in's log without the admin knobs: [routeId, status]. */
const googleLog = () => standin.log.filter((e) => !e.path.startsWith('/__standin/')).map((e) => [e.routeId, e.status]);

test('a workflow exported from n8n runs as is; a valid token is used without refresh or write', async () => {
	// The export references credential Vb2xGmailAlice01: connect the account under that id.
	const connection = await connectGmail(standin, store, { id: 'Vb2xGmailAlice01', name: 'Gmail alice' });
	const exported = loadWorkflow(join(__dirname, 'fixtures', 'profile.workflow.json'));
	standin.log.length = 0;

	const result = await bench.run(exported, { credentials: store, standin });

	expect(result.status).toBe('success');
	expect(result.nodes[PROBE].json).toEqual([expect.objectContaining({ emailAddress: 'alice@example.com' })]);
	expect(result.exchanges.map((x) => x.bearer)).toEqual([connection.accessToken]);
	expect(googleLog()).toEqual([['gmail.users.getProfile', 200]]);
	expect(result.credentialsWrites).toEqual([]);
});

test('an expired access token is refreshed once, stored once, and the call retried with the new token', async () => {
	standin.tokens.expireAll();

	const result = await bench.run(profileWorkflow(alice), { credentials: store, standin });

	expect(result.error).toBeUndefined();
	expect(result.status).toBe('success');
	expect(result.executionOrder).toEqual(['When clicking ‘Execute workflow’', PROBE]);
	expect(result.nodes[PROBE].json).toEqual([expect.objectContaining({ emailAddress: 'alice@example.com' })]);
	expect(result.nodes[PROBE].pairedItem).toEqual([{ item: 0 }]);

	// Google's view: 401, token refresh, then the retried call.
	expect(googleLog()).toEqual([
		['gmail.users.getProfile', 401],
		['oauth2.token', 200],
		['gmail.users.getProfile', 200],
	]);

	// The wire: the old token, a refresh_token grant with our refresh token, then the NEW token.
	const [first, refresh, retry] = result.exchanges;
	expect(first).toMatchObject({ method: 'GET', url: 'https://gmail.googleapis.com/gmail/v1/users/me/profile', bearer: alice.accessToken, status: 401 });
	expect(refresh).toMatchObject({ method: 'POST', url: 'https://oauth2.googleapis.com/token', status: 200 });
	const form = new URLSearchParams(refresh.requestBody.toString());
	expect(form.get('grant_type')).toBe('refresh_token');
	expect(form.get('refresh_token')).toBe(alice.refreshToken);
	expect(form.get('client_id')).toBe('standin-client.apps.googleusercontent.com'); // authentication: 'body'
	const newToken = (JSON.parse(refresh.responseBody.toString()) as { access_token: string }).access_token;
	expect(newToken).not.toBe(alice.accessToken);
	expect(retry).toMatchObject({ method: 'GET', bearer: newToken, status: 200 });

	// Stored exactly once, with the new access token and the refresh token kept.
	expect(result.credentialsWrites).toHaveLength(1);
	expect(result.credentialsWrites[0]).toMatchObject({
		id: alice.reference.id,
		type: 'gmailWorkspaceOAuth2Api',
		kind: 'oauthTokenData',
		data: { oauthTokenData: { access_token: newToken, refresh_token: alice.refreshToken } },
	});
	const stored = await store.read(alice.reference.id);
	expect(stored.oauthTokenData).toMatchObject({ access_token: newToken, refresh_token: alice.refreshToken, token_type: 'Bearer' });
	expect(stored.clientId).toBe('standin-client.apps.googleusercontent.com');
});

test('a revoked refresh token fails the workflow with a reconnect message and stores nothing', async () => {
	standin.tokens.expireAll();
	const revoke = await standin.dispatch({
		method: 'POST',
		host: 'oauth2.googleapis.com',
		url: `/revoke?token=${encodeURIComponent(alice.refreshToken)}`,
		headers: {},
		body: Buffer.alloc(0),
	});
	expect(revoke.status).toBe(200);
	const before = await store.read(alice.reference.id);

	const result = await bench.run(profileWorkflow(alice), { credentials: store, standin });

	expect(result.status).toBe('error');
	expect(result.error?.node).toBe(PROBE);
	// n8n-core's "needs to be reconnected" error, worded by our transport for Google's cases
	expect(result.error?.message).toMatch(/^Google no longer accepts this connection .*reconnect the account/);
	expect(googleLog()).toEqual([
		['oauth2.revoke', 200],
		['gmail.users.getProfile', 401],
		['oauth2.token', 400],
	]);
	const tokenReply = JSON.parse(result.exchanges[1].responseBody.toString()) as { error: string };
	expect(tokenReply.error).toBe('invalid_grant');
	expect(result.credentialsWrites).toEqual([]);
	expect(store.writes).toEqual([]);
	expect(await store.read(alice.reference.id)).toEqual(before);
});

test('two workflows sharing one credential: the first refreshes, the second uses the stored new token', async () => {
	standin.tokens.expireAll();

	const first = await bench.run(profileWorkflow(alice, 'Workflow A'), { credentials: store, standin });
	const second = await bench.run(profileWorkflow(alice, 'Workflow B'), { credentials: store, standin });

	expect([first.status, second.status]).toEqual(['success', 'success']);
	expect(second.nodes[PROBE].json[0].emailAddress).toBe('alice@example.com');
	const refreshed = (first.credentialsWrites[0].data.oauthTokenData as { access_token: string }).access_token;
	expect(second.exchanges.map((x) => [x.url, x.bearer, x.status])).toEqual([
		['https://gmail.googleapis.com/gmail/v1/users/me/profile', refreshed, 200],
	]);
	expect(second.credentialsWrites).toEqual([]);
	expect(store.writes).toHaveLength(1);
	expect(googleLog().filter(([id]) => id === 'oauth2.token')).toHaveLength(1);
});

test('two workflows running at once with an expired shared token refresh it once between them', async () => {
	standin.tokens.expireAll();

	const [a, b] = await Promise.all([
		bench.run(profileWorkflow(alice, 'Workflow A'), { credentials: store, standin }),
		bench.run(profileWorkflow(alice, 'Workflow B'), { credentials: store, standin }),
	]);

	expect([a.status, b.status]).toEqual(['success', 'success']);
	expect(googleLog().filter(([id]) => id === 'oauth2.token')).toEqual([['oauth2.token', 200]]);
	expect(store.writes).toHaveLength(1);
});
