import { randomBytes } from 'node:crypto';

import type { INode, INodeParameters } from 'n8n-workflow';

import { chain, manualTrigger, type Bench, type ExchangeRecord, type RunResult } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { compose } from '../standin/gmail/seed';
import { addMessage, type Mailbox, type StoredMessage } from '../standin/gmail/store';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { adminSetup, ALICE, BOB, addUsers, type AdminSetup } from './admin-kit';
import { connected, FULL, MODIFY_SCOPES } from './modify-kit';
import { TriggerKit } from '../trigger/kit';

/**
 * Helpers of the bad-input suite (issue #15): one table of hostile inputs, each run in a workflow whose
 * Gmail Workspace node gets two input items, the second one bad; the run must end in a NodeOperationError
 * or NodeApiError naming the field or the value and "[item 1]" (the package's item wording, 0-based), in
 * time, with no secret in it and no mutating request made for the bad item.
 */

export { ALICE, BOB };

/** How long a case may take before it counts as a hang. */
export const DEADLINE_MS = 20_000;

/** Where a case runs: a mailbox card (alice's OAuth2 connection), an admin card (service account) or the trigger. */
export type Where = 'mail' | 'admin' | 'trigger';

export interface BadCase {
	/** resource.operation, or "trigger". */
	card: string;
	/** The bad input in a few words. */
	input: string;
	where?: Where;
	/** The card's parameters (built against the environment, so good items can target fresh messages). */
	params: (env: Env) => Record<string, unknown> | Promise<Record<string, unknown>>;
	/** What the message must contain (the field's display name and/or the bad value). */
	expect: Array<string | RegExp>;
	/** The item the error must name (default 1; the trigger has no items: 0). */
	item?: number;
	/** The feed's search query (default: the two "Feed item" messages). */
	feed?: (env: Env) => string;
	/** Mutating Google requests the run may make: the good item's (default: the card's, see MUTATIONS). */
	mutations?: number;
	/** A further check on the stand-in after the run (e.g. nothing stored for the bad item). */
	check?: (env: Env, outcome: Outcome) => void | Promise<void>;
}

/** Mutating requests one good item of each card makes (before a bad second item stops the run). */
export const MUTATIONS: Record<string, number> = {
	'message.send': 1,
	'message.sendWithAttachment': 1,
	'message.reply': 1,
	'message.forward': 1,
	'thread.reply': 1,
	'thread.addLabels': 1,
	'thread.removeLabels': 1,
	'thread.trash': 1,
	'thread.untrash': 1,
	'draft.create': 1,
	'draft.update': 1,
	'draft.send': 1,
	'draft.delete': 1,
	'label.create': 1,
	'label.update': 1,
	'label.delete': 1,
	'delegate.add': 1,
	'delegate.delete': 1,
	'forwarding.forwardEmails': 2,
	'autoReply.set': 1,
	'userSettings.update': 1,
	'sendAs.add': 1,
	'sendAs.delete': 1,
	'customApi.call': 1,
};

/** `={{ $itemIndex === 1 ? bad : good }}`: item 0 gets the good value, item 1 the bad one (JSON literals). */
export function second(good: unknown, bad: unknown): string {
	return `={{ $itemIndex === 1 ? ${literal(bad)} : ${literal(good)} }}`;
}

/** A JS literal for an n8n expression; objects are wrapped in parentheses so "}}" never closes the expression. */
function literal(v: unknown): string {
	if (v instanceof Raw) return v.code;
	const s = JSON.stringify(v);
	return typeof v === 'object' && v !== null ? `(${s.replace(/\}\}/g, '} }')})` : s;
}

class Raw {
	constructor(readonly code: string) {}
}
/** Code used as is in `second()` (e.g. "({}).x" or '"x".repeat(5)'). */
export const raw = (code: string) => new Raw(code);

/** A resource-locator field by ID. */
export const byId = (value: string) => ({ __rl: true, mode: 'id', value });

export interface Env {
	where: Where;
	standin: Standin;
	bench: Bench;
	/** Secrets the stand-in issued for this environment's credential. */
	secrets: string[];
	/** A fresh message in alice's mailbox (a target a good item may change or delete). */
	message(subject?: string): StoredMessage;
	/** A fresh draft in alice's mailbox; its draft ID. */
	draft(subject?: string): string;
	/** A fresh user label in alice's mailbox; its ID. */
	label(name?: string): string;
	mailbox(email?: string): Mailbox;
	/** Two messages "Big file": item 0 with a small file, item 1 with one of `bytes`; the feed's query. */
	bigFeed(bytes: number): string;
	/** Build the workflow (Manual Trigger → 2-item feed → the card) and run it. */
	run(params: Record<string, unknown>, extra?: Partial<INode>, feedQuery?: string): Promise<RunResult>;
	admin?: AdminSetup;
	trigger?: TriggerKit;
}

let fresh = 0;
const next = () => ++fresh;

/** alice's mailbox on one stand-in and connection, with two "Feed item" messages (each with a small file). */
export async function mailEnv(bench: Bench): Promise<Env> {
	const standin = createStandin({ noCorpus: true });
	const { store, conn, node } = await connected(standin, [...MODIFY_SCOPES, FULL]);
	const g = gmailState(standin);
	const mb = () => g.mailbox(ALICE)!;
	const message = (subject = `Victim ${next()}`, file = 0, at = Date.now()) =>
		addMessage(
			g,
			mb(),
			compose({
				from: 'Bob <bob@example.com>',
				to: ALICE,
				subject,
				text: `body of ${subject}`,
				date: at,
				messageId: `<m${next()}.${at}@example.com>`,
				...(file ? { attachments: [{ filename: 'file.bin', mimeType: 'application/octet-stream', data: randomBytes(file) }] } : {}),
			}),
			{ labelIds: ['INBOX', 'UNREAD'], internalDate: at },
		);
	const bigFeeds = new Map<number, string>();
	message('Feed item one', 512);
	message('Feed item two', 512);
	const feed = (query = 'subject:"Feed item"') =>
		node('Feed', {
			resource: 'message',
			operation: 'search',
			query,
			limit: 2,
			detail: 'full',
			options: { downloadAttachments: true },
		} as INodeParameters);
	return {
		where: 'mail',
		standin,
		bench,
		secrets: [conn.accessToken, conn.refreshToken, 'standin-client-secret'],
		message: (subject) => message(subject),
		draft(subject = `Draft ${next()}`) {
			const m = message(subject);
			m.labelIds = ['DRAFT'];
			const id = g.newDraftId();
			mb().drafts.set(id, { id, messageId: m.id });
			return id;
		},
		label(name = `Bad input label ${next()}`) {
			const id = `Label_${9000 + next()}`;
			mb().labels.set(id, { id, name, type: 'user' });
			return id;
		},
		mailbox: (email = ALICE) => g.mailbox(email)!,
		bigFeed(bytes) {
			let query = bigFeeds.get(bytes);
			if (!query) {
				const subject = `Big file ${next()}`;
				// newest first: the small one is item 0
				message(subject, bytes, Date.now() - 60_000);
				message(subject, 512, Date.now());
				bigFeeds.set(bytes, (query = `subject:"${subject}"`));
			}
			return query;
		},
		run: async (params, extra = {}, feedQuery) => {
			const card: INode = { ...node('Gmail', params as INodeParameters), ...extra };
			return await bench.run(chain(manualTrigger(), feed(feedQuery), card), { credentials: store, standin });
		},
	};
}

export const FEED_USER = 'feed1@example.com';

/** What an environment cannot give: asking for it is a mistake in the case table. */
const none = (why: string) => (): never => {
	throw new Error(why);
};

/** The admin cards on admin@example.com's OAuth2 connection (service account set); the feed lists feed1's two delegates. */
export async function adminEnv(bench: Bench): Promise<Env> {
	const setup = await adminSetup('oauth');
	addUsers(setup.standin, 1, 'feed');
	for (const d of ['d1@example.com', 'd2@example.com']) setup.settings(FEED_USER).delegates.set(d, { delegateEmail: d, verificationStatus: 'accepted' });
	const reference = Object.values(setup.node('x', {}).credentials ?? {})[0];
	const tokens = ((await setup.store.read(reference.id!)).oauthTokenData ?? {}) as { access_token?: string; refresh_token?: string };
	if (!tokens.access_token || !tokens.refresh_token) throw new Error('bad-input kit: the admin connection has no tokens to look for');
	const secrets = ['standin-client-secret', tokens.access_token, tokens.refresh_token];
	const feed = setup.node('Feed', { resource: 'delegate', operation: 'list', userEmail: FEED_USER });
	const g = gmailState(setup.standin);
	return {
		where: 'admin',
		standin: setup.standin,
		bench,
		secrets,
		admin: setup,
		message: none('no messages in the admin environment'),
		draft: none('no drafts in the admin environment'),
		label: none('no labels in the admin environment'),
		mailbox: (email = ALICE) => g.mailbox(email)!,
		bigFeed: none('no messages in the admin environment'),
		run: async (params, extra = {}) => await setup.run(bench, setup.workflow({ ...feed }, setup.node('Gmail', params, extra))),
	};
}

/** The trigger on alice's mailbox (one poll has no items: the readers call it item 0). */
export async function triggerEnv(bench: Bench): Promise<Env> {
	const kit = await TriggerKit.create(bench);
	return {
		where: 'trigger',
		standin: kit.standin,
		bench,
		secrets: [kit.conn.accessToken, kit.conn.refreshToken, 'standin-client-secret'],
		trigger: kit,
		message: none('use the mail environment'),
		draft: none('use the mail environment'),
		label: none('use the mail environment'),
		mailbox: () => kit.mailbox,
		bigFeed: none('use the mail environment'),
		run: none('the trigger polls: use poll()'),
	};
}

/** What a case produced, in the shape the assertions read. */
export interface Outcome {
	status: string;
	/** The error object as n8n-core holds it (for its class and cause). */
	error?: Error & { description?: string | null; context?: { itemIndex?: number } };
	message: string;
	description: string;
	exchanges: ExchangeRecord[];
	ms: number;
	result?: RunResult;
}

/** Run with a deadline: a case that has not ended after DEADLINE_MS is a hang. */
export async function withDeadline<T>(what: string, run: () => Promise<T>): Promise<{ value: T; ms: number }> {
	const started = Date.now();
	let timer: NodeJS.Timeout | undefined;
	const hang = new Promise<never>((_, reject) => {
		timer = setTimeout(() => reject(new Error(`hang: ${what} did not end within ${DEADLINE_MS} ms`)), DEADLINE_MS);
	});
	try {
		const value = await Promise.race([run(), hang]);
		return { value, ms: Date.now() - started };
	} finally {
		clearTimeout(timer);
	}
}

export async function runCase(env: Env, c: BadCase, extra: Partial<INode> = {}): Promise<Outcome> {
	const params = await c.params(env);
	if (env.where === 'trigger') {
		const { value, ms } = await withDeadline(c.input, async () => await env.trigger!.poll(params));
		return {
			status: value.error ? 'error' : 'success',
			error: value.error as Outcome['error'],
			message: value.error?.message ?? '',
			description: String(value.error?.description ?? ''),
			exchanges: value.exchanges,
			ms,
		};
	}
	const feedQuery = c.feed?.(env);
	const { value, ms } = await withDeadline(c.input, async () => await env.run(params, extra, feedQuery));
	const error = value.run.data.resultData.error as Outcome['error'];
	return {
		status: value.status,
		error,
		message: value.error?.message ?? '',
		description: String(value.error?.description ?? ''),
		exchanges: value.exchanges,
		ms,
		result: value,
	};
}

const GOOGLE_WRITES = /^(POST|PUT|PATCH|DELETE)$/;

/** Requests that change something at Google: writes to Gmail / admin APIs, not batch reads or token calls. */
export function mutatingRequests(exchanges: ExchangeRecord[]): ExchangeRecord[] {
	return exchanges.filter((x) => {
		const url = new URL(x.url);
		if (url.hostname !== 'gmail.googleapis.com' || !GOOGLE_WRITES.test(x.method)) return false;
		if (/\/batch(\/|$)/.test(url.pathname)) return false;
		// searches by POST do not exist in Gmail; the at-most-once check lists with GET
		return true;
	});
}

/** JS runtime errors that must never reach a user, even wrapped in a NodeOperationError. */
const RUNTIME_ERROR = /Cannot read propert|is not a function|is not iterable|is not defined|undefined is not|Maximum call stack|Invalid array length|Invalid string length|\[object Object\]/;

/** Every assertion a case must meet; throws the first that fails. */
export function assertBadInput(c: BadCase, o: Outcome, secrets: string[]) {
	const item = c.item ?? (c.where === 'trigger' ? 0 : 1);
	const fail = (why: string) => {
		throw new Error(`${c.card} / ${c.input}: ${why}\n  status: ${o.status}\n  error: ${o.error?.name}: ${o.message}`);
	};
	if (o.status !== 'error' || !o.error) fail('the run did not end in an error');
	// n8n-core keeps a copy of the error (its own fields), so the class is read from its name
	const cls = o.error!.name;
	if (cls !== 'NodeOperationError' && cls !== 'NodeApiError') fail(`error class ${cls}, not NodeOperationError / NodeApiError`);
	const cause = (o.error as { cause?: { name?: string; constructor?: { name?: string } } }).cause;
	const causeName = cause?.constructor?.name ?? cause?.name;
	if (causeName === 'TypeError' || causeName === 'RangeError' || causeName === 'SyntaxError') fail(`a ${causeName} wrapped in ${cls}`);
	if (RUNTIME_ERROR.test(o.message)) fail('the message is a JavaScript runtime error');
	for (const e of c.expect) {
		const ok = typeof e === 'string' ? o.message.includes(e) : e.test(o.message);
		if (!ok) fail(`the message does not contain ${String(e)}`);
	}
	if (!o.message.includes(`[item ${item}]`)) fail(`the message does not name the item ("[item ${item}]")`);
	const text = `${o.message} ${o.description}`;
	for (const s of secrets) if (s && s.length > 8 && text.includes(s)) fail('the error contains a token or secret');
	if (/-----BEGIN|PRIVATE KEY/.test(text)) fail('the error contains key material');
	const allowed = c.mutations ?? MUTATIONS[c.card] ?? 0;
	const writes = mutatingRequests(o.exchanges);
	if (writes.length > allowed)
		fail(`${writes.length} mutating request(s), the good item makes ${allowed}: ${writes.map((x) => `${x.method} ${new URL(x.url).pathname}`).join(', ')}`);
}
