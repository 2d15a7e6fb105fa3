import { randomBytes } from 'node:crypto';
import type { OAuthClient } from '../core/directory';
import type { Ctx, Reply, Route, Standin } from '../core/standin';
import { formParams, redirectAllowed } from './clients';
import { GOOGLE_ISSUER } from './issue';
import { parseScopes, unknownScopes } from './scopes';
import { authState } from './state';

/**
 * accounts.google.com/o/oauth2/v2/auth (and the older /o/oauth2/auth): the authorization endpoint.
 * GET validates the request like Google (error pages "Error 400: invalid_scope" etc.) and renders a small consent page
 * listing the seeded accounts; POSTing that form (the same parameters plus `user` and `decision=approve|deny`) redirects
 * to redirect_uri with `code` and `state`, or `error=access_denied`. Scriptable with one form POST, usable in a browser.
 * https://developers.google.com/identity/protocols/oauth2/web-server#creatingclient
 */

/** Request parameters the consent form carries through as hidden fields. */
const CARRIED = [
	'client_id', 'redirect_uri', 'response_type', 'scope', 'state', 'access_type', 'prompt',
	'code_challenge', 'code_challenge_method', 'login_hint', 'include_granted_scopes', 'nonce', 'hd',
] as const;

export interface AuthRequest {
	client: OAuthClient;
	redirectUri: string;
	scopes: string[];
	state?: string;
	accessType: 'online' | 'offline';
	prompt: string[];
	codeChallenge?: string;
	codeChallengeMethod?: 'S256' | 'plain';
	loginHint?: string;
	nonce?: string;
	params: URLSearchParams;
}

interface PageError {
	status: number;
	error: string;
	description: string;
}

const esc = (v: string) => v.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

function page(title: string, body: string): string {
	return `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${esc(title)}</title>
<style>body{font-family:system-ui,sans-serif;max-width:40rem;margin:2rem auto;padding:0 1rem}li{margin:.2rem 0}
.err{color:#b3261e}button{margin-right:.5rem;padding:.4rem 1rem}</style></head><body>${body}</body></html>`;
}

function errorPage(e: PageError): Reply {
	const html = page(`Error ${e.status}: ${e.error}`, `<h1>Access blocked: This app’s request is invalid</h1>
<p class="err" id="error"><b>Error ${e.status}: ${esc(e.error)}</b></p><p id="error_description">${esc(e.description)}</p>`);
	return { status: e.status, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}

/** Google's checks, in Google's order. Returns the parsed request or the error page to show. */
export function validateAuthRequest(s: Standin, p: URLSearchParams): AuthRequest | PageError {
	const missing = (name: string): PageError => ({ status: 400, error: 'invalid_request', description: `Missing required parameter: ${name}` });
	const clientId = p.get('client_id');
	if (!clientId) return missing('client_id');
	const client = s.directory.clients.get(clientId);
	if (!client) return { status: 401, error: 'invalid_client', description: 'The OAuth client was not found.' };
	const redirectUri = p.get('redirect_uri');
	if (!redirectUri) return missing('redirect_uri');
	if (!redirectAllowed(client, redirectUri)) {
		return { status: 400, error: 'redirect_uri_mismatch', description: `You can't sign in to this app because it doesn't comply with Google's OAuth 2.0 policy. redirect_uri=${redirectUri}` };
	}
	const responseType = p.get('response_type');
	if (!responseType) return missing('response_type');
	if (responseType !== 'code') return { status: 400, error: 'unsupported_response_type', description: `Invalid response_type: ${responseType}` };
	const scopes = parseScopes(p.get('scope'));
	if (!scopes.length) return missing('scope');
	const bad = unknownScopes(scopes);
	if (bad.length) return { status: 400, error: 'invalid_scope', description: `Some requested scopes were invalid. {invalid=[${bad.join(', ')}]}` };
	const accessType = p.get('access_type') ?? 'online';
	if (accessType !== 'online' && accessType !== 'offline') return { status: 400, error: 'invalid_request', description: `Invalid access_type: ${accessType}` };
	const prompt = (p.get('prompt') ?? '').split(' ').filter(Boolean);
	const badPrompt = prompt.find((x) => !['none', 'consent', 'select_account'].includes(x));
	if (badPrompt) return { status: 400, error: 'invalid_request', description: `Invalid prompt: ${badPrompt}` };
	const method = p.get('code_challenge_method') ?? (p.get('code_challenge') ? 'plain' : undefined);
	if (method && method !== 'S256' && method !== 'plain') return { status: 400, error: 'invalid_request', description: `Invalid code_challenge_method: ${method}` };
	return {
		client,
		redirectUri,
		scopes,
		state: p.get('state') ?? undefined,
		accessType,
		prompt,
		codeChallenge: p.get('code_challenge') ?? undefined,
		codeChallengeMethod: method as AuthRequest['codeChallengeMethod'],
		loginHint: p.get('login_hint') ?? undefined,
		nonce: p.get('nonce') ?? undefined,
		params: p,
	};
}

function redirect(to: string, params: Record<string, string | undefined>): Reply {
	const url = new URL(to);
	for (const [k, v] of Object.entries(params)) if (v !== undefined) url.searchParams.set(k, v);
	return { status: 302, headers: { location: url.toString(), 'content-type': 'text/html; charset=utf-8' }, body: '' };
}

function consentPage(s: Standin, ctx: Ctx, req: AuthRequest): Reply {
	const hidden = CARRIED.map((k) => req.params.get(k))
		.map((v, i) => (v === null ? '' : `<input type="hidden" name="${CARRIED[i]}" value="${esc(v)}">`))
		.join('');
	const hint = req.loginHint?.toLowerCase();
	const users = [...s.directory.users.values()];
	const checked = users.some((u) => u.email === hint) ? hint : users[0]?.email;
	const accounts = users
		.map((u) => `<li><label><input type="radio" name="user" value="${esc(u.email)}"${u.email === checked ? ' checked' : ''}> ${esc(u.name)} &lt;${esc(u.email)}&gt;${u.hostedDomain ? ` (Google Workspace: ${esc(u.hostedDomain)})` : ' (personal account)'}</label></li>`)
		.join('');
	const scopes = req.scopes.map((x) => `<li><code>${esc(x)}</code></li>`).join('');
	const html = page('Sign in - Google Accounts (stand-in)', `<h1>Choose an account</h1>
<p>to continue to <b>${esc(req.client.clientId)}</b> (Google stand-in: no password, pick an account).</p>
<form method="post" action="${esc(ctx.path)}">${hidden}
<ul id="accounts">${accounts}</ul>
<h2>This app wants to</h2><ul id="scopes">${scopes}</ul>
<p>Access type: <code>${esc(req.accessType)}</code>. Redirect: <code>${esc(req.redirectUri)}</code></p>
<button type="submit" name="decision" value="approve" id="approve">Allow</button>
<button type="submit" name="decision" value="deny" id="deny">Cancel</button>
</form>`);
	return { status: 200, headers: { 'content-type': 'text/html; charset=utf-8' }, body: html };
}

/** An approved request: mint the single-use authorization code (10 minutes, as Google's). */
function approve(s: Standin, req: AuthRequest, email: string): Reply {
	const code = `4/0${randomBytes(32).toString('base64url')}`;
	authState(s).codes.set(code, {
		code,
		clientId: req.client.clientId,
		redirectUri: req.redirectUri,
		email,
		scopes: req.scopes,
		accessType: req.accessType,
		codeChallenge: req.codeChallenge,
		codeChallengeMethod: req.codeChallengeMethod,
		nonce: req.nonce,
		expiresAt: s.tokens.now() + 10 * 60 * 1000,
	});
	const user = s.directory.user(email);
	return redirect(req.redirectUri, {
		state: req.state,
		iss: GOOGLE_ISSUER,
		code,
		scope: req.scopes.join(' '),
		authuser: '0',
		hd: user?.hostedDomain,
		prompt: req.prompt.includes('consent') ? 'consent' : 'none',
	});
}

function handle(s: Standin, ctx: Ctx): Reply {
	const p = ctx.method === 'POST' ? formParams(ctx.body, ctx.headers, ctx.query) : ctx.query;
	const req = validateAuthRequest(s, p);
	if (!('client' in req)) return errorPage(req);
	const decision = p.get('decision');
	if (!decision) {
		if (req.prompt.includes('none')) return redirect(req.redirectUri, { state: req.state, error: 'interaction_required' });
		return consentPage(s, ctx, req);
	}
	if (decision === 'deny') return redirect(req.redirectUri, { state: req.state, error: 'access_denied' });
	const email = (p.get('user') ?? '').toLowerCase();
	if (decision !== 'approve' || !s.directory.user(email)) {
		return errorPage({ status: 400, error: 'invalid_request', description: `Choose one of the listed accounts (user=${email || 'missing'}) and decision=approve|deny.` });
	}
	return approve(s, req, email);
}

export function consentRoutes(s: Standin): Route[] {
	const paths = ['/o/oauth2/v2/auth', '/o/oauth2/auth'];
	return [
		{ id: 'accounts.oauth2.auth', host: 'accounts.google.com', method: 'GET', paths, auth: 'none', handler: (ctx) => handle(s, ctx) },
		{ id: 'accounts.oauth2.auth.post', host: 'accounts.google.com', method: 'POST', paths, auth: 'none', handler: (ctx) => handle(s, ctx) },
	];
}
