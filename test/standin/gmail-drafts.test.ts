/**
 * drafts.* as the Draft cards use them, over raw HTTP: create and update by multipart and resumable media upload
 * with Draft metadata (`{message: {threadId}}`), drafts.send semantics (the draft is gone, its message is SENT in
 * the same thread and delivered), the units each call is charged in the request log, and the scopes (compose).
 */
import { gmailState } from './gmail/common';
import { FULL, SEND, rfc822, startLive, type Live } from './gmail-testkit';

const COMPOSE = 'https://www.googleapis.com/auth/gmail.compose';
let live: Live;
const alice = 'alice@example.com';

beforeAll(async () => {
	live = await startLive({ noCorpus: true });
});
afterAll(() => live.close());
beforeEach(async () => {
	await live.fetch('/__standin/reset', { method: 'POST' });
});

const mailbox = (email = alice) => gmailState(live.s).mailbox(email)!;
const message = (subject: string, extra: Record<string, string> = {}) =>
	rfc822({ From: alice, To: 'bob@example.com', Subject: subject, Date: 'Tue, 02 Jul 2024 10:00:00 +0000', 'Message-ID': `<${subject.replace(/\W/g, '')}@example.com>`, ...extra }, 'draft body');

function multipart(meta: object, raw: Buffer) {
	const b = 'draftBOUNDARY';
	return {
		headers: { 'content-type': `multipart/related; boundary=${b}` },
		body: Buffer.concat([
			Buffer.from(`--${b}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(meta)}\r\n--${b}\r\nContent-Type: message/rfc822\r\n\r\n`),
			raw,
			Buffer.from(`\r\n--${b}--\r\n`),
		]),
	};
}

const units = (routeId: string) => live.s.log.filter((e) => e.routeId === routeId).map((e) => e.units);

it('multipart create with Draft metadata joins the thread; multipart update replaces the message (new id, same draft)', async () => {
	const token = await live.token(alice, [COMPOSE]);
	const auth = { authorization: `Bearer ${token}` };
	const original = [...mailbox().messages.values()].find((m) => /Subject: Quarterly report/.test(m.raw.toString()))!;
	const raw = message('Re: Quarterly report', { 'In-Reply-To': '<seed-q2-report@example.com>', References: '<seed-q2-report@example.com>' });
	const mp = multipart({ message: { threadId: original.threadId } }, raw);
	const created = await live.fetch('/upload/gmail/v1/users/me/drafts?uploadType=multipart', { method: 'POST', headers: { ...auth, ...mp.headers }, body: mp.body });
	expect(created.status).toBe(200);
	const draft = (await created.json()) as { id: string; message: { id: string; threadId: string; labelIds: string[] } };
	expect(draft.message).toMatchObject({ threadId: original.threadId, labelIds: ['DRAFT'] });
	expect(mailbox().messages.get(draft.message.id)!.raw.equals(raw)).toBe(true);

	const v2 = message('Re: Quarterly report v2');
	const up = multipart({ id: draft.id, message: { threadId: original.threadId } }, v2);
	const updated = await live.fetch(`/upload/gmail/v1/users/me/drafts/${draft.id}?uploadType=multipart`, { method: 'PUT', headers: { ...auth, ...up.headers }, body: up.body });
	expect(updated.status).toBe(200);
	const after = (await updated.json()) as typeof draft;
	expect(after.id).toBe(draft.id);
	expect(after.message.id).not.toBe(draft.message.id);
	expect(mailbox().messages.has(draft.message.id)).toBe(false);
	expect(mailbox().messages.get(after.message.id)!.raw.equals(v2)).toBe(true);
	expect([units('gmail.users.drafts.create'), units('gmail.users.drafts.update')]).toEqual([[10], [15]]);
});

it('resumable create: session opened on /upload/…/drafts, chunks PUT to it (308 until the last), the draft made once', async () => {
	const token = await live.token(alice, [COMPOSE]);
	const raw = message('Resumable draft');
	const open = await live.fetch('/upload/gmail/v1/users/me/drafts?uploadType=resumable', {
		method: 'POST',
		headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json', 'x-upload-content-type': 'message/rfc822', 'x-upload-content-length': String(raw.length) },
		body: '{}',
	});
	const location = open.headers.get('location')!;
	const half = 100;
	const first = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes 0-${half - 1}/${raw.length}` }, body: raw.subarray(0, half) });
	expect([first.status, first.headers.get('range')]).toEqual([308, `bytes=0-${half - 1}`]);
	const last = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes ${half}-${raw.length - 1}/${raw.length}` }, body: raw.subarray(half) });
	expect(last.status).toBe(200);
	const draft = (await last.json()) as { id: string; message: { id: string } };
	expect(mailbox().drafts.get(draft.id)!.messageId).toBe(draft.message.id);
	expect(mailbox().messages.get(draft.message.id)!.raw.equals(raw)).toBe(true);
	// the session is gone once used: a status query after a lost final answer gets 404 (clients look the draft up)
	expect((await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes */${raw.length}` } })).status).toBe(404);
	// units: the opening request only (the session URL is its own credential)
	expect(units('gmail.users.drafts.create')).toEqual([10]);
	expect(units('standin.gmail.uploadSession').every((u) => u === undefined)).toBe(true);
});

it('drafts.send: the draft is removed, its message gets SENT (DRAFT removed) in the same thread, bob receives it; 100 units', async () => {
	const token = await live.token(alice, [COMPOSE]);
	const auth = { authorization: `Bearer ${token}`, 'content-type': 'application/json' };
	const [draftId, d] = [...mailbox().drafts.entries()][0];
	const before = mailbox().messages.get(d.messageId)!;
	const res = await live.fetch('/gmail/v1/users/me/drafts/send', { method: 'POST', headers: auth, body: JSON.stringify({ id: draftId }) });
	expect(res.status).toBe(200);
	const sent = (await res.json()) as { id: string; threadId: string; labelIds: string[] };
	expect(sent).toMatchObject({ id: before.id, threadId: before.threadId });
	expect(sent.labelIds).toContain('SENT');
	expect(sent.labelIds).not.toContain('DRAFT');
	expect(mailbox().drafts.has(draftId)).toBe(false);
	expect([...mailbox('dave@example.com').messages.values()].some((m) => /Notes for the offsite/.test(m.raw.toString()))).toBe(true);
	expect(units('gmail.users.drafts.send')).toEqual([100]);
	// sent once: sending it again is an unknown draft
	expect((await live.fetch('/gmail/v1/users/me/drafts/send', { method: 'POST', headers: auth, body: JSON.stringify({ id: draftId }) })).status).toBe(404);
});

it('scopes: gmail.compose may create, list, get, send and delete drafts; gmail.send may not touch them', async () => {
	const send = await live.token(alice, [SEND]);
	const full = await live.token(alice, [FULL]);
	expect((await live.fetch('/gmail/v1/users/me/drafts', { headers: { authorization: `Bearer ${send}` } })).status).toBe(403);
	const compose = await live.token(alice, [COMPOSE]);
	for (const t of [compose, full]) expect((await live.fetch('/gmail/v1/users/me/drafts', { headers: { authorization: `Bearer ${t}` } })).status).toBe(200);
});
