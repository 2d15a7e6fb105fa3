/**
 * Gmail's quota model in the stand-in (core/quota.ts; README "Quota"): the legacy and 2026 profiles and custom
 * numbers, sliding 60-second windows per user (per project) and per project, Retry-After, Google's error bodies,
 * the daily counter, the CLI flag and the admin API. Time moves only with the stand-in's clock knob (frozen).
 */
import { spawn } from 'node:child_process';
import { join, resolve } from 'node:path';
import { parseArgs } from './cli';
import { SERVICE_ACCOUNT_EMAIL, STANDIN_CLIENT_ID } from './core/directory';
import { QUOTA_PROFILES, QUOTA_UNITS_2026, QUOTA_UNITS_LEGACY, parseQuotaFlag, pacificDay, type QuotaOption } from './core/quota';
import type { Standin } from './core/standin';
import { gmailState } from './gmail/common';
import { FULL, failure, startLive } from './gmail-testkit';
import { createStandin } from './server';

const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const DAVE = 'dave@example.com';
const DEMO_NUMBER = '123456789012';

const fresh = (quota?: QuotaOption, quotaMode?: 429 | 403) => createStandin({ noCorpus: true, quota, quotaMode });

async function admin(s: Standin, method: string, path: string, body?: unknown) {
	const r = await s.dispatch({
		method,
		host: '127.0.0.1',
		url: `/__standin/${path}`,
		headers: { 'content-type': 'application/json' },
		body: Buffer.from(body === undefined ? '' : JSON.stringify(body)),
	});
	return { status: r.status, json: JSON.parse(r.body.toString() || 'null') as any };
}

const clock = (s: Standin, body: { advanceSeconds?: number; freeze?: boolean; at?: string }) => admin(s, 'POST', 'clock', body);

function userToken(s: Standin, email: string, clientId = STANDIN_CLIENT_ID) {
	return s.tokens.issueAccess({ email, scopes: [FULL], kind: 'user', clientId }).accessToken;
}
/** A domain-wide-delegation token of the stand-in's service account acting as `email`. */
function dwdToken(s: Standin, email: string) {
	const sa = s.directory.serviceAccounts.get(SERVICE_ACCOUNT_EMAIL)!;
	return s.tokens.issueAccess({ email, scopes: [FULL], kind: 'dwd', clientId: sa.uniqueId, serviceAccount: sa.email }).accessToken;
}

async function gmail(s: Standin, token: string, path: string) {
	const r = await s.dispatch({
		method: 'GET',
		host: 'gmail.googleapis.com',
		url: `/gmail/v1/users/me/${path}`,
		headers: { authorization: `Bearer ${token}` },
		body: Buffer.alloc(0),
	});
	const text = r.body.toString();
	return { status: r.status, headers: r.headers, body: text ? (JSON.parse(text) as any) : undefined, log: r.log };
}
/** messages.list: 5 units in both profiles. */
const list = (s: Standin, token: string) => gmail(s, token, 'messages?maxResults=1');
/** messages.get: 5 units (legacy), 20 (2026). */
const getFirst = (s: Standin, token: string, email = ALICE) => gmail(s, token, `messages/${gmailState(s).mailbox(email)!.sorted()[0].id}?format=minimal`);

async function times(n: number, f: () => Promise<{ status: number }>) {
	const statuses: number[] = [];
	for (let i = 0; i < n; i++) statuses.push((await f()).status);
	return statuses;
}

describe('profiles', () => {
	test('createStandin() is the legacy profile: 15,000 units/user/min, 1,200,000/project/min, the 250 units/s burst bucket, legacy units', () => {
		const s = createStandin({ noCorpus: true });
		expect(s.quota.toJSON()).toMatchObject({
			profile: 'legacy', userPerMinute: 15_000, projectPerMinute: 1_200_000, projectPerDay: 0, burstPerSecond: 250, unitsPerSecond: 250, mode: 429, windowSeconds: 60,
		});
		expect(s.quota.units).toEqual(QUOTA_UNITS_LEGACY);
	});

	test("'2026': 6,000 units/user/min, 1,200,000/project/min, 80,000,000/project/day threshold, no burst bucket, 2026 units", () => {
		const s = fresh('2026');
		expect(s.quota.toJSON()).toMatchObject({ profile: '2026', userPerMinute: 6_000, projectPerMinute: 1_200_000, projectPerDay: 80_000_000, dailyAction: 'record', burstPerSecond: 0 });
		expect(s.quota.units).toEqual(QUOTA_UNITS_2026);
		expect(QUOTA_PROFILES['2026'].units['gmail.users.messages.get']).toBe(20);
	});

	test('custom numbers: two minute budgets, the legacy unit table unless another is named; reset() restores the option', () => {
		const s = fresh({ userPerMinute: 100, projectPerMinute: 1_000, units: '2026' }, 403);
		expect(s.quota.toJSON()).toMatchObject({ profile: 'custom', userPerMinute: 100, projectPerMinute: 1_000, projectPerDay: 0, burstPerSecond: 0, mode: 403 });
		expect(s.quota.units['gmail.users.threads.get']).toBe(40);
		s.quota.apply('off');
		s.reset();
		expect(s.quota.profile).toBe('custom');
		expect(fresh({ userPerMinute: 1, projectPerMinute: 2, units: { 'gmail.users.messages.list': 7 } }).quota.units).toMatchObject({ 'gmail.users.messages.list': 7, 'gmail.users.messages.get': 5 });
		expect(() => fresh({ userPerMinute: -1, projectPerMinute: 2 })).toThrow(/userPerMinute/);
	});

	test('each call is charged its method id figure from the profile table (messages.get 5 in legacy, 20 in 2026) and logged', async () => {
		for (const [profile, units] of [['legacy', 5], ['2026', 20]] as const) {
			const s = fresh(profile);
			const r = await getFirst(s, userToken(s, ALICE));
			expect(r.status).toBe(200);
			expect(r.log).toMatchObject({ routeId: 'gmail.users.messages.get', units });
			expect((await admin(s, 'GET', 'quota')).json.projects['demo-project'].users[ALICE]).toBe(units);
		}
	});
});

describe('sliding 60-second windows', () => {
	test('2026: 300 messages.get (20 units) fill a user\'s 6,000; the units spent at t=0 are free again at t=60 s, not at 59 s', async () => {
		const s = fresh('2026');
		await clock(s, { freeze: true });
		const t = userToken(s, ALICE);
		expect(new Set(await times(300, () => getFirst(s, t)))).toEqual(new Set([200]));
		let r = await getFirst(s, t);
		expect([r.status, r.body.error.errors[0].reason, r.headers['retry-after']]).toEqual([429, 'userRateLimitExceeded', '60']);
		await clock(s, { advanceSeconds: 30 });
		r = await getFirst(s, t);
		expect([r.status, r.headers['retry-after']]).toEqual([429, '30']);
		await clock(s, { advanceSeconds: 29 });
		r = await getFirst(s, t);
		expect([r.status, r.headers['retry-after']]).toEqual([429, '1']);
		await clock(s, { advanceSeconds: 1 });
		expect((await getFirst(s, t)).status).toBe(200);
		// refused calls are not charged: after the second window the user has spent 20 units, not 80
		expect((await admin(s, 'GET', 'quota')).json.projects['demo-project'].users[ALICE]).toBe(20);
	});

	test('Retry-After is the time until enough units leave the window', async () => {
		const s = fresh({ userPerMinute: 20, projectPerMinute: 1_000 });
		await clock(s, { freeze: true });
		const t = userToken(s, ALICE);
		expect(await times(2, () => list(s, t))).toEqual([200, 200]); // t=0: 10 units
		await clock(s, { advanceSeconds: 20 });
		expect(await times(2, () => list(s, t))).toEqual([200, 200]); // t=20: 10 units, window full
		let r = await list(s, t);
		expect([r.status, r.headers['retry-after']]).toEqual([429, '40']); // the first 5 leave at t=60
		await clock(s, { advanceSeconds: 40 });
		expect(await times(3, () => list(s, t))).toEqual([200, 200, 429]); // t=0's 10 units left; t=20's have not
		r = await list(s, t);
		expect(r.headers['retry-after']).toBe('20');
		// a call that costs more than the whole budget never fits: a full window
		const send = await s.dispatch({
			method: 'POST', host: 'gmail.googleapis.com', url: '/gmail/v1/users/me/messages/send',
			headers: { authorization: `Bearer ${t}`, 'content-type': 'application/json' }, body: Buffer.from('{"raw":"eA"}'),
		});
		expect([send.status, send.headers['retry-after'], send.log.quota]).toEqual([429, '60', 'user']);
	});

	test('users have their own budget; the project budget is shared; another project has its own', async () => {
		const s = fresh({ userPerMinute: 50, projectPerMinute: 120 });
		await clock(s, { freeze: true });
		const [alice, bob, dave] = [ALICE, BOB, DAVE].map((e) => userToken(s, e));
		expect(await times(11, () => list(s, alice))).toEqual([...Array(10).fill(200), 429]);
		expect((await list(s, alice)).log).toMatchObject({ status: 429, quota: 'user', reason: 'userRateLimitExceeded' });
		expect(await times(10, () => list(s, bob))).toEqual(Array(10).fill(200)); // bob: his own 50; project 100
		expect(await times(5, () => list(s, dave))).toEqual([200, 200, 200, 200, 429]); // project 120
		const refused = await list(s, dave);
		expect(refused.log).toMatchObject({ quota: 'project', reason: 'rateLimitExceeded' });
		expect(refused.body.error.message).toContain("limit 'Queries per minute' of service 'gmail.googleapis.com'");
		// an OAuth client of another Cloud project: its own project budget and its own per-user budget for alice
		s.directory.projects.set('other-project', { projectId: 'other-project', projectNumber: '999', name: 'Other', members: [] });
		s.directory.clients.set('other.apps.googleusercontent.com', { clientId: 'other.apps.googleusercontent.com', clientSecret: 'x', redirectUris: [], projectId: 'other-project' });
		expect((await list(s, userToken(s, ALICE, 'other.apps.googleusercontent.com'))).status).toBe(200);
		// a client without a project: its client id keys the budget
		s.directory.clients.set('loose.apps.googleusercontent.com', { clientId: 'loose.apps.googleusercontent.com', clientSecret: 'x', redirectUris: [] });
		expect((await list(s, userToken(s, ALICE, 'loose.apps.googleusercontent.com'))).status).toBe(200);
		const state = (await admin(s, 'GET', 'quota')).json;
		expect(state.projects['demo-project']).toMatchObject({ projectNumber: DEMO_NUMBER, unitsLastMinute: 120, users: { [ALICE]: 50, [BOB]: 50, [DAVE]: 20 } });
		expect(state.projects['other-project']).toMatchObject({ projectNumber: '999', unitsLastMinute: 5, users: { [ALICE]: 5 } });
		expect(state.projects['client:loose.apps.googleusercontent.com']).toMatchObject({ unitsLastMinute: 5, users: { [ALICE]: 5 } });
		expect(state.refused).toMatchObject({ total: 4, byLimit: { user: 2, project: 2 }, byReason: { userRateLimitExceeded: { 429: 2 }, rateLimitExceeded: { 429: 2 } } });
	});

	test('impersonated users (domain-wide delegation) each have a per-user budget and share the service account project\'s', async () => {
		const s = fresh({ userPerMinute: 50, projectPerMinute: 80 });
		await clock(s, { freeze: true });
		expect(await times(11, () => list(s, dwdToken(s, ALICE)))).toEqual([...Array(10).fill(200), 429]);
		expect(await times(7, () => list(s, dwdToken(s, BOB)))).toEqual([...Array(6).fill(200), 429]);
		// the OAuth client sits in the same project (demo-project): its user tokens meet the same project budget
		expect((await list(s, userToken(s, DAVE))).log.quota).toBe('project');
		expect((await admin(s, 'GET', 'quota')).json.projects['demo-project']).toMatchObject({ unitsLastMinute: 80, users: { [ALICE]: 50, [BOB]: 30 } });
	});
});

describe("Google's error bodies", () => {
	test('per-user: userRateLimitExceeded; per-project: rateLimitExceeded; 429 RESOURCE_EXHAUSTED by default, 403 selectable', async () => {
		for (const mode of [429, 403] as const) {
			const s = fresh({ userPerMinute: 5, projectPerMinute: 10, mode });
			await clock(s, { freeze: true });
			await list(s, userToken(s, ALICE));
			const user = await list(s, userToken(s, ALICE));
			const msgUser = `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer 'project_number:${DEMO_NUMBER}'.`;
			expect(user.status).toBe(mode);
			expect(user.headers['retry-after']).toBe('60');
			expect(user.body).toEqual({
				error: {
					code: mode,
					message: msgUser,
					errors: [{ message: msgUser, domain: 'usageLimits', reason: 'userRateLimitExceeded' }],
					status: mode === 429 ? 'RESOURCE_EXHAUSTED' : 'PERMISSION_DENIED',
				},
			});
			await list(s, userToken(s, BOB));
			const project = await list(s, userToken(s, DAVE));
			const msgProject = `Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'gmail.googleapis.com' for consumer 'project_number:${DEMO_NUMBER}'.`;
			expect(project.status).toBe(mode);
			expect(project.body.error).toMatchObject({ code: mode, message: msgProject, errors: [{ message: msgProject, domain: 'usageLimits', reason: 'rateLimitExceeded' }] });
			expect((await admin(s, 'GET', 'quota')).json.refused.byReason).toEqual({ userRateLimitExceeded: { [mode]: 1 }, rateLimitExceeded: { [mode]: 1 } });
		}
	});

	test('through googleapis: the client sees the status, the reason and Retry-After; the request log says which limit refused', async () => {
		const live = await startLive({ noCorpus: true, quota: { userPerMinute: 5, projectPerMinute: 1_000 } });
		try {
			const g = await live.gmail(ALICE);
			await g.users.messages.list({ userId: 'me', maxResults: 1 });
			const f = await failure(g.users.messages.list({ userId: 'me', maxResults: 1 }));
			expect(f.status).toBe(429);
			expect(Number(f.headers['retry-after'])).toBeGreaterThanOrEqual(59);
			expect(f.body.error.errors[0]).toMatchObject({ reason: 'userRateLimitExceeded', domain: 'usageLimits' });
			const requests = (await (await live.fetch('/__standin/requests')).json()) as any[];
			expect(requests.map((e) => [e.status, e.units, e.quota])).toEqual([[200, 5, undefined], [429, undefined, 'user']]);
		} finally {
			await live.close();
		}
	});
});

describe('daily counter', () => {
	test('2026: the per-project day (Pacific Time) is counted; past the threshold calls are recorded (billing), or refused with dailyLimitExceeded when asked', async () => {
		const s = fresh('2026');
		// noon in California: 12 h to the Pacific midnight that starts the next quota day
		expect((await clock(s, { freeze: true, at: '2026-05-20T19:00:00Z' })).json).toEqual({ now: '2026-05-20T19:00:00.000Z', frozen: true });
		expect(pacificDay(Date.parse('2026-05-20T19:00:00Z'))).toEqual({ day: '2026-05-20', secondsToMidnight: 43_200 });
		expect((await admin(s, 'POST', 'quota', { projectPerDay: 100 })).json).toMatchObject({ profile: '2026', projectPerDay: 100, dailyAction: 'record' });
		const t = userToken(s, ALICE);
		expect(await times(6, () => getFirst(s, t))).toEqual(Array(6).fill(200)); // 120 units: over the threshold, not refused
		let state = (await admin(s, 'GET', 'quota')).json;
		expect(state.day).toBe('2026-05-20');
		expect(state.projects['demo-project']).toMatchObject({ day: '2026-05-20', dailyUnits: 120, dailyThreshold: 100, overDailyThreshold: true, unitsOverDailyThreshold: 20 });

		await admin(s, 'POST', 'quota', { dailyAction: 'refuse' });
		const r = await getFirst(s, t);
		expect([r.status, r.headers['retry-after'], r.log.quota]).toEqual([429, '43200', 'daily']);
		expect(r.body.error.errors[0]).toMatchObject({ reason: 'dailyLimitExceeded', domain: 'usageLimits' });
		expect(r.body.error.message).toMatch(/^Daily Limit Exceeded\. The quota will be reset at midnight Pacific Time \(PT\)\./);

		await clock(s, { advanceSeconds: 43_200 }); // next Pacific day (tokens expired meanwhile: a new one)
		const t2 = userToken(s, ALICE);
		expect((await getFirst(s, t2)).status).toBe(200);
		state = (await admin(s, 'GET', 'quota')).json;
		expect(state.projects['demo-project']).toMatchObject({ day: '2026-05-21', dailyUnits: 20, overDailyThreshold: false, unitsOverDailyThreshold: 0 });
	});

	test('the real 2026 threshold is 80,000,000 units; legacy counts the day without a threshold', async () => {
		const s = fresh('legacy');
		await getFirst(s, userToken(s, ALICE));
		expect((await admin(s, 'GET', 'quota')).json.projects['demo-project']).toMatchObject({ dailyUnits: 5, dailyThreshold: 0, overDailyThreshold: false });
		expect(fresh('2026').quota.projectPerDay).toBe(80_000_000);
	});
});

describe('CLI flag', () => {
	test('--quota legacy | 2026 | off | custom:USER_PER_MIN,PROJECT_PER_MIN[,PROJECT_PER_DAY], --quota-mode', () => {
		expect(parseArgs([]).quota).toBe('legacy');
		expect(parseArgs(['--quota', '2026']).quota).toBe('2026');
		expect(parseArgs(['--quota', 'legacy', '--quota-mode', '403'])).toMatchObject({ quota: 'legacy', quotaMode: 403 });
		expect(parseArgs(['--quota', 'custom:100,2000']).quota).toEqual({ userPerMinute: 100, projectPerMinute: 2000 });
		expect(parseQuotaFlag('custom:6_000,1_200_000,80_000_000')).toEqual({ userPerMinute: 6000, projectPerMinute: 1_200_000, projectPerDay: 80_000_000 });
		expect(() => parseArgs(['--quota', '2027'])).toThrow(/--quota must be/);
		expect(() => parseArgs(['--quota', 'custom:100'])).toThrow(/--quota must be/);
		expect(() => parseArgs(['--quota'])).toThrow(/needs a value/);
		expect(() => parseArgs(['--quota-mode', '500'])).toThrow(/429 or 403/);
	});

	test('npm run standin -- --quota 2026 serves the 2026 profile and says so', async () => {
		const root = resolve(__dirname, '../..');
		const child = spawn(join(root, 'node_modules/.bin/tsx'), ['test/standin/cli.ts', '--port', '0', '--no-corpus', '--quota', '2026'], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
		try {
			const lines = await new Promise<string[]>((res, rej) => {
				let out = '';
				child.stdout!.on('data', (d) => {
					out += d;
					const l = out.split('\n');
					if (l.length > 2) res(l);
				});
				child.on('exit', (code) => rej(new Error(`cli exited ${code}`)));
			});
			expect(lines[0]).toMatch(/^stand-in listening on http:\/\/127\.0\.0\.1:\d+$/);
			expect(lines[1]).toBe('quota: 2026 (6000 units/user/min, 1200000 units/project/min, 80000000 units/project/day threshold; refusals 429)');
			const base = lines[0].slice('stand-in listening on '.length);
			expect(((await (await fetch(`${base}/__standin/quota`)).json()) as any).profile).toBe('2026');
		} finally {
			child.removeAllListeners('exit');
			await new Promise<void>((res) => {
				child.on('exit', () => res());
				child.kill('SIGTERM');
			});
		}
	});
});

describe('admin API', () => {
	test('POST /__standin/quota {profile} switches the model; single settings change alone; bad input is a 400', async () => {
		const s = createStandin({ noCorpus: true });
		let r = await admin(s, 'POST', 'quota', { profile: '2026' });
		expect(r.json).toMatchObject({ profile: '2026', userPerMinute: 6_000, units: { 'gmail.users.messages.get': 20 } });
		r = await admin(s, 'POST', 'quota', { profile: 'custom', userPerMinute: 10, projectPerMinute: 20 });
		expect(r.json).toMatchObject({ profile: 'custom', userPerMinute: 10, projectPerMinute: 20, units: { 'gmail.users.messages.get': 5 } });
		r = await admin(s, 'POST', 'quota', { profile: 'legacy', units: '2026', mode: 403 });
		expect(r.json).toMatchObject({ profile: 'legacy', userPerMinute: 15_000, mode: 403, units: { 'gmail.users.messages.get': 20 } });
		// the old knob: a per-user token bucket of N units per second
		r = await admin(s, 'POST', 'quota', { unitsPerSecond: 10 });
		expect(r.json).toMatchObject({ burstPerSecond: 10, unitsPerSecond: 10, userPerMinute: 15_000 });
		expect(s.quota.unitsPerSecond).toBe(10);
		for (const bad of [{ profile: '2027' }, { profile: 'custom', userPerMinute: 10 }, { userPerMinute: -1 }, { mode: 500 }, { dailyAction: 'ignore' }]) {
			expect((await admin(s, 'POST', 'quota', bad)).status).toBe(400);
		}
	});

	test('GET returns the counters; DELETE clears them; /__standin/reset restores the profile the stand-in was made with', async () => {
		const s = fresh('2026');
		await clock(s, { freeze: true });
		await admin(s, 'POST', 'quota', { userPerMinute: 40 });
		const t = userToken(s, ALICE);
		expect(await times(3, () => getFirst(s, t))).toEqual([200, 200, 429]);
		const state = (await admin(s, 'GET', 'quota')).json;
		expect(state).toMatchObject({
			profile: '2026',
			userPerMinute: 40,
			projects: { 'demo-project': { unitsLastMinute: 40, users: { [ALICE]: 40 }, dailyUnits: 40, dailyThreshold: 80_000_000 } },
			refused: { total: 1, byLimit: { user: 1, project: 0, burst: 0, daily: 0 }, byReason: { userRateLimitExceeded: { 429: 1 } } },
		});
		const log = (await admin(s, 'GET', 'requests')).json as any[];
		expect(log.map((e) => [e.routeId, e.status, e.units, e.quota])).toEqual([
			['gmail.users.messages.get', 200, 20, undefined],
			['gmail.users.messages.get', 200, 20, undefined],
			['gmail.users.messages.get', 429, undefined, 'user'],
		]);
		expect((await admin(s, 'DELETE', 'quota')).json).toMatchObject({ projects: {}, refused: { total: 0 }, userPerMinute: 40 });
		expect((await getFirst(s, t)).status).toBe(200);
		await admin(s, 'POST', 'quota', { profile: 'off' });
		await admin(s, 'POST', 'reset');
		expect((await admin(s, 'GET', 'quota')).json).toMatchObject({ profile: '2026', userPerMinute: 6_000, projects: {} });
	});
});
