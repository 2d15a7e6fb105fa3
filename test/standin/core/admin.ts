import { STANDIN_CLIENT_ID } from './directory';
import { badRequest } from './errors';
import type { Fault, Route, Standin, StandinModule } from './standin';

/**
 * Test knobs under /__standin/ on every host. Loopback test tooling only: the package never calls these.
 * Documented in test/standin/README.md.
 */
export const adminModule: StandinModule = {
	name: 'admin',
	routes(s: Standin): Route[] {
		const open = (id: string, method: string, path: string, handler: Route['handler']): Route => ({
			id: `standin.${id}`, host: '*', method, paths: [`/__standin/${path}`], auth: 'none', handler,
		});
		return [
			open('token', 'POST', 'token', (ctx) => {
				const { email, scopes, ttlSeconds, kind } = ctx.json<{ email: string; scopes: string[]; ttlSeconds?: number; kind?: 'user' | 'dwd' }>();
				if (!email || !s.directory.user(email)) throw badRequest(`unknown user ${email}`);
				if (!Array.isArray(scopes) || !scopes.length) throw badRequest('scopes must be a non-empty array');
				const at = s.tokens.issueAccess({ email: email.toLowerCase(), scopes, kind: kind ?? 'user', clientId: STANDIN_CLIENT_ID, ttlSeconds });
				const rt = s.tokens.issueRefresh(email.toLowerCase(), scopes, STANDIN_CLIENT_ID);
				return {
					body: {
						access_token: at.accessToken,
						refresh_token: rt.refreshToken,
						expires_in: Math.round((at.expiresAt - s.tokens.now()) / 1000),
						token_type: 'Bearer',
						scope: scopes.join(' '),
					},
				};
			}),
			open('requests', 'GET', 'requests', (ctx) => {
				const since = Number(ctx.query.get('since') ?? 0);
				return { body: s.log.filter((e) => e.seq > since && !e.path.startsWith('/__standin/')) };
			}),
			open('reset', 'POST', 'reset', () => {
				s.reset();
				return { body: { ok: true } };
			}),
			open('faults', 'POST', 'faults', (ctx) => {
				const b = ctx.json<Fault[] | { faults: Fault[] }>();
				s.faults = (Array.isArray(b) ? b : b.faults ?? []).map((f) => ({ ...f, seen: 0 }));
				return { body: { faults: s.faults } };
			}),
			open('faults.clear', 'DELETE', 'faults', () => {
				s.faults = [];
				return { body: { faults: [] } };
			}),
			open('latency', 'POST', 'latency', (ctx) => {
				const { fixedMs = 0, jitterMs = 0 } = ctx.json<{ fixedMs?: number; jitterMs?: number }>();
				s.latency = { fixedMs, jitterMs };
				return { body: s.latency };
			}),
			open('quota', 'POST', 'quota', (ctx) => {
				const b = ctx.json<{ unitsPerSecond?: number; mode?: 429 | 403 }>();
				s.quota = { unitsPerSecond: b.unitsPerSecond ?? s.quota.unitsPerSecond, mode: b.mode ?? s.quota.mode };
				return { body: s.quota };
			}),
			open('clock', 'POST', 'clock', (ctx) => {
				const { advanceSeconds = 0 } = ctx.json<{ advanceSeconds?: number }>();
				s.tokens.clockSkewMs += advanceSeconds * 1000;
				return { body: { now: new Date(s.tokens.now()).toISOString() } };
			}),
			open('expire-tokens', 'POST', 'expire-tokens', (ctx) => {
				const { email } = ctx.json<{ email?: string }>();
				s.tokens.expireAll(email);
				return { body: { ok: true } };
			}),
		];
	},
};
