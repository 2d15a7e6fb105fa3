import { createHash } from 'node:crypto';
import { OAuth2Client } from 'google-auth-library';
import { GAXIOS, CLIENT, REDIRECT, consent, endpoints, startStandin, type Running } from './auth/test-helpers';

const GMAIL_RO = 'https://www.googleapis.com/auth/gmail.readonly';

let run: Running;
beforeAll(async () => {
	run = await startStandin();
});
afterAll(() => run.close());

const authUrl = (params: Record<string, string>) => `${run.url}/o/oauth2/v2/auth?${new URLSearchParams(params)}`;
const base = () => ({ client_id: CLIENT.clientId, redirect_uri: REDIRECT, response_type: 'code', scope: GMAIL_RO });

describe('accounts.google.com consent page', () => {
	test('OAuth2Client.generateAuthUrl renders a page listing the seeded accounts and the requested scopes', async () => {
		const client = new OAuth2Client({ ...CLIENT, endpoints: endpoints(run.url), transporterOptions: GAXIOS });
		const url = client.generateAuthUrl({ access_type: 'offline', scope: ['openid', 'email', GMAIL_RO], state: 's1', prompt: 'consent', login_hint: 'bob@example.com' });
		const res = await fetch(url);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/text\/html/);
		const html = await res.text();
		for (const u of ['admin@example.com', 'alice@example.com', 'bob@example.com', 'dave@example.com', 'carol@gmail.com']) expect(html).toContain(`value="${u}"`);
		expect(html).toContain('value="bob@example.com" checked');
		expect(html).toContain('<code>https://www.googleapis.com/auth/userinfo.email</code>');
		expect(html).toContain(`<code>${GMAIL_RO}</code>`);
		expect(html).toMatch(/name="decision" value="approve"/);
		expect(html).toContain('name="state" value="s1"');
	});

	test('the old /o/oauth2/auth path serves the same page', async () => {
		const res = await fetch(`${run.url}/o/oauth2/auth?${new URLSearchParams(base())}`);
		expect(res.status).toBe(200);
	});

	test.each([
		['unknown scope', { scope: `${GMAIL_RO} https://www.googleapis.com/auth/gmail.everything` }, 400, 'invalid_scope', 'gmail.everything'],
		['unknown client', { client_id: 'nope.apps.googleusercontent.com' }, 401, 'invalid_client', 'The OAuth client was not found.'],
		['redirect not registered', { redirect_uri: 'https://evil.example.net/cb' }, 400, 'redirect_uri_mismatch', 'evil.example.net'],
		['userinfo trick in redirect', { redirect_uri: 'http://127.0.0.1:@evil.example.net/cb' }, 400, 'redirect_uri_mismatch', ''],
		['response_type missing', { response_type: '' }, 400, 'invalid_request', 'Missing required parameter: response_type'],
		['token flow', { response_type: 'token' }, 400, 'unsupported_response_type', ''],
		['scope missing', { scope: '' }, 400, 'invalid_request', 'Missing required parameter: scope'],
		['bad access_type', { access_type: 'forever' }, 400, 'invalid_request', 'Invalid access_type'],
	])('%s → Google-style error page', async (_name, over, status, error, text) => {
		const params = Object.fromEntries(Object.entries({ ...base(), ...over }).filter(([, v]) => v !== ''));
		const res = await fetch(authUrl(params), { redirect: 'manual' });
		expect(res.status).toBe(status);
		const html = await res.text();
		expect(html).toContain(`Error ${status}: ${error}`);
		expect(html).toContain(text);
		expect(res.headers.get('location')).toBeNull();
	});

	test('approve → 302 to redirect_uri with code, state, iss and the granted scopes', async () => {
		const r = await consent(run.url, { user: 'alice@example.com', scopes: ['email', GMAIL_RO], state: 'abc' });
		expect(r.status).toBe(302);
		const loc = r.location!;
		expect(`${loc.origin}${loc.pathname}`).toBe(REDIRECT);
		expect(loc.searchParams.get('code')).toMatch(/^4\/0/);
		expect(loc.searchParams.get('state')).toBe('abc');
		expect(loc.searchParams.get('iss')).toBe('https://accounts.google.com');
		expect(loc.searchParams.get('scope')).toBe(`https://www.googleapis.com/auth/userinfo.email ${GMAIL_RO}`);
		expect(loc.searchParams.get('hd')).toBe('example.com');
	});

	test('deny → error=access_denied with the state', async () => {
		const r = await consent(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO], decision: 'deny', state: 'q' });
		expect(r.status).toBe(302);
		expect(r.location!.searchParams.get('error')).toBe('access_denied');
		expect(r.location!.searchParams.get('state')).toBe('q');
		expect(r.location!.searchParams.get('code')).toBeNull();
	});

	test('the POST is validated again: a forged redirect_uri or unknown user is refused', async () => {
		const forged = await consent(run.url, { user: 'alice@example.com', scopes: [GMAIL_RO], redirectUri: 'https://evil.example.net/' });
		expect(forged.status).toBe(400);
		expect(forged.location).toBeUndefined();
		const ghost = await consent(run.url, { user: 'ghost@example.com', scopes: [GMAIL_RO] });
		expect(ghost.status).toBe(400);
	});

	test('prompt=none cannot show UI → interaction_required', async () => {
		const res = await fetch(authUrl({ ...base(), prompt: 'none', state: 'n' }), { redirect: 'manual' });
		expect(res.status).toBe(302);
		expect(new URL(res.headers.get('location')!).searchParams.get('error')).toBe('interaction_required');
	});

	test('PKCE: the code needs the matching verifier', async () => {
		const client = new OAuth2Client({ ...CLIENT, endpoints: endpoints(run.url), transporterOptions: GAXIOS });
		const { codeVerifier, codeChallenge } = await client.generateCodeVerifierAsync();
		expect(createHash('sha256').update(codeVerifier).digest('base64url')).toBe(codeChallenge);
		const pkce = { code_challenge: codeChallenge!, code_challenge_method: 'S256' };
		const code1 = (await consent(run.url, { user: 'bob@example.com', scopes: [GMAIL_RO], extra: pkce })).location!.searchParams.get('code')!;
		await expect(client.getToken({ code: code1, codeVerifier: 'wrong-verifier-wrong-verifier-wrong-verifier-x' })).rejects.toMatchObject({
			response: { status: 400, data: { error: 'invalid_grant', error_description: 'Invalid code verifier.' } },
		});
		const code2 = (await consent(run.url, { user: 'bob@example.com', scopes: [GMAIL_RO], extra: pkce })).location!.searchParams.get('code')!;
		await expect(client.getToken({ code: code2 })).rejects.toMatchObject({ response: { data: { error_description: 'Missing code verifier.' } } });
		const code3 = (await consent(run.url, { user: 'bob@example.com', scopes: [GMAIL_RO], extra: pkce })).location!.searchParams.get('code')!;
		const { tokens } = await client.getToken({ code: code3, codeVerifier });
		expect(tokens.access_token).toMatch(/^ya29\./);
	});
});
