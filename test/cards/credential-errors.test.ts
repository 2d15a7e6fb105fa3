import { generateKeyPairSync } from 'node:crypto';

import type { IExecuteFunctions, IHttpRequestHelper, IHttpRequestOptions, INode, INodeParameters } from 'n8n-workflow';

import { DEFAULT_TIMEOUT_MS, requestGoogleToken } from '../../credentials/googleJwt';
import { impersonatedToken } from '../../nodes/GmailWorkspace/v1/transport/auth';
import { listProjects } from '../../nodes/GmailWorkspace/v1/readiness/cloud';
import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, setupBench, type RunResult } from '../bench';
import { SERVICE_ACCOUNT_EMAIL, STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from '../standin/core/directory';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { ALICE, BOB, adminSetup, calls } from './admin-kit';

/**
 * Credential failures in our words: each names the credential field to fix and how, and no secret, key or
 * token appears in the error. Token exchanges and IAM calls are retried like any other call.
 *
 * The stand-in answers as Google does: a wrong secret 401 {"error":"invalid_client","error_description":
 * "Unauthorized"} (hrishikeshrt/google_drive_ocr#8), a refresh token of another client 401
 * unauthorized_client "Unauthorized" (prasmussen/gdrive#375, baptisteArno/typebot.io#580), a key that is not
 * the account's invalid_grant "Invalid JWT Signature." (erebusnz/gapi-google-analytics-php-interface#147).
 */

const bench = setupBench();

const search = { resource: 'message', operation: 'search', limit: 1 };
const addDelegate = { resource: 'delegate', operation: 'add', userEmail: ALICE, delegateEmail: BOB };
const OTHER_CLIENT_ID = 'other-client.apps.googleusercontent.com';
const OTHER_CLIENT_SECRET = 'other-client-secret-value';

// Token caches live per credential id in the process: every credential gets a fresh id.
let counter = 0;
const nextId = (prefix: string) => `${prefix}-cred-errors-${++counter}`;

function addOtherClient(standin: Standin) {
	standin.directory.clients.set(OTHER_CLIENT_ID, { clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET, redirectUris: ['http://127.0.0.1:*'] });
}

async function setRefreshToken(standin: Standin, refreshToken: string, state: 'revoked' | 'rapt') {
	await standin.dispatch({
		method: 'POST',
		host: 'oauth2.googleapis.com',
		url: '/__standin/refresh-token',
		headers: { 'content-type': 'application/json' },
		body: Buffer.from(JSON.stringify({ refresh_token: refreshToken, state })),
	});
}

async function serviceAccountKey(standin: Standin): Promise<{ client_email: string; private_key: string }> {
	const reply = await standin.dispatch({ method: 'GET', host: 'oauth2.googleapis.com', url: '/__standin/service-account-key', headers: {}, body: Buffer.alloc(0) });
	return JSON.parse(reply.body.toString()) as { client_email: string; private_key: string };
}

/** A one-card workflow on a credential of `type` (its node Authentication is `authentication`). */
function cardOn(authentication: string, type: string, reference: { id: string; name: string }, parameters: object = search): INode {
	return { ...gmailNode({ name: 'Gmail', parameters: { authentication, ...parameters } as INodeParameters }), credentials: { [type]: reference } };
}

async function runCard(standin: Standin, store: CredentialStore, node: INode): Promise<RunResult> {
	return await bench.run(chain(manualTrigger(), node), { credentials: store, standin });
}

/** The OAuth2 credential, connected as alice, then changed as a user would (a wrong secret, another client). */
async function oauth2(standin: Standin, change: Record<string, string> = {}) {
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store, { id: nextId('oauth') });
	const data = await store.read(conn.reference.id);
	await store.add({ ...conn.reference, type: 'gmailWorkspaceOAuth2Api', data: { ...data, ...change } });
	standin.tokens.expireAll(); // the run renews the token with the credential's client id and secret
	return { store, conn, node: cardOn('oAuth2', 'gmailWorkspaceOAuth2Api', conn.reference) };
}

/** The refresh-token credential for alice's refresh token (issued to the stand-in's client). */
async function refreshTokenCredential(standin: Standin, change: Record<string, string> = {}) {
	const store = new CredentialStore();
	const conn = await connectGmail(standin, new CredentialStore(), { email: ALICE });
	const reference = { id: nextId('refresh'), name: 'Headless' };
	await store.add({
		...reference,
		type: 'gmailWorkspaceRefreshTokenApi',
		data: { clientId: STANDIN_CLIENT_ID, clientSecret: STANDIN_CLIENT_SECRET, refreshToken: conn.refreshToken, ...change },
	});
	return { store, conn, node: cardOn('refreshToken', 'gmailWorkspaceRefreshTokenApi', reference) };
}

/** The service-account key credential (the stand-in's key, default user alice), with fields changed. */
async function keyCredential(standin: Standin, change: Record<string, string> = {}, parameters: object = search) {
	const store = new CredentialStore();
	const key = await serviceAccountKey(standin);
	const reference = { id: nextId('key'), name: 'Service account key' };
	await store.add({
		...reference,
		type: 'gmailWorkspaceServiceAccountApi',
		data: { email: key.client_email, privateKey: key.private_key, delegatedEmail: ALICE, ...change },
	});
	return { store, key, node: cardOn('serviceAccount', 'gmailWorkspaceServiceAccountApi', reference, parameters) };
}

/** Requests the stand-in saw to a path (faulted ones included). */
const seen = (standin: Standin, path: RegExp) => standin.log.filter((l) => path.test(l.path)).length;
const TOKEN = /^\/token$/;

/** Everything of a run a user or a log could see: no secret, key or token may be in it. */
function visible(result: RunResult): string {
	return JSON.stringify([result.error, result.nodes, result.run.data.resultData.error]);
}

function expectNoSecrets(result: RunResult, secrets: string[]) {
	const text = visible(result);
	for (const secret of secrets.filter(Boolean)) expect(text).not.toContain(secret);
	expect(text).not.toMatch(/eyJ[\w-]{10,}\.[\w-]{10,}/); // no JWT (assertion) either
	expect(text).not.toMatch(/PRIVATE KEY-----/);
}

const pemBody = (pem: string) => pem.split('\n').find((line) => line.length > 40) ?? pem;

describe('OAuth2 credential: what n8n-core reports when Google refuses to renew the token', () => {
	test('a wrong Client Secret names the "Client Secret" field and where to copy it from', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await oauth2(standin, { clientSecret: 'not-the-secret-123' });
		const result = await runCard(standin, store, node);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Google refused the credential\'s "Client Secret" (invalid_client: Unauthorized): it is not the secret of the OAuth client in "Client ID". Copy the Client Secret of that client from Google Cloud console (APIs & Services → Credentials) into the credential.',
		);
		expect(result.error?.description).toBe("Google's token endpoint answered invalid_client: Unauthorized");
		expect(seen(standin, TOKEN)).toBe(1); // a refusal is final
		expectNoSecrets(result, ['not-the-secret-123', STANDIN_CLIENT_SECRET, conn.refreshToken, conn.accessToken]);
	});

	test('an unknown Client ID names the "Client ID" field', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await oauth2(standin, { clientId: 'deleted-client.apps.googleusercontent.com' });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toMatch(/^Google does not know the OAuth client in the credential's "Client ID" \(invalid_client: The OAuth client was not found\.\)\. Copy the Client ID and Client Secret/);
		expect(result.error?.message).toContain('then reconnect the account');
		expectNoSecrets(result, [STANDIN_CLIENT_SECRET, conn.refreshToken, conn.accessToken]);
	});

	test('another OAuth client than the account was connected with (unauthorized_client) says to put it back or reconnect', async () => {
		const standin = createStandin({ noCorpus: true });
		addOtherClient(standin);
		const { store, conn, node } = await oauth2(standin, { clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toBe(
			'Google refused to renew the connection\'s token for the credential\'s "Client ID" (unauthorized_client: Unauthorized): the account was connected through another OAuth client. Put back the Client ID and Client Secret it was connected with, or reconnect the account with this client.',
		);
		expectNoSecrets(result, [OTHER_CLIENT_SECRET, conn.refreshToken, conn.accessToken]);
	});

	test('a revoked refresh token (invalid_grant, n8n-core\'s "needs to be reconnected") keeps the reconnect message', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await oauth2(standin);
		await setRefreshToken(standin, conn.refreshToken, 'revoked');
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toMatch(/^Google no longer accepts this connection \(its refresh token expired or was revoked\): open the credential and reconnect the account\./);
		expectNoSecrets(result, [STANDIN_CLIENT_SECRET, conn.refreshToken, conn.accessToken]);
	});

	test('a wrong Client Secret found when the token is renewed for IAM signJwt (admin card) is named the same way', async () => {
		const setup = await adminSetup('oauth');
		const node = setup.node('Gmail', addDelegate);
		const reference = node.credentials!.gmailWorkspaceOAuth2Api;
		const data = await setup.store.read(reference.id!);
		await setup.store.add({ id: reference.id!, name: reference.name, type: 'gmailWorkspaceOAuth2Api', data: { ...data, clientSecret: 'not-the-secret-123' } });
		// the pre-flight passes with the stored token; signJwt answers 401, so n8n-core renews the token
		setup.standin.faults.push({ match: { host: 'iamcredentials.googleapis.com', path: ':signJwt$' }, nth: [1], action: 401 });
		const result = await setup.run(bench, setup.workflow(node));

		expect(result.error?.message).toMatch(/^Google refused the credential's "Client Secret" \(invalid_client: Unauthorized\)/);
		expect(setup.settings(ALICE).delegates.size).toBe(0);
		expectNoSecrets(result, ['not-the-secret-123', STANDIN_CLIENT_SECRET]);
	});
});

describe('Refresh-token credential', () => {
	test('a wrong Client Secret names the "Client Secret" field; the refusal is not retried', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await refreshTokenCredential(standin, { clientSecret: 'not-the-secret-123' });
		const result = await runCard(standin, store, node);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			'Google refused the credential\'s "Client Secret" (invalid_client: Unauthorized): it is not the secret of the OAuth client in "Client ID". Copy the Client Secret of that client from Google Cloud console (APIs & Services → Credentials).',
		);
		expect(result.error?.description).toBe("Google's token endpoint answered invalid_client: Unauthorized");
		expect(seen(standin, TOKEN)).toBe(1);
		expectNoSecrets(result, ['not-the-secret-123', STANDIN_CLIENT_SECRET, conn.refreshToken]);
	});

	test('an unknown Client ID names the "Client ID" field', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await refreshTokenCredential(standin, { clientId: 'deleted-client.apps.googleusercontent.com' });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toMatch(/^Google does not know the OAuth client in the credential's "Client ID" \(invalid_client: The OAuth client was not found\.\): copy the Client ID and Client Secret/);
		expectNoSecrets(result, [STANDIN_CLIENT_SECRET, conn.refreshToken]);
	});

	test('a refresh token of another OAuth client (unauthorized_client) names "Refresh Token" and "Client ID"', async () => {
		const standin = createStandin({ noCorpus: true });
		addOtherClient(standin);
		const { store, conn, node } = await refreshTokenCredential(standin, { clientId: OTHER_CLIENT_ID, clientSecret: OTHER_CLIENT_SECRET });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toBe(
			'Google refused the credential\'s "Refresh Token" for its "Client ID" (unauthorized_client: Unauthorized): the refresh token was issued to another OAuth client. Enter the Client ID and Client Secret of the client that obtained the refresh token, or obtain a new refresh token with this client.',
		);
		expectNoSecrets(result, [OTHER_CLIENT_SECRET, conn.refreshToken]);
	});

	test('a revoked refresh token (invalid_grant) asks for a new one in "Refresh Token"', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await refreshTokenCredential(standin);
		await setRefreshToken(standin, conn.refreshToken, 'revoked');
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toMatch(
			/^Google no longer accepts the credential's "Refresh Token" \(invalid_grant: Token has been expired or revoked\.\): .* paste it into "Refresh Token"\.$/,
		);
		expect(seen(standin, TOKEN)).toBe(1);
		expectNoSecrets(result, [STANDIN_CLIENT_SECRET, conn.refreshToken]);
	});

	test('a reauthentication policy (invalid_rapt) names the session-control fix and "Refresh Token"', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn, node } = await refreshTokenCredential(standin);
		await setRefreshToken(standin, conn.refreshToken, 'rapt');
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toMatch(/^Google requires the user of the credential's "Refresh Token" to sign in again \(invalid_grant: reauth related error \(invalid_rapt\)\)/);
		expect(result.error?.message).toContain('Google Cloud session control');
		expectNoSecrets(result, [STANDIN_CLIENT_SECRET, conn.refreshToken]);
	});

	test('a 503, then 200 from the token endpoint: the card succeeds after a second token request', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, node } = await refreshTokenCredential(standin);
		standin.faults.push({ match: { host: 'oauth2.googleapis.com', method: 'POST', path: '^/token$' }, nth: [1], action: 503 });
		const result = await runCard(standin, store, node);

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		expect(seen(standin, TOKEN)).toBe(2);
	});
});

describe('Service-account key credential', () => {
	test('a key Google refuses the signature of (not this account\'s key) names "Private Key" and "Service Account Email"', async () => {
		const standin = createStandin({ noCorpus: true });
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		const { store, key, node } = await keyCredential(standin, { privateKey: other });
		const result = await runCard(standin, store, node);

		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`Google refused the signature of the credential's "Private Key" (invalid_grant: Invalid JWT Signature.): the key is not a key of ${SERVICE_ACCOUNT_EMAIL} (the credential's "Service Account Email"), or it was deleted or disabled. Paste the private_key and client_email of one current JSON key of that service account (Google Cloud console → IAM & Admin → Service Accounts → Keys).`,
		);
		expect(seen(standin, TOKEN)).toBe(1);
		expectNoSecrets(result, [pemBody(other), pemBody(key.private_key)]);
	});

	test('a private key that cannot be read names "Private Key" before anything is sent', async () => {
		const standin = createStandin({ noCorpus: true });
		const broken = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASCBKcwggSjAgEAAoIBAQC7notakeyatall\n-----END PRIVATE KEY-----\n';
		const { store, node } = await keyCredential(standin, { privateKey: broken });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toBe(
			'The credential\'s "Private Key" is not a private key n8n can read: paste the "private_key" value of the service account\'s JSON key file, from -----BEGIN PRIVATE KEY----- to -----END PRIVATE KEY----- (or the whole JSON key file).',
		);
		expect(seen(standin, TOKEN)).toBe(0);
		expect(visible(result)).not.toContain('notakeyatall');
	});

	test('a JSON key file of another account than "Service Account Email": "the key is of X, but the credential says Y"', async () => {
		const standin = createStandin({ noCorpus: true });
		const key = await serviceAccountKey(standin);
		const file = JSON.stringify({ type: 'service_account', client_email: key.client_email, private_key: key.private_key });
		const { store, node } = await keyCredential(standin, { privateKey: file, email: 'reports@other-project.iam.gserviceaccount.com' });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toBe(
			`The credential's "Private Key" is a key of ${SERVICE_ACCOUNT_EMAIL}, but its "Service Account Email" says reports@other-project.iam.gserviceaccount.com: a key signs only for its own service account. Put ${SERVICE_ACCOUNT_EMAIL} in "Service Account Email", or paste a key of reports@other-project.iam.gserviceaccount.com.`,
		);
		expect(seen(standin, TOKEN)).toBe(0);
		expectNoSecrets(result, [pemBody(key.private_key)]);
	});

	test('the whole JSON key file pasted into "Private Key" works when it is the account\'s', async () => {
		const standin = createStandin({ noCorpus: true });
		const key = await serviceAccountKey(standin);
		const { store, node } = await keyCredential(standin, { privateKey: JSON.stringify(key) });
		const result = await runCard(standin, store, node);

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
	});

	test('a "Service Account Email" Google does not know names that field', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, node } = await keyCredential(standin, { email: 'typo@demo-project.iam.gserviceaccount.com' });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toBe(
			'Google does not know the service account typo@demo-project.iam.gserviceaccount.com in the credential\'s "Service Account Email" (invalid_grant: Invalid grant: account not found): paste the client_email of the JSON key file.',
		);
	});

	test('a "Default User to Impersonate" who does not exist names that field', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, node } = await keyCredential(standin, { delegatedEmail: 'ghost@example.com' });
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toBe(
			'Google refused the impersonation of ghost@example.com: check that the user exists in your Workspace domain and is active (Invalid email or User ID), and correct the credential\'s "Default User to Impersonate" if it is mistyped.',
		);
	});

	test('domain-wide delegation not authorized (unauthorized_client) names the Admin console fix', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.directory.serviceAccounts.get(SERVICE_ACCOUNT_EMAIL)!.domainWideDelegation = [];
		const { store, node } = await keyCredential(standin);
		const result = await runCard(standin, store, node);

		expect(result.error?.message).toMatch(
			new RegExp(`^Google refused to let ${SERVICE_ACCOUNT_EMAIL.replace(/\./g, '\\.')} act as alice@example\\.com: in the Google Admin console \\(Security → API controls → Domain-wide delegation\\), authorize the service account's client ID for https://`),
		);
		expect(seen(standin, TOKEN)).toBe(1);
	});

	test('an admin card impersonating a user who does not exist names the card\'s "User Email"', async () => {
		const setup = await adminSetup('key');
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', { ...addDelegate, userEmail: 'nobody@example.com' })));

		expect(result.error?.message).toBe(
			'Google refused the impersonation of nobody@example.com: check that the user exists in your Workspace domain and is active (Invalid email or User ID), and correct the card\'s "User Email" if it is mistyped. [item 0]',
		);
	});

	test('a 503, then 200 from the token endpoint: the read card succeeds after a second token request', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, node } = await keyCredential(standin);
		standin.faults.push({ match: { host: 'oauth2.googleapis.com', method: 'POST', path: '^/token$' }, nth: [1], action: 503 });
		const result = await runCard(standin, store, node);

		expect(result.error).toBeUndefined();
		expect(seen(standin, TOKEN)).toBe(2);
	});

	test('an admin card\'s impersonation survives a 503 and a reset of the token endpoint', async () => {
		const setup = await adminSetup('key');
		// a fault counts only the requests the faults before it let through: 503 on the 1st, reset on the 2nd
		setup.standin.faults.push({ match: { host: 'oauth2.googleapis.com', method: 'POST', path: '^/token$' }, nth: [1], action: 503 });
		setup.standin.faults.push({ match: { host: 'oauth2.googleapis.com', method: 'POST', path: '^/token$' }, nth: [1], action: 'reset' });
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', addDelegate)));

		expect(result.error).toBeUndefined();
		expect(setup.settings(ALICE).delegates.has(BOB)).toBe(true);
		expect(seen(setup.standin, TOKEN)).toBe(3);
	});
});

describe('IAM signJwt (keyless impersonation)', () => {
	test('500 three times, then 200: the admin card succeeds', async () => {
		const setup = await adminSetup('oauth');
		setup.standin.faults.push({ match: { host: 'iamcredentials.googleapis.com', path: ':signJwt$' }, nth: [1, 2, 3], action: 500 });
		const result = await setup.run(bench, setup.workflow(setup.node('Gmail', addDelegate)));

		expect(result.error).toBeUndefined();
		expect(calls(result, 'POST', /:signJwt$/)).toHaveLength(4);
		expect(setup.settings(ALICE).delegates.has(BOB)).toBe(true);
	});
});

describe('token requests carry a deadline', () => {
	test('requestGoogleToken sends timeout 60 s and tries a refusal once', async () => {
		expect(DEFAULT_TIMEOUT_MS).toBe(60_000);
		const seenOptions: IHttpRequestOptions[] = [];
		const ctx = {
			helpers: {
				httpRequest: async (options: IHttpRequestOptions) => {
					seenOptions.push(options);
					throw Object.assign(new Error('Request failed with status code 400'), {
						response: { status: 400, data: { error: 'invalid_grant', error_description: 'Bad Request' } },
					});
				},
			},
		} as unknown as IHttpRequestHelper;
		await expect(requestGoogleToken(ctx, { grant_type: 'refresh_token', refresh_token: 'secret-refresh-value' }, (r) => `refused: ${r.error}`)).rejects.toThrow(
			'refused: invalid_grant',
		);
		expect(seenOptions).toHaveLength(1);
		expect(seenOptions[0].timeout).toBe(60_000);
	});

	test('IAM signJwt and the jwt-bearer exchange of an impersonation send timeout 60 s', async () => {
		const sent: IHttpRequestOptions[] = [];
		const ctx = {
			getNode: () => ({ id: 'n', name: 'Gmail', type: 'x', typeVersion: 1, position: [0, 0], parameters: {}, credentials: { gmailWorkspaceOAuth2Api: { id: nextId('unit'), name: 'u' } } }),
			getNodeParameter: () => 'oAuth2',
			getCredentials: async () => ({ serviceAccountEmail: SERVICE_ACCOUNT_EMAIL }),
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => (sent.push(options), { signedJwt: 'signed' }),
				httpRequest: async (options: IHttpRequestOptions) => (sent.push(options), { access_token: 'minted', expires_in: 3600 }),
			},
		} as unknown as IExecuteFunctions;

		expect(await impersonatedToken(ctx, { user: ALICE, scopes: ['https://www.googleapis.com/auth/gmail.settings.basic'] })).toBe('minted');
		expect(sent.map((o) => [o.url, o.timeout])).toEqual([
			[`https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(SERVICE_ACCOUNT_EMAIL)}:signJwt`, 60_000],
			['https://oauth2.googleapis.com/token', 60_000],
		]);
	});

	test('the Service Account dropdown\'s project list is retried after a 503 and sends timeout 60 s', async () => {
		const sent: IHttpRequestOptions[] = [];
		const ctx = {
			getNode: () => ({ id: 'n', name: 'Gmail', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} }),
			getNodeParameter: () => 'oAuth2',
			helpers: {
				httpRequestWithAuthentication: async (_type: string, options: IHttpRequestOptions) => {
					sent.push(options);
					if (sent.length === 1) throw Object.assign(new Error('Request failed with status code 503'), { response: { status: 503, data: {} } });
					return { projects: [{ projectId: 'demo-project', name: 'Demo Project', lifecycleState: 'ACTIVE' }] };
				},
			},
		} as unknown as IExecuteFunctions;

		expect(await listProjects(ctx)).toEqual([{ projectId: 'demo-project', name: 'Demo Project' }]);
		expect(sent.map((o) => o.timeout)).toEqual([60_000, 60_000]);
	});
});
