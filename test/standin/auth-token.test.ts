import { OAuth2Client } from 'google-auth-library';
import { google } from 'googleapis';
import { GAXIOS, CLIENT, REDIRECT, consentCode, endpoints, knobToken, postJson, startStandin, tokenRequest, type Running } from './auth/test-helpers';

const GMAIL_RO = 'https://www.googleapis.com/auth/gmail.readonly';
const GMAIL_MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
const EMAIL = 'https://www.googleapis.com/auth/userinfo.email';

let run: Running;
beforeAll(async () => {
	run = await startStandin();
});
afterAll(() => run.close());
beforeEach(() => run.standin.reset());

const client = () => new OAuth2Client({ ...CLIENT, endpoints: endpoints(run.url), transporterOptions: GAXIOS });

describe('oauth2.googleapis.com/token: authorization_code', () => {
	test('offline access: access + refresh + id token, the id token verifies against /oauth2/v1/certs', async () => {
		const code = await consentCode(run.url, { user: 'alice@example.com', scopes: ['openid', 'email', GMAIL_MODIFY] });
		const c = client();
		const { tokens, res } = await c.getToken(code);
		expect(res?.status).toBe(200);
		expect(tokens.access_token).toMatch(/^ya29\./);
		expect(tokens.refresh_token).toMatch(/^1\/\//);
		expect(tokens.token_type).toBe('Bearer');
		expect(tokens.scope).toBe(`openid ${EMAIL} ${GMAIL_MODIFY}`);
		expect(tokens.expiry_date).toBeGreaterThan(Date.now() + 3500_000);
		const ticket = await c.verifyIdToken({ idToken: tokens.id_token!, audience: CLIENT.clientId });
		const p = ticket.getPayload()!;
		expect(p).toMatchObject({ iss: 'https://accounts.google.com', aud: CLIENT.clientId, email: 'alice@example.com', email_verified: true, hd: 'example.com' });
		expect(p.sub).toMatch(/^1\d{20}$/);
	});

	test('online access: no refresh token; no openid: no id token; a consumer has no hd', async () => {
		const code = await consentCode(run.url, { user: 'carol@gmail.com', scopes: [GMAIL_RO], accessType: 'online' });
		const { tokens } = await client().getToken(code);
		expect(tokens.refresh_token).toBeUndefined();
		expect(tokens.id_token).toBeUndefined();
		const code2 = await consentCode(run.url, { user: 'carol@gmail.com', scopes: ['openid', 'email'] });
		const { tokens: t2 } = await client().getToken(code2);
		const payload = JSON.parse(Buffer.from(t2.id_token!.split('.')[1], 'base64url').toString());
		expect(payload.email).toBe('carol@gmail.com');
		expect(payload.hd).toBeUndefined();
	});

	test('a code works once; a replay is invalid_grant', async () => {
		const code = await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] });
		await client().getToken(code);
		await expect(client().getToken(code)).rejects.toMatchObject({ response: { status: 400, data: { error: 'invalid_grant', error_description: 'Bad Request' } } });
	});

	test('codes expire after 10 minutes', async () => {
		const code = await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] });
		await postJson(`${run.url}/__standin/clock`, { advanceSeconds: 601 });
		const r = await tokenRequest(run.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT, client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
		expect(r).toEqual({ status: 400, body: { error: 'invalid_grant', error_description: 'Bad Request' } });
	});

	test('client authentication: body params or HTTP Basic; wrong secret / unknown client → invalid_client', async () => {
		const code = await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] });
		const basic = Buffer.from(`${CLIENT.clientId}:${CLIENT.clientSecret}`).toString('base64');
		const ok = await tokenRequest(run.url, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT }, { authorization: `Basic ${basic}` });
		expect(ok.status).toBe(200);
		const code2 = await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] });
		const form = { grant_type: 'authorization_code', code: code2, redirect_uri: REDIRECT, client_id: CLIENT.clientId };
		expect(await tokenRequest(run.url, { ...form, client_secret: 'nope' })).toEqual({ status: 401, body: { error: 'invalid_client', error_description: 'Unauthorized' } });
		expect(await tokenRequest(run.url, { ...form, client_id: 'other.apps.googleusercontent.com', client_secret: 'x' })).toEqual({
			status: 401,
			body: { error: 'invalid_client', error_description: 'The OAuth client was not found.' },
		});
		expect((await tokenRequest(run.url, form)).body).toEqual({ error: 'invalid_request', error_description: 'client_secret is missing.' });
	});

	test('redirect_uri must equal the one the code was issued for', async () => {
		const code = await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] });
		const r = await tokenRequest(run.url, { grant_type: 'authorization_code', code, redirect_uri: 'http://127.0.0.1:9999/other', client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret });
		expect(r).toEqual({ status: 400, body: { error: 'redirect_uri_mismatch', error_description: 'Bad Request' } });
	});

	test('malformed code and unknown grant types', async () => {
		const creds = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, redirect_uri: REDIRECT };
		expect((await tokenRequest(run.url, { ...creds, grant_type: 'authorization_code', code: 'garbage' })).body).toEqual({ error: 'invalid_grant', error_description: 'Malformed auth code.' });
		expect(await tokenRequest(run.url, { ...creds, grant_type: 'password' })).toEqual({ status: 400, body: { error: 'unsupported_grant_type', error_description: 'Invalid grant_type: password' } });
	});
});

describe('refresh_token grant', () => {
	async function offline(scopes = ['openid', 'email', GMAIL_MODIFY, GMAIL_RO]) {
		const c = client();
		const { tokens } = await c.getToken(await consentCode(run.url, { user: 'alice@example.com', scopes }));
		c.setCredentials(tokens);
		return { c, tokens };
	}

	test('refreshAccessToken mints a new access token with the granted scopes (and a fresh id token for openid)', async () => {
		const { c, tokens } = await offline();
		const { credentials } = await c.refreshAccessToken();
		expect(credentials.access_token).not.toBe(tokens.access_token);
		expect(credentials.refresh_token).toBe(tokens.refresh_token); // Google does not rotate it
		expect(credentials.scope).toBe(tokens.scope);
		expect(credentials.id_token).toBeDefined();
	});

	test('a scope subset may be asked for; a superset is invalid_scope', async () => {
		const { tokens } = await offline();
		const creds = { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refresh_token! };
		const sub = await tokenRequest(run.url, { ...creds, scope: GMAIL_RO });
		expect(sub.status).toBe(200);
		expect(sub.body.scope).toBe(GMAIL_RO);
		const sup = await tokenRequest(run.url, { ...creds, scope: `${GMAIL_RO} https://mail.google.com/` });
		expect(sup).toEqual({ status: 400, body: { error: 'invalid_scope', error_description: 'Bad Request' } });
	});

	test('a revoked refresh token → invalid_grant "Token has been expired or revoked."', async () => {
		const { c, tokens } = await offline();
		await postJson(`${run.url}/__standin/refresh-token`, { refresh_token: tokens.refresh_token, state: 'revoked' });
		await expect(c.refreshAccessToken()).rejects.toMatchObject({
			response: { status: 400, data: { error: 'invalid_grant', error_description: 'Token has been expired or revoked.' } },
		});
	});

	test('reauth required → invalid_grant with error_subtype invalid_rapt; valid again after the knob', async () => {
		const { c, tokens } = await offline();
		await postJson(`${run.url}/__standin/refresh-token`, { email: 'alice@example.com', state: 'rapt' });
		await expect(c.refreshAccessToken()).rejects.toMatchObject({
			response: {
				status: 400,
				data: { error: 'invalid_grant', error_description: 'reauth related error (invalid_rapt)', error_subtype: 'invalid_rapt', error_uri: 'https://support.google.com/a/answer/9368756' },
			},
		});
		await postJson(`${run.url}/__standin/refresh-token`, { refresh_token: tokens.refresh_token, state: 'valid' });
		await expect(c.refreshAccessToken()).resolves.toBeDefined();
	});

	test('an expired access token is refreshed transparently by the client on 401', async () => {
		const { c, tokens } = await offline();
		const gmail = google.gmail({ version: 'v1', auth: c, rootUrl: `${run.url}/` });
		expect((await gmail.users.settings.getImap({ userId: 'me' })).data.enabled).toBe(true);
		await postJson(`${run.url}/__standin/expire-tokens`, { email: 'alice@example.com' });
		c.setCredentials({ access_token: tokens.access_token, refresh_token: tokens.refresh_token }); // no expiry known: refresh on 401
		expect((await gmail.users.settings.getImap({ userId: 'me' })).status).toBe(200);
		expect(c.credentials.access_token).not.toBe(tokens.access_token);
	});

	test('a refresh token of another client → unauthorized_client', async () => {
		const { tokens } = await offline();
		run.standin.directory.clients.set('other.apps.googleusercontent.com', { clientId: 'other.apps.googleusercontent.com', clientSecret: 's2', redirectUris: [] });
		const r = await tokenRequest(run.url, { client_id: 'other.apps.googleusercontent.com', client_secret: 's2', grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
		expect(r.body.error).toBe('unauthorized_client');
	});
});

describe('tokeninfo, userinfo, revoke', () => {
	test('getTokenInfo (POST with Bearer) returns Google\'s fields, numbers as strings on the wire', async () => {
		const c = client();
		const { tokens } = await c.getToken(await consentCode(run.url, { user: 'bob@example.com', scopes: ['email', GMAIL_RO] }));
		const info = await c.getTokenInfo(tokens.access_token!);
		expect(info).toMatchObject({ azp: CLIENT.clientId, aud: CLIENT.clientId, email: 'bob@example.com', email_verified: 'true', access_type: 'offline', scopes: [EMAIL, GMAIL_RO] });
		expect(info.sub).toMatch(/^1\d{20}$/);
		const raw = (await (await fetch(`${run.url}/tokeninfo?access_token=${tokens.access_token}`)).json()) as Record<string, unknown>;
		expect(Object.keys(raw).sort()).toEqual(['access_type', 'aud', 'azp', 'email', 'email_verified', 'exp', 'expires_in', 'scope', 'sub'].sort());
		expect(typeof raw.exp).toBe('string');
		expect(typeof raw.expires_in).toBe('string');
	});

	test('tokeninfo?id_token= returns the verified claims as strings; a tampered one → invalid_token', async () => {
		const { tokens } = await client().getToken(await consentCode(run.url, { user: 'alice@example.com', scopes: ['openid', 'email'] }));
		const res = await fetch(`${run.url}/tokeninfo?id_token=${tokens.id_token}`);
		expect(res.status).toBe(200);
		expect(await res.json()).toMatchObject({ iss: 'https://accounts.google.com', aud: CLIENT.clientId, email: 'alice@example.com', email_verified: 'true', hd: 'example.com', alg: 'RS256' });
		const [h, , sig] = tokens.id_token!.split('.');
		const forged = `${h}.${Buffer.from(JSON.stringify({ email: 'admin@example.com' })).toString('base64url')}.${sig}`;
		expect((await fetch(`${run.url}/tokeninfo?id_token=${forged}`)).status).toBe(400);
	});

	test('tokeninfo without identity scopes has no sub/email', async () => {
		const at = await knobToken(run.url, 'alice@example.com', [GMAIL_RO]);
		const raw = (await (await fetch(`${run.url}/tokeninfo?access_token=${at}`)).json()) as Record<string, unknown>;
		expect(raw.email).toBeUndefined();
		expect(raw.sub).toBeUndefined();
		expect(raw.scope).toBe(GMAIL_RO);
	});

	test('tokeninfo of a bad or expired token → 400 invalid_token "Invalid Value"', async () => {
		const bad = await fetch(`${run.url}/tokeninfo?access_token=ya29.nope`);
		expect(bad.status).toBe(400);
		expect(await bad.json()).toEqual({ error: 'invalid_token', error_description: 'Invalid Value' });
		const at = await knobToken(run.url, 'alice@example.com', [GMAIL_RO]);
		await postJson(`${run.url}/__standin/clock`, { advanceSeconds: 3600 });
		expect((await fetch(`${run.url}/tokeninfo?access_token=${at}`)).status).toBe(400);
	});

	test('userinfo v2 (google.oauth2) and v3: fields by scope, hd for Workspace users only', async () => {
		const at = await knobToken(run.url, 'alice@example.com', ['openid', EMAIL, 'https://www.googleapis.com/auth/userinfo.profile']);
		const auth = new OAuth2Client({ transporterOptions: GAXIOS });
		auth.setCredentials({ access_token: at });
		const v2 = (await google.oauth2({ version: 'v2', auth, rootUrl: `${run.url}/` }).userinfo.get()).data;
		expect(v2).toMatchObject({ email: 'alice@example.com', verified_email: true, name: 'Alice Example', given_name: 'Alice', family_name: 'Example', hd: 'example.com' });
		const v3 = (await (await fetch(`${run.url}/oauth2/v3/userinfo`, { headers: { authorization: `Bearer ${at}` } })).json()) as Record<string, unknown>;
		expect(v3).toMatchObject({ sub: v2.id, email: 'alice@example.com', email_verified: true, hd: 'example.com' });
		const carol = await knobToken(run.url, 'carol@gmail.com', ['openid', EMAIL]);
		const c3 = (await (await fetch(`${run.url}/oauth2/v3/userinfo`, { headers: { authorization: `Bearer ${carol}` } })).json()) as Record<string, unknown>;
		expect(c3.hd).toBeUndefined();
		expect(c3.name).toBeUndefined();
		expect(c3.email).toBe('carol@gmail.com');
	});

	test('userinfo with only Gmail scopes → 403 insufficient scopes', async () => {
		const at = await knobToken(run.url, 'alice@example.com', [GMAIL_RO]);
		const res = await fetch(`${run.url}/oauth2/v2/userinfo`, { headers: { authorization: `Bearer ${at}` } });
		expect(res.status).toBe(403);
	});

	test('legacy www.googleapis.com/oauth2/v1/tokeninfo shape', async () => {
		const at = await knobToken(run.url, 'alice@example.com', [EMAIL, GMAIL_RO]);
		const body = (await (await fetch(`${run.url}/oauth2/v1/tokeninfo?access_token=${at}`)).json()) as Record<string, unknown>;
		expect(body).toMatchObject({ issued_to: CLIENT.clientId, audience: CLIENT.clientId, email: 'alice@example.com', verified_email: true, access_type: 'online' });
		expect(typeof body.expires_in).toBe('number');
	});

	test('revoking the refresh token kills the grant (its access tokens too); unknown tokens → 400', async () => {
		const c = client();
		const { tokens } = await c.getToken(await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] }));
		await c.revokeToken(tokens.refresh_token!);
		expect((await fetch(`${run.url}/tokeninfo?access_token=${tokens.access_token}`)).status).toBe(400);
		const r = await tokenRequest(run.url, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
		expect(r.body).toEqual({ error: 'invalid_grant', error_description: 'Token has been expired or revoked.' });
		const again = await fetch(`${run.url}/revoke?token=ya29.unknown`, { method: 'POST' });
		expect(again.status).toBe(400);
	});

	test('revoking an access token revokes its refresh token', async () => {
		const c = client();
		const { tokens } = await c.getToken(await consentCode(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO] }));
		const res = await fetch(`${run.url}/revoke`, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: `token=${tokens.access_token}` });
		expect(res.status).toBe(200);
		const r = await tokenRequest(run.url, { client_id: CLIENT.clientId, client_secret: CLIENT.clientSecret, grant_type: 'refresh_token', refresh_token: tokens.refresh_token! });
		expect(r.status).toBe(400);
	});
});
