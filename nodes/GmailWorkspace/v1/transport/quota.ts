import { sleep } from 'n8n-workflow';

import type { GmailMethodId } from './methods';

/**
 * Gmail's per-method quota units (developers.google.com/gmail/api/reference/quota).
 * Methods not listed cost 1 unit.
 */
export const QUOTA_UNITS: Partial<Record<GmailMethodId, number>> = {
	'gmail.users.getProfile': 1,
	'gmail.users.labels.list': 1,
	'gmail.users.messages.list': 5,
	'gmail.users.messages.get': 5,
	'gmail.users.messages.attachments.get': 5,
	'gmail.users.messages.send': 100,
	'gmail.users.settings.sendAs.list': 1,
	'gmail.users.settings.sendAs.create': 100,
	'gmail.users.settings.sendAs.get': 1,
	'gmail.users.settings.sendAs.delete': 5,
	'gmail.users.settings.sendAs.patch': 100,
	'gmail.users.settings.delegates.create': 100,
	'gmail.users.settings.delegates.list': 1,
	'gmail.users.settings.delegates.get': 1,
	'gmail.users.settings.delegates.delete': 5,
	'gmail.users.settings.forwardingAddresses.create': 100,
	'gmail.users.settings.forwardingAddresses.get': 1,
	'gmail.users.settings.getAutoForwarding': 1,
	'gmail.users.settings.updateAutoForwarding': 5,
	'gmail.users.settings.getVacation': 1,
	'gmail.users.settings.updateVacation': 5,
	'gmail.users.settings.getImap': 1,
	'gmail.users.settings.updateImap': 5,
	'gmail.users.settings.getPop': 1,
	'gmail.users.settings.updatePop': 100,
	'gmail.users.settings.getLanguage': 1,
	'gmail.users.settings.updateLanguage': 5,
};

export const quotaUnits = (id: GmailMethodId) => QUOTA_UNITS[id] ?? 1;

/** Google's per-user limit: 250 quota units per user per second (moving average). */
export const USER_UNITS_PER_SECOND = 250;

/**
 * A token bucket per mailbox that paces requests to the per-user quota, so a workflow runs at the
 * quota ceiling instead of hitting rate-limit errors. One bucket per user across executions in
 * this n8n process, since Google counts the quota per user, not per workflow.
 */
export class QuotaPacer {
	private tokens: number;
	private at: number;

	constructor(
		readonly unitsPerSecond = USER_UNITS_PER_SECOND,
		private readonly now: () => number = Date.now,
	) {
		this.tokens = unitsPerSecond;
		this.at = now();
	}

	private refill() {
		const t = this.now();
		this.tokens = Math.min(this.unitsPerSecond, this.tokens + ((t - this.at) / 1000) * this.unitsPerSecond);
		this.at = t;
	}

	/** Wait until `units` fit in the bucket, then spend them. */
	async take(units: number): Promise<void> {
		const need = Math.min(units, this.unitsPerSecond);
		for (;;) {
			this.refill();
			if (this.tokens >= need) {
				this.tokens -= units;
				return;
			}
			await sleep(Math.ceil(((need - this.tokens) / this.unitsPerSecond) * 1000));
		}
	}
}

const pacers = new Map<string, QuotaPacer>();

/** The pacer of one mailbox (key: credential id + user), created on first use. */
export function pacerFor(key: string, unitsPerSecond = USER_UNITS_PER_SECOND): QuotaPacer {
	let p = pacers.get(key);
	if (!p || p.unitsPerSecond !== unitsPerSecond) {
		p = new QuotaPacer(unitsPerSecond);
		pacers.set(key, p);
	}
	return p;
}

/** Run `fn` over `items` with at most `limit` in flight; results keep the input order. */
export async function mapConcurrent<T, R>(items: T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
	const results = new Array<R>(items.length);
	let next = 0;
	const worker = async () => {
		while (next < items.length) {
			const i = next++;
			results[i] = await fn(items[i], i);
		}
	};
	await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
	return results;
}
