import { createServer as createHttp, type Server } from 'node:http';
import { createServer as createHttps } from 'node:https';
import { adminModule } from './core/admin';
import { Standin, type StandinModule, type StandinOptions } from './core/standin';
import { standinModules } from './modules';

/** A stand-in with every module (Gmail, OAuth2, IAM, admin knobs), fresh from the seed. */
export function createStandin(options: StandinOptions = {}, extra: StandinModule[] = []) {
	return new Standin([adminModule, ...standinModules, ...extra], options);
}

export interface ListenOptions {
	port?: number;
	host?: string;
	tls?: { cert: Buffer | string; key: Buffer | string };
}

/** Serve a stand-in over HTTP(S) on loopback. Resolves with the server and its base URL. */
export async function listen(standin: Standin, opts: ListenOptions = {}): Promise<{ server: Server; url: string }> {
	const handler = (req: any, res: any) => {
		standin.handle(req, res).catch((e) => {
			if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
			res.end(String(e));
		});
	};
	const server = opts.tls ? createHttps({ cert: opts.tls.cert, key: opts.tls.key }, handler) : createHttp(handler);
	const host = opts.host ?? '127.0.0.1';
	if (!/^(127\.|localhost$|::1$)/.test(host)) throw new Error('stand-in listens on loopback only');
	// Node closes an idle keep-alive socket after 5 s; a client (undici) that picks that socket for a large POST just
	// as it closes gets ECONNRESET and does not retry (seen in gmail-upload-batch's size-limit test). Keep idle
	// sockets longer than any test pause; server.close() still closes idle connections at once.
	server.keepAliveTimeout = 65_000;
	await new Promise<void>((r) => server.listen(opts.port ?? 0, host, r));
	const addr = server.address() as { port: number };
	return { server, url: `${opts.tls ? 'https' : 'http'}://${host}:${addr.port}` };
}
