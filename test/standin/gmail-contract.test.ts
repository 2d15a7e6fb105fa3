/**
 * Contract tests: Google's own `googleapis` client against the Gmail stand-in over loopback HTTP.
 * The seed is rebuilt before every test (POST /__standin/reset), so tests do not depend on each other.
 */
import { Readable } from 'node:stream';
import type { gmail_v1 } from 'googleapis';
import { gmailState } from './gmail/common';
import { tinyPdf } from './gmail/seed';
import { FULL, READONLY, SEND, failure, fromB64url, b64url, rfc822, startLive, type Live } from './gmail-testkit';

let live: Live;
let gmail: gmail_v1.Gmail;
const alice = 'alice@example.com';

beforeAll(async () => {
	live = await startLive({ noCorpus: true, messages: 30 });
});
afterAll(() => live.close());
beforeEach(async () => {
	await live.fetch('/__standin/reset', { method: 'POST' });
	gmail = await live.gmail(alice);
});

const mailbox = (email: string) => gmailState(live.s).mailbox(email)!;
const upload = () => ({ rootUrl: `${live.url}/` });

async function listAll(params: gmail_v1.Params$Resource$Users$Messages$List) {
	const ids: string[] = [];
	let pageToken: string | undefined;
	do {
		const r = await gmail.users.messages.list({ userId: 'me', ...params, pageToken });
		ids.push(...(r.data.messages ?? []).map((m) => m.id!));
		pageToken = r.data.nextPageToken ?? undefined;
	} while (pageToken);
	return ids;
}

async function subjects(q: string, extra: Partial<gmail_v1.Params$Resource$Users$Messages$List> = {}) {
	const ids = await listAll({ q, ...extra });
	const out: string[] = [];
	for (const id of ids) {
		const m = await gmail.users.messages.get({ userId: 'me', id, format: 'metadata', metadataHeaders: ['Subject'] });
		out.push(m.data.payload!.headers![0].value!);
	}
	return out;
}

describe('users.getProfile', () => {
	it('answers the token user with totals and a numeric historyId', async () => {
		const { data } = await gmail.users.getProfile({ userId: 'me' });
		const mb = mailbox(alice);
		expect(data.emailAddress).toBe(alice);
		expect(data.messagesTotal).toBe(mb.messages.size);
		expect(data.threadsTotal).toBe(mb.messages.size - 1); // one two-message thread (the Quarterly report reply)
		expect(data.historyId).toMatch(/^\d+$/);
	});

	it('accepts the user address as userId and denies another user', async () => {
		expect((await gmail.users.getProfile({ userId: alice })).data.emailAddress).toBe(alice);
		const f = await failure(gmail.users.getProfile({ userId: 'bob@example.com' }));
		expect(f.status).toBe(403);
		expect(f.body.error.message).toBe(`Delegation denied for ${alice}`);
	});
});

describe('users.messages.list', () => {
	it('lists newest first, leaves out spam and trash, and pages with maxResults/pageToken', async () => {
		const mb = mailbox(alice);
		const visible = mb.sorted().filter((m) => !m.labelIds.includes('SPAM') && !m.labelIds.includes('TRASH'));
		const first = await gmail.users.messages.list({ userId: 'me', maxResults: 7 });
		expect(first.data.messages).toHaveLength(7);
		expect(first.data.resultSizeEstimate).toBe(visible.length);
		expect(first.data.nextPageToken).toBeTruthy();
		expect(first.data.messages![0]).toEqual({ id: visible[0].id, threadId: visible[0].threadId });
		const all = await listAll({ maxResults: 7 });
		expect(all).toEqual(visible.map((m) => m.id));
		expect(new Set(all).size).toBe(all.length);
		const dates = all.map((id) => mb.messages.get(id)!.internalDate);
		expect([...dates].sort((a, b) => b - a)).toEqual(dates);
	});

	it('defaults to 100 per page and clamps maxResults to 500', async () => {
		const r = await gmail.users.messages.list({ userId: 'me' });
		expect(r.data.messages!.length).toBeLessThanOrEqual(100);
		const big = await gmail.users.messages.list({ userId: 'me', maxResults: 10000 });
		expect(big.data.messages!.length).toBe(big.data.resultSizeEstimate);
	});

	it('filters with q operators', async () => {
		const fromBob = await listAll({ q: 'from:bob' });
		const mb = mailbox(alice);
		const expected = mb.sorted().filter((m) => /^From: Bob Example <bob@example.com>/m.test(m.raw.toString()) && !m.labelIds.includes('TRASH'));
		expect(fromBob).toEqual(expected.map((m) => m.id));
		expect(fromBob.length).toBeGreaterThan(5);
		expect(await listAll({ q: 'from:bob@example.com' })).toEqual(fromBob);
		expect(await listAll({ q: 'from:bobby' })).toEqual([]);
		expect(await subjects('subject:"quarterly report"')).toEqual(['Re: Quarterly report', 'Quarterly report']);
		expect(await subjects('rfc822msgid:<seed-lunch@gmail.com>')).toEqual(['Lunch on Friday?']);
		expect(await subjects('in:spam')).toEqual(['You have won a prize!!!']);
		expect(await subjects('in:trash')).toEqual(['Old parking notice']);
		expect(await subjects('label:projects-alpha')).toEqual(['Team offsite agenda']);
		expect(await subjects('cc:bob')).toEqual(['Team offsite agenda']);
		expect(await subjects('filename:agenda.txt')).toEqual(['Team offsite agenda']);
		expect(await subjects('has:attachment -filename:pdf')).toEqual(['Team offsite agenda']);
		expect(await subjects('after:2024/06/04 before:2024/06/06')).toEqual(['Team offsite agenda', 'Lunch on Friday?']);
		expect(await subjects('lunch OR offsite')).toEqual(['Notes for the offsite', 'Team offsite agenda', 'Lunch on Friday?']);
		expect(await subjects('{lunch offsite} -in:drafts')).toEqual(['Team offsite agenda', 'Lunch on Friday?']);
		expect(await subjects('"new place near the office"')).toEqual(['Lunch on Friday?']);
		expect(await subjects('newer_than:1d')).toEqual([]);
		const unread = await listAll({ q: 'is:unread' });
		expect(unread.every((id) => mailbox(alice).messages.get(id)!.labelIds.includes('UNREAD'))).toBe(true);
		expect(unread.length).toBeGreaterThan(0);
	});

	it('reaches spam and trash only when asked', async () => {
		const plain = await listAll({});
		const anywhere = await listAll({ q: 'in:anywhere' });
		const withFlag = await listAll({ includeSpamTrash: true });
		expect(anywhere.length).toBe(plain.length + 2);
		expect(withFlag).toEqual(anywhere);
	});

	it('ANDs labelIds', async () => {
		const both = await listAll({ labelIds: ['INBOX', 'UNREAD'] });
		const mb = mailbox(alice);
		expect(both.length).toBeGreaterThan(0);
		for (const id of both) expect(mb.messages.get(id)!.labelIds).toEqual(expect.arrayContaining(['INBOX', 'UNREAD']));
		const inbox = await listAll({ labelIds: ['INBOX'] });
		expect(inbox.length).toBeGreaterThan(both.length);
	});
});

describe('users.messages.get', () => {
	const reportId = () => [...mailbox(alice).messages.values()].find((m) => m.raw.includes('Subject: Quarterly report'))!.id;

	it('format=full gives the payload tree with inline text and attachment ids', async () => {
		const { data } = await gmail.users.messages.get({ userId: 'me', id: reportId() });
		expect(data.id).toMatch(/^[0-9a-f]{16}$/);
		expect(data.threadId).toBe(data.id);
		expect(data.labelIds).toEqual(['INBOX', 'UNREAD', 'CATEGORY_PERSONAL']);
		expect(data.snippet).toBe('Hi Alice, Here&#39;s the Q2 report as a PDF. Numbers look good. Bob');
		expect(data.internalDate).toBe(String(Date.UTC(2024, 5, 3, 9, 30)));
		expect(data.sizeEstimate).toBe(mailbox(alice).messages.get(data.id!)!.raw.length);
		const p = data.payload!;
		expect(p.partId).toBe('');
		expect(p.mimeType).toBe('multipart/mixed');
		expect(p.headers!.map((h) => h.name)).toEqual(['From', 'To', 'Subject', 'Date', 'Message-ID', 'MIME-Version', 'Content-Type']);
		expect(p.body).toEqual({ size: 0 });
		expect(p.parts!.map((x) => [x.partId, x.mimeType, x.filename])).toEqual([
			['0', 'text/plain', ''],
			['1', 'application/pdf', 'Q2-report.pdf'],
		]);
		expect(fromB64url(p.parts![0].body!.data!).toString()).toContain("Here's the Q2 report");
		expect(p.parts![1].body!.attachmentId).toBeTruthy();
		expect(p.parts![1].body!.size).toBe(tinyPdf('Q2 report').length);
	});

	it('format=metadata keeps only the asked headers, format=minimal has no payload', async () => {
		const meta = await gmail.users.messages.get({ userId: 'me', id: reportId(), format: 'metadata', metadataHeaders: ['subject', 'From'] });
		expect(meta.data.payload).toEqual({
			partId: '',
			mimeType: 'multipart/mixed',
			filename: '',
			headers: [
				{ name: 'From', value: 'Bob Example <bob@example.com>' },
				{ name: 'Subject', value: 'Quarterly report' },
			],
		});
		const min = await gmail.users.messages.get({ userId: 'me', id: reportId(), format: 'minimal' });
		expect(min.data.payload).toBeUndefined();
		expect(min.data.raw).toBeUndefined();
		expect(Object.keys(min.data).sort()).toEqual(['historyId', 'id', 'internalDate', 'labelIds', 'sizeEstimate', 'snippet', 'threadId']);
	});

	it('format=raw returns the stored bytes, base64url', async () => {
		const { data } = await gmail.users.messages.get({ userId: 'me', id: reportId(), format: 'raw' });
		expect(data.raw).not.toMatch(/[+/]/);
		expect(fromB64url(data.raw!).equals(mailbox(alice).messages.get(reportId())!.raw)).toBe(true);
		expect(data.payload).toBeUndefined();
	});

	it('attachments.get returns the decoded attachment bytes', async () => {
		const { data } = await gmail.users.messages.get({ userId: 'me', id: reportId() });
		const part = data.payload!.parts![1];
		const att = await gmail.users.messages.attachments.get({ userId: 'me', messageId: data.id!, id: part.body!.attachmentId! });
		expect(att.data.size).toBe(part.body!.size);
		expect(fromB64url(att.data.data!).equals(tinyPdf('Q2 report'))).toBe(true);
	});

	it('unknown ids are 404 notFound in Google’s error shape', async () => {
		const f = await failure(gmail.users.messages.get({ userId: 'me', id: '18f3a0ffffffffff' }));
		expect(f.status).toBe(404);
		expect(f.body).toEqual({
			error: {
				code: 404,
				message: 'Requested entity was not found.',
				errors: [{ message: 'Requested entity was not found.', domain: 'global', reason: 'notFound' }],
				status: 'NOT_FOUND',
			},
		});
		const att = await failure(gmail.users.messages.attachments.get({ userId: 'me', messageId: '18f3a0ffffffffff', id: 'ANGjdJx' }));
		expect(att.status).toBe(404);
	});
});

describe('auth errors', () => {
	it('no token: 401 with WWW-Authenticate', async () => {
		const res = await live.fetch('/gmail/v1/users/me/messages');
		expect(res.status).toBe(401);
		expect(res.headers.get('www-authenticate')).toMatch(/^Bearer realm="https:\/\/accounts.google.com\/"/);
		const body = (await res.json()) as any;
		expect(body.error.status).toBe('UNAUTHENTICATED');
		expect(body.error.errors[0].reason).toBe('authError');
	});

	it('a send-only token cannot read: 403 insufficientPermissions', async () => {
		const sendOnly = await live.gmail(alice, [SEND]);
		const f = await failure(sendOnly.users.messages.list({ userId: 'me' }));
		expect(f.status).toBe(403);
		expect(f.body.error.errors[0].reason).toBe('insufficientPermissions');
		expect(f.body.error.message).toBe('Request had insufficient authentication scopes.');
		expect(f.headers['www-authenticate']).toContain('insufficient_scope');
	});

	it('a gmail.metadata token lists and reads headers, but gets 403 for q and for format=full/raw', async () => {
		const meta = await live.gmail(alice, ['https://www.googleapis.com/auth/gmail.metadata']);
		const id = (await meta.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages![0].id!;
		expect((await meta.users.messages.get({ userId: 'me', id, format: 'metadata' })).data.payload!.headers!.length).toBeGreaterThan(0);
		const q = await failure(meta.users.messages.list({ userId: 'me', q: 'from:bob' }));
		expect([q.status, q.body.error.message]).toEqual([403, "Metadata scope does not support 'q' parameter"]);
		const full = await failure(meta.users.messages.get({ userId: 'me', id }));
		expect([full.status, full.body.error.message]).toEqual([403, "Metadata scope doesn't allow format FULL"]);
		expect((await failure(meta.users.messages.get({ userId: 'me', id, format: 'raw' }))).status).toBe(403);
	});

	it('a read-only token can read but not send', async () => {
		const ro = await live.gmail(alice, [READONLY]);
		expect((await ro.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages).toHaveLength(1);
		const f = await failure(ro.users.messages.send({ userId: 'me', requestBody: { raw: b64url(rfc822({ To: 'bob@example.com' }, 'x')) } }));
		expect(f.status).toBe(403);
	});
});

describe('users.messages.send', () => {
	const msg = (extra: Record<string, string> = {}, body = 'Hello from the stand-in test.') =>
		rfc822({ From: 'Alice <alice@example.com>', To: 'Bob <bob@example.com>', Subject: 'Status update', ...extra }, body);

	it('media upload (uploadType=media): SENT for the sender, INBOX+UNREAD for local recipients, Bcc hidden', async () => {
		const raw = msg({ Cc: 'dave@example.com', Bcc: 'carol@gmail.com' });
		const { data, status } = await gmail.users.messages.send({ userId: 'me', media: { mimeType: 'message/rfc822', body: raw } }, upload());
		expect(status).toBe(200);
		expect(data.labelIds).toEqual(['SENT']);
		expect(data.id).toMatch(/^[0-9a-f]{16}$/);
		const sent = mailbox(alice).messages.get(data.id!)!;
		expect(sent.raw.toString()).toMatch(/^Message-ID: <standin\.[0-9a-f]+@mail\.gmail\.com>\r$/m);
		expect(sent.raw.toString()).toContain('Bcc: carol@gmail.com');
		for (const who of ['bob@example.com', 'dave@example.com', 'carol@gmail.com']) {
			const bob = await live.gmail(who);
			const found = await bob.users.messages.list({ userId: 'me', q: 'subject:"Status update"' });
			expect(found.data.messages).toHaveLength(1);
			const got = await bob.users.messages.get({ userId: 'me', id: found.data.messages![0].id!, format: 'raw' });
			expect(got.data.labelIds).toEqual(['INBOX', 'UNREAD']);
			const text = fromB64url(got.data.raw!).toString();
			expect(text).not.toMatch(/^Bcc:/im);
			expect(text.startsWith(`Delivered-To: ${who}\r\n`)).toBe(true);
		}
	});

	it('JSON {raw} with threadId joins the thread; a reply by headers threads for the recipient', async () => {
		const first = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: b64url(msg({ 'Message-ID': '<m1@example.com>' })) } });
		const second = await gmail.users.messages.send({
			userId: 'me',
			requestBody: { threadId: first.data.threadId, raw: b64url(msg({ Subject: 'Re: Status update' })) },
		});
		expect(second.data.threadId).toBe(first.data.threadId);
		const bob = await live.gmail('bob@example.com');
		const original = (await bob.users.messages.list({ userId: 'me', q: 'rfc822msgid:<m1@example.com>' })).data.messages![0];
		const reply = await bob.users.messages.send({
			userId: 'me',
			requestBody: {
				raw: b64url(
					rfc822({ From: 'bob@example.com', To: alice, Subject: 'Re: Status update', 'In-Reply-To': '<m1@example.com>', References: '<m1@example.com>' }, 'Thanks!'),
				),
			},
		});
		expect(reply.data.threadId).toBe(original.threadId);
		const aliceView = await gmail.users.threads.get({ userId: 'me', id: first.data.threadId!, format: 'minimal' });
		expect(aliceView.data.messages!.length).toBe(3); // both sent messages + Bob's reply, threaded by In-Reply-To
		expect(reply.data.labelIds).toEqual(['SENT']);
	});

	it('rewrites a From that is not the account, and adds Date', async () => {
		const { data } = await gmail.users.messages.send({
			userId: 'me',
			requestBody: { raw: b64url(rfc822({ From: 'Mallory <mallory@evil.example>', To: 'bob@example.com', Subject: 'x' }, 'y')) },
		});
		const got = await gmail.users.messages.get({ userId: 'me', id: data.id!, format: 'metadata', metadataHeaders: ['From', 'Date'] });
		expect(got.data.payload!.headers).toEqual([
			{ name: 'From', value: `Mallory <${alice}>` },
			{ name: 'Date', value: expect.stringMatching(/^\w{3}, \d{2} \w{3} \d{4} \d\d:\d\d:\d\d \+0000$/) },
		]);
	});

	it('sending to yourself puts the message in INBOX too', async () => {
		const { data } = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: b64url(msg({ To: alice })) } });
		expect(data.labelIds).toEqual(['SENT', 'INBOX']);
	});

	it('refuses a message without recipients or without raw', async () => {
		live.s.quota.unitsPerSecond = 0; // three sends (100 units each) in a row would exceed Gmail's 250 units/s per user
		const none = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: b64url(rfc822({ From: alice, Subject: 'x' }, 'y')) } }));
		expect(none.status).toBe(400);
		expect(none.body.error.message).toBe('Recipient address required');
		const noRaw = await failure(gmail.users.messages.send({ userId: 'me', requestBody: {} }));
		expect(noRaw.status).toBe(400);
		expect(noRaw.body.error.message).toBe("'raw' RFC822 payload message string or uploading message via /upload/* URL required");
		const bad = await failure(gmail.users.messages.send({ userId: 'me', requestBody: { raw: b64url(msg({ To: 'not an address' })) } }));
		expect(bad.body.error.message).toBe('Invalid To header');
	});

	it('multipart upload (metadata + message) carries threadId', async () => {
		const first = await gmail.users.messages.send({ userId: 'me', requestBody: { raw: b64url(msg()) } });
		const { data } = await gmail.users.messages.send(
			{ userId: 'me', requestBody: { threadId: first.data.threadId }, media: { mimeType: 'message/rfc822', body: Readable.from(msg({ Subject: 'Re: Status update' })) } },
			upload(),
		);
		expect(data.threadId).toBe(first.data.threadId);
	});
});

describe('insert, import, modify, trash, delete', () => {
	const raw = rfc822({ From: 'news@example.org', To: alice, Subject: 'Inserted', Date: 'Mon, 01 Jan 2024 10:00:00 +0000' }, 'inserted body');

	it('insert keeps the bytes and labels; internalDate is the receive time unless dateHeader', async () => {
		const before = Date.now();
		const ins = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: b64url(raw), labelIds: ['INBOX', 'UNREAD'] } });
		expect(ins.data.labelIds).toEqual(['INBOX', 'UNREAD']);
		const got = await gmail.users.messages.get({ userId: 'me', id: ins.data.id!, format: 'raw' });
		expect(fromB64url(got.data.raw!).equals(raw)).toBe(true);
		expect(Number(got.data.internalDate)).toBeGreaterThanOrEqual(before);
		const ins2 = await gmail.users.messages.insert({ userId: 'me', internalDateSource: 'dateHeader', requestBody: { raw: b64url(raw) } });
		const got2 = await gmail.users.messages.get({ userId: 'me', id: ins2.data.id!, format: 'minimal' });
		expect(got2.data.internalDate).toBe(String(Date.UTC(2024, 0, 1, 10)));
		expect(got2.data.labelIds).toBeUndefined();
		const bad = await failure(gmail.users.messages.insert({ userId: 'me', requestBody: { raw: b64url(raw), labelIds: ['NOPE'] } }));
		expect(bad.status).toBe(400);
		expect(bad.body.error.message).toBe('Invalid label: NOPE');
	});

	it('import defaults internalDate to the Date header; media upload works too', async () => {
		const imp = await gmail.users.messages.import({ userId: 'me', media: { mimeType: 'message/rfc822', body: raw } }, upload());
		const got = await gmail.users.messages.get({ userId: 'me', id: imp.data.id!, format: 'minimal' });
		expect(got.data.internalDate).toBe(String(Date.UTC(2024, 0, 1, 10)));
	});

	it('modify adds and removes labels; unknown labels are 400', async () => {
		const id = (await gmail.users.messages.list({ userId: 'me', q: 'is:unread', maxResults: 1 })).data.messages![0].id!;
		const mod = await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['STARRED'], removeLabelIds: ['UNREAD'] } });
		expect(mod.data.labelIds).toContain('STARRED');
		expect(mod.data.labelIds).not.toContain('UNREAD');
		expect((await listAll({ q: 'is:starred' }))).toContain(id);
		const f = await failure(gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['Label_99'] } }));
		expect(f.status).toBe(400);
	});

	it('trash hides from lists, untrash brings back, delete is permanent', async () => {
		const id = (await gmail.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages![0].id!;
		const t = await gmail.users.messages.trash({ userId: 'me', id });
		expect(t.data.labelIds).toContain('TRASH');
		expect(await listAll({})).not.toContain(id);
		expect(await listAll({ q: 'in:trash' })).toContain(id);
		const u = await gmail.users.messages.untrash({ userId: 'me', id });
		expect(u.data.labelIds).not.toContain('TRASH');
		expect(await listAll({})).toContain(id);
		const d = await gmail.users.messages.delete({ userId: 'me', id });
		expect(d.status).toBe(204);
		expect((await failure(gmail.users.messages.get({ userId: 'me', id }))).status).toBe(404);
	});

	it('batchModify and batchDelete act on many ids and answer 204', async () => {
		const ids = (await gmail.users.messages.list({ userId: 'me', maxResults: 4 })).data.messages!.map((m) => m.id!);
		const bm = await gmail.users.messages.batchModify({ userId: 'me', requestBody: { ids, addLabelIds: ['IMPORTANT'] } });
		expect(bm.status).toBe(204);
		for (const id of ids) expect(mailbox(alice).messages.get(id)!.labelIds).toContain('IMPORTANT');
		const bd = await gmail.users.messages.batchDelete({ userId: 'me', requestBody: { ids: [...ids, '18f3a0ffffffffff'] } });
		expect(bd.status).toBe(204);
		for (const id of ids) expect(mailbox(alice).messages.has(id)).toBe(false);
	});
});

describe('users.threads', () => {
	it('list gives threads with snippet and historyId; get gives the messages oldest first', async () => {
		const list = await gmail.users.threads.list({ userId: 'me', q: 'quarterly' });
		expect(list.data.threads).toHaveLength(1);
		const t = list.data.threads![0];
		expect(t.snippet).toContain('Thanks Bob');
		expect(t.historyId).toMatch(/^\d+$/);
		const full = await gmail.users.threads.get({ userId: 'me', id: t.id! });
		expect(full.data.messages!.map((m) => m.payload!.headers!.find((h) => h.name === 'Subject')!.value)).toEqual([
			'Quarterly report',
			'Re: Quarterly report',
		]);
		expect(full.data.messages![1].labelIds).toEqual(['SENT']);
		const f = await failure(gmail.users.threads.get({ userId: 'me', id: 'ffffffffffffffff' }));
		expect(f.status).toBe(404);
	});

	it('threads.modify and threads.trash apply to every message', async () => {
		const t = (await gmail.users.threads.list({ userId: 'me', q: 'quarterly' })).data.threads![0];
		const mod = await gmail.users.threads.modify({ userId: 'me', id: t.id!, requestBody: { addLabelIds: ['STARRED'] } });
		expect(mod.data.messages!.every((m) => m.labelIds!.includes('STARRED'))).toBe(true);
		await gmail.users.threads.trash({ userId: 'me', id: t.id! });
		expect((await gmail.users.threads.list({ userId: 'me', q: 'quarterly' })).data.threads).toBeUndefined();
	});
});

describe('users.labels', () => {
	it('lists system and user labels', async () => {
		const { data } = await gmail.users.labels.list({ userId: 'me' });
		const byId = new Map(data.labels!.map((l) => [l.id, l]));
		for (const id of ['INBOX', 'SENT', 'DRAFT', 'SPAM', 'TRASH', 'UNREAD', 'STARRED', 'IMPORTANT', 'CATEGORY_PERSONAL']) {
			expect(byId.get(id)).toMatchObject({ id, name: id, type: 'system' });
		}
		expect(byId.get('Label_2')).toMatchObject({ name: 'Projects/Alpha', type: 'user' });
		expect(data.labels![0]).not.toHaveProperty('messagesTotal');
	});

	it('get has counts; create / patch / update / delete user labels', async () => {
		const inbox = await gmail.users.labels.get({ userId: 'me', id: 'INBOX' });
		const inInbox = [...mailbox(alice).messages.values()].filter((m) => m.labelIds.includes('INBOX'));
		expect(inbox.data.messagesTotal).toBe(inInbox.length);
		expect(inbox.data.messagesUnread).toBe(inInbox.filter((m) => m.labelIds.includes('UNREAD')).length);
		expect(inbox.data.threadsTotal).toBe(new Set(inInbox.map((m) => m.threadId)).size);

		const created = await gmail.users.labels.create({ userId: 'me', requestBody: { name: 'Invoices', labelListVisibility: 'labelShow', messageListVisibility: 'show' } });
		expect(created.data).toMatchObject({ id: 'Label_3', name: 'Invoices', type: 'user' });
		const dup = await failure(gmail.users.labels.create({ userId: 'me', requestBody: { name: 'invoices' } }));
		expect(dup.status).toBe(409);
		expect(dup.body.error.message).toBe('Label name exists or conflicts');
		const sys = await failure(gmail.users.labels.create({ userId: 'me', requestBody: { name: 'INBOX' } }));
		expect(sys.status).toBe(400);

		const patched = await gmail.users.labels.patch({ userId: 'me', id: 'Label_3', requestBody: { color: { textColor: '#000000', backgroundColor: '#ffffff' } } });
		expect(patched.data).toMatchObject({ name: 'Invoices', color: { textColor: '#000000' } });
		const updated = await gmail.users.labels.update({ userId: 'me', id: 'Label_3', requestBody: { name: 'Bills' } });
		expect(updated.data.name).toBe('Bills');

		const id = (await gmail.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages![0].id!;
		await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['Label_3'] } });
		expect(await listAll({ q: 'label:bills' })).toEqual([id]);
		expect((await gmail.users.labels.delete({ userId: 'me', id: 'Label_3' })).status).toBe(204);
		expect(mailbox(alice).messages.get(id)!.labelIds).not.toContain('Label_3');
		expect((await failure(gmail.users.labels.delete({ userId: 'me', id: 'INBOX' }))).status).toBe(400);
		expect((await failure(gmail.users.labels.get({ userId: 'me', id: 'Label_3' }))).status).toBe(404);
	});
});

describe('users.drafts', () => {
	const draftRaw = rfc822({ From: alice, To: 'bob@example.com', Subject: 'Draft subject' }, 'draft body');

	it('lists the seeded draft; create / get / update / send', async () => {
		const seeded = await gmail.users.drafts.list({ userId: 'me' });
		expect(seeded.data.drafts).toHaveLength(1);
		expect(seeded.data.drafts![0].id).toMatch(/^r\d+$/);

		const created = await gmail.users.drafts.create({ userId: 'me', requestBody: { message: { raw: b64url(draftRaw) } } });
		expect(created.data.message!.labelIds).toEqual(['DRAFT']);
		const got = await gmail.users.drafts.get({ userId: 'me', id: created.data.id!, format: 'raw' });
		expect(fromB64url(got.data.message!.raw!).equals(draftRaw)).toBe(true);
		expect((await gmail.users.drafts.list({ userId: 'me', q: 'subject:"draft subject"' })).data.drafts).toHaveLength(1);

		const updated = await gmail.users.drafts.update({
			userId: 'me',
			id: created.data.id!,
			requestBody: { message: { raw: b64url(rfc822({ From: alice, To: 'bob@example.com', Subject: 'Draft v2' }, 'v2')) } },
		});
		expect(updated.data.id).toBe(created.data.id);
		expect(updated.data.message!.id).not.toBe(created.data.message!.id);

		const sent = await gmail.users.drafts.send({ userId: 'me', requestBody: { id: created.data.id } });
		expect(sent.data.labelIds).toEqual(['SENT']);
		expect((await failure(gmail.users.drafts.get({ userId: 'me', id: created.data.id! }))).status).toBe(404);
		const bob = await live.gmail('bob@example.com');
		expect((await bob.users.messages.list({ userId: 'me', q: 'subject:"Draft v2"' })).data.messages).toHaveLength(1);
	});

	it('delete removes the draft and its message', async () => {
		const d = (await gmail.users.drafts.list({ userId: 'me' })).data.drafts![0];
		expect((await gmail.users.drafts.delete({ userId: 'me', id: d.id! })).status).toBe(204);
		expect(mailbox(alice).messages.has(d.message!.id!)).toBe(false);
	});

	it('create by media upload', async () => {
		const { data } = await gmail.users.drafts.create({ userId: 'me', media: { mimeType: 'message/rfc822', body: draftRaw } }, upload());
		expect(data.message!.labelIds).toEqual(['DRAFT']);
	});
});

describe('users.history', () => {
	it('records label changes and new messages after a startHistoryId', async () => {
		const start = (await gmail.users.getProfile({ userId: 'me' })).data.historyId!;
		const id = (await gmail.users.messages.list({ userId: 'me', maxResults: 1 })).data.messages![0].id!;
		await gmail.users.messages.modify({ userId: 'me', id, requestBody: { addLabelIds: ['STARRED'] } });
		const ins = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: b64url(rfc822({ From: 'x@example.org', To: alice, Subject: 'h' }, 'h')), labelIds: ['INBOX'] } });
		const h = await gmail.users.history.list({ userId: 'me', startHistoryId: start });
		expect(h.data.history!.map((r) => Object.keys(r).filter((k) => k !== 'id' && k !== 'messages'))).toEqual([['labelsAdded'], ['messagesAdded']]);
		expect(h.data.history![0].labelsAdded![0]).toMatchObject({ labelIds: ['STARRED'], message: { id } });
		expect(h.data.history![1].messagesAdded![0].message).toMatchObject({ id: ins.data.id, labelIds: ['INBOX'] });
		expect(Number(h.data.historyId)).toBeGreaterThan(Number(start));
		const onlyAdded = await gmail.users.history.list({ userId: 'me', startHistoryId: start, historyTypes: ['messageAdded'] });
		expect(onlyAdded.data.history).toHaveLength(1);
		const old = await failure(gmail.users.history.list({ userId: 'me', startHistoryId: '1' }));
		expect(old.status).toBe(404);
	});
});

describe('quota', () => {
	it('answers 429 rateLimitExceeded with Retry-After when the per-user bucket is empty', async () => {
		live.s.quota.unitsPerSecond = 10;
		const token = await live.token(alice, [FULL]);
		const get = () => live.fetch('/gmail/v1/users/me/messages?maxResults=1', { headers: { authorization: `Bearer ${token}` } });
		expect((await get()).status).toBe(200);
		expect((await get()).status).toBe(200);
		const third = await get();
		expect(third.status).toBe(429);
		expect(Number(third.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
		const body = (await third.json()) as any;
		expect(body.error.errors[0]).toMatchObject({ reason: 'rateLimitExceeded', domain: 'usageLimits' });
		// another user has their own bucket
		const bob = await live.token('bob@example.com', [FULL]);
		expect((await live.fetch('/gmail/v1/users/me/profile', { headers: { authorization: `Bearer ${bob}` } })).status).toBe(200);
	});
});
