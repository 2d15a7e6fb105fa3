/** Shared setup for the Gmail stand-in's jest suites: a live server on loopback and Google's own client. */
import type { Server } from 'node:http';
import nodeModule from 'node:module';
import { google, type gmail_v1 } from 'googleapis';
import type { Standin, StandinOptions } from './core/standin';
import { createStandin, listen } from './server';

export const FULL = 'https://mail.google.com/';
export const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';
export const SEND = 'https://www.googleapis.com/auth/gmail.send';
export const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
export const LABELS = 'https://www.googleapis.com/auth/gmail.labels';

/**
 * gaxios loads node-fetch (ESM-only) with a dynamic import, which Jest's module loader refuses without
 * --experimental-vm-modules. Load it through Node's own require (require(esm) works on Node 24) and hand it
 * to googleapis as fetchImplementation: the same transport the client uses outside Jest.
 */
function nativeRequire(id: string): unknown {
	const M = nodeModule.Module as typeof nodeModule.Module & { _nodeModulePaths(dir: string): string[] };
	const loader = new M(__filename) as nodeModule.Module & { paths: string[] };
	loader.filename = __filename;
	loader.paths = M._nodeModulePaths(__dirname);
	return loader.require(id);
}
export const nodeFetch = (nativeRequire('node-fetch') as { default: typeof fetch }).default;

export interface Live {
	s: Standin;
	url: string;
	server: Server;
	close(): Promise<void>;
	/** Mint an access token through the admin knob. */
	token(email: string, scopes?: string[]): Promise<string>;
	/** googleapis Gmail client for a user (per-call rootUrl needed for media uploads: see README). */
	gmail(email?: string, scopes?: string[]): Promise<gmail_v1.Gmail>;
	/** Plain fetch against the stand-in. */
	fetch(path: string, init?: RequestInit): Promise<Response>;
}

export async function startLive(options: StandinOptions = { noCorpus: true }): Promise<Live> {
	const s = createStandin(options);
	const { server, url } = await listen(s);
	const live: Live = {
		s,
		url,
		server,
		close: () => new Promise<void>((r) => server.close(() => r())),
		async token(email, scopes = [FULL]) {
			const res = await fetch(`${url}/__standin/token`, { method: 'POST', body: JSON.stringify({ email, scopes }) });
			if (!res.ok) throw new Error(`token: ${res.status} ${await res.text()}`);
			return ((await res.json()) as { access_token: string }).access_token;
		},
		async gmail(email = 'alice@example.com', scopes = [FULL]) {
			const auth = new google.auth.OAuth2();
			auth.setCredentials({ access_token: await live.token(email, scopes) });
			return google.gmail({ version: 'v1', rootUrl: `${url}/`, auth, retry: false, fetchImplementation: nodeFetch } as any);
		},
		fetch: (path, init) => fetch(url + path, init),
	};
	return live;
}

export const b64url = (b: Buffer | string) => Buffer.from(b).toString('base64url');
export const fromB64url = (s: string) => Buffer.from(s.replace(/-/g, '+').replace(/_/g, '/'), 'base64');

/** A minimal RFC 5322 message with CRLF line endings. */
export function rfc822(h: Record<string, string>, body: string): Buffer {
	return Buffer.from(
		Object.entries(h)
			.map(([k, v]) => `${k}: ${v}`)
			.join('\r\n') + `\r\n\r\n${body}\r\n`,
	);
}

/** The status and Google error body of a failed googleapis call. */
export async function failure(p: Promise<unknown>): Promise<{ status: number; body: any; headers: any }> {
	try {
		await p;
	} catch (e: any) {
		if (!e.response) throw e;
		const h = e.response.headers;
		const headers = typeof h?.entries === 'function' ? Object.fromEntries(h.entries()) : h;
		return { status: e.response.status, body: e.response.data, headers };
	}
	throw new Error('expected the call to fail');
}
