import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import { Directory } from './directory';
import { discoveryMethod } from './discovery';
import { GoogleError, OAuthError, insufficientScope, unauthenticated } from './errors';
import { QuotaConfig, QuotaError, QuotaMeter, type QuotaCall, type QuotaLimitKind, type QuotaOption } from './quota';
import { TokenStore, type TokenRecord } from './tokens';

/** Hosts the stand-in answers for. A request whose Host is not one of them (127.0.0.1:PORT) is routed by path alone. */
export const GOOGLE_HOSTS = [
	'gmail.googleapis.com',
	'oauth2.googleapis.com',
	'www.googleapis.com',
	'accounts.google.com',
	'iam.googleapis.com',
	'iamcredentials.googleapis.com',
	'cloudresourcemanager.googleapis.com',
	'pubsub.googleapis.com',
] as const;

export interface Ctx {
	route: Route;
	method: string;
	host: string;
	/** Path without the query string. */
	path: string;
	query: URLSearchParams;
	headers: IncomingHttpHeaders;
	body: Buffer;
	/** Path parameters from the template, URL-decoded. */
	params: Record<string, string>;
	/** The bearer token's record (routes with auth 'bearer'). */
	token?: TokenRecord;
	/** True for a part of a /batch request. */
	inBatch: boolean;
	/** Scheme the client used (for absolute URLs the stand-in hands out, e.g. resumable upload sessions). */
	scheme: 'http' | 'https';
	standin: Standin;
	/** The body as JSON; throws Google's 400 when it is not JSON. */
	json<T = any>(): T;
	/** Add fields to this request's log entry (`detail` in GET /__standin/requests), e.g. what history.list answered. */
	note(detail: Record<string, unknown>): void;
}

export interface Reply {
	status?: number;
	headers?: Record<string, string>;
	/** Objects are sent as JSON; Buffers and strings as they are. */
	body?: unknown;
}

export interface Route {
	/** Discovery method id (gmail.users.messages.get) or our own id for non-Gmail APIs (oauth2.token, iam.serviceAccounts.list). */
	id: string;
	/** Google host this route belongs to. */
	host: (typeof GOOGLE_HOSTS)[number] | '*';
	method: string;
	/** Path templates, e.g. "/gmail/v1/users/{userId}/messages/{id}"; "{name}" matches one segment, "{+name}" the rest. */
	paths: string[];
	/** 'bearer' (default): Authorization: Bearer required and checked; 'none': open (token endpoint, consent page, admin knobs). */
	auth?: 'bearer' | 'none';
	/** Any-of scopes required. Defaults to the discovery document's list for gmail.* ids. */
	scopes?: string[];
	/**
	 * Quota units of the earlier (legacy) table. The quota profile's table, keyed by the route id, decides what a
	 * call is charged (core/quota.ts); `cost` is the fallback for ids the table does not list. Default 0.
	 */
	cost?: number;
	/** Query parameters the route reads through shared helpers (fidelity.test.ts checks them against discovery). */
	queryParams?: string[];
	handler: (ctx: Ctx) => Promise<Reply> | Reply;
}

export interface StandinOptions {
	/** Extra generated messages seeded into alice@example.com's mailbox (besides the corpus). */
	messages?: number;
	/** Skip the real-mail corpus (faster seeds for unit tests). */
	noCorpus?: boolean;
	/**
	 * Gmail quota model: 'legacy' (default: 15,000 units/user/min, 1,200,000/project/min, plus the 250 units/s
	 * burst bucket), '2026' (6,000/user/min, 1,200,000/project/min, 80,000,000/project/day billing threshold,
	 * 2026 unit table), 'off', or custom numbers. Restored by reset().
	 */
	quota?: QuotaOption;
	/** Status of quota refusals (default 429). */
	quotaMode?: 429 | 403;
}

export interface StandinModule {
	name: string;
	/** (Re)build this module's state from the seed; called at start and on /__standin/reset. */
	seed?(s: Standin): void;
	routes(s: Standin): Route[];
}

export interface LogEntry {
	seq: number;
	time: string;
	method: string;
	host: string;
	path: string;
	query: string;
	routeId?: string;
	status: number;
	subject?: string;
	tokenKind?: string;
	scopes?: string[];
	bodySize: number;
	durationMs: number;
	batch?: boolean;
	fault?: string;
	/** Google error reason when status >= 400. */
	reason?: string;
	/** Quota units charged for this call (absent when none). */
	units?: number;
	/** Set when the call was refused by a quota limit: the per-user or per-project minute window, the burst bucket, the daily threshold. */
	quota?: QuotaLimitKind;
	/** What the handler chose to note (Ctx.note), e.g. history.list: `{startHistoryId, records, historyId, nextPageToken, expired?}`. */
	detail?: Record<string, unknown>;
}

export type FaultAction = 500 | 503 | 429 | 401 | 'reset' | 'hang';
export interface Fault {
	/** Which requests count: any field given must match (path is a RegExp source tested against the path). */
	match?: { host?: string; method?: string; path?: string; routeId?: string };
	/** 1-based positions among matching requests that fail (e.g. [1] = the first one). */
	nth?: number[];
	/** Share (0..1) of matching requests that fail, decided by a seeded PRNG so runs repeat. */
	share?: number;
	/** 'before': the request is not processed; 'after': the handler runs (state changes), then the fault replaces the reply. */
	phase?: 'before' | 'after';
	action: FaultAction;
	/** For 429/503: Retry-After seconds to send. */
	retryAfter?: number;
	/** Internal: how many matching requests were seen. */
	seen?: number;
	/** Internal: the requests this fault hit (the client's port tells which process sent it). */
	hits?: Array<{ at: string; remotePort?: number; path: string }>;
}

type Compiled = { route: Route; host: string; re: RegExp; names: string[] };

// Undeclared query parameters are ignored, as Gmail does (a `labelIds[]` list is silently dropped and the
// list comes back unfiltered: googleapis/google-api-nodejs-client#971); n8n's built-in Gmail node relies on
// this (it sends maxResults to messages.get). Tests catch such mistakes by their effect, not by a 400.

function compile(template: string): { re: RegExp; names: string[] } {
	const names: string[] = [];
	const src = template
		.split(/(\{\+?[A-Za-z0-9_]+\})/)
		.map((part) => {
			const m = /^\{(\+?)([A-Za-z0-9_]+)\}$/.exec(part);
			if (!m) return part.replace(/[.*+?^$()|[\]\\]/g, '\\$&');
			names.push(m[2]);
			return m[1] ? '(.+)' : '([^/:]+)';
		})
		.join('');
	return { re: new RegExp(`^${src}$`), names };
}

/** A deterministic PRNG (mulberry32) so share-based faults and latency jitter repeat run to run. */
function prng(seed: number) {
	return () => {
		seed |= 0;
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export interface InnerRequest {
	method: string;
	host: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
	inBatch?: boolean;
	scheme?: 'http' | 'https';
}
export interface InnerResponse {
	status: number;
	headers: Record<string, string>;
	body: Buffer;
	log: LogEntry;
}

export class Standin {
	readonly directory = new Directory();
	readonly tokens = new TokenStore();
	/** Module state slices, rebuilt by seed(). */
	readonly slices = new Map<string, unknown>();
	readonly log: LogEntry[] = [];
	faults: Fault[] = [];
	latency = { fixedMs: 0, jitterMs: 0 };
	/** Quota settings (profile, minute budgets, daily threshold, burst bucket, unit table, refusal status); see core/quota.ts. */
	quota: QuotaConfig;
	/** Units in the current windows, daily totals per project, refusals. */
	readonly quotaMeter = new QuotaMeter();
	private compiled: Compiled[] = [];
	private rand = prng(42);
	private seq = 0;

	constructor(
		readonly modules: StandinModule[],
		readonly options: StandinOptions = {},
	) {
		this.quota = new QuotaConfig(options.quota ?? 'legacy', options.quotaMode);
		for (const m of modules) for (const r of m.routes(this)) this.addRoute(r);
		this.reset();
	}

	get routes(): Route[] {
		return [...new Set(this.compiled.map((c) => c.route))];
	}

	addRoute(route: Route) {
		if (route.scopes === undefined && route.id.startsWith('gmail.')) {
			const m = discoveryMethod(route.id);
			if (!m) throw new Error(`stand-in: route ${route.id} names no discovery method`);
			route.scopes = m.scopes;
		}
		for (const p of route.paths) this.compiled.push({ route, host: route.host, ...compile(p) });
	}

	/** Module state, created by the module's seed(). */
	slice<T>(name: string): T {
		const s = this.slices.get(name);
		if (s === undefined) throw new Error(`stand-in: no state slice ${name}`);
		return s as T;
	}

	reset() {
		this.directory.seed();
		this.tokens.clear();
		this.slices.clear();
		this.log.length = 0;
		this.faults = [];
		this.latency = { fixedMs: 0, jitterMs: 0 };
		this.quota = new QuotaConfig(this.options.quota ?? 'legacy', this.options.quotaMode);
		this.quotaMeter.clear();
		this.rand = prng(42);
		this.seq = 0;
		for (const m of this.modules) m.seed?.(this);
	}

	/** The Cloud project whose quota a token spends: the service account's project, else the OAuth client's, else `client:<id>`. */
	quotaProject(token: TokenRecord): { project: string; projectNumber?: string } {
		const sa = token.serviceAccount ? this.directory.serviceAccounts.get(token.serviceAccount) : undefined;
		const projectId = sa?.projectId ?? this.directory.clients.get(token.clientId)?.projectId;
		if (!projectId) return { project: `client:${token.clientId}` };
		return { project: projectId, projectNumber: this.directory.projects.get(projectId)?.projectNumber };
	}

	/** Units a route costs under the current profile: the table's figure for its method id, else the route's own cost. */
	quotaUnits(route: Route): number {
		return this.quota.units[route.id] ?? route.cost ?? 0;
	}

	/** Charge one call against the per-user and per-project windows, burst bucket and daily counter; throws Google's error when refused. */
	chargeQuota(call: QuotaCall) {
		this.quotaMeter.charge(this.quota, call, this.tokens.now());
	}

	/** GET /__standin/quota: the settings and the counters. */
	quotaState() {
		return { ...this.quota.toJSON(), ...this.quotaMeter.snapshot(this.quota, this.tokens.now()) };
	}

	private match(host: string, method: string, path: string) {
		const known = (GOOGLE_HOSTS as readonly string[]).includes(host);
		let pathMatched = false;
		for (const c of this.compiled) {
			if (known && c.host !== '*' && c.host !== host) continue;
			const m = c.re.exec(path);
			if (!m) continue;
			pathMatched = true;
			if (c.route.method !== method) continue;
			const params: Record<string, string> = {};
			c.names.forEach((n, i) => (params[n] = decodeURIComponent(m[i + 1])));
			return { route: c.route, params };
		}
		return { pathMatched };
	}

	/** Route one request (HTTP or a batch part): auth, scopes, quota, handler. Never throws. */
	async dispatch(req: InnerRequest): Promise<InnerResponse> {
		const started = Date.now();
		const url = new URL(req.url, 'http://x');
		const host = (req.host || '').replace(/:\d+$/, '').toLowerCase();
		const entry: LogEntry = {
			seq: ++this.seq,
			time: new Date().toISOString(),
			method: req.method,
			host,
			path: url.pathname,
			query: url.search,
			status: 0,
			bodySize: req.body.length,
			durationMs: 0,
			...(req.inBatch ? { batch: true } : {}),
		};
		let reply: Reply;
		try {
			const found = this.match(host, req.method, url.pathname);
			if (!('route' in found) || !found.route) {
				throw found.pathMatched
					? new GoogleError(405, `Method ${req.method} is not allowed for ${url.pathname}`, 'methodNotAllowed')
					: new GoogleError(404, `The requested URL ${url.pathname} was not found on this server.`, 'notFound');
			}
			const { route, params } = found;
			entry.routeId = route.id;
			let token: TokenRecord | undefined;
			if ((route.auth ?? 'bearer') === 'bearer') {
				const m = /^Bearer\s+(\S+)$/i.exec(String(req.headers.authorization ?? ''));
				token = m ? this.tokens.lookup(m[1]) : undefined;
				if (!token) throw unauthenticated();
				entry.subject = token.email;
				entry.tokenKind = token.kind;
				entry.scopes = token.scopes;
				if (route.scopes?.length && !route.scopes.some((s) => token!.scopes.includes(s))) {
					throw insufficientScope(route.scopes);
				}
				const units = this.quotaUnits(route);
				if (units) {
					try {
						this.chargeQuota({ user: token.email, units, ...this.quotaProject(token) });
					} catch (e) {
						if (e instanceof QuotaError) entry.quota = e.limit;
						throw e;
					}
					entry.units = units;
				}
			}
			const ctx: Ctx = {
				route,
				method: req.method,
				host,
				path: url.pathname,
				query: url.searchParams,
				headers: req.headers,
				body: req.body,
				params,
				token,
				inBatch: !!req.inBatch,
				scheme: req.scheme ?? 'http',
				standin: this,
				json() {
					if (!req.body.length) return {} as any;
					try {
						return JSON.parse(req.body.toString('utf8'));
					} catch {
						throw new GoogleError(400, 'Invalid JSON payload received.', 'parseError');
					}
				},
				note(detail) {
					entry.detail = { ...entry.detail, ...detail };
				},
			};
			reply = await route.handler(ctx);
		} catch (e) {
			if (e instanceof GoogleError) {
				reply = { status: e.code, headers: e.headers, body: e.body() };
				entry.reason = e.reason;
			} else if (e instanceof OAuthError) {
				reply = { status: e.httpStatus, body: e.body() };
				entry.reason = e.error;
			} else {
				const err = new GoogleError(500, `Internal error: ${(e as Error).message}`, 'backendError');
				reply = { status: 500, body: err.body() };
				entry.reason = 'backendError';
			}
		}
		const status = reply.status ?? 200;
		const headers: Record<string, string> = { ...(reply.headers ?? {}) };
		let body: Buffer;
		if (reply.body === undefined || reply.body === null) body = Buffer.alloc(0);
		else if (Buffer.isBuffer(reply.body)) body = reply.body;
		else if (typeof reply.body === 'string') body = Buffer.from(reply.body);
		else {
			body = Buffer.from(JSON.stringify(reply.body, null, 2));
			headers['content-type'] ??= 'application/json; charset=UTF-8';
		}
		entry.status = status;
		entry.durationMs = Date.now() - started;
		this.log.push(entry);
		return { status, headers, body, log: entry };
	}

	private pickFault(req: { method: string; host: string; path: string }, routeId: string | undefined) {
		for (const f of this.faults) {
			const m = f.match ?? {};
			if (m.host && m.host !== req.host) continue;
			if (m.method && m.method !== req.method) continue;
			if (m.path && !new RegExp(m.path).test(req.path)) continue;
			if (m.routeId && m.routeId !== routeId) continue;
			f.seen = (f.seen ?? 0) + 1;
			if (f.nth?.includes(f.seen)) return f;
			if (f.share !== undefined && this.rand() < f.share) return f;
		}
		return undefined;
	}

	/** Node http(s) request handler: body, latency, faults, dispatch, reply. */
	async handle(req: IncomingMessage, res: ServerResponse) {
		const chunks: Buffer[] = [];
		for await (const c of req) chunks.push(c as Buffer);
		const body = Buffer.concat(chunks);
		const host = String(req.headers.host ?? '').replace(/:\d+$/, '').toLowerCase();
		const path = new URL(req.url ?? '/', 'http://x').pathname;
		const routeId = (() => {
			const f = this.match(host, req.method ?? 'GET', path);
			return 'route' in f ? f.route?.id : undefined;
		})();
		const { fixedMs, jitterMs } = this.latency;
		const delay = fixedMs + (jitterMs ? this.rand() * jitterMs : 0);
		if (delay > 0) await new Promise((r) => setTimeout(r, delay));

		const fault = path.startsWith('/__standin/') ? undefined : this.pickFault({ method: req.method ?? 'GET', host, path }, routeId);
		const applyFault = (f: Fault) => {
			const note = (status: number) =>
				this.log.push({
					seq: ++this.seq, time: new Date().toISOString(), method: req.method ?? 'GET', host, path, query: '',
					routeId, status, bodySize: body.length, durationMs: 0, fault: String(f.action),
				});
			if (f.action === 'reset') {
				if (f.phase !== 'after') note(0);
				req.socket.destroy();
				return;
			}
			if (f.action === 'hang') {
				if (f.phase !== 'after') note(0);
				return; // never answer; the client's timeout decides
			}
			const err =
				f.action === 401
					? unauthenticated()
					: f.action === 429
						? new GoogleError(429, 'Resource has been exhausted (e.g. check quota).', 'rateLimitExceeded', 'usageLimits', f.retryAfter ? { 'retry-after': String(f.retryAfter) } : {})
						: f.action === 503
							? new GoogleError(503, 'The service is currently unavailable.', 'backendError', 'global', f.retryAfter ? { 'retry-after': String(f.retryAfter) } : {})
							: new GoogleError(500, 'Internal error encountered.', 'backendError');
			if (f.phase !== 'after') note(err.code);
			res.writeHead(err.code, { 'content-type': 'application/json; charset=UTF-8', ...err.headers });
			res.end(JSON.stringify(err.body()));
		};
		if (fault) (fault.hits ??= []).push({ at: new Date().toISOString(), remotePort: req.socket.remotePort, path });
		if (fault && fault.phase !== 'after') return applyFault(fault);

		const scheme = (req.socket as { encrypted?: boolean }).encrypted ? 'https' : 'http';
		const out = await this.dispatch({ method: req.method ?? 'GET', host, url: req.url ?? '/', headers: req.headers, body, scheme });
		if (fault) {
			out.log.fault = `${fault.action} after handling (handler status ${out.status})`;
			return applyFault(fault);
		}
		res.writeHead(out.status, { ...out.headers, 'content-length': String(out.body.length) });
		res.end(out.body);
	}
}
