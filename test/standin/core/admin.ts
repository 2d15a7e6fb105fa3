import { STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from './directory';
import { badRequest } from './errors';
import { QuotaConfig, type CustomQuota, type DailyAction, type QuotaProfileName } from './quota';
import type { Fault, Route, Standin, StandinModule } from './standin';

interface QuotaBody {
	profile?: QuotaProfileName;
	userPerMinute?: number;
	projectPerMinute?: number;
	projectPerDay?: number;
	burstPerSecond?: number;
	unitsPerSecond?: number;
	dailyAction?: DailyAction;
	units?: CustomQuota['units'];
	mode?: 429 | 403;
	resetCounters?: boolean;
}

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
			open('faults.get', 'GET', 'faults', () => ({ body: { faults: s.faults } })),
			// every secret the stand-in ever handed out (access and refresh tokens, the OAuth client's secret, the
			// service accounts' private keys): what a secrets scan of n8n's logs and database looks for
			open('secrets', 'GET', 'secrets', () => ({
				body: {
					accessTokens: [...s.tokens.access.keys()],
					refreshTokens: [...s.tokens.refresh.keys()],
					clientSecrets: [STANDIN_CLIENT_SECRET],
					privateKeys: [...s.directory.serviceAccounts.values()].map((sa) =>
						sa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
					),
				},
			})),
			open('faults.clear', 'DELETE', 'faults', () => {
				s.faults = [];
				return { body: { faults: [] } };
			}),
			open('latency', 'POST', 'latency', (ctx) => {
				const { fixedMs = 0, jitterMs = 0 } = ctx.json<{ fixedMs?: number; jitterMs?: number }>();
				s.latency = { fixedMs, jitterMs };
				return { body: s.latency };
			}),
			// Quota: a profile ('legacy' | '2026' | 'off' | 'custom' with userPerMinute + projectPerMinute), then any
			// single setting; unitsPerSecond is the old name of burstPerSecond. Counters stay unless resetCounters.
			open('quota', 'POST', 'quota', (ctx) => {
				const b = ctx.json<QuotaBody>();
				try {
					if (b.profile === 'custom') {
						s.quota.apply({ userPerMinute: b.userPerMinute as number, projectPerMinute: b.projectPerMinute as number, units: b.units });
					} else if (b.profile !== undefined) {
						s.quota.apply(b.profile);
						if (b.units !== undefined) s.quota.units = new QuotaConfig({ userPerMinute: 0, projectPerMinute: 0, units: b.units }).units;
					} else if (b.units !== undefined) {
						s.quota.units = new QuotaConfig({ userPerMinute: 0, projectPerMinute: 0, units: b.units }).units;
					}
				} catch (e) {
					throw badRequest((e as Error).message);
				}
				for (const k of ['userPerMinute', 'projectPerMinute', 'projectPerDay', 'burstPerSecond', 'unitsPerSecond'] as const) {
					const v = b[k];
					if (v === undefined) continue;
					if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw badRequest(`${k} must be a number >= 0`);
					s.quota[k] = v;
				}
				if (b.dailyAction !== undefined) {
					if (b.dailyAction !== 'record' && b.dailyAction !== 'refuse') throw badRequest("dailyAction must be 'record' or 'refuse'");
					s.quota.dailyAction = b.dailyAction;
				}
				if (b.mode !== undefined) {
					if (b.mode !== 429 && b.mode !== 403) throw badRequest('mode must be 429 or 403');
					s.quota.mode = b.mode;
				}
				if (b.resetCounters) s.quotaMeter.clear();
				return { body: s.quotaState() };
			}),
			open('quota.get', 'GET', 'quota', () => ({ body: s.quotaState() })),
			open('quota.clear', 'DELETE', 'quota', () => {
				s.quotaMeter.clear();
				return { body: s.quotaState() };
			}),
			// advanceSeconds moves the clock; freeze: true stops it (false lets it run again from where it stands);
			// at: ISO instant to set it to.
			open('clock', 'POST', 'clock', (ctx) => {
				const { advanceSeconds = 0, freeze, at } = ctx.json<{ advanceSeconds?: number; freeze?: boolean; at?: string }>();
				const t = s.tokens;
				if (freeze === true && t.frozenAt === undefined) {
					t.frozenAt = Date.now();
				} else if (freeze === false && t.frozenAt !== undefined) {
					t.clockSkewMs += t.frozenAt - Date.now();
					t.frozenAt = undefined;
				}
				if (at !== undefined) {
					const ms = Date.parse(at);
					if (!Number.isFinite(ms)) throw badRequest('at must be an ISO date-time');
					t.clockSkewMs = ms - (t.frozenAt ?? Date.now());
				}
				t.clockSkewMs += advanceSeconds * 1000;
				return { body: { now: new Date(t.now()).toISOString(), frozen: t.frozenAt !== undefined } };
			}),
			open('expire-tokens', 'POST', 'expire-tokens', (ctx) => {
				const { email } = ctx.json<{ email?: string }>();
				s.tokens.expireAll(email);
				return { body: { ok: true } };
			}),
		];
	},
};
