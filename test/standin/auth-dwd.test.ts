import { generateKeyPairSync } from 'node:crypto';
import { JWT } from 'google-auth-library';
import { google } from 'googleapis';
import { signRs256 } from './auth/jwt';
import type { ServiceAccountKeyFile } from './auth/service-account-key';
import { SERVICE_ACCOUNT_EMAIL } from './core/directory';
import { GAXIOS, redirectToStandin, startStandin, tokenRequest, type Running } from './auth/test-helpers';

const SHARING = 'https://www.googleapis.com/auth/gmail.settings.sharing';
const BASIC = 'https://www.googleapis.com/auth/gmail.settings.basic';
const UNAUTHORIZED =
	'Client is unauthorized to retrieve access tokens using this method, or client not authorized for any of the scopes requested.';

let run: Running;
let key: ServiceAccountKeyFile;
beforeAll(async () => {
	run = await startStandin();
	key = (await (await fetch(`${run.url}/__standin/service-account-key`)).json()) as ServiceAccountKeyFile;
});
afterAll(() => run.close());
beforeEach(() => run.standin.reset());

/** google-auth-library's JWT client (key file + subject), its token requests sent to the stand-in. */
function jwtClient(subject: string | undefined, scopes: string[], privateKey = key.private_key) {
	const c = new JWT({ email: key.client_email, key: privateKey, keyId: key.private_key_id, scopes, subject, transporterOptions: GAXIOS });
	redirectToStandin(c.transporter, run.url);
	return c;
}

const jwtGrant = (assertion: string) => tokenRequest(run.url, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion });

function assertion(claims: Record<string, unknown>, privateKey = run.standin.directory.serviceAccounts.get(SERVICE_ACCOUNT_EMAIL)!.privateKey) {
	const now = Math.floor(Date.now() / 1000);
	return signRs256({ iss: SERVICE_ACCOUNT_EMAIL, scope: SHARING, aud: 'https://oauth2.googleapis.com/token', iat: now, exp: now + 3600, ...claims }, privateKey, 'standin-key-1');
}

describe('service account key file', () => {
	test('GET /__standin/service-account-key has the Cloud Console shape with a PEM key', () => {
		expect(key).toMatchObject({ type: 'service_account', client_email: SERVICE_ACCOUNT_EMAIL, private_key_id: 'standin-key-1', project_id: 'demo-project', token_uri: 'https://oauth2.googleapis.com/token' });
		expect(key.private_key).toMatch(/^-----BEGIN PRIVATE KEY-----\n/);
	});

	test('token_uri can point at the stand-in for clients that honour it', async () => {
		const k = (await (await fetch(`${run.url}/__standin/service-account-key?token_uri=${encodeURIComponent(`${run.url}/token`)}`)).json()) as ServiceAccountKeyFile;
		expect(k.token_uri).toBe(`${run.url}/token`);
	});
});

describe('jwt-bearer grant (domain-wide delegation)', () => {
	test('JWT client with subject → a dwd token that acts as the user; tokeninfo shows the SA as azp', async () => {
		const c = jwtClient('alice@example.com', [SHARING, BASIC]);
		const { token } = await c.getAccessToken();
		expect(token).toMatch(/^ya29\.c\./);
		const rec = run.standin.tokens.lookup(token!)!;
		expect(rec).toMatchObject({ email: 'alice@example.com', kind: 'dwd', serviceAccount: SERVICE_ACCOUNT_EMAIL });
		const gmail = google.gmail({ version: 'v1', auth: c, rootUrl: `${run.url}/` });
		const created = await gmail.users.settings.delegates.create({ userId: 'me', requestBody: { delegateEmail: 'bob@example.com' } });
		expect(created.data).toEqual({ delegateEmail: 'bob@example.com', verificationStatus: 'accepted' });
		const info = (await (await fetch(`${run.url}/tokeninfo?access_token=${token}`)).json()) as Record<string, string>;
		expect(info.azp).toBe(run.standin.directory.serviceAccounts.get(SERVICE_ACCOUNT_EMAIL)!.uniqueId);
	});

	test('a key that is not the service account\'s → invalid_grant "Invalid JWT Signature."', async () => {
		const other = generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
		await expect(jwtClient('alice@example.com', [SHARING], other).getAccessToken()).rejects.toMatchObject({
			response: { status: 400, data: { error: 'invalid_grant', error_description: 'Invalid JWT Signature.' } },
		});
	});

	test('a consumer subject (no DWD for gmail.com) → 401 unauthorized_client', async () => {
		await expect(jwtClient('carol@gmail.com', [SHARING]).getAccessToken()).rejects.toMatchObject({
			response: { status: 401, data: { error: 'unauthorized_client', error_description: UNAUTHORIZED } },
		});
	});

	test('a scope outside the DWD grant → unauthorized_client', async () => {
		const r = await jwtGrant(assertion({ sub: 'alice@example.com', scope: `${SHARING} https://www.googleapis.com/auth/cloud-platform` }));
		expect(r).toEqual({ status: 401, body: { error: 'unauthorized_client', error_description: UNAUTHORIZED } });
	});

	test('removing the DWD grant in the directory makes every subject unauthorized', async () => {
		run.standin.directory.serviceAccounts.get(SERVICE_ACCOUNT_EMAIL)!.domainWideDelegation = [];
		expect((await jwtGrant(assertion({ sub: 'alice@example.com' }))).body.error).toBe('unauthorized_client');
	});

	test('unknown subject → invalid_grant "Invalid email or User ID"', async () => {
		expect((await jwtGrant(assertion({ sub: 'nobody@example.com' }))).body).toEqual({ error: 'invalid_grant', error_description: 'Invalid email or User ID' });
	});

	test('assertion lifetimes over 1 h, expired ones, wrong audience, unknown scopes are refused', async () => {
		const now = Math.floor(Date.now() / 1000);
		const long = await jwtGrant(assertion({ sub: 'alice@example.com', iat: now, exp: now + 7200 }));
		expect(long.body.error).toBe('invalid_grant');
		expect(long.body.error_description).toMatch(/short-lived token \(60 minutes\)/);
		expect((await jwtGrant(assertion({ sub: 'alice@example.com', iat: now - 7200, exp: now - 3600 }))).body.error).toBe('invalid_grant');
		expect((await jwtGrant(assertion({ sub: 'alice@example.com', aud: 'http://127.0.0.1/token' }))).body.error_description).toMatch(/audience/);
		expect(await jwtGrant(assertion({ sub: 'alice@example.com', scope: 'https://example.com/nope' }))).toEqual({
			status: 400,
			body: { error: 'invalid_scope', error_description: 'Invalid OAuth scope or ID token audience provided.' },
		});
		expect((await jwtGrant('not.a-jwt')).body.error).toBe('invalid_grant');
	});

	test('no subject → a token for the service account itself, which Gmail refuses with failedPrecondition', async () => {
		const c = jwtClient(undefined, [BASIC]);
		const { token } = await c.getAccessToken();
		expect(run.standin.tokens.lookup(token!)).toMatchObject({ kind: 'service-account', email: SERVICE_ACCOUNT_EMAIL });
		const gmail = google.gmail({ version: 'v1', auth: c, rootUrl: `${run.url}/` });
		await expect(gmail.users.settings.getVacation({ userId: 'me' })).rejects.toMatchObject({
			response: { status: 400, data: { error: { message: 'Precondition check failed.', errors: [{ reason: 'failedPrecondition' }] } } },
		});
	});
});
