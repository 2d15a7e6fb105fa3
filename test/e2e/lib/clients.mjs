// Small clients for the e2e suite and the demo: n8n's REST API (cookie session, like the editor), the stand-in's
// admin knobs, and a Google-side HTTPS client that reaches the stand-in under Google's hostnames with our test CA.
import { readFileSync } from 'node:fs';
import { request as httpsRequest } from 'node:https';

/** n8n's internal REST API with the owner's session cookie (what the editor uses). */
export class N8n {
	constructor(baseUrl) {
		this.baseUrl = baseUrl.replace(/\/$/, '');
		this.cookies = new Map();
		this.apiKey = undefined;
	}

	cookieHeader() {
		return [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
	}

	keepCookies(res) {
		for (const c of res.headers.getSetCookie?.() ?? []) {
			const [kv] = c.split(';');
			const i = kv.indexOf('=');
			this.cookies.set(kv.slice(0, i).trim(), kv.slice(i + 1).trim());
		}
	}

	/** A raw request to n8n; returns {status, headers, text, json}. */
	async raw(method, path, body, { headers = {}, redirect = 'manual' } = {}) {
		const url = path.startsWith('http') ? path : `${this.baseUrl}${path}`;
		const h = { ...headers };
		if (this.cookies.size) h.cookie = this.cookieHeader();
		if (this.apiKey && path.startsWith('/api/')) h['x-n8n-api-key'] = this.apiKey;
		if (body !== undefined) h['content-type'] = 'application/json';
		// n8n 2.x checks a browser-id header on session-bound endpoints
		h['browser-id'] ??= 'gw-e2e-browser';
		const init = { method, headers: h, body: body === undefined ? undefined : JSON.stringify(body), redirect };
		let res;
		try {
			res = await fetch(url, init);
		} catch (e) {
			// fetch keeps connections alive; a server that closed an idle one (n8n 1.x after 5 s) fails the next
			// request before it is sent ("other side closed"): send it again once on a fresh connection
			if (!/UND_ERR_SOCKET|ECONNRESET|EPIPE/.test(`${e?.cause?.code} ${e?.cause?.message}`)) throw e;
			res = await fetch(url, init);
		}
		this.keepCookies(res);
		const text = await res.text();
		let json;
		try {
			json = JSON.parse(text);
		} catch {
			json = undefined;
		}
		return { status: res.status, headers: res.headers, text, json };
	}

	/** JSON request that must succeed; returns `data` when the answer is wrapped in it. */
	async call(method, path, body) {
		const r = await this.raw(method, path, body);
		if (r.status >= 400) throw new Error(`${method} ${path} -> HTTP ${r.status}: ${r.text.slice(0, 500)}`);
		return r.json && typeof r.json === 'object' && 'data' in r.json ? r.json.data : r.json;
	}

	/** First start: create the owner; later: log in. */
	async ownerLogin(email, password) {
		const setup = await this.raw('POST', '/rest/owner/setup', { email, firstName: 'Demo', lastName: 'Owner', password });
		if (setup.status === 200) return 'created';
		const login = await this.raw('POST', '/rest/login', { emailOrLdapLoginId: email, email, password });
		if (login.status !== 200) throw new Error(`owner setup (${setup.status}: ${setup.text.slice(0, 200)}) and login (${login.status}: ${login.text.slice(0, 200)}) failed`);
		return 'logged-in';
	}

	async createCredential(name, type, data) {
		return this.call('POST', '/rest/credentials', { name, type, data });
	}

	async createWorkflow(wf) {
		const { id: _id, active: _a, pinData: _p, versionId: _v, meta: _m, ...body } = wf;
		return this.call('POST', '/rest/workflows', { ...body, active: false });
	}

	/**
	 * Activate ("Publish" in n8n 2.x's editor, the Active toggle before): n8n 2.41's WorkflowsController
	 * `POST /rest/workflows/:id/activate {versionId}` publishes that version and starts its triggers (a polling
	 * trigger polls once at once). Returns the workflow (`active`, `activeVersionId`).
	 */
	async activateWorkflow(id, versionId) {
		return this.call('POST', `/rest/workflows/${id}/activate`, { versionId });
	}

	async deactivateWorkflow(id) {
		return this.call('POST', `/rest/workflows/${id}/deactivate`, {});
	}

	async nodeTypes() {
		const r = await this.raw('GET', '/types/nodes.json');
		if (r.status !== 200) throw new Error(`/types/nodes.json -> ${r.status}`);
		return r.json;
	}
}

/** HTTPS to a Google hostname, connected to the stand-in's TLS port and verified with the test CA (as n8n sees it). */
export function googleRequest({ port, ca, method = 'GET', url, headers = {}, body }) {
	const u = new URL(url);
	return new Promise((resolve, reject) => {
		const req = httpsRequest(
			{
				host: '127.0.0.1',
				port,
				// a fresh connection each time: Node 24's global agent keeps sockets alive, and the stand-in closes idle
				// ones after 5 s (a workflow run takes longer), which surfaces as "socket hang up" on reuse
				agent: false,
				servername: u.hostname,
				ca: typeof ca === 'string' && !ca.includes('BEGIN') ? readFileSync(ca) : ca,
				method,
				path: u.pathname + u.search,
				headers: { host: u.hostname, ...headers, ...(body ? { 'content-length': Buffer.byteLength(body) } : {}) },
			},
			(res) => {
				const chunks = [];
				res.on('data', (c) => chunks.push(c));
				res.on('end', () => resolve({ status: res.statusCode, headers: res.headers, text: Buffer.concat(chunks).toString('utf8') }));
			},
		);
		req.on('error', reject);
		if (body) req.write(body);
		req.end();
	});
}

/** The stand-in's /__standin/ admin knobs over its TLS port (any host; we use 127.0.0.1 with the CA). */
export class Standin {
	constructor({ port, ca }) {
		this.port = port;
		this.ca = readFileSync(ca);
	}

	async call(method, path, body) {
		const r = await googleRequest({
			port: this.port,
			ca: this.ca,
			method,
			url: `https://oauth2.googleapis.com/__standin/${path}`,
			headers: body === undefined ? {} : { 'content-type': 'application/json' },
			body: body === undefined ? undefined : JSON.stringify(body),
		});
		if (r.status >= 400) throw new Error(`stand-in ${method} /__standin/${path} -> ${r.status}: ${r.text.slice(0, 300)}`);
		return r.text ? JSON.parse(r.text) : undefined;
	}

	/** Requests recorded after sequence number `since` (admin knobs excluded). */
	requests(since = 0) {
		return this.call('GET', `requests?since=${since}`);
	}

	async lastSeq() {
		const all = await this.requests(0);
		// the highest number, not the last entry: a batch envelope is logged after its parts but numbered before them
		return all.reduce((max, e) => Math.max(max, e.seq), 0);
	}

	/**
	 * An access token for any seeded user, minted by the stand-in (to look at a mailbox the way its owner would).
	 * `kind: 'dwd'` mints a domain-wide-delegation token (what a service account acting as the user holds): the
	 * stand-in serves delegates, forwarding addresses and auto-forwarding only to such tokens.
	 */
	async tokenFor(email, scopes = ['https://www.googleapis.com/auth/gmail.readonly'], { kind } = {}) {
		return (await this.call('POST', 'token', { email, scopes, ...(kind ? { kind } : {}) })).access_token;
	}

	/**
	 * A Google API call as `email` (e.g. check that a mail arrived in bob's inbox). Returns the parsed JSON.
	 * Options: `scopes` (default https://mail.google.com/), `kind` ('dwd' to read delegates / forwarding state).
	 */
	async api(email, method, url, body, { scopes = ['https://mail.google.com/'], kind } = {}) {
		const token = await this.tokenFor(email, scopes, { kind });
		const r = await googleRequest({
			port: this.port,
			ca: this.ca,
			method,
			url,
			headers: { authorization: `Bearer ${token}`, ...(body ? { 'content-type': 'application/json' } : {}) },
			body: body ? JSON.stringify(body) : undefined,
		});
		if (r.status >= 400) throw new Error(`${method} ${url} as ${email} -> ${r.status}: ${r.text.slice(0, 300)}`);
		return r.text ? JSON.parse(r.text) : undefined;
	}

	expireTokens(email) {
		return this.call('POST', 'expire-tokens', email ? { email } : {});
	}
}

/** Hidden inputs of the first form of an HTML page (the stand-in's consent page). */
export function formFields(html) {
	const form = /<form[^>]*action="([^"]*)"[^>]*>([\s\S]*?)<\/form>/i.exec(html);
	if (!form) throw new Error(`no form on the consent page: ${html.slice(0, 300)}`);
	const unesc = (v) => v.replace(/&#(\d+);/g, (_, n) => String.fromCharCode(Number(n))).replace(/&amp;/g, '&').replace(/&quot;/g, '"').replace(/&lt;/g, '<').replace(/&gt;/g, '>');
	const fields = new URLSearchParams();
	for (const m of form[2].matchAll(/<input[^>]*type="hidden"[^>]*>/gi)) {
		const name = /name="([^"]*)"/.exec(m[0])?.[1];
		const value = /value="([^"]*)"/.exec(m[0])?.[1] ?? '';
		if (name) fields.append(name, unesc(value));
	}
	const accounts = [...form[2].matchAll(/name="user" value="([^"]*)"/g)].map((m) => unesc(m[1]));
	return { action: unesc(form[1]), fields, accounts };
}

/**
 * The first leg of "Connect my account" only: n8n's authorization URL for the credential, and what Google's (the
 * stand-in's) consent page answers to it (e.g. 400 "Error 400: invalid_scope" for a scope Google does not define).
 * Returns {authUrl, status, text}.
 */
export async function consentPage(n8n, credentialId, { port, ca }) {
	const authUrl = await n8n.call('GET', `/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`);
	if (typeof authUrl !== 'string' || !authUrl.startsWith('https://accounts.google.com/')) {
		throw new Error(`n8n's authorization URL is not Google's: ${JSON.stringify(authUrl)}`);
	}
	const page = await googleRequest({ port, ca, url: authUrl });
	return { authUrl, status: page.status, text: page.text };
}

/**
 * Connect an OAuth2 credential the way a user does, without a browser:
 * n8n's "Connect my account" URL -> Google's consent page (stand-in) -> approve as `user` -> n8n's callback.
 * Returns {authUrl, redirect, callbackStatus, callbackText}.
 */
export async function connectOAuth2(n8n, credentialId, { port, ca, user, log = () => {} }) {
	const authUrl = await n8n.call('GET', `/rest/oauth2-credential/auth?id=${encodeURIComponent(credentialId)}`);
	if (typeof authUrl !== 'string' || !authUrl.startsWith('https://accounts.google.com/')) {
		throw new Error(`n8n's authorization URL is not Google's: ${JSON.stringify(authUrl)}`);
	}
	log(`n8n sends the user to ${authUrl.slice(0, 80)}...`);
	const consent = await googleRequest({ port, ca, url: authUrl });
	if (consent.status !== 200) throw new Error(`consent page -> ${consent.status}: ${consent.text.slice(0, 400)}`);
	const { action, fields, accounts } = formFields(consent.text);
	if (!accounts.includes(user)) throw new Error(`consent page does not offer ${user} (offers ${accounts.join(', ')})`);
	fields.set('user', user);
	fields.set('decision', 'approve');
	const posted = await googleRequest({
		port,
		ca,
		method: 'POST',
		url: new URL(action, authUrl).toString(),
		headers: { 'content-type': 'application/x-www-form-urlencoded' },
		body: fields.toString(),
	});
	const redirect = posted.headers.location;
	if (posted.status !== 302 || !redirect) throw new Error(`approve -> ${posted.status} without redirect: ${posted.text.slice(0, 400)}`);
	if (!redirect.startsWith(`${n8n.baseUrl}/rest/oauth2-credential/callback`)) throw new Error(`Google redirected to ${redirect}, not n8n's callback`);
	if (new URL(redirect).searchParams.get('error')) throw new Error(`consent returned ${redirect}`);
	log(`approved as ${user}; following the redirect to n8n's callback`);
	const cb = await n8n.raw('GET', redirect);
	if (cb.status !== 200) throw new Error(`n8n callback -> ${cb.status}: ${cb.text.slice(0, 400)}`);
	if (/error/i.test(cb.text) && !/success/i.test(cb.text)) throw new Error(`n8n callback page reports an error: ${cb.text.slice(0, 600)}`);
	return { authUrl, redirect, callbackStatus: cb.status, callbackText: cb.text };
}
