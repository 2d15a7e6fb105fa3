import type { ICredentialDataDecryptedObject } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import { QUOTA_LIMITS, QUOTA_TIER_NAMES, type QuotaTier } from '../../../../credentials/quota';
import { authentication, credentialId, credentialType, type Context } from './credentials';

/**
 * Gmail's per-method quota units for projects that keep the earlier limits, every method of Google's table
 * (developers.google.com/workspace/gmail/api/reference/quota, "Per-method quota usage"; read through the stored
 * copies of that page and of developers.google.com/gmail/api/reference/quota, 2026). Keyed by the discovery
 * document's method id. The few discovery methods Google's table leaves out are marked "not in Google's table":
 * their figure is the one of their sibling (labels.patch as labels.update, sendAs.patch as sendAs.update,
 * getLanguage / updateLanguage as the other settings get / update). Methods not listed here (cse.*,
 * sendAs.smimeInfo.*) cost 1 unit for the package's own cards, which never call them; the Custom API Call
 * charges them CUSTOM_CALL_DEFAULT_UNITS instead. The Custom API's method table takes its units from here.
 */
export const QUOTA_UNITS_LEGACY: Readonly<Record<string, number>> = {
	'gmail.users.drafts.create': 10,
	'gmail.users.drafts.delete': 10,
	'gmail.users.drafts.get': 5,
	'gmail.users.drafts.list': 5,
	'gmail.users.drafts.send': 100,
	'gmail.users.drafts.update': 15,
	'gmail.users.getProfile': 1,
	'gmail.users.history.list': 2,
	'gmail.users.labels.create': 5,
	'gmail.users.labels.delete': 5,
	'gmail.users.labels.get': 1,
	'gmail.users.labels.list': 1,
	'gmail.users.labels.update': 5,
	// not in Google's table
	'gmail.users.labels.patch': 5,
	'gmail.users.messages.attachments.get': 5,
	'gmail.users.messages.batchDelete': 50,
	'gmail.users.messages.batchModify': 50,
	'gmail.users.messages.delete': 10,
	'gmail.users.messages.get': 5,
	'gmail.users.messages.import': 25,
	'gmail.users.messages.insert': 25,
	'gmail.users.messages.list': 5,
	'gmail.users.messages.modify': 5,
	'gmail.users.messages.send': 100,
	'gmail.users.messages.trash': 5,
	'gmail.users.messages.untrash': 5,
	'gmail.users.settings.delegates.create': 100,
	'gmail.users.settings.delegates.delete': 5,
	'gmail.users.settings.delegates.get': 1,
	'gmail.users.settings.delegates.list': 1,
	'gmail.users.settings.filters.create': 5,
	'gmail.users.settings.filters.delete': 5,
	'gmail.users.settings.filters.get': 1,
	'gmail.users.settings.filters.list': 1,
	'gmail.users.settings.forwardingAddresses.create': 100,
	'gmail.users.settings.forwardingAddresses.delete': 5,
	'gmail.users.settings.forwardingAddresses.get': 1,
	'gmail.users.settings.forwardingAddresses.list': 1,
	'gmail.users.settings.getAutoForwarding': 1,
	'gmail.users.settings.getImap': 1,
	'gmail.users.settings.getPop': 1,
	'gmail.users.settings.getVacation': 1,
	'gmail.users.settings.sendAs.create': 100,
	'gmail.users.settings.sendAs.delete': 5,
	'gmail.users.settings.sendAs.get': 1,
	'gmail.users.settings.sendAs.list': 1,
	'gmail.users.settings.sendAs.update': 100,
	'gmail.users.settings.sendAs.verify': 100,
	// not in Google's table
	'gmail.users.settings.sendAs.patch': 100,
	'gmail.users.settings.updateAutoForwarding': 5,
	'gmail.users.settings.updateImap': 5,
	'gmail.users.settings.updatePop': 100,
	'gmail.users.settings.updateVacation': 5,
	// not in Google's table
	'gmail.users.settings.getLanguage': 1,
	'gmail.users.settings.updateLanguage': 5,
	'gmail.users.stop': 50,
	'gmail.users.threads.delete': 20,
	'gmail.users.threads.get': 10,
	'gmail.users.threads.list': 10,
	'gmail.users.threads.modify': 10,
	'gmail.users.threads.trash': 10,
	'gmail.users.threads.untrash': 10,
	'gmail.users.watch': 100,
};

/**
 * Projects created from May 2026 (the same page's 2026 version): reading a message, an attachment or a draft
 * costs 20, a thread 40; every other figure is unchanged. The stored copies of Google's 2026 page end before its
 * per-method table, so these four are as restated by developer.nylas.com/docs/cookbook/email/gmail-api-quotas/
 * and cli.nylas.com/guides/gmail-api-quotas-2026 (test/standin/README.md "Quota" has the details); no other
 * method is reported changed.
 */
export const QUOTA_UNITS_2026: Readonly<Record<string, number>> = {
	...QUOTA_UNITS_LEGACY,
	'gmail.users.messages.get': 20,
	'gmail.users.messages.attachments.get': 20,
	'gmail.users.drafts.get': 20,
	'gmail.users.threads.get': 40,
};

/**
 * What a Custom API Call is charged when the quota table has no figure for its method (cse.*, smimeInfo.*) or a
 * Path-mode path matches no method of the discovery document: 100 units, the dearest call of Google's table
 * (messages.send, watch, settings creates), so the pacer never spends less than Google may count.
 */
export const CUSTOM_CALL_DEFAULT_UNITS = 100;

/** The limits and costs of the Cloud project behind a credential (its "Gmail API Quota"). */
export interface QuotaPlan {
	tier: QuotaTier;
	userPerMinute: number;
	projectPerMinute: number;
	/** The earlier tier's short-term limit (250 units per user per second, moving average). */
	userPerSecond?: number;
	units: Readonly<Record<string, number>>;
}

export function quotaPlanOf(creds: ICredentialDataDecryptedObject): QuotaPlan {
	const tier: QuotaTier =
		creds.quotaTier === 'legacy' || creds.quotaTier === 'custom' ? creds.quotaTier : 'from2026';
	if (tier === 'custom') {
		const n = (v: unknown, fallback: number) =>
			Number.isFinite(Number(v)) && Number(v) >= 1 ? Number(v) : fallback;
		return {
			tier,
			userPerMinute: n(creds.quotaUserPerMinute, QUOTA_LIMITS.from2026.userPerMinute),
			projectPerMinute: n(creds.quotaProjectPerMinute, QUOTA_LIMITS.from2026.projectPerMinute),
			units: QUOTA_UNITS_2026,
		};
	}
	return {
		tier,
		...QUOTA_LIMITS[tier],
		units: tier === 'legacy' ? QUOTA_UNITS_LEGACY : QUOTA_UNITS_2026,
	};
}

export const unitsOf = (plan: QuotaPlan, id: string) => plan.units[id] ?? 1;

/** "Projects Created From May 2026 (6,000 units per user per minute)", for error messages. */
export function describePlan(plan: QuotaPlan): string {
	return `"${QUOTA_TIER_NAMES[plan.tier]}" (${plan.userPerMinute.toLocaleString('en-US')} units per user per minute, ${plan.projectPerMinute.toLocaleString('en-US')} per project)`;
}

/**
 * Units spent in the last `ms` milliseconds, as Google counts a per-minute quota: a sliding window, not a
 * bucket refilled every second. `marginMs` keeps each spend a little longer than Google does, so a
 * request that reaches Google a few milliseconds after we sent it is still counted by both.
 */
export class SlidingWindow {
	private readonly spends: Array<{ at: number; units: number }> = [];
	private head = 0;
	private sum = 0;

	constructor(
		readonly ms: number,
		public limit: number,
		private readonly marginMs = 0,
	) {}

	private prune(now: number) {
		const horizon = now - this.ms - this.marginMs;
		while (this.head < this.spends.length && this.spends[this.head].at <= horizon)
			this.sum -= this.spends[this.head++].units;
		if (this.head > 1024 && this.head * 2 > this.spends.length) {
			this.spends.splice(0, this.head);
			this.head = 0;
		}
	}

	/** How long until `units` more fit (0: now). A spend larger than the whole window waits for an empty one. */
	waitMs(units: number, now: number, limit = this.limit): number {
		this.prune(now);
		const need = Math.min(units, limit);
		let over = this.sum + need - limit;
		if (over <= 0) return 0;
		for (let k = this.head; k < this.spends.length; k++) {
			over -= this.spends[k].units;
			if (over <= 0) return this.spends[k].at + this.ms + this.marginMs - now + 1;
		}
		return this.ms;
	}

	add(units: number, now: number) {
		this.spends.push({ at: now, units });
		this.sum += units;
	}

	used(now: number): number {
		this.prune(now);
		return this.sum;
	}
}

/**
 * The earlier tier's per-second budget ("250 units per user per second, moving average"): a bucket that
 * refills continuously at a little under the rate, so a small call does not hold back the next full batch
 * for a whole second the way a one-second window would.
 */
export class RefillBucket {
	private tokens: number;
	private at: number;

	constructor(
		public limit: number,
		now: number,
		private readonly share = 0.95,
	) {
		this.tokens = limit;
		this.at = now;
	}

	private refill(now: number, limit: number) {
		this.tokens = Math.min(
			limit,
			this.tokens + (Math.max(0, now - this.at) / 1000) * limit * this.share,
		);
		this.at = now;
	}

	waitMs(units: number, now: number, limit = this.limit): number {
		this.refill(now, limit);
		const need = Math.min(units, limit);
		return this.tokens >= need
			? 0
			: Math.ceil(((need - this.tokens) / (limit * this.share)) * 1000);
	}

	add(units: number, now: number) {
		this.refill(now, this.limit);
		this.tokens -= units;
	}
}

// After a rate-limit answer the mailbox's budget is lowered by this factor (not below half) until it has
// been quiet for a minute, so one refusal is not followed by a burst of others.
const BACKOFF_FACTOR = 0.8;
const MIN_FACTOR = 0.5;
const RECOVERY_MS = 60_000;

/**
 * Paces the calls on one mailbox to its per-user budget and its project's shared budget. One per mailbox
 * (credential project + user) in this n8n process, shared by every execution, since Google counts the
 * quota per user and per project, not per workflow.
 */
export class QuotaPacer {
	private readonly minute: SlidingWindow;
	private readonly windows: Array<SlidingWindow | RefillBucket>;
	private blockedUntil = 0;
	private factor = 1;
	private lastRefusal = 0;

	constructor(
		readonly plan: QuotaPlan,
		private readonly project: SlidingWindow,
		private readonly now: () => number = Date.now,
	) {
		this.minute = new SlidingWindow(60_000, plan.userPerMinute, 1_000);
		this.windows = [this.minute];
		if (plan.userPerSecond) this.windows.push(new RefillBucket(plan.userPerSecond, now()));
	}

	/** How long until `units` fit in the mailbox's and the project's windows (0: now). */
	waitMs(units: number, now = this.now()): number {
		if (this.factor < 1 && now - this.lastRefusal > RECOVERY_MS) this.factor = 1;
		return Math.max(
			this.blockedUntil - now,
			...this.windows.map((w) =>
				w.waitMs(units, now, Math.max(1, Math.floor(w.limit * this.factor))),
			),
			this.project.waitMs(units, now),
		);
	}

	/** Wait until `units` fit in the mailbox's and the project's windows, then spend them. */
	async take(units: number): Promise<void> {
		for (;;) {
			const now = this.now();
			const wait = this.waitMs(units, now);
			if (wait <= 0) {
				for (const w of this.windows) w.add(units, now);
				this.project.add(units, now);
				return;
			}
			await sleep(wait);
		}
	}

	/**
	 * Google refused a call for rate limits: send nothing on this mailbox until Retry-After (or until the
	 * minute window has room again), and lower the budget while refusals keep coming.
	 */
	rateLimited(retryAfterMs?: number) {
		const now = this.now();
		this.lastRefusal = now;
		this.factor = Math.max(MIN_FACTOR, this.factor * BACKOFF_FACTOR);
		const untilRoom = this.minute.waitMs(0, now, Math.floor(this.minute.limit * this.factor));
		this.blockedUntil = Math.max(
			this.blockedUntil,
			now + (retryAfterMs ?? Math.min(untilRoom, 10_000)),
		);
	}

	/** The largest spend that fits the short-term budget: batch chunks are sized to it. */
	get burstUnits(): number {
		const per = this.plan.userPerSecond ?? this.plan.userPerMinute / 6;
		return Math.max(1, Math.floor(per * this.factor));
	}
}

const pacers = new Map<string, QuotaPacer>();
const projects = new Map<string, SlidingWindow>();
const plans = new Map<string, { plan: QuotaPlan; project: string; at: number }>();
// the credential's tier is read again after this long, so an edited credential takes effect
const PLAN_TTL_MS = 30_000;

/**
 * The Cloud project a credential spends: OAuth client IDs start with the project number, service accounts
 * are named after their project; otherwise the credential itself.
 */
function projectOf(ctx: Context, creds: ICredentialDataDecryptedObject): string {
	const email = String((authentication(ctx) === 'serviceAccount' ? creds.email : '') ?? '');
	const saProject = /@([^.]+)\.iam\.gserviceaccount\.com$/i.exec(email)?.[1];
	if (saProject) return `project:${saProject.toLowerCase()}`;
	const number = /^(\d+)-/.exec(String(creds.clientId ?? ''))?.[1];
	return number ? `project:${number}` : `credential:${credentialId(ctx)}`;
}

async function planOf(ctx: Context): Promise<{ plan: QuotaPlan; project: string }> {
	const id = `${credentialType(ctx)}:${credentialId(ctx)}`;
	const cached = plans.get(id);
	if (cached && Date.now() - cached.at < PLAN_TTL_MS) return cached;
	const creds = await ctx.getCredentials(credentialType(ctx));
	const entry = { plan: quotaPlanOf(creds), project: projectOf(ctx, creds), at: Date.now() };
	plans.set(id, entry);
	return entry;
}

/**
 * The pacer of the mailbox a call acts on: `userId` "me" (the credential's own mailbox) or an impersonated
 * Workspace user, who has a budget of their own within the project's.
 */
export async function mailboxPacer(ctx: Context, userId: string): Promise<QuotaPacer> {
	const { plan, project } = await planOf(ctx);
	const user = userId === 'me' ? `${credentialId(ctx)}:me` : userId.toLowerCase();
	const key = `${project}|${user}`;
	let projectWindow = projects.get(project);
	if (!projectWindow || projectWindow.limit !== plan.projectPerMinute) {
		projectWindow = new SlidingWindow(60_000, plan.projectPerMinute, 1_000);
		projects.set(project, projectWindow);
	}
	let pacer = pacers.get(key);
	if (!pacer || pacer.plan.userPerMinute !== plan.userPerMinute || pacer.plan.tier !== plan.tier) {
		pacer = new QuotaPacer(plan, projectWindow);
		pacers.set(key, pacer);
	}
	return pacer;
}
