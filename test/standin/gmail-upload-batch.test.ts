/** Media uploads (simple, multipart, resumable), the size limit, and the batch endpoint, over raw HTTP. */
import { gmailState } from './gmail/common';
import { FULL, b64url, rfc822, startLive, type Live } from './gmail-testkit';

let live: Live;
let token: string;
const alice = 'alice@example.com';
const LIMIT = 36_700_160;

beforeAll(async () => {
	live = await startLive({ noCorpus: true, messages: 5 });
});
afterAll(() => live.close());
beforeEach(async () => {
	await live.fetch('/__standin/reset', { method: 'POST' });
	token = await live.token(alice, [FULL]);
});

const auth = (t = token) => ({ authorization: `Bearer ${t}` });
const mailbox = (email = alice) => gmailState(live.s).mailbox(email)!;
/** A message the stand-in stores unchanged (From is the account, Date and Message-ID present). */
const message = (subject = 'Upload test', body = 'x'.repeat(100)) =>
	rfc822({ From: alice, To: 'bob@example.com', Subject: subject, Date: 'Tue, 02 Jul 2024 10:00:00 +0000', 'Message-ID': `<${subject.replace(/\W/g, '')}@example.com>` }, body);

describe('resumable upload', () => {
	it('opens a session, takes chunks (308 + Range), answers status queries, then runs the method', async () => {
		const raw = message();
		const open = await live.fetch('/upload/gmail/v1/users/me/messages/send?uploadType=resumable', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json; charset=UTF-8', 'x-upload-content-type': 'message/rfc822', 'x-upload-content-length': String(raw.length) },
			body: '{}',
		});
		expect(open.status).toBe(200);
		const location = open.headers.get('location')!;
		expect(location).toMatch(new RegExp(`^${live.url}/upload/gmail/v1/users/me/messages/send\\?uploadType=resumable&upload_id=`));

		const first = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes 0-9/${raw.length}` }, body: raw.subarray(0, 10) });
		expect(first.status).toBe(308);
		expect(first.headers.get('range')).toBe('bytes=0-9');
		const status = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes */${raw.length}` } });
		expect(status.status).toBe(308);
		expect(status.headers.get('range')).toBe('bytes=0-9');

		const last = await fetch(location, { method: 'PUT', headers: { 'content-range': `bytes 10-${raw.length - 1}/${raw.length}` }, body: raw.subarray(10) });
		expect(last.status).toBe(200);
		const sent = (await last.json()) as { id: string; labelIds: string[] };
		expect(sent.labelIds).toEqual(['SENT']);
		expect(mailbox().messages.get(sent.id)!.raw.equals(raw)).toBe(true);
		// the session is gone once used
		expect((await fetch(location, { method: 'PUT', body: raw })).status).toBe(404);
	});

	it('/resumable/upload/… opens a session too; one PUT without Content-Range completes it (insert keeps metadata)', async () => {
		const raw = message('Resumable insert');
		const open = await live.fetch('/resumable/upload/gmail/v1/users/me/messages', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ labelIds: ['INBOX', 'STARRED'] }),
		});
		expect(open.status).toBe(200);
		const done = await fetch(open.headers.get('location')!, { method: 'PUT', headers: { 'content-type': 'message/rfc822' }, body: raw });
		expect(done.status).toBe(200);
		const body = (await done.json()) as { id: string; labelIds: string[] };
		expect(body.labelIds).toEqual(['INBOX', 'STARRED']);
		expect(mailbox().messages.get(body.id)!.raw.equals(raw)).toBe(true);
	});

	it('works for drafts.update (PUT) and drafts.send (whose session path /drafts/send is not a draft id)', async () => {
		const draftId = [...mailbox().drafts.keys()][0];
		const v2 = message('Draft via resumable');
		const open = await live.fetch(`/upload/gmail/v1/users/me/drafts/${draftId}?uploadType=resumable`, {
			method: 'PUT',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ id: draftId }),
		});
		expect(open.status).toBe(200);
		const upd = await fetch(open.headers.get('location')!, { method: 'PUT', headers: auth(), body: v2 });
		expect(upd.status).toBe(200);
		const draft = (await upd.json()) as { id: string; message: { id: string; labelIds: string[] } };
		expect(draft).toMatchObject({ id: draftId, message: { labelIds: ['DRAFT'] } });
		expect(mailbox().messages.get(draft.message.id)!.raw.equals(v2)).toBe(true);

		const openSend = await live.fetch('/upload/gmail/v1/users/me/drafts/send?uploadType=resumable', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ id: draftId }),
		});
		const v3 = message('Draft sent via resumable');
		const sent = await fetch(openSend.headers.get('location')!, { method: 'PUT', body: v3 });
		expect(sent.status).toBe(200);
		expect(((await sent.json()) as { labelIds: string[] }).labelIds).toEqual(['SENT']);
		expect(mailbox().drafts.has(draftId)).toBe(false);
		const bob = [...mailbox('bob@example.com').messages.values()].map((m) => m.raw.toString());
		expect(bob.some((r) => r.includes('Subject: Draft sent via resumable'))).toBe(true);
	});

	it('refuses a declared length over the limit at once', async () => {
		const open = await live.fetch('/upload/gmail/v1/users/me/messages/send?uploadType=resumable', {
			method: 'POST',
			headers: { ...auth(), 'x-upload-content-type': 'message/rfc822', 'x-upload-content-length': String(LIMIT + 1) },
		});
		expect(open.status).toBe(413);
	});
});

describe('simple and multipart upload', () => {
	it('uploadType=multipart: JSON metadata part + message part', async () => {
		const raw = message('Multipart insert');
		const b = 'xyzBOUNDARY';
		const body = Buffer.concat([
			Buffer.from(`--${b}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify({ labelIds: ['INBOX'] })}\r\n--${b}\r\nContent-Type: message/rfc822\r\n\r\n`),
			raw,
			Buffer.from(`\r\n--${b}--`),
		]);
		const res = await live.fetch('/upload/gmail/v1/users/me/messages?uploadType=multipart', {
			method: 'POST',
			headers: { ...auth(), 'content-type': `multipart/related; boundary=${b}` },
			body,
		});
		expect(res.status).toBe(200);
		const m = (await res.json()) as { id: string; labelIds: string[] };
		expect(m.labelIds).toEqual(['INBOX']);
		expect(mailbox().messages.get(m.id)!.raw.equals(raw)).toBe(true);
	});

	it('rejects non-message media, a missing uploadType, and a metadata-only multipart', async () => {
		live.s.quota.unitsPerSecond = 0; // three send calls (100 units each, charged even when refused) exceed 250/s
		const post = (path: string, type: string, body: string | Buffer) =>
			live.fetch(path, { method: 'POST', headers: { ...auth(), 'content-type': type }, body });
		const text = await post('/upload/gmail/v1/users/me/messages/send?uploadType=media', 'text/plain', 'hello');
		expect(text.status).toBe(400);
		expect(((await text.json()) as any).error.message).toMatch(/^Media type 'text\/plain' is not supported/);
		const noType = await post('/upload/gmail/v1/users/me/messages/send', 'message/rfc822', message());
		expect(noType.status).toBe(400);
		expect(((await noType.json()) as any).error.message).toBe(
			'Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/',
		);
		const one = await post('/upload/gmail/v1/users/me/messages/send?uploadType=multipart', 'multipart/related; boundary=b', '--b\r\nContent-Type: application/json\r\n\r\n{}\r\n--b--');
		expect(one.status).toBe(400);
	});
});

describe('size limit (discovery maxSize 36,700,160 bytes for send)', () => {
	const big = () => Buffer.concat([message('Big', ''), Buffer.alloc(LIMIT - message('Big', '').length + 1, 'a')]);

	it('media upload over the limit is 413', async () => {
		const res = await live.fetch('/upload/gmail/v1/users/me/messages/send?uploadType=media', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'message/rfc822' },
			body: big(),
		});
		expect(res.status).toBe(413);
		const body = (await res.json()) as any;
		expect(body.error.message).toBe(`Request payload size exceeds the limit: ${LIMIT} bytes.`);
		expect(live.s.log.at(-1)).toMatchObject({ routeId: 'gmail.users.messages.send', status: 413, reason: 'uploadTooLarge' });
	});

	it('JSON raw over the limit is 400; exactly at the limit is accepted', async () => {
		const over = await live.fetch('/gmail/v1/users/me/messages/send', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'application/json' },
			body: JSON.stringify({ raw: b64url(big()) }),
		});
		expect(over.status).toBe(400);
		expect(((await over.json()) as any).error.message).toBe(`Request payload size exceeds the limit: ${LIMIT} bytes.`);
		const exact = big().subarray(0, LIMIT);
		const ok = await live.fetch('/upload/gmail/v1/users/me/messages/send?uploadType=media', {
			method: 'POST',
			headers: { ...auth(), 'content-type': 'message/rfc822' },
			body: exact,
		});
		expect(ok.status).toBe(200);
	}, 60_000);
});

// ---- batch ----

interface PartReq {
	id?: string;
	method: string;
	path: string;
	headers?: Record<string, string>;
	body?: string;
}
function batchBody(boundary: string, parts: PartReq[]): string {
	return (
		parts
			.map((p) => {
				const head = `--${boundary}\r\nContent-Type: application/http\r\n${p.id ? `Content-ID: <${p.id}>\r\n` : ''}\r\n`;
				const h = Object.entries(p.headers ?? {}).map(([k, v]) => `${k}: ${v}\r\n`).join('');
				return `${head}${p.method} ${p.path} HTTP/1.1\r\n${h}\r\n${p.body ?? ''}\r\n`;
			})
			.join('') + `--${boundary}--\r\n`
	);
}

/** Parse a multipart/mixed batch answer into {contentId, status, headers, body}. Independent of the stand-in code. */
function parseBatch(contentType: string, text: string) {
	const boundary = /boundary="?([^";]+)"?/.exec(contentType)![1];
	return text
		.split(`--${boundary}`)
		.slice(1)
		.filter((chunk) => !chunk.startsWith('--'))
		.map((chunk) => {
			const [outer, ...rest] = chunk.replace(/^\r\n/, '').split('\r\n\r\n');
			const inner = rest.join('\r\n\r\n');
			const [statusAndHeaders, ...bodyParts] = inner.split('\r\n\r\n');
			const [statusLine, ...headerLines] = statusAndHeaders.split('\r\n');
			return {
				contentId: /Content-ID: (.*)/i.exec(outer)?.[1],
				status: Number(/^HTTP\/1\.1 (\d{3})/.exec(statusLine)![1]),
				headers: Object.fromEntries(headerLines.map((l) => [l.split(':')[0].toLowerCase(), l.slice(l.indexOf(':') + 1).trim()])),
				body: bodyParts.join('\r\n\r\n').replace(/\r\n$/, ''),
			};
		});
}

async function batch(parts: PartReq[], path = '/batch/gmail/v1', headers: Record<string, string> = auth()) {
	const boundary = 'batch_test_boundary';
	const res = await live.fetch(path, {
		method: 'POST',
		headers: { ...headers, 'content-type': `multipart/mixed; boundary=${boundary}` },
		body: batchBody(boundary, parts),
	});
	return { res, parts: res.status === 200 ? parseBatch(res.headers.get('content-type')!, await res.text()) : [] };
}

describe('batch endpoint', () => {
	it('runs each part as its own request and answers multipart/mixed with response-<Content-ID> parts', async () => {
		const ids = mailbox().sorted().slice(0, 3).map((m) => m.id);
		const { res, parts } = await batch([
			...ids.map((id, i) => ({ id: `item${i + 1}:abc@example.com`, method: 'GET', path: `/gmail/v1/users/me/messages/${id}?format=minimal` })),
			{ id: 'missing', method: 'GET', path: '/gmail/v1/users/me/messages/18f3a0ffffffffff' },
			{ id: 'mod', method: 'POST', path: `/gmail/v1/users/me/messages/${ids[0]}/modify`, headers: { 'Content-Type': 'application/json' }, body: '{"addLabelIds":["STARRED"]}' },
		]);
		expect(res.status).toBe(200);
		expect(res.headers.get('content-type')).toMatch(/^multipart\/mixed; boundary=batch_/);
		expect(parts.map((p) => p.contentId)).toEqual([
			'<response-item1:abc@example.com>',
			'<response-item2:abc@example.com>',
			'<response-item3:abc@example.com>',
			'<response-missing>',
			'<response-mod>',
		]);
		expect(parts.map((p) => p.status)).toEqual([200, 200, 200, 404, 200]);
		expect(parts.slice(0, 3).map((p) => JSON.parse(p.body).id)).toEqual(ids);
		expect(Number(parts[0].headers['content-length'])).toBe(Buffer.byteLength(parts[0].body));
		expect(JSON.parse(parts[3].body).error.status).toBe('NOT_FOUND');
		expect(JSON.parse(parts[4].body).labelIds).toContain('STARRED');
		const log = live.s.log.filter((e) => e.batch);
		expect(log.map((e) => e.routeId)).toEqual([
			'gmail.users.messages.get',
			'gmail.users.messages.get',
			'gmail.users.messages.get',
			'gmail.users.messages.get',
			'gmail.users.messages.modify',
		]);
	});

	it('parts inherit the outer Authorization unless they carry their own; the legacy /batch path works', async () => {
		const bob = await live.token('bob@example.com', [FULL]);
		const { parts } = await batch(
			[
				{ method: 'GET', path: '/gmail/v1/users/me/profile' },
				{ method: 'GET', path: '/gmail/v1/users/me/profile', headers: { Authorization: `Bearer ${bob}` } },
			],
			'/batch',
		);
		expect(parts.map((p) => p.contentId)).toEqual(['<response-1>', '<response-2>']);
		expect(parts.map((p) => JSON.parse(p.body).emailAddress)).toEqual([alice, 'bob@example.com']);
		const anon = await batch([{ method: 'GET', path: '/gmail/v1/users/me/profile' }], '/batch/gmail/v1', {});
		expect(anon.parts[0].status).toBe(401);
	});

	it('charges each part its own quota units', async () => {
		live.s.quota.unitsPerSecond = 12;
		const id = mailbox().sorted()[0].id;
		const { parts } = await batch([1, 2, 3].map(() => ({ method: 'GET', path: `/gmail/v1/users/me/messages/${id}` })));
		expect(parts.map((p) => p.status)).toEqual([200, 200, 429]);
		expect(JSON.parse(parts[2].body).error.errors[0].reason).toBe('rateLimitExceeded');
		expect(parts[2].headers['retry-after']).toBeDefined();
	});

	it('refuses more than 100 parts, a non-multipart body, and uploads inside a batch', async () => {
		const many = await batch(Array.from({ length: 101 }, () => ({ method: 'GET', path: '/gmail/v1/users/me/profile' })));
		expect(many.res.status).toBe(400);
		expect(((await many.res.json()) as any).error.message).toMatch(/more than 100/);
		const hundred = await batch(Array.from({ length: 100 }, () => ({ method: 'GET', path: '/gmail/v1/users/me/labels' })));
		expect(hundred.parts).toHaveLength(100);
		const notMultipart = await live.fetch('/batch/gmail/v1', { method: 'POST', headers: { ...auth(), 'content-type': 'application/json' }, body: '{}' });
		expect(notMultipart.status).toBe(400);
		const up = await batch([{ method: 'POST', path: '/upload/gmail/v1/users/me/messages?uploadType=media', headers: { 'Content-Type': 'message/rfc822' }, body: 'Subject: x\r\n\r\ny' }]);
		expect(up.parts[0].status).toBe(400);
	});
});
