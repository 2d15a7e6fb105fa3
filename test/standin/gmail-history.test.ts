/**
 * users.history.list as Gmail keeps it (README "History"): every record type, historyTypes / labelId filters,
 * paging, expiry (404), delivery filters, N deliveries at once, scheduled sends, quota units; over plain HTTP and
 * through Google's own googleapis client. The seed is rebuilt before every test.
 */
import type { gmail_v1 } from 'googleapis';
import { gmailState } from './gmail/common';
import { deliverMany, releaseScheduled, scheduleSend } from './gmail/deliver';
import { compose } from './gmail/seed';
import { FULL, b64url, failure, rfc822, startLive, type Live } from './gmail-testkit';

let live: Live;
const alice = 'alice@example.com';
const bob = 'bob@example.com';
const dave = 'dave@example.com';
const tokens = new Map<string, string>();

beforeAll(async () => {
	live = await startLive({ noCorpus: true, quota: 'off' });
});
afterAll(() => live.close());
beforeEach(async () => {
	await live.fetch('/__standin/reset', { method: 'POST' });
	tokens.clear();
});

const mailbox = (email: string) => gmailState(live.s).mailbox(email)!;

async function call(user: string, method: string, path: string, body?: unknown) {
	if (!tokens.has(user)) tokens.set(user, await live.token(user, [FULL]));
	const res = await live.fetch(`/gmail/v1/users/me${path}`, {
		method,
		headers: { authorization: `Bearer ${tokens.get(user)}`, ...(body === undefined ? {} : { 'content-type': 'application/json' }) },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}

type Rec = gmail_v1.Schema$History;
/** history.list over HTTP; params may repeat (historyTypes). */
async function history(user: string, params: Record<string, string | number | string[]>) {
	const q = new URLSearchParams();
	for (const [k, v] of Object.entries(params)) for (const x of Array.isArray(v) ? v : [v]) q.append(k, String(x));
	return call(user, 'GET', `/history?${q}`);
}
async function ok(user: string, params: Record<string, string | number | string[]>) {
	const r = await history(user, params);
	expect(r.status).toBe(200);
	return r.body as { history?: Rec[]; nextPageToken?: string; historyId: string };
}
const profileHistoryId = async (user: string) => (await call(user, 'GET', '/profile')).body.historyId as string;
const kind = (r: Rec) => Object.keys(r).filter((k) => k !== 'id' && k !== 'messages');
const change = (r: Rec) => (r.messagesAdded ?? r.messagesDeleted ?? r.labelsAdded ?? r.labelsRemoved)![0] as { message: gmail_v1.Schema$Message; labelIds?: string[] };
/** [kind, message id, labels of the change] per record. */
const summary = (h: Rec[] | undefined) => (h ?? []).map((r) => [kind(r)[0], change(r).message.id, ...(change(r).labelIds ? [change(r).labelIds] : [])]);
const knob = async (path: string, body?: unknown, method = 'POST') => {
	const res = await live.fetch(`/__standin/${path}`, { method, body: body === undefined ? undefined : JSON.stringify(body) });
	return { status: res.status, body: (await res.json()) as any };
};
/** Move the stand-in clock (tokens minted before expire with it, so forget them). */
const advance = async (seconds: number) => {
	await knob('clock', { advanceSeconds: seconds });
	tokens.clear();
};
const raw = (subject: string, to = alice, from = 'Someone <someone@outside.example.net>') => b64url(rfc822({ From: from, To: to, Subject: subject }, `body of ${subject}`));

describe('records for every mailbox change', () => {
	it('insert and import: one messageAdded each, with the message as stored', async () => {
		const start = await profileHistoryId(alice);
		const ins = await call(alice, 'POST', '/messages', { raw: raw('inserted'), labelIds: ['INBOX', 'UNREAD'] });
		const imp = await call(alice, 'POST', '/messages/import', { raw: raw('imported'), labelIds: ['INBOX'] });
		const h = await ok(alice, { startHistoryId: start });
		expect(summary(h.history)).toEqual([
			['messagesAdded', ins.body.id],
			['messagesAdded', imp.body.id],
		]);
		const r = h.history![0];
		expect(Object.keys(r).sort()).toEqual(['id', 'messages', 'messagesAdded']);
		expect(r.id).toMatch(/^\d+$/);
		expect(r.messages).toEqual([{ id: ins.body.id, threadId: ins.body.threadId }]);
		expect(r.messagesAdded).toEqual([{ message: { id: ins.body.id, threadId: ins.body.threadId, labelIds: ['INBOX', 'UNREAD'] } }]);
		expect(h.historyId).toBe(await profileHistoryId(alice));
		expect(h.nextPageToken).toBeUndefined();
	});

	it('send: messageAdded with SENT in the sender\'s mailbox and a messageAdded (INBOX, UNREAD) in each recipient\'s', async () => {
		const [a0, b0, d0] = [await profileHistoryId(alice), await profileHistoryId(bob), await profileHistoryId(dave)];
		const sent = await call(alice, 'POST', '/messages/send', { raw: b64url(rfc822({ To: bob, Cc: dave, Subject: 'Plans' }, 'see you')) });
		expect(sent.status).toBe(200);
		const ha = await ok(alice, { startHistoryId: a0 });
		expect(ha.history!.map((r) => r.messagesAdded?.[0].message)).toEqual([{ id: sent.body.id, threadId: sent.body.threadId, labelIds: ['SENT'] }]);
		for (const [user, start] of [[bob, b0], [dave, d0]]) {
			const h = await ok(user, { startHistoryId: start });
			expect(h.history).toHaveLength(1);
			const m = h.history![0].messagesAdded![0].message!;
			expect(m.labelIds).toEqual(['INBOX', 'UNREAD']);
			expect(mailbox(user).messages.get(m.id!)!.raw.toString()).toContain(`Delivered-To: ${user}`);
		}
	});

	it('sending to yourself: messageAdded SENT, then labelAdded INBOX on the same message', async () => {
		const start = await profileHistoryId(alice);
		const sent = await call(alice, 'POST', '/messages/send', { raw: b64url(rfc822({ To: alice, Subject: 'note to self' }, 'x')) });
		expect(summary((await ok(alice, { startHistoryId: start })).history)).toEqual([
			['messagesAdded', sent.body.id],
			['labelsAdded', sent.body.id, ['INBOX']],
		]);
	});

	it('modify: labelAdded / labelRemoved with only the labels that changed; a no-op writes nothing', async () => {
		const id = (await call(alice, 'POST', '/messages', { raw: raw('m'), labelIds: ['INBOX', 'UNREAD'] })).body.id;
		const start = await profileHistoryId(alice);
		await call(alice, 'POST', `/messages/${id}/modify`, { addLabelIds: ['INBOX', 'STARRED', 'Label_1'], removeLabelIds: ['UNREAD', 'SPAM'] });
		const h = await ok(alice, { startHistoryId: start });
		expect(summary(h.history)).toEqual([
			['labelsAdded', id, ['STARRED', 'Label_1']],
			['labelsRemoved', id, ['UNREAD']],
		]);
		expect(h.history![0].labelsAdded![0].message!.labelIds).toEqual(['INBOX', 'UNREAD', 'STARRED', 'Label_1']);
		expect(h.history![1].labelsRemoved![0].message!.labelIds).toEqual(['INBOX', 'STARRED', 'Label_1']);
		const after = await profileHistoryId(alice);
		await call(alice, 'POST', `/messages/${id}/modify`, { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] });
		expect(await profileHistoryId(alice)).toBe(after);
		expect((await ok(alice, { startHistoryId: after })).history).toBeUndefined();
	});

	it('batchModify and threads.modify: one record per message', async () => {
		const ids = [];
		for (const s of ['a', 'b', 'c']) ids.push((await call(alice, 'POST', '/messages', { raw: raw(s), labelIds: ['INBOX'] })).body.id);
		const thread = (await call(alice, 'GET', '/messages?q=subject:"quarterly report"')).body.messages as { id: string; threadId: string }[];
		expect(new Set(thread.map((m) => m.threadId)).size).toBe(1);
		const start = await profileHistoryId(alice);
		expect((await call(alice, 'POST', '/messages/batchModify', { ids, addLabelIds: ['STARRED'] })).status).toBe(204);
		await call(alice, 'POST', `/threads/${thread[0].threadId}/modify`, { addLabelIds: ['Label_2'] });
		const h = await ok(alice, { startHistoryId: start });
		expect(summary(h.history)).toEqual([
			...ids.map((id) => ['labelsAdded', id, ['STARRED']]),
			...[...thread].reverse().map((m) => ['labelsAdded', m.id, ['Label_2']]),
		]);
		expect(h.history!.every((r) => r.messages!.length === 1 && r.labelsAdded!.length === 1)).toBe(true);
	});

	it('trash / untrash are TRASH label changes; delete is messageDeleted', async () => {
		const id = (await call(alice, 'POST', '/messages', { raw: raw('t'), labelIds: ['INBOX'] })).body.id;
		const start = await profileHistoryId(alice);
		await call(alice, 'POST', `/messages/${id}/trash`);
		await call(alice, 'POST', `/messages/${id}/untrash`);
		expect((await call(alice, 'DELETE', `/messages/${id}`)).status).toBe(204);
		const h = await ok(alice, { startHistoryId: start });
		expect(summary(h.history)).toEqual([
			['labelsAdded', id, ['TRASH']],
			['labelsRemoved', id, ['TRASH']],
			['messagesDeleted', id],
		]);
		expect(h.history![2].messagesDeleted![0].message!.labelIds).toEqual(['INBOX']);
		// the record outlives the message: a client fetching it gets 404 and must skip it
		expect((await call(alice, 'GET', `/messages/${id}`)).status).toBe(404);
	});

	it('drafts: create adds a DRAFT message; update replaces it (new id added, old deleted); send turns it into SENT', async () => {
		const [a0, d0] = [await profileHistoryId(alice), await profileHistoryId(dave)];
		const created = await call(alice, 'POST', '/drafts', { message: { raw: b64url(rfc822({ To: dave, Subject: 'draft' }, 'v1')) } });
		const first = created.body.message.id;
		const updated = await call(alice, 'PUT', `/drafts/${created.body.id}`, { message: { raw: b64url(rfc822({ To: dave, Subject: 'draft' }, 'v2')) } });
		const second = updated.body.message.id;
		expect(second).not.toBe(first);
		const sent = await call(alice, 'POST', '/drafts/send', { id: created.body.id });
		expect(sent.body.id).toBe(second);
		const h = await ok(alice, { startHistoryId: a0 });
		expect(summary(h.history)).toEqual([
			['messagesAdded', first],
			['messagesAdded', second],
			['messagesDeleted', first],
			['labelsAdded', second, ['SENT']],
			['labelsRemoved', second, ['DRAFT']],
		]);
		expect(h.history![0].messagesAdded![0].message!.labelIds).toEqual(['DRAFT']);
		expect(summary((await ok(dave, { startHistoryId: d0 })).history).map((r) => r[0])).toEqual(['messagesAdded']);
		// drafts.delete: messageDeleted
		const d2 = await call(alice, 'POST', '/drafts', { message: { raw: b64url(rfc822({ To: dave, Subject: 'gone' }, 'x')) } });
		const mid = await profileHistoryId(alice);
		await call(alice, 'DELETE', `/drafts/${d2.body.id}`);
		expect(summary((await ok(alice, { startHistoryId: mid })).history)).toEqual([['messagesDeleted', d2.body.message.id]]);
	});

	it('history ids increase with gaps; messages.get, threads.get and getProfile carry them', async () => {
		const start = Number(await profileHistoryId(alice));
		const ids: string[] = [];
		for (let i = 0; i < 8; i++) ids.push((await call(alice, 'POST', '/messages', { raw: raw(`g${i}`), labelIds: ['INBOX'] })).body.id);
		await call(alice, 'POST', `/messages/${ids[0]}/modify`, { addLabelIds: ['STARRED'] });
		const h = await ok(alice, { startHistoryId: start });
		const recIds = h.history!.map((r) => Number(r.id));
		expect(recIds[0]).toBeGreaterThan(start);
		expect([...recIds].sort((a, b) => a - b)).toEqual(recIds);
		const steps = recIds.slice(1).map((id, i) => id - recIds[i]);
		expect(steps.some((d) => d > 1)).toBe(true); // not contiguous
		expect(steps.every((d) => d >= 1)).toBe(true);
		const m0 = await call(alice, 'GET', `/messages/${ids[0]}?format=minimal`);
		expect(m0.body.historyId).toBe(h.history![8].id); // the last record that modified it
		expect((await call(alice, 'GET', `/messages/${ids[1]}?format=minimal`)).body.historyId).toBe(h.history![1].id);
		expect((await call(alice, 'GET', `/threads/${m0.body.threadId}?format=minimal`)).body.historyId).toBe(h.history![8].id);
		expect(h.historyId).toBe(String(recIds[recIds.length - 1]));
		expect(await profileHistoryId(alice)).toBe(h.historyId);
		// a record's own id as startHistoryId: only later records
		expect(summary((await ok(alice, { startHistoryId: h.history![7].id! })).history)).toEqual([['labelsAdded', ids[0], ['STARRED']]]);
		// the current historyId: nothing new, no history field
		expect(await ok(alice, { startHistoryId: h.historyId })).toEqual({ historyId: h.historyId });
	});
});

describe('filters of history.list', () => {
	async function scenario() {
		const start = await profileHistoryId(alice);
		const inbox = (await call(alice, 'POST', '/messages', { raw: raw('in'), labelIds: ['INBOX', 'UNREAD'] })).body.id;
		const sent = (await call(alice, 'POST', '/messages/send', { raw: b64url(rfc822({ To: 'x@outside.example.net', Subject: 'out' }, 'x')) })).body.id;
		await call(alice, 'POST', `/messages/${inbox}/modify`, { addLabelIds: ['STARRED'] });
		await call(alice, 'POST', `/messages/${inbox}/modify`, { removeLabelIds: ['INBOX'] }); // archive
		await call(alice, 'POST', `/messages/${sent}/modify`, { addLabelIds: ['Label_1'] });
		await call(alice, 'DELETE', `/messages/${sent}`);
		return { start, inbox, sent };
	}

	it('labelId keeps records whose message carries the label after the change, or whose change is about it', async () => {
		const { start, inbox, sent } = await scenario();
		expect(summary((await ok(alice, { startHistoryId: start })).history)).toHaveLength(6);
		expect(summary((await ok(alice, { startHistoryId: start, labelId: 'INBOX' })).history)).toEqual([
			['messagesAdded', inbox],
			['labelsAdded', inbox, ['STARRED']],
			['labelsRemoved', inbox, ['INBOX']],
		]);
		expect(summary((await ok(alice, { startHistoryId: start, labelId: 'SENT' })).history)).toEqual([
			['messagesAdded', sent],
			['labelsAdded', sent, ['Label_1']],
			['messagesDeleted', sent],
		]);
		expect(summary((await ok(alice, { startHistoryId: start, labelId: 'STARRED' })).history)).toEqual([
			['labelsAdded', inbox, ['STARRED']],
			['labelsRemoved', inbox, ['INBOX']],
		]);
		const none = await ok(alice, { startHistoryId: start, labelId: 'Label_99' });
		expect(none.history).toBeUndefined();
		expect(none.historyId).toBe(await profileHistoryId(alice));
	});

	it('historyTypes keeps the named kinds (repeatable) and combines with labelId; an unknown type is 400', async () => {
		const { start, inbox, sent } = await scenario();
		expect(summary((await ok(alice, { startHistoryId: start, historyTypes: 'messageAdded' })).history)).toEqual([
			['messagesAdded', inbox],
			['messagesAdded', sent],
		]);
		expect(summary((await ok(alice, { startHistoryId: start, historyTypes: ['labelRemoved', 'messageDeleted'] })).history)).toEqual([
			['labelsRemoved', inbox, ['INBOX']],
			['messagesDeleted', sent],
		]);
		expect(summary((await ok(alice, { startHistoryId: start, historyTypes: ['messageAdded'], labelId: 'INBOX' })).history)).toEqual([['messagesAdded', inbox]]);
		const bad = await history(alice, { startHistoryId: start, historyTypes: 'messageModified' });
		expect(bad.status).toBe(400);
		expect(bad.body.error.errors[0].reason).toBe('invalidArgument');
	});

	it('startHistoryId is required and numeric', async () => {
		const missing = await history(alice, {});
		expect(missing.status).toBe(400);
		expect(missing.body.error.message).toBe('Missing/invalid parameter: startHistoryId');
		expect((await history(alice, { startHistoryId: 'abc' })).status).toBe(400);
	});
});

describe('paging', () => {
	it('maxResults (default 100, at most 500) and nextPageToken walk every record once, oldest first', async () => {
		const start = await profileHistoryId(alice);
		const delivered = deliverMany(live.s, { to: alice, count: 620 });
		const first = await ok(alice, { startHistoryId: start });
		expect(first.history).toHaveLength(100);
		expect(first.nextPageToken).toMatch(/^\d+$/);
		expect((await ok(alice, { startHistoryId: start, maxResults: 10000 })).history).toHaveLength(500);
		const seen: string[] = [];
		let pageToken: string | undefined;
		let pages = 0;
		do {
			const p = await ok(alice, { startHistoryId: start, maxResults: 250, ...(pageToken ? { pageToken } : {}) });
			pages++;
			seen.push(...p.history!.map((r) => r.messagesAdded![0].message!.id!));
			expect(p.historyId).toBe(await profileHistoryId(alice));
			pageToken = p.nextPageToken;
		} while (pageToken);
		expect(pages).toBe(3);
		expect(seen).toEqual(delivered.map((m) => m.id));
	});

	it('a page token stays right when records arrive between pages, and a bad one is 400', async () => {
		const start = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 5 });
		const p1 = await ok(alice, { startHistoryId: start, maxResults: 3 });
		const later = deliverMany(live.s, { to: alice, count: 2 });
		const p2 = await ok(alice, { startHistoryId: start, maxResults: 3, pageToken: p1.nextPageToken! });
		expect(p2.history).toHaveLength(3);
		const p3 = await ok(alice, { startHistoryId: start, maxResults: 3, pageToken: p2.nextPageToken! });
		expect(p3.history!.map((r) => r.messagesAdded![0].message!.id)).toEqual([later[1].id]);
		expect(p3.nextPageToken).toBeUndefined();
		expect((await history(alice, { startHistoryId: start, pageToken: 'nope' })).status).toBe(400);
	});

	it('emptyLastPage reproduces Gmail\'s token-to-an-empty-page quirk', async () => {
		expect((await knob('history/settings', { emptyLastPage: true })).body).toEqual({ emptyLastPage: true });
		const start = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 2 });
		const p1 = await ok(alice, { startHistoryId: start });
		expect(p1.history).toHaveLength(2);
		expect(p1.nextPageToken).toBeDefined();
		const p2 = await ok(alice, { startHistoryId: start, pageToken: p1.nextPageToken! });
		expect(p2).toEqual({ historyId: p1.historyId });
	});
});

describe('expiry: a startHistoryId Gmail no longer keeps is 404', () => {
	const GOOGLE_404 = {
		error: {
			code: 404,
			message: 'Requested entity was not found.',
			errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
			status: 'NOT_FOUND',
		},
	};

	it('POST /__standin/history/expire {user, beforeHistoryId}: older cursors 404 with Google\'s body, newer ones work', async () => {
		const old = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 3 });
		const cursor = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 2 });
		const r = await knob('history/expire', { user: alice, beforeHistoryId: cursor });
		expect(r.status).toBe(200);
		expect(r.body).toMatchObject({ user: alice, dropped: 3, historyFloor: cursor, kept: 2 });
		const gone = await history(alice, { startHistoryId: old });
		expect(gone).toEqual({ status: 404, body: GOOGLE_404 });
		expect((await ok(alice, { startHistoryId: cursor })).history).toHaveLength(2);
		// other mailboxes keep theirs
		expect((await history(bob, { startHistoryId: await profileHistoryId(bob) })).status).toBe(200);
		// the request log says why
		const entry = live.s.log.filter((e) => e.routeId === 'gmail.users.history.list' && e.status === 404).pop()!;
		expect(entry.detail).toMatchObject({ startHistoryId: old, expired: true, historyFloor: cursor });
	});

	it('{all: true} expires every earlier cursor; the current historyId stays valid; a future one is 404 too', async () => {
		const old = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 1 });
		expect((await knob('history/expire', { user: alice, all: true })).body.dropped).toBe(1);
		expect((await history(alice, { startHistoryId: old })).status).toBe(404);
		const now = await profileHistoryId(alice);
		expect(await ok(alice, { startHistoryId: now })).toEqual({ historyId: now });
		expect((await history(alice, { startHistoryId: String(Number(now) + 1000) })).status).toBe(404);
		expect((await history(alice, { startHistoryId: '1' })).status).toBe(404);
	});

	it('{olderThanSeconds} and the standing retentionSeconds go by the stand-in clock', async () => {
		await knob('clock', { freeze: true });
		const old = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 2 });
		await advance(3 * 86400);
		const mid = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 1 });
		expect((await knob('history/expire', { user: alice, olderThanSeconds: 86400 })).body.dropped).toBe(2);
		expect((await history(alice, { startHistoryId: old })).status).toBe(404);
		expect((await ok(alice, { startHistoryId: mid })).history).toHaveLength(1);
		// a week of retention: eight days later the cursor from before is gone, without any knob call
		await knob('history/settings', { retentionSeconds: 7 * 86400 });
		const cursor = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 1 });
		expect((await ok(alice, { startHistoryId: cursor })).history).toHaveLength(1);
		await advance(8 * 86400);
		expect((await history(alice, { startHistoryId: cursor })).status).toBe(404);
		expect((await knob('history/settings', { retentionSeconds: null })).body).toEqual({});
	});

	it('a page token whose records expired between pages is 404', async () => {
		const start = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 4 });
		const p1 = await ok(alice, { startHistoryId: start, maxResults: 2 });
		await knob('history/expire', { user: alice, all: true });
		expect((await history(alice, { startHistoryId: start, maxResults: 2, pageToken: p1.nextPageToken! })).status).toBe(404);
	});

	it('the knob checks its input', async () => {
		expect((await knob('history/expire', { user: alice })).status).toBe(400);
		expect((await knob('history/expire', { user: 'nobody@example.com', all: true })).status).toBe(400);
		expect((await knob('history/expire', { user: alice, beforeHistoryId: 'x' })).status).toBe(400);
	});
});

describe('delivery filters', () => {
	it('a filter\'s label is there from the start: messageAdded carries it, no labelAdded', async () => {
		const f = await knob('filters', { user: alice, from: 'billing@shop.example', addLabelIds: ['Label_1'] });
		expect(f.status).toBe(200);
		expect(f.body.filter).toMatchObject({ id: expect.any(String), from: 'billing@shop.example', addLabelIds: ['Label_1'] });
		const start = await profileHistoryId(alice);
		const [hit] = deliverMany(live.s, { to: alice, from: 'Shop <billing@shop.example>', subjectPrefix: 'Invoice' });
		const [miss] = deliverMany(live.s, { to: alice, from: 'Friend <friend@elsewhere.example>' });
		const h = await ok(alice, { startHistoryId: start });
		expect(h.history!.map(kind)).toEqual([['messagesAdded'], ['messagesAdded']]);
		expect(h.history![0].messagesAdded![0].message).toEqual({ id: hit.id, threadId: hit.threadId, labelIds: ['INBOX', 'UNREAD', 'Label_1'] });
		expect(h.history![1].messagesAdded![0].message!.labelIds).toEqual(['INBOX', 'UNREAD']);
		expect(miss.labelIds).not.toContain('Label_1');
		expect((await ok(alice, { startHistoryId: start, historyTypes: 'labelAdded' })).history).toBeUndefined();
		expect(summary((await ok(alice, { startHistoryId: start, labelId: 'Label_1' })).history)).toEqual([['messagesAdded', hit.id]]);
	});

	it('skip-the-inbox filters: the message never had INBOX, so labelId=INBOX does not see it', async () => {
		await knob('filters', { user: alice, subjectContains: 'newsletter', addLabelIds: ['CATEGORY_PROMOTIONS'], removeLabelIds: ['INBOX', 'UNREAD'] });
		const start = await profileHistoryId(alice);
		const [news] = deliverMany(live.s, { to: alice, subjectPrefix: 'Weekly NEWSLETTER' });
		expect(news.labelIds).toEqual(['CATEGORY_PROMOTIONS']);
		expect((await ok(alice, { startHistoryId: start, labelId: 'INBOX' })).history).toBeUndefined();
		expect(summary((await ok(alice, { startHistoryId: start })).history)).toEqual([['messagesAdded', news.id]]);
	});

	it('filters apply to mail another user sends, and a query criterion uses Gmail search syntax', async () => {
		await knob('filters', { user: alice, query: 'from:bob subject:urgent', addLabelIds: ['IMPORTANT', 'STARRED'] });
		const start = await profileHistoryId(alice);
		await call(bob, 'POST', '/messages/send', { raw: b64url(rfc822({ To: alice, Subject: 'Urgent: call me' }, 'now')) });
		await call(bob, 'POST', '/messages/send', { raw: b64url(rfc822({ To: alice, Subject: 'later' }, 'whenever')) });
		const added = (await ok(alice, { startHistoryId: start })).history!.map((r) => r.messagesAdded![0].message!.labelIds);
		expect(added).toEqual([['INBOX', 'UNREAD', 'IMPORTANT', 'STARRED'], ['INBOX', 'UNREAD']]);
		const list = await knob('filters?user=' + alice, undefined, 'GET');
		expect(list.body.filters).toHaveLength(1);
		expect((await knob(`filters?user=${alice}`, undefined, 'DELETE')).body).toMatchObject({ removed: 1, filters: [] });
	});

	it('the knob checks its input', async () => {
		expect((await knob('filters', { user: alice, addLabelIds: ['STARRED'] })).status).toBe(400); // no criterion
		expect((await knob('filters', { user: alice, from: 'x' })).status).toBe(400); // no action
		expect((await knob('filters', { user: alice, from: 'x', addLabelIds: ['Label_404'] })).status).toBe(400);
		expect((await knob('filters', { user: 'nobody@example.com', from: 'x', addLabelIds: ['STARRED'] })).status).toBe(400);
	});
});

describe('POST /__standin/deliver and deliverMany()', () => {
	it('delivers N messages at once through the send path: Delivered-To, INBOX + UNREAD, one messageAdded each', async () => {
		const start = await profileHistoryId(bob);
		const r = await knob('deliver', { to: bob, count: 20, from: 'Feed <feed@outside.example.net>', subjectPrefix: 'Item' });
		expect(r.status).toBe(200);
		expect(r.body.delivered).toHaveLength(20);
		expect(r.body.historyId).toBe(await profileHistoryId(bob));
		const h = await ok(bob, { startHistoryId: start });
		expect(h.history!.map((x) => x.messagesAdded![0].message!.id)).toEqual(r.body.delivered.map((m: { id: string }) => m.id));
		const m = await call(bob, 'GET', `/messages/${r.body.delivered[19].id}?format=metadata&metadataHeaders=Subject&metadataHeaders=Delivered-To&metadataHeaders=From`);
		expect(m.body.labelIds).toEqual(['INBOX', 'UNREAD']);
		expect(m.body.payload.headers).toEqual([
			{ name: 'Delivered-To', value: bob },
			{ name: 'From', value: 'Feed <feed@outside.example.net>' },
			{ name: 'Subject', value: 'Item 20' },
		]);
		const dates = r.body.delivered.map((x: { internalDate: string }) => Number(x.internalDate));
		expect(dates.slice(1).map((d: number, i: number) => d - dates[i])).toEqual(Array(19).fill(1000));
	});

	it('sameSecond gives every message the same internalDate second; labelIds add labels before filters', async () => {
		await knob('clock', { at: '2026-03-04T05:06:07.890Z', freeze: true });
		const r = await knob('deliver', { to: alice, count: 5, sameSecond: true, labelIds: ['CATEGORY_UPDATES'] });
		const dates = new Set(r.body.delivered.map((m: { internalDate: string }) => m.internalDate));
		expect([...dates]).toEqual([String(Date.parse('2026-03-04T05:06:07Z'))]);
		expect(r.body.delivered[0].labelIds).toEqual(['INBOX', 'UNREAD', 'CATEGORY_UPDATES']);
		const sec = Date.parse('2026-03-04T05:06:07Z') / 1000;
		const q = await call(alice, 'GET', `/messages?q=${encodeURIComponent(`after:${sec} before:${sec + 1}`)}`);
		expect(q.body.resultSizeEstimate).toBe(5);
	});

	it('deliverMany() is the same from a test; raw bytes can be given; bad input is 400', async () => {
		const bytes = compose({ from: 'X <x@outside.example.net>', to: dave, subject: 'Exact bytes', date: Date.UTC(2025, 0, 2), messageId: '<exact@x>', text: 'hi' });
		const [m] = deliverMany(live.s, { to: dave, raw: bytes });
		expect(m.raw.toString()).toBe(`Delivered-To: ${dave}\r\n${bytes.toString()}`);
		const viaKnob = await knob('deliver', { to: dave, raw: b64url(bytes), count: 2 });
		expect(viaKnob.body.delivered).toHaveLength(2);
		expect((await knob('deliver', { to: 'nobody@example.com' })).status).toBe(400);
		expect((await knob('deliver', { to: dave, count: 0 })).status).toBe(400);
		expect((await knob('deliver', { to: dave, count: 5001 })).status).toBe(400);
		expect((await knob('deliver', { to: dave, labelIds: ['Label_404'] })).status).toBe(400);
	});
});

describe('scheduled sends', () => {
	it('wait in the sender\'s mailbox with SCHEDULED only; when released they are sent like messages.send', async () => {
		const [a0, b0] = [await profileHistoryId(alice), await profileHistoryId(bob)];
		const r = await knob('schedule', { user: alice, to: bob, subject: 'Tomorrow', inSeconds: 60 });
		expect(r.status).toBe(200);
		const scheduledId = r.body.message.id;
		expect(r.body.message.labelIds).toEqual(['SCHEDULED']);
		expect((await ok(bob, { startHistoryId: b0 })).history).toBeUndefined();
		expect((await knob('schedule/release', {})).body.sent).toEqual([]); // not due yet
		await advance(61);
		const rel = await knob('schedule/release', {});
		expect(rel.body.sent).toHaveLength(1);
		const sentId = rel.body.sent[0].id;
		expect(summary((await ok(alice, { startHistoryId: a0 })).history)).toEqual([
			['messagesAdded', scheduledId],
			['messagesDeleted', scheduledId],
			['messagesAdded', sentId],
		]);
		expect(summary((await ok(alice, { startHistoryId: a0, labelId: 'INBOX' })).history)).toEqual([]);
		expect((await ok(bob, { startHistoryId: b0 })).history![0].messagesAdded![0].message!.labelIds).toEqual(['INBOX', 'UNREAD']);
	});

	it('scheduleSend() / releaseScheduled() from a test', async () => {
		const m = scheduleSend(live.s, alice, Buffer.from(`To: ${dave}\r\nSubject: s\r\n\r\nx\r\n`), Date.now() + 86400_000);
		expect(releaseScheduled(live.s)).toEqual([]);
		const [sent] = releaseScheduled(live.s, { force: true });
		expect(mailbox(alice).messages.has(m.id)).toBe(false);
		expect(sent.labelIds).toEqual(['SENT']);
	});
});

describe('through googleapis (gmail.users.history.list)', () => {
	it('lists, filters, pages and reports the 404 the way the client sees it', async () => {
		const gmail = await live.gmail(alice);
		const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId!;
		await knob('filters', { user: alice, from: 'alerts@', addLabelIds: ['IMPORTANT'] });
		const batch = deliverMany(live.s, { to: alice, count: 7, from: 'alerts@monitor.example' });
		const { data: ins } = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: raw('via client'), labelIds: ['INBOX'] } });
		await gmail.users.messages.modify({ userId: 'me', id: ins.id!, requestBody: { addLabelIds: ['STARRED'] } });

		const all = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
		expect(all.data.history!.map(kind)).toEqual([...Array(8).fill(['messagesAdded']), ['labelsAdded']]);
		expect(all.data.historyId).toBe((await gmail.users.getProfile({ userId: 'me' })).data.historyId);

		const typed = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['labelAdded', 'messageDeleted'] });
		expect(typed.data.history).toHaveLength(1);
		expect(typed.data.history![0].labelsAdded![0]).toEqual({ message: { id: ins.id, threadId: ins.threadId, labelIds: ['INBOX', 'STARRED'] }, labelIds: ['STARRED'] });

		const important = await gmail.users.history.list({ userId: 'me', startHistoryId: start, labelId: 'IMPORTANT', historyTypes: ['messageAdded'] });
		expect(important.data.history!.map((r) => r.messagesAdded![0].message!.id)).toEqual(batch.map((m) => m.id));

		const ids: string[] = [];
		let pageToken: string | undefined;
		do {
			const p = await gmail.users.history.list({ userId: 'me', startHistoryId: start, maxResults: 4, pageToken });
			ids.push(...p.data.history!.map((r) => r.id!));
			pageToken = p.data.nextPageToken ?? undefined;
		} while (pageToken);
		expect(ids).toEqual(all.data.history!.map((r) => r.id));

		await knob('history/expire', { user: alice, all: true });
		const f = await failure(gmail.users.history.list({ userId: 'me', startHistoryId: start }));
		expect(f.status).toBe(404);
		expect(f.body.error).toMatchObject({ code: 404, status: 'NOT_FOUND', errors: [{ reason: 'notFound', domain: 'global' }] });
	});
});

describe('quota and the request log', () => {
	it.each(['legacy', '2026'] as const)('history.list costs 2 units in the %s profile and logs what it answered', async (profile) => {
		await knob('quota', { profile });
		const start = await profileHistoryId(alice);
		deliverMany(live.s, { to: alice, count: 3 });
		const since = live.s.log.length;
		await ok(alice, { startHistoryId: start, maxResults: 2 });
		const entry = live.s.log.slice(since).find((e) => e.routeId === 'gmail.users.history.list')!;
		expect(entry.units).toBe(2);
		expect(entry.detail).toMatchObject({ startHistoryId: start, records: 2, nextPageToken: true, historyId: await profileHistoryId(alice) });
		expect(live.s.quotaUnits(live.s.routes.find((r) => r.id === 'gmail.users.history.list')!)).toBe(2);
	});
});

describe('GET /__standin/history (debug dump)', () => {
	it('shows the kept records with their times', async () => {
		const carol = 'carol@gmail.com';
		deliverMany(live.s, { to: carol, count: 1 });
		const d = await knob(`history?user=${carol}`, undefined, 'GET');
		expect(d.body.history).toHaveLength(1);
		expect(d.body.history[0]).toMatchObject({ messagesAdded: [expect.anything()], time: expect.stringMatching(/Z$/) });
	});
});
