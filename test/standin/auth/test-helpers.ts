import type { Server } from 'node:http';
import nodeModule from 'node:module';
import { GOOGLE_HOSTS, type Standin } from '../core/standin';
import { STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from '../core/directory';
import { createStandin, listen } from '../server';

/** Test plumbing for the auth/IAM/settings contract tests (not a test file itself). */

/**
 * gaxios imports node-fetch (ESM) dynamically, which Jest refuses without --experimental-vm-modules: load it with
 * Node's own require and give it to every auth client as its transport (as gmail-testkit.ts does for Gmail).
 */
function nativeRequire(id: string): unknown {
	const M = nodeModule.Module as typeof nodeModule.Module & { _nodeModulePaths(dir: string): string[] };
	const loader = new M(__filename) as nodeModule.Module & { paths: string[] };
	loader.filename = __filename;
	loader.paths = M._nodeModulePaths(__dirname);
	return loader.require(id);
}
const nodeFetch = (nativeRequire('node-fetch') as { default: typeof fetch }).default;
/** transporterOptions for OAuth2Client / JWT under Jest. */
export const GAXIOS = { fetchImplementation: nodeFetch };

export interface Running {
	standin: Standin;
	url: string;
	server: Server;
	close(): Promise<void>;
}

export async function startStandin(): Promise<Running> {
	const standin = createStandin({ noCorpus: true });
	const { server, url } = await listen(standin);
	return { standin, url, server, close: () => new Promise<void>((r) => server.close(() => r())) };
}

export const REDIRECT = 'http://127.0.0.1:5678/rest/oauth2-credential/callback';
export const CLIENT = { clientId: STANDIN_CLIENT_ID, clientSecret: STANDIN_CLIENT_SECRET, redirectUri: REDIRECT };

/** OAuth2Client endpoints pointing at the stand-in. */
export const endpoints = (url: string) => ({
	tokenInfoUrl: `${url}/tokeninfo`,
	oauth2AuthBaseUrl: `${url}/o/oauth2/v2/auth`,
	oauth2TokenUrl: `${url}/token`,
	oauth2RevokeUrl: `${url}/revoke`,
	oauth2FederatedSignonPemCertsUrl: `${url}/oauth2/v1/certs`,
	oauth2FederatedSignonJwkCertsUrl: `${url}/oauth2/v3/certs`,
});

/**
 * Send a Gaxios transporter's Google-host requests to the stand-in (for clients with no endpoint option, e.g. JWT,
 * whose token URL is a constant inside google-auth-library's gtoken).
 */
export function redirectToStandin(transporter: { interceptors: { request: { add(i: { resolved: (o: any) => any }): void } } }, url: string) {
	const base = new URL(url);
	transporter.interceptors.request.add({
		resolved: async (opts: { url: URL | string }) => {
			const u = new URL(String(opts.url));
			if ((GOOGLE_HOSTS as readonly string[]).includes(u.hostname)) {
				u.protocol = base.protocol;
				u.host = base.host;
				opts.url = u;
			}
			return opts;
		},
	});
}

export interface ConsentOptions {
	user: string;
	scopes: string[];
	accessType?: 'online' | 'offline';
	state?: string;
	redirectUri?: string;
	decision?: 'approve' | 'deny';
	extra?: Record<string, string>;
}

/** The consent page's form POST, as a script does it: returns the redirect Location. */
export async function consent(url: string, o: ConsentOptions): Promise<{ status: number; location: URL | undefined; text: string }> {
	const form = new URLSearchParams({
		client_id: STANDIN_CLIENT_ID,
		redirect_uri: o.redirectUri ?? REDIRECT,
		response_type: 'code',
		scope: o.scopes.join(' '),
		access_type: o.accessType ?? 'offline',
		state: o.state ?? 'st-123',
		user: o.user,
		decision: o.decision ?? 'approve',
		...o.extra,
	});
	const res = await fetch(`${url}/o/oauth2/v2/auth`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: form,
		redirect: 'manual',
	});
	const loc = res.headers.get('location');
	return { status: res.status, location: loc ? new URL(loc) : undefined, text: await res.text() };
}

export async function consentCode(url: string, o: ConsentOptions): Promise<string> {
	const r = await consent(url, o);
	const code = r.location?.searchParams.get('code');
	if (!code) throw new Error(`no code: ${r.status} ${r.location} ${r.text.slice(0, 300)}`);
	return code;
}

/** POST a form to the token endpoint; returns status and JSON. */
export async function tokenRequest(url: string, form: Record<string, string>, headers: Record<string, string> = {}) {
	const res = await fetch(`${url}/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/x-www-form-urlencoded', ...headers },
		body: new URLSearchParams(form),
	});
	return { status: res.status, body: (await res.json()) as Record<string, any> };
}

/** An access token straight from the admin knob (skips consent). */
export async function knobToken(url: string, email: string, scopes: string[], kind?: 'user' | 'dwd'): Promise<string> {
	const res = await fetch(`${url}/__standin/token`, {
		method: 'POST',
		headers: { 'content-type': 'application/json' },
		body: JSON.stringify({ email, scopes, kind }),
	});
	if (res.status !== 200) throw new Error(`knob token: ${res.status} ${await res.text()}`);
	return ((await res.json()) as { access_token: string }).access_token;
}

export async function postJson(url: string, body: unknown) {
	const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
	return { status: res.status, body: (await res.json()) as any };
}

/** The Google error a googleapis call rejected with: {status, reason, message, body}. */
export async function googleError(p: Promise<unknown>): Promise<{ status: number; reason?: string; message: string; body: any }> {
	try {
		await p;
	} catch (e: any) {
		const body = e.response?.data;
		return { status: e.response?.status ?? e.status, reason: body?.error?.errors?.[0]?.reason, message: body?.error?.message ?? body?.error_description ?? e.message, body };
	}
	throw new Error('expected the call to fail');
}
