import * as nodeModule from 'node:module';
import { Readable } from 'node:stream';
import { runInThisContext } from 'node:vm';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';

import { GOOGLE_HOSTS, type Standin } from '../standin/core/standin';

/**
 * In-process HTTP routing for the bench. Every HTTP request made in this process (axios on
 * node:http/https as n8n-core uses, and fetch/undici too) is caught at the socket level by
 * @mswjs/interceptors' HttpRequestInterceptor:
 *  - to a Google host: the exact request bytes go to the stand-in (`standin.handle`, so its
 *    latency and fault knobs apply, then `standin.dispatch`), and its reply goes back verbatim;
 *  - anything else, or when no stand-in is active: the request fails with a socket error and a
 *    violation is recorded (setupBench() fails the test on it). Nothing reaches the network.
 * Requests to a Google host that match no stand-in route get the stand-in's 404/405 and are
 * recorded as violations too.
 */

/** The minimal surface of @mswjs/interceptors we use (its types are ESM-only; see nativeRequire). */
interface InterceptedRequest {
	method: string;
	url: string;
	headers: Headers;
	signal?: AbortSignal;
	arrayBuffer(): Promise<ArrayBuffer>;
}
interface RequestController {
	respondWith(response: Response): void;
	errorWith(reason: Error): void;
}
interface HttpInterceptor {
	apply(): void;
	dispose(): void;
	on(
		event: 'request',
		listener: (event: { request: InterceptedRequest; controller: RequestController }) => Promise<void>,
	): void;
}

/**
 * Node's own require. @mswjs/interceptors is ESM-only and Jest's module loader cannot require ESM
 * without --experimental-vm-modules, so we load it through Node (require(esm) works on Node 24).
 * It then patches the real node:net/http/https/tls modules, which Jest shares with the test realm.
 */
function nativeRequire(id: string): unknown {
	const NodeModule = (nodeModule as unknown as { Module: typeof nodeModule.Module & { _nodeModulePaths(dir: string): string[] } })
		.Module;
	const loader = new NodeModule(__filename) as nodeModule.Module & { paths: string[] };
	loader.filename = __filename;
	loader.paths = NodeModule._nodeModulePaths(__dirname);
	return loader.require(id);
}

/**
 * Errors and Responses handed to the interceptor must come from Node's main realm: it checks
 * `reason instanceof Error`, and Jest runs tests in a separate vm context with its own Error.
 */
const NativeError = runInThisContext('Error') as ErrorConstructor;
const NativeResponse = runInThisContext('Response') as typeof Response;

function nativeError(message: string, code: string): Error {
	return Object.assign(new NativeError(message), { code, errno: code });
}

export interface Violation {
	kind: 'blocked-host' | 'no-standin' | 'unrouted';
	method: string;
	url: string;
	detail: string;
}

/** One request the bench routed to the stand-in and the reply it got, byte for byte. */
export interface ExchangeRecord {
	method: string;
	url: string;
	requestHeaders: IncomingHttpHeaders;
	requestBody: Buffer;
	/** The bearer token sent, if any. */
	bearer?: string;
	status: number;
	responseHeaders: Record<string, string>;
	responseBody: Buffer;
}

const GOOGLE = new Set<string>(GOOGLE_HOSTS);
const NULL_BODY_STATUSES = new Set([101, 103, 204, 205, 304]);

export class BenchHttp {
	/** Requests the bench refused or that hit no stand-in route. */
	readonly violations: Violation[] = [];
	/** Every request routed to the stand-in, in order (bench-side view; the stand-in keeps its own log). */
	readonly exchanges: ExchangeRecord[] = [];
	private interceptor?: HttpInterceptor;
	private standin?: Standin;
	private readonly hanging = new Set<() => void>();

	install(): void {
		if (this.interceptor) return;
		const { HttpRequestInterceptor } = nativeRequire('@mswjs/interceptors/http') as {
			HttpRequestInterceptor: new () => HttpInterceptor;
		};
		const interceptor = new HttpRequestInterceptor();
		interceptor.on('request', async ({ request, controller }) => {
			try {
				await this.route(request, controller);
			} catch (error) {
				const reason = nativeError(`bench: routing ${request.method} ${request.url} failed: ${(error as Error).message}`, 'EBENCH');
				try {
					controller.errorWith(reason);
				} catch {
					// the request was already answered or aborted
				}
			}
		});
		interceptor.apply();
		this.interceptor = interceptor;
	}

	dispose(): void {
		for (const release of [...this.hanging]) release();
		this.interceptor?.dispose();
		this.interceptor = undefined;
		this.standin = undefined;
	}

	/** Requests held by a 'hang' fault that the client has not abandoned yet. */
	get hangingRequests(): number {
		return this.hanging.size;
	}

	get installed(): boolean {
		return this.interceptor !== undefined;
	}

	/** The stand-in that receives Google traffic (one at a time; concurrent runs must share it). */
	use(standin: Standin | undefined): void {
		this.standin = standin;
	}

	get active(): Standin | undefined {
		return this.standin;
	}

	takeViolations(): Violation[] {
		return this.violations.splice(0);
	}

	private refuse(controller: RequestController, violation: Violation): void {
		this.violations.push(violation);
		controller.errorWith(
			nativeError(`bench: ${violation.detail} (${violation.method} ${violation.url}); tests never reach the network`, 'EBENCHBLOCKED'),
		);
	}

	private async route(request: InterceptedRequest, controller: RequestController): Promise<void> {
		const url = new URL(request.url);
		const { method } = request;
		if (!GOOGLE.has(url.hostname)) {
			return this.refuse(controller, { kind: 'blocked-host', method, url: request.url, detail: `request to non-Google host ${url.host} blocked` });
		}
		const standin = this.standin;
		if (!standin) {
			return this.refuse(controller, { kind: 'no-standin', method, url: request.url, detail: 'no stand-in is active for this request' });
		}

		const body = Buffer.from(await request.arrayBuffer());
		const headers: IncomingHttpHeaders = Object.fromEntries(request.headers);
		headers.host = url.host;
		const seqBefore = standin.log.length ? standin.log[standin.log.length - 1].seq : 0;
		const encrypted = url.protocol === 'https:';
		const reply = await serve(standin, { method, url: url.pathname + url.search, headers, body, encrypted }, (release) => {
			const done = () => {
				this.hanging.delete(done);
				release();
			};
			this.hanging.add(done);
			request.signal?.addEventListener('abort', done, { once: true });
		});

		// A route matches on (host, method, path) only, so any entry for this triple tells whether one exists.
		const unrouted = standin.log.find(
			(e) => e.seq > seqBefore && e.method === method && e.host === url.hostname && e.path === url.pathname && !e.routeId,
		);
		if (unrouted && !url.pathname.startsWith('/__standin/')) {
			this.violations.push({ kind: 'unrouted', method, url: request.url, detail: `no stand-in route for ${method} ${url.hostname}${url.pathname}` });
		}

		if (reply.kind === 'reset') {
			return controller.errorWith(nativeError('socket hang up (stand-in fault: reset)', 'ECONNRESET'));
		}
		if (reply.kind === 'hang') {
			// Usually the client gave up (timeout/abort) and the interceptor already ended the request.
			if (!request.signal?.aborted) controller.errorWith(nativeError('the stand-in never answered (fault: hang)', 'ECONNABORTED'));
			return;
		}
		this.exchanges.push({
			method,
			url: request.url,
			requestHeaders: headers,
			requestBody: body,
			bearer: /^Bearer\s+(\S+)$/i.exec(String(headers.authorization ?? ''))?.[1],
			status: reply.status,
			responseHeaders: reply.headers,
			responseBody: reply.body,
		});
		controller.respondWith(
			new NativeResponse(NULL_BODY_STATUSES.has(reply.status) ? null : new Uint8Array(reply.body), {
				status: reply.status,
				headers: reply.headers,
			}),
		);
	}
}

type Served =
	| { kind: 'reply'; status: number; headers: Record<string, string>; body: Buffer }
	| { kind: 'reset' }
	| { kind: 'hang' };

/**
 * Run one request through `standin.handle` (latency, faults, then dispatch) with a minimal
 * in-memory request/response pair instead of a socket. `onHang` receives a release callback for
 * requests the stand-in never answers (fault 'hang'): they stay pending until released.
 */
async function serve(
	standin: Standin,
	req: { method: string; url: string; headers: IncomingHttpHeaders; body: Buffer; encrypted: boolean },
	onHang: (release: () => void) => void,
): Promise<Served> {
	let reset = false;
	let answered: Served | undefined;
	let status = 200;
	let headers: Record<string, string> = {};
	const incoming = Object.assign(Readable.from(req.body.length ? [req.body] : []), {
		method: req.method,
		url: req.url,
		headers: req.headers,
		socket: { encrypted: req.encrypted, destroy: () => void (reset = true) },
	});
	const outgoing = {
		headersSent: false,
		writeHead(code: number, head: Record<string, string> = {}) {
			status = code;
			headers = Object.fromEntries(Object.entries(head).map(([k, v]) => [k.toLowerCase(), String(v)]));
			this.headersSent = true;
			return this;
		},
		end(chunk?: Buffer | string) {
			const body = chunk === undefined ? Buffer.alloc(0) : Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk);
			answered = { kind: 'reply', status, headers, body };
			return this;
		},
	};
	await standin.handle(incoming as unknown as IncomingMessage, outgoing as unknown as ServerResponse);
	if (answered) return answered;
	if (reset) return { kind: 'reset' };
	await new Promise<void>((resolve) => onHang(resolve));
	return { kind: 'hang' };
}
