import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { SERVICE_ACCOUNT_EMAIL } from './core/directory';
import { GAXIOS, googleError, knobToken, startStandin, tokenRequest, type Running } from './auth/test-helpers';

const CLOUD = 'https://www.googleapis.com/auth/cloud-platform';
const SHARING = 'https://www.googleapis.com/auth/gmail.settings.sharing';
const SA_NAME = `projects/-/serviceAccounts/${SERVICE_ACCOUNT_EMAIL}`;

let run: Running;
beforeAll(async () => {
	run = await startStandin();
});
afterAll(() => run.close());
beforeEach(() => run.standin.reset());

async function as(email: string, scopes = [CLOUD]) {
	const auth = new OAuth2Client({ transporterOptions: GAXIOS });
	auth.setCredentials({ access_token: await knobToken(run.url, email, scopes) });
	const rootUrl = `${run.url}/`;
	return {
		iam: google.iam({ version: 'v1', auth, rootUrl }),
		creds: google.iamcredentials({ version: 'v1', auth, rootUrl }),
		crm: google.cloudresourcemanager({ version: 'v1', auth, rootUrl }),
		crm3: google.cloudresourcemanager({ version: 'v3', auth, rootUrl }),
	};
}

function claims(sub: string, scope = SHARING) {
	const now = Math.floor(Date.now() / 1000);
	return JSON.stringify({ iss: SERVICE_ACCOUNT_EMAIL, sub, scope, aud: 'https://oauth2.googleapis.com/token', iat: now, exp: now + 3600 });
}

describe('iamcredentials signJwt: keyless domain-wide delegation', () => {
	test('admin (Token Creator) signs, /token accepts the assertion, the dwd token manages alice\'s delegates', async () => {
		const { creds } = await as('admin@example.com');
		const { data } = await creds.projects.serviceAccounts.signJwt({ name: SA_NAME, requestBody: { payload: claims('alice@example.com') } });
		expect(data.keyId).toBe('standin-key-1');
		const [h] = data.signedJwt!.split('.');
		expect(JSON.parse(Buffer.from(h, 'base64url').toString())).toMatchObject({ alg: 'RS256', kid: 'standin-key-1' });
		const grant = await tokenRequest(run.url, { grant_type: 'urn:ietf:params:oauth:grant-type:jwt-bearer', assertion: data.signedJwt! });
		expect(grant.status).toBe(200);
		expect(Object.keys(grant.body).sort()).toEqual(['access_token', 'expires_in', 'token_type']);
		const auth = new OAuth2Client({ transporterOptions: GAXIOS });
		auth.setCredentials({ access_token: grant.body.access_token });
		const gmail = google.gmail({ version: 'v1', auth, rootUrl: `${run.url}/`, retry: false });
		const created = await gmail.users.settings.delegates.create({ userId: 'alice@example.com', requestBody: { delegateEmail: 'bob@example.com' } });
		expect(created.data).toEqual({ delegateEmail: 'bob@example.com', verificationStatus: 'accepted' });
		// delegates.list is not in gmail.settings.sharing's reach (discovery: basic/readonly/modify/mail.google.com)
		expect((await googleError(gmail.users.settings.delegates.list({ userId: 'me' }))).reason).toBe('insufficientPermissions');
	});

	test('dave (no Token Creator) → 403 PERMISSION_DENIED naming iam.serviceAccounts.signJwt', async () => {
		const { creds } = await as('dave@example.com');
		const e = await googleError(creds.projects.serviceAccounts.signJwt({ name: SA_NAME, requestBody: { payload: claims('alice@example.com') } }));
		expect(e.status).toBe(403);
		expect(e.message).toBe("Permission 'iam.serviceAccounts.signJwt' denied on resource (or it may not exist).");
		expect(e.body.error.status).toBe('PERMISSION_DENIED');
		expect(e.body.error.details[0]).toMatchObject({ reason: 'IAM_PERMISSION_DENIED', metadata: { permission: 'iam.serviceAccounts.signJwt' } });
	});

	test('a token without cloud-platform → 403 insufficient scopes; a project id instead of - → 400', async () => {
		const { creds } = await as('admin@example.com', [SHARING]);
		const e = await googleError(creds.projects.serviceAccounts.signJwt({ name: SA_NAME, requestBody: { payload: claims('alice@example.com') } }));
		expect(e.status).toBe(403);
		expect(e.reason).toBe('insufficientPermissions');
		const ok = await as('admin@example.com');
		const bad = await googleError(ok.creds.projects.serviceAccounts.signJwt({ name: `projects/demo-project/serviceAccounts/${SERVICE_ACCOUNT_EMAIL}`, requestBody: { payload: claims('a@example.com') } }));
		expect(bad.status).toBe(400);
	});

	test('payload must be a JSON object with a sane exp', async () => {
		const { creds } = await as('admin@example.com');
		expect((await googleError(creds.projects.serviceAccounts.signJwt({ name: SA_NAME, requestBody: { payload: 'nope' } }))).status).toBe(400);
		const far = JSON.stringify({ sub: 'x', exp: Math.floor(Date.now() / 1000) + 13 * 3600 });
		expect((await googleError(creds.projects.serviceAccounts.signJwt({ name: SA_NAME, requestBody: { payload: far } }))).status).toBe(400);
	});

	test('generateAccessToken → a service-account token', async () => {
		const { creds } = await as('admin@example.com');
		const { data } = await creds.projects.serviceAccounts.generateAccessToken({ name: SA_NAME, requestBody: { scope: [CLOUD], lifetime: '600s' } });
		expect(run.standin.tokens.lookup(data.accessToken!)).toMatchObject({ kind: 'service-account', email: SERVICE_ACCOUNT_EMAIL });
		expect(Date.parse(data.expireTime!) - Date.now()).toBeLessThanOrEqual(600_000);
		const dave = await as('dave@example.com');
		const e = await googleError(dave.creds.projects.serviceAccounts.generateAccessToken({ name: SA_NAME, requestBody: { scope: [CLOUD] } }));
		expect(e.message).toBe("Permission 'iam.serviceAccounts.getAccessToken' denied on resource (or it may not exist).");
	});
});

describe('iam v1 serviceAccounts', () => {
	test('list: project members see the SA; others get 403', async () => {
		const { iam } = await as('dave@example.com');
		const { data } = await iam.projects.serviceAccounts.list({ name: 'projects/demo-project' });
		expect(data.accounts).toHaveLength(1);
		expect(data.accounts![0]).toMatchObject({ email: SERVICE_ACCOUNT_EMAIL, name: `projects/demo-project/serviceAccounts/${SERVICE_ACCOUNT_EMAIL}`, projectId: 'demo-project', uniqueId: '104200000000000000001', oauth2ClientId: '104200000000000000001' });
		const alice = await as('alice@example.com');
		const e = await googleError(alice.iam.projects.serviceAccounts.list({ name: 'projects/demo-project' }));
		expect(e.status).toBe(403);
		expect(e.message).toMatch(/iam\.serviceAccounts\.list/);
	});

	test('get by email or unique id, with - as project; unknown → 404', async () => {
		const { iam } = await as('admin@example.com');
		expect((await iam.projects.serviceAccounts.get({ name: SA_NAME })).data.email).toBe(SERVICE_ACCOUNT_EMAIL);
		expect((await iam.projects.serviceAccounts.get({ name: 'projects/-/serviceAccounts/104200000000000000001' })).data.email).toBe(SERVICE_ACCOUNT_EMAIL);
		expect((await googleError(iam.projects.serviceAccounts.get({ name: 'projects/-/serviceAccounts/ghost@demo-project.iam.gserviceaccount.com' }))).status).toBe(404);
	});

	test('testIamPermissions returns the subset the caller holds', async () => {
		const asked = ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.getAccessToken', 'iam.serviceAccounts.delete'];
		const t = async (email: string) =>
			(await (await as(email)).iam.projects.serviceAccounts.testIamPermissions({ resource: `projects/demo-project/serviceAccounts/${SERVICE_ACCOUNT_EMAIL}`, requestBody: { permissions: asked } })).data;
		expect(await t('admin@example.com')).toEqual({ permissions: ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.signJwt', 'iam.serviceAccounts.getAccessToken'] });
		expect(await t('dave@example.com')).toEqual({});
		expect(await t('alice@example.com')).toEqual({});
	});
});

describe('cloudresourcemanager', () => {
	test('v1 projects.list and v3 projects.search show the caller\'s projects', async () => {
		const admin = await as('admin@example.com');
		const { data } = await admin.crm.projects.list();
		expect(data.projects).toEqual([expect.objectContaining({ projectId: 'demo-project', projectNumber: '123456789012', lifecycleState: 'ACTIVE', name: 'Demo Project' })]);
		expect((await admin.crm.projects.get({ projectId: 'demo-project' })).data.projectId).toBe('demo-project');
		const v3 = await admin.crm3.projects.search();
		expect(v3.data.projects![0]).toMatchObject({ name: 'projects/123456789012', projectId: 'demo-project', state: 'ACTIVE', displayName: 'Demo Project' });
		const alice = await as('alice@example.com');
		expect((await alice.crm.projects.list()).data).toEqual({});
		expect((await googleError(alice.crm.projects.get({ projectId: 'demo-project' }))).status).toBe(403);
	});
});
