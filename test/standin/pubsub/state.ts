import { randomBytes } from 'node:crypto';
import type { Standin } from '../core/standin';

/**
 * Cloud Pub/Sub state of the stand-in: topics with their IAM policies, pull subscriptions with their backlog and
 * outstanding (pulled, not yet acknowledged) messages, Gmail's watches, the test knobs and the counters.
 * Times go by the stand-in clock (`s.tokens.now()`), except the long-poll wait and `delayMs`, which are real time.
 */

export const PUBSUB_SLICE = 'pubsub';
export const GMAIL_PUSH = 'serviceAccount:gmail-api-push@system.gserviceaccount.com';
export const DEFAULT_ACK_DEADLINE_S = 10;
export const DEFAULT_PULL_WAIT_MS = 3000;
/** An empty policy's etag, as Pub/Sub returns it for a topic nobody has set a policy on. */
export const EMPTY_ETAG = 'ACAB';

export interface Binding {
	role: string;
	members: string[];
}
export interface Policy {
	version?: number;
	etag: string;
	bindings: Binding[];
}
export interface Topic {
	name: string;
	policy: Policy;
}
export interface PubsubMessage {
	data: string;
	messageId: string;
	publishTime: string;
	attributes?: Record<string, string>;
}
interface Outstanding {
	msg: PubsubMessage;
	/** Stand-in clock (ms) after which the message is delivered again. */
	deadline: number;
	attempt: number;
}
interface Pending {
	msg: PubsubMessage;
	/** Deliveries so far (0 for a fresh message). */
	attempts: number;
}
export interface Subscription {
	name: string;
	topic: string;
	ackDeadlineSeconds: number;
	/** Set when created with a deadLetterPolicy: only then does Pub/Sub fill `deliveryAttempt`. */
	deadLetter?: unknown;
	backlog: Pending[];
	outstanding: Map<string, Outstanding>;
	waiters: Set<() => void>;
}

/** A user's Gmail watch (users.watch). */
export interface Watch {
	user: string;
	topicName: string;
	labelIds: string[];
	behavior: 'include' | 'exclude';
	/** Stand-in clock, ms. */
	expiration: number;
	/** When the last notification was sent (Gmail's one-per-second-per-user limit). */
	lastSentAt?: number;
}

/** Per-project setup failures (POST /__standin/pubsub/projects). */
export interface ProjectSettings {
	/** Cloud Pub/Sub API not enabled: every call whose consumer project this is answers 403 SERVICE_DISABLED. */
	apiDisabled?: boolean;
	/** The caller lacks roles/pubsub.editor: creating / deleting topics and subscriptions answers 403. */
	editorDenied?: boolean;
	/** The caller lacks roles/pubsub.admin: setIamPolicy answers 403. */
	adminDenied?: boolean;
	/** Domain restricted sharing: setIamPolicy refuses members outside the directory's domain (e.g. gmail-api-push). */
	orgPolicy?: boolean;
}

export interface PubsubKnobs {
	/** Share (0..1) of Gmail notifications lost on the way (seeded PRNG). */
	dropShare: number;
	/** Gmail notifications are published this many real milliseconds after the change. */
	delayMs: number;
	/** Overrides every subscription's ack deadline (seconds, fractions allowed); null = the subscription's own. */
	ackDeadlineSeconds: number | null;
	/** How long a pull with nothing to deliver waits before answering {} (real ms). */
	pullWaitMs: number;
}

export interface PubsubCounters {
	published: number;
	pulled: number;
	acked: number;
	redelivered: number;
	/** Gmail notifications: sent (published), and why others were not. */
	notified: number;
	rateDropped: number;
	shareDropped: number;
	filtered: number;
	/** The watched topic was gone or gmail-api-push had lost its publish right. */
	publishFailed: number;
}

/** mulberry32, seeded, so dropShare repeats run to run. */
function prng(seed: number) {
	return () => {
		seed = (seed + 0x6d2b79f5) | 0;
		let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
		t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
		return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
	};
}

export const defaultKnobs = (): PubsubKnobs => ({ dropShare: 0, delayMs: 0, ackDeadlineSeconds: null, pullWaitMs: DEFAULT_PULL_WAIT_MS });
const zero = (): PubsubCounters => ({ published: 0, pulled: 0, acked: 0, redelivered: 0, notified: 0, rateDropped: 0, shareDropped: 0, filtered: 0, publishFailed: 0 });

export class PubsubState {
	readonly topics = new Map<string, Topic>();
	readonly subscriptions = new Map<string, Subscription>();
	readonly watches = new Map<string, Watch>();
	readonly projects = new Map<string, ProjectSettings>();
	knobs = defaultKnobs();
	counters = zero();
	readonly rand = prng(42);
	/** Real-time timers (delayed notifications, pull waits) to cancel on reset. */
	readonly timers = new Set<NodeJS.Timeout>();
	/** Set by reset: waiting pulls answer {} at once. */
	closed = false;
	private messageSeq = 0;
	private etagSeq = 0;

	constructor(readonly clock: () => number) {}

	newEtag(): string {
		const b = Buffer.alloc(8);
		b.writeUInt32BE(0x0705_0000 + ++this.etagSeq, 4);
		return b.toString('base64');
	}

	/** The effective ack deadline of a subscription, in ms. */
	ackDeadlineMs(sub: Subscription): number {
		return (this.knobs.ackDeadlineSeconds ?? sub.ackDeadlineSeconds) * 1000;
	}

	/** Publish to a topic: one copy to each of its subscriptions (none: the message is gone, as in Pub/Sub). */
	publish(topicName: string, data: Buffer, attributes?: Record<string, string>): PubsubMessage {
		const msg: PubsubMessage = {
			data: data.toString('base64'),
			messageId: String(11_000_000_000_000_000 + ++this.messageSeq * 7919),
			publishTime: new Date(this.clock()).toISOString(),
			...(attributes && Object.keys(attributes).length ? { attributes } : {}),
		};
		this.counters.published++;
		for (const sub of this.subscriptions.values()) {
			if (sub.topic !== topicName) continue;
			sub.backlog.push({ msg, attempts: 0 });
			this.wake(sub);
		}
		return msg;
	}

	/** Move messages whose ack deadline passed back to the front of the backlog. */
	expire(sub: Subscription) {
		const t = this.clock();
		const back: Pending[] = [];
		for (const [ackId, o] of sub.outstanding) {
			if (o.deadline > t) continue;
			sub.outstanding.delete(ackId);
			back.push({ msg: o.msg, attempts: o.attempt });
		}
		if (back.length) sub.backlog.unshift(...back);
	}

	/** Up to `max` messages, each leased until its ack deadline under a fresh ackId. */
	take(sub: Subscription, max: number) {
		this.expire(sub);
		const out = [];
		const deadline = this.clock() + this.ackDeadlineMs(sub);
		while (out.length < max && sub.backlog.length) {
			const p = sub.backlog.shift()!;
			const attempt = p.attempts + 1;
			if (attempt > 1) this.counters.redelivered++;
			const ackId = `RkhRNxkIaFEOT14jPzUgKEUXAggUBXx9d${randomBytes(24).toString('base64url')}`;
			sub.outstanding.set(ackId, { msg: p.msg, deadline, attempt });
			out.push({ ackId, message: p.msg, ...(sub.deadLetter ? { deliveryAttempt: attempt } : {}) });
		}
		this.counters.pulled += out.length;
		return out;
	}

	/** Real ms until the earliest outstanding lease runs out (Infinity: none). */
	nextExpiryIn(sub: Subscription): number {
		let min = Infinity;
		for (const o of sub.outstanding.values()) min = Math.min(min, o.deadline);
		return min === Infinity ? Infinity : Math.max(0, min - this.clock());
	}

	wake(sub: Subscription) {
		for (const w of [...sub.waiters]) w();
	}

	later(ms: number, fn: () => void) {
		const t = setTimeout(() => {
			this.timers.delete(t);
			fn();
		}, ms);
		t.unref?.();
		this.timers.add(t);
		return t;
	}

	/** Cancel timers and answer every waiting pull (reset). */
	close() {
		this.closed = true;
		for (const t of this.timers) clearTimeout(t);
		this.timers.clear();
		for (const sub of this.subscriptions.values()) this.wake(sub);
	}

	/** What GET /__standin/pubsub shows. */
	snapshot() {
		return {
			knobs: this.knobs,
			counters: this.counters,
			projects: Object.fromEntries(this.projects),
			topics: [...this.topics.values()].map((t) => ({ name: t.name, policy: t.policy })),
			subscriptions: [...this.subscriptions.values()].map((s) => ({
				name: s.name,
				topic: s.topic,
				ackDeadlineSeconds: s.ackDeadlineSeconds,
				backlog: s.backlog.length,
				outstanding: s.outstanding.size,
				waitingPulls: s.waiters.size,
			})),
			watches: [...this.watches.values()].map((w) => ({
				user: w.user,
				topicName: w.topicName,
				labelIds: w.labelIds,
				labelFilterBehavior: w.behavior.toUpperCase(),
				expiration: new Date(w.expiration).toISOString(),
				active: w.expiration > this.clock(),
			})),
		};
	}
}

export const pubsubState = (s: Standin) => s.slice<PubsubState>(PUBSUB_SLICE);
/** The Pub/Sub state when the module is loaded (Gmail's watch hook must not fail without it). */
export const maybePubsubState = (s: Standin) => s.slices.get(PUBSUB_SLICE) as PubsubState | undefined;
