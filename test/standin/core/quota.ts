import { GoogleError } from './errors';

/**
 * Gmail's usage limits, as the stand-in enforces them (README "Quota" has the figures and their sources).
 *
 * Two documented models:
 * - `legacy`: projects that used the Gmail API between November 2025 and April 2026 keep the earlier quotas:
 *   15,000 units per user per minute, 1,200,000 units per project per minute (older copies of the page said
 *   "250 quota units per user per second, moving average (allows short bursts)"; the stand-in keeps that as a
 *   one-second burst bucket in this profile, which existing tests and the read benchmark rely on).
 * - `2026`: projects created from 2026-05-01: 6,000 units per user per project per minute, 1,200,000 per project
 *   per minute, and an 80,000,000 units/day per-project billing threshold; reads cost more (messages.get 20 …).
 *
 * Both minute limits are sliding 60-second windows: a call is refused when the units charged in the last 60 s
 * plus its own would exceed the budget; Retry-After says when enough units have left the window.
 * The per-user window is keyed by project and user (Google: "per minute per user per project").
 */

export const WINDOW_MS = 60_000;

/**
 * Per-method quota units of the earlier model, keyed by discovery method id
 * (developers.google.com/workspace/gmail/api/reference/quota, before the 2026-05-01 update).
 * `users.watch` / `users.stop` are served with Pub/Sub (gmail/watch.ts) and charged these units.
 */
export const QUOTA_UNITS_LEGACY: Readonly<Record<string, number>> = Object.freeze({
	'gmail.users.getProfile': 1,
	'gmail.users.watch': 100,
	'gmail.users.stop': 50,
	'gmail.users.history.list': 2,
	'gmail.users.labels.list': 1,
	'gmail.users.labels.get': 1,
	'gmail.users.labels.create': 5,
	'gmail.users.labels.update': 5,
	'gmail.users.labels.patch': 5,
	'gmail.users.labels.delete': 5,
	'gmail.users.messages.list': 5,
	'gmail.users.messages.get': 5,
	'gmail.users.messages.attachments.get': 5,
	'gmail.users.messages.send': 100,
	'gmail.users.messages.insert': 25,
	'gmail.users.messages.import': 25,
	'gmail.users.messages.modify': 5,
	'gmail.users.messages.batchModify': 50,
	'gmail.users.messages.batchDelete': 50,
	'gmail.users.messages.trash': 5,
	'gmail.users.messages.untrash': 5,
	'gmail.users.messages.delete': 10,
	'gmail.users.threads.list': 10,
	'gmail.users.threads.get': 10,
	'gmail.users.threads.modify': 10,
	'gmail.users.threads.trash': 10,
	'gmail.users.threads.untrash': 10,
	'gmail.users.threads.delete': 20,
	'gmail.users.drafts.list': 5,
	'gmail.users.drafts.get': 5,
	'gmail.users.drafts.create': 10,
	'gmail.users.drafts.update': 15,
	'gmail.users.drafts.send': 100,
	'gmail.users.drafts.delete': 10,
	'gmail.users.settings.getVacation': 1,
	'gmail.users.settings.getImap': 1,
	'gmail.users.settings.getPop': 1,
	'gmail.users.settings.getLanguage': 1,
	'gmail.users.settings.getAutoForwarding': 1,
	'gmail.users.settings.updateVacation': 5,
	'gmail.users.settings.updateImap': 5,
	'gmail.users.settings.updatePop': 100,
	// not in Google's table; the same as the other settings updates
	'gmail.users.settings.updateLanguage': 5,
	'gmail.users.settings.updateAutoForwarding': 5,
	'gmail.users.settings.delegates.list': 1,
	'gmail.users.settings.delegates.get': 1,
	'gmail.users.settings.delegates.create': 100,
	'gmail.users.settings.delegates.delete': 5,
	'gmail.users.settings.filters.list': 1,
	'gmail.users.settings.filters.get': 1,
	'gmail.users.settings.filters.create': 5,
	'gmail.users.settings.filters.delete': 5,
	'gmail.users.settings.forwardingAddresses.list': 1,
	'gmail.users.settings.forwardingAddresses.get': 1,
	'gmail.users.settings.forwardingAddresses.create': 100,
	'gmail.users.settings.forwardingAddresses.delete': 5,
	'gmail.users.settings.sendAs.list': 1,
	'gmail.users.settings.sendAs.get': 1,
	'gmail.users.settings.sendAs.create': 100,
	'gmail.users.settings.sendAs.update': 100,
	'gmail.users.settings.sendAs.patch': 100,
	'gmail.users.settings.sendAs.delete': 5,
	'gmail.users.settings.sendAs.verify': 100,
});

/**
 * Per-method quota units for projects created from 2026-05-01: reads of message bodies cost four times as much
 * (messages.get, messages.attachments.get, drafts.get 20; threads.get 40); everything else as before.
 */
export const QUOTA_UNITS_2026: Readonly<Record<string, number>> = Object.freeze({
	...QUOTA_UNITS_LEGACY,
	'gmail.users.messages.get': 20,
	'gmail.users.messages.attachments.get': 20,
	'gmail.users.drafts.get': 20,
	'gmail.users.threads.get': 40,
	'gmail.users.threads.list': 10,
});

export type QuotaProfileName = 'legacy' | '2026' | 'off' | 'custom';
/** What happens past the daily threshold: `record` (Google's documented behaviour: usage is billed, not refused) or `refuse`. */
export type DailyAction = 'record' | 'refuse';

export interface QuotaLimits {
	/** Units per user per project in any 60 s window; 0 = no limit. */
	userPerMinute: number;
	/** Units per project in any 60 s window; 0 = no limit. */
	projectPerMinute: number;
	/** Units per project per day (Pacific Time day) before the threshold applies; 0 = none (still counted). */
	projectPerDay: number;
	dailyAction: DailyAction;
	/** A one-second token bucket per user (capacity = one second of units); 0 = off. */
	burstPerSecond: number;
}

export const QUOTA_PROFILES: Readonly<Record<'legacy' | '2026' | 'off', Readonly<QuotaLimits & { units: Readonly<Record<string, number>> }>>> = Object.freeze({
	legacy: { userPerMinute: 15_000, projectPerMinute: 1_200_000, projectPerDay: 0, dailyAction: 'record', burstPerSecond: 250, units: QUOTA_UNITS_LEGACY },
	'2026': { userPerMinute: 6_000, projectPerMinute: 1_200_000, projectPerDay: 80_000_000, dailyAction: 'record', burstPerSecond: 0, units: QUOTA_UNITS_2026 },
	off: { userPerMinute: 0, projectPerMinute: 0, projectPerDay: 0, dailyAction: 'record', burstPerSecond: 0, units: QUOTA_UNITS_LEGACY },
});

/** Custom numbers: the two minute budgets, optionally the rest; units: a profile's table or your own (merged over legacy). */
export interface CustomQuota extends Partial<QuotaLimits> {
	userPerMinute: number;
	projectPerMinute: number;
	units?: 'legacy' | '2026' | Record<string, number>;
	mode?: 429 | 403;
}
export type QuotaOption = 'legacy' | '2026' | 'off' | CustomQuota;

/** Unit cost of a Gmail method in a profile (undefined when the table has no entry). */
export function quotaUnits(profile: 'legacy' | '2026', methodId: string): number | undefined {
	return (profile === '2026' ? QUOTA_UNITS_2026 : QUOTA_UNITS_LEGACY)[methodId];
}

const unitsTable = (u: CustomQuota['units']): Record<string, number> =>
	u === undefined || u === 'legacy' ? { ...QUOTA_UNITS_LEGACY } : u === '2026' ? { ...QUOTA_UNITS_2026 } : { ...QUOTA_UNITS_LEGACY, ...u };

/** The stand-in's live quota settings (`standin.quota`). Plain fields; `unitsPerSecond` is the old name of `burstPerSecond`. */
export class QuotaConfig implements QuotaLimits {
	profile: QuotaProfileName = 'legacy';
	userPerMinute = 0;
	projectPerMinute = 0;
	projectPerDay = 0;
	dailyAction: DailyAction = 'record';
	burstPerSecond = 0;
	/** Status of quota refusals: 429 (Gmail today) or 403 (older answers, still seen). */
	mode: 429 | 403 = 429;
	/** Units per Gmail method id; routes not listed fall back to their own `cost`. */
	units: Record<string, number> = {};

	constructor(option: QuotaOption = 'legacy', mode?: 429 | 403) {
		this.apply(option);
		if (mode) this.mode = mode;
	}

	/** Replace every setting with a profile's (or custom numbers); `mode` is kept unless the custom option names one. */
	apply(option: QuotaOption) {
		if (typeof option === 'string') {
			const p = QUOTA_PROFILES[option];
			if (!p) throw new Error(`unknown quota profile ${option} (legacy, 2026, off, or custom numbers)`);
			Object.assign(this, { ...p, units: { ...p.units }, profile: option });
			return this;
		}
		const n = (v: unknown, name: string) => {
			if (typeof v !== 'number' || !Number.isFinite(v) || v < 0) throw new Error(`quota ${name} must be a number >= 0`);
			return v;
		};
		this.profile = 'custom';
		this.userPerMinute = n(option.userPerMinute, 'userPerMinute');
		this.projectPerMinute = n(option.projectPerMinute, 'projectPerMinute');
		this.projectPerDay = n(option.projectPerDay ?? 0, 'projectPerDay');
		this.burstPerSecond = n(option.burstPerSecond ?? 0, 'burstPerSecond');
		this.dailyAction = option.dailyAction ?? 'record';
		this.units = unitsTable(option.units);
		if (option.mode) this.mode = option.mode;
		return this;
	}

	/** Old name (a per-user token bucket of N units per second); 0 turns the burst bucket off. */
	get unitsPerSecond() {
		return this.burstPerSecond;
	}
	set unitsPerSecond(v: number) {
		this.burstPerSecond = v;
	}

	toJSON() {
		const { profile, userPerMinute, projectPerMinute, projectPerDay, dailyAction, burstPerSecond, mode, units } = this;
		return { profile, userPerMinute, projectPerMinute, projectPerDay, dailyAction, burstPerSecond, unitsPerSecond: burstPerSecond, mode, windowSeconds: WINDOW_MS / 1000, units };
	}
}

/**
 * `--quota` values: `legacy`, `2026`, `off`, or `custom:USER_PER_MIN,PROJECT_PER_MIN[,PROJECT_PER_DAY]`
 * (plain digits, `_` allowed as a separator: `custom:6_000,1_200_000`).
 */
export function parseQuotaFlag(v: string): QuotaOption {
	if (v === 'legacy' || v === '2026' || v === 'off') return v;
	const m = /^custom:(\d[\d_]*),(\d[\d_]*)(?:,(\d[\d_]*))?$/.exec(v);
	if (!m) throw new Error(`--quota must be legacy, 2026, off or custom:USER_PER_MIN,PROJECT_PER_MIN[,PROJECT_PER_DAY] (got ${v})`);
	const num = (s: string) => Number(s.replace(/_/g, ''));
	return { userPerMinute: num(m[1]), projectPerMinute: num(m[2]), ...(m[3] ? { projectPerDay: num(m[3]) } : {}) };
}

/** Units charged in the last 60 s, oldest first. */
class SlidingWindow {
	private at: number[] = [];
	private units: number[] = [];
	private head = 0;
	sum = 0;

	prune(now: number) {
		const cutoff = now - WINDOW_MS;
		while (this.head < this.at.length && this.at[this.head] <= cutoff) {
			this.sum -= this.units[this.head];
			this.head++;
		}
		if (this.head > 1024 && this.head * 2 > this.at.length) {
			this.at = this.at.slice(this.head);
			this.units = this.units.slice(this.head);
			this.head = 0;
		}
		return this;
	}

	add(now: number, units: number) {
		this.at.push(now);
		this.units.push(units);
		this.sum += units;
	}

	/** Milliseconds until `need` more units fit under `budget` (0 = now; a call bigger than the budget never fits: a full window). */
	waitMs(now: number, need: number, budget: number): number {
		let excess = this.sum + need - budget;
		if (excess <= 0) return 0;
		if (need > budget) return WINDOW_MS;
		for (let i = this.head; i < this.at.length; i++) {
			excess -= this.units[i];
			if (excess <= 0) return Math.max(0, this.at[i] + WINDOW_MS - now);
		}
		return WINDOW_MS;
	}
}

// Google's daily quotas reset at midnight Pacific Time ("The quota will be reset at midnight Pacific Time (PT)").
const PT = new Intl.DateTimeFormat('en-US', {
	timeZone: 'America/Los_Angeles',
	year: 'numeric',
	month: '2-digit',
	day: '2-digit',
	hour: '2-digit',
	minute: '2-digit',
	second: '2-digit',
	hourCycle: 'h23',
});
/** The Pacific Time day (YYYY-MM-DD) of an instant and the seconds left until the next PT midnight. */
export function pacificDay(ms: number): { day: string; secondsToMidnight: number } {
	const p = Object.fromEntries(PT.formatToParts(ms).map((x) => [x.type, x.value]));
	const elapsed = Number(p.hour) * 3600 + Number(p.minute) * 60 + Number(p.second);
	return { day: `${p.year}-${p.month}-${p.day}`, secondsToMidnight: 86_400 - elapsed };
}

export type QuotaLimitKind = 'user' | 'project' | 'burst' | 'daily';

export interface QuotaCall {
	user: string;
	/** Budget key of the project: the token's Cloud project id, else `client:<OAuth client id>`. */
	project: string;
	/** For messages: `project_number:<n>` names the consumer as Google does. */
	projectNumber?: string;
	units: number;
}

/** Thrown for a refused call; a GoogleError with the limit that refused it. */
export class QuotaError extends GoogleError {
	constructor(
		readonly limit: QuotaLimitKind,
		code: number,
		message: string,
		reason: string,
		retryAfter: number,
	) {
		super(code, message, reason, 'usageLimits', { 'retry-after': String(retryAfter) });
	}
}

interface ProjectDay {
	day: string;
	units: number;
	overThreshold: number;
}

/** Windows, daily counters and refusal counts; `charge` refuses or records one call. */
export class QuotaMeter {
	private users = new Map<string, SlidingWindow>();
	private projects = new Map<string, SlidingWindow>();
	private buckets = new Map<string, { tokens: number; at: number }>();
	private daily = new Map<string, ProjectDay>();
	private numbers = new Map<string, string>();
	refused: { byLimit: Record<QuotaLimitKind, number>; byReason: Record<string, Record<string, number>> } = {
		byLimit: { user: 0, project: 0, burst: 0, daily: 0 },
		byReason: {},
	};

	clear() {
		this.users.clear();
		this.projects.clear();
		this.buckets.clear();
		this.daily.clear();
		this.numbers.clear();
		this.refused = { byLimit: { user: 0, project: 0, burst: 0, daily: 0 }, byReason: {} };
	}

	private static key = (project: string, user: string) => `${project}\u0000${user}`;

	private dayOf(project: string, now: number): ProjectDay {
		const { day } = pacificDay(now);
		let d = this.daily.get(project);
		if (!d || d.day !== day) {
			d = { day, units: 0, overThreshold: 0 };
			this.daily.set(project, d);
		}
		return d;
	}

	/** Check every limit for one call; throws a QuotaError (nothing charged) or charges the units everywhere. */
	charge(cfg: QuotaConfig, call: QuotaCall, now: number) {
		const { user, project, units } = call;
		if (!units) return;
		if (call.projectNumber) this.numbers.set(project, call.projectNumber);
		const ukey = QuotaMeter.key(project, user);
		const uwin = this.users.get(ukey) ?? new SlidingWindow();
		const pwin = this.projects.get(project) ?? new SlidingWindow();
		this.users.set(ukey, uwin.prune(now));
		this.projects.set(project, pwin.prune(now));
		const day = this.dayOf(project, now);
		const consumer = `project_number:${call.projectNumber ?? project}`;
		const refuse = (limit: QuotaLimitKind, reason: string, message: string, retryAfter: number): never => {
			this.refused.byLimit[limit]++;
			const r = (this.refused.byReason[reason] ??= {});
			r[cfg.mode] = (r[cfg.mode] ?? 0) + 1;
			throw new QuotaError(limit, cfg.mode, message, reason, Math.max(1, retryAfter));
		};

		if (cfg.userPerMinute) {
			const wait = uwin.waitMs(now, units, cfg.userPerMinute);
			if (wait > 0) {
				refuse('user', 'userRateLimitExceeded',
					`Quota exceeded for quota metric 'Queries' and limit 'Queries per minute per user' of service 'gmail.googleapis.com' for consumer '${consumer}'.`,
					Math.ceil(wait / 1000));
			}
		}
		if (cfg.projectPerMinute) {
			const wait = pwin.waitMs(now, units, cfg.projectPerMinute);
			if (wait > 0) {
				refuse('project', 'rateLimitExceeded',
					`Quota exceeded for quota metric 'Queries' and limit 'Queries per minute' of service 'gmail.googleapis.com' for consumer '${consumer}'.`,
					Math.ceil(wait / 1000));
			}
		}
		let bucket: { tokens: number; at: number } | undefined;
		const rate = cfg.burstPerSecond;
		if (rate) {
			bucket = this.buckets.get(ukey) ?? { tokens: rate, at: now };
			bucket.tokens = Math.min(rate, bucket.tokens + (Math.max(0, now - bucket.at) / 1000) * rate);
			bucket.at = now;
			this.buckets.set(ukey, bucket);
			if (bucket.tokens < units) {
				const waitS = Math.ceil((units - bucket.tokens) / rate);
				const until = new Date(now + Math.max(1, waitS) * 1000).toISOString();
				// Gmail's own wording for its per-user rate limit (429 rateLimitExceeded today; 403 userRateLimitExceeded earlier)
				refuse('burst', cfg.mode === 429 ? 'rateLimitExceeded' : 'userRateLimitExceeded', `User-rate limit exceeded.  Retry after ${until}`, waitS);
			}
		}
		if (cfg.projectPerDay && cfg.dailyAction === 'refuse' && day.units + units > cfg.projectPerDay) {
			refuse('daily', 'dailyLimitExceeded',
				`Daily Limit Exceeded. The quota will be reset at midnight Pacific Time (PT). You may monitor your quota usage and adjust limits in the API Console: https://console.developers.google.com/apis/api/gmail.googleapis.com/quotas?project=${call.projectNumber ?? project}`,
				pacificDay(now).secondsToMidnight);
		}

		uwin.add(now, units);
		pwin.add(now, units);
		if (bucket) bucket.tokens -= units;
		if (cfg.projectPerDay) day.overThreshold += Math.max(0, day.units + units - Math.max(cfg.projectPerDay, day.units));
		day.units += units;
	}

	/** Counters for GET /__standin/quota: units in the current window per project and per user, daily totals, refusals. */
	snapshot(cfg: QuotaConfig, now: number) {
		const projects: Record<string, {
			projectNumber?: string;
			unitsLastMinute: number;
			users: Record<string, number>;
			day: string;
			dailyUnits: number;
			dailyThreshold: number;
			overDailyThreshold: boolean;
			unitsOverDailyThreshold: number;
		}> = {};
		const entry = (project: string) =>
			(projects[project] ??= (() => {
				const d = this.dayOf(project, now);
				return {
					...(this.numbers.has(project) ? { projectNumber: this.numbers.get(project) } : {}),
					unitsLastMinute: this.projects.get(project)?.prune(now).sum ?? 0,
					users: {},
					day: d.day,
					dailyUnits: d.units,
					dailyThreshold: cfg.projectPerDay,
					overDailyThreshold: !!cfg.projectPerDay && d.units > cfg.projectPerDay,
					unitsOverDailyThreshold: d.overThreshold,
				};
			})());
		for (const p of new Set([...this.projects.keys(), ...this.daily.keys()])) entry(p);
		for (const [k, w] of this.users) {
			const [project, user] = k.split('\u0000');
			const sum = w.prune(now).sum;
			if (sum) entry(project).users[user] = sum;
		}
		const total = Object.values(this.refused.byLimit).reduce((a, b) => a + b, 0);
		return {
			now: new Date(now).toISOString(),
			day: pacificDay(now).day,
			projects,
			refused: { total, byLimit: { ...this.refused.byLimit }, byReason: structuredClone(this.refused.byReason) },
		};
	}
}
