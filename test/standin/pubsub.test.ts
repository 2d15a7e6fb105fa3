/**
 * Cloud Pub/Sub v1 and Gmail users.watch/stop in the stand-in (README "Pub/Sub"): topics, IAM with etags, pull
 * subscriptions (long poll, ack, redelivery), Gmail notifications (label filter, one per second per user, knobs,
 * lapse / stop) and each setup failure's shape. Over HTTP on loopback; the seed is rebuilt before every test.
 */
import { deliverMany } from './gmail/deliver';
import { gmailState } from './gmail/common';
import { changeLabels } from './gmail/store';
import { FULL, startLive, type Live } from './gmail-testkit';
import { pubsubState } from './pubsub/state';

let live: Live;
const alice = 'alice@example.com';
const PUBSUB = 'https://www.googleapis.com/auth/pubsub';
const TOPIC = 'projects/demo-project/topics/gmail-push';
const SUB = 'projects/demo-project/subscriptions/n8n-pull';
const PUSH = 'serviceAccount:gmail-api-push@system.gserviceaccount.com';
let token: string;

beforeAll(async () => {
	live = await startLive({ noCorpus: true, quota: 'off' });
});
afterAll(() => live.close());
beforeEach(async () => {
	await live.fetch('/__standin/reset', { method: 'POST' });
	token = await live.token(alice, [FULL, PUBSUB]);
});

async function call(method: string, path: string, body?: unknown, bearer = token) {
	const res = await live.fetch(path, {
		method,
		headers: { authorization: `Bearer ${bearer}`, 'content-type': 'application/json' },
		body: body === undefined ? undefined : JSON.stringify(body),
	});
	const text = await res.text();
	return { status: res.status, body: text ? JSON.parse(text) : undefined };
}
const ps = (method: string, path: string, body?: unknown, bearer?: string) => call(method, `/v1/${path}`, body, bearer);
const knob = async (path: string, body?: unknown) => (await call(body === undefined ? 'GET' : 'POST', `/__standin/pubsub${path}`, body)).body;
const st = () => pubsubState(live.s);

/** Topic + IAM grant to gmail-api-push + pull subscription, as the trigger's activation does it. */
async function setup(ackDeadlineSeconds?: number) {
	expect((await ps('PUT', TOPIC, {})).status).toBe(200);
	const policy = (await ps('GET', `${TOPIC}:getIamPolicy`)).body;
	expect((await ps('POST', `${TOPIC}:setIamPolicy`, { policy: { ...policy, bindings: [{ role: 'roles/pubsub.publisher', members: [PUSH] }] } })).status).toBe(200);
	expect((await ps('PUT', SUB, { topic: TOPIC, ...(ackDeadlineSeconds ? { ackDeadlineSeconds } : {}) })).status).toBe(200);
}
const pull = async (returnImmediately = true) => (await ps('POST', `${SUB}:pull`, { maxMessages: 100, returnImmediately })).body;
const decode = (m: { message: { data: string } }) => JSON.parse(Buffer.from(m.message.data, 'base64').toString('utf8'));
const watch = (body: Record<string, unknown> = { topicName: TOPIC }) => call('POST', '/gmail/v1/users/me/watch', body);
const advance = (seconds: number) => call('POST', '/__standin/clock', { advanceSeconds: seconds });

describe('topics and IAM', () => {
	test('create, get, 409 on a second create, 404 for an unknown topic', async () => {
		expect(await ps('GET', TOPIC)).toEqual({ status: 404, body: { error: { code: 404, message: 'Resource not found (resource=gmail-push).', status: 'NOT_FOUND' } } });
		expect(await ps('PUT', TOPIC, {})).toEqual({ status: 200, body: { name: TOPIC } });
		expect((await ps('GET', TOPIC)).body).toEqual({ name: TOPIC });
		const again = await ps('PUT', TOPIC, {});
		expect(again.status).toBe(409);
		expect(again.body.error).toMatchObject({ status: 'ALREADY_EXISTS', message: 'Resource already exists in the project (resource=gmail-push).' });
		expect((await ps('PUT', 'projects/demo-project/topics/goog-x', {})).body.error.status).toBe('INVALID_ARGUMENT');
		expect(live.s.log.filter((e) => e.path.startsWith('/v1/')).map((e) => e.routeId)).toEqual([
			'pubsub.projects.topics.get', 'pubsub.projects.topics.create', 'pubsub.projects.topics.get', 'pubsub.projects.topics.create', 'pubsub.projects.topics.create',
		]);
	});

	test('getIamPolicy / setIamPolicy: empty policy, etag changes, a stale etag is 409 ABORTED', async () => {
		await ps('PUT', TOPIC, {});
		const empty = (await ps('GET', `${TOPIC}:getIamPolicy`)).body;
		expect(empty).toEqual({ etag: 'ACAB' });
		const set = await ps('POST', `${TOPIC}:setIamPolicy`, { policy: { etag: empty.etag, bindings: [{ role: 'roles/pubsub.publisher', members: [PUSH] }] } });
		expect(set.status).toBe(200);
		expect(set.body).toMatchObject({ version: 1, bindings: [{ role: 'roles/pubsub.publisher', members: [PUSH] }] });
		expect(set.body.etag).not.toBe(empty.etag);
		expect((await ps('GET', `${TOPIC}:getIamPolicy`)).body).toEqual(set.body);
		const stale = await ps('POST', `${TOPIC}:setIamPolicy`, { policy: { etag: empty.etag, bindings: [] } });
		expect(stale.status).toBe(409);
		expect(stale.body.error.status).toBe('ABORTED');
		expect(st().topics.get(TOPIC)!.policy.bindings).toEqual([{ role: 'roles/pubsub.publisher', members: [PUSH] }]);
	});

	test('requests to pubsub.googleapis.com are routed by host; a token without pubsub/cloud-platform gets 403 with ErrorInfo', async () => {
		const gmailOnly = await live.token(alice, [FULL]);
		const res = await live.s.dispatch({ method: 'GET', host: 'pubsub.googleapis.com', url: `/v1/${TOPIC}`, headers: { authorization: `Bearer ${gmailOnly}` }, body: Buffer.alloc(0) });
		expect(res.status).toBe(403);
		const body = JSON.parse(res.body.toString());
		expect(body.error).toMatchObject({ message: 'Request had insufficient authentication scopes.', status: 'PERMISSION_DENIED' });
		expect(body.error.details[0]).toMatchObject({ reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT', metadata: { service: 'pubsub.googleapis.com', method: 'google.pubsub.v1.Publisher.GetTopic' } });
		expect(res.log).toMatchObject({ host: 'pubsub.googleapis.com', routeId: 'pubsub.projects.topics.get' });
		const cp = await live.token(alice, ['https://www.googleapis.com/auth/cloud-platform']);
		expect((await ps('PUT', TOPIC, {}, cp)).status).toBe(200);
	});
});

describe('pull subscriptions', () => {
	test('create (404 without the topic, 409 twice), pull, acknowledge; acked messages do not come back', async () => {
		expect((await ps('PUT', SUB, { topic: TOPIC })).status).toBe(404);
		await setup();
		expect((await ps('PUT', SUB, { topic: TOPIC })).status).toBe(409);
		expect((await ps('GET', SUB)).body).toMatchObject({ name: SUB, topic: TOPIC, ackDeadlineSeconds: 10 });
		await ps('POST', `${TOPIC}:publish`, { messages: [{ data: Buffer.from('one').toString('base64') }, { data: Buffer.from('two').toString('base64') }] });
		const got = await pull();
		expect(got.receivedMessages.map((m: any) => Buffer.from(m.message.data, 'base64').toString())).toEqual(['one', 'two']);
		expect(got.receivedMessages[0].message).toEqual({ data: expect.any(String), messageId: expect.stringMatching(/^\d+$/), publishTime: expect.any(String) });
		expect((await ps('POST', `${SUB}:acknowledge`, { ackIds: [...got.receivedMessages.map((m: any) => m.ackId), 'unknown-ack-id'] })).body).toEqual({});
		await advance(30);
		expect(await pull()).toEqual({});
		expect(st().counters).toMatchObject({ published: 2, pulled: 2, acked: 2, redelivered: 0 });
	});

	test('a message not acknowledged within the ack deadline is delivered again; ackDeadlineSeconds knob shortens it', async () => {
		await setup();
		await ps('POST', `${TOPIC}:publish`, { messages: [{ data: 'eA==' }] });
		const first = (await pull()).receivedMessages[0];
		expect(await pull()).toEqual({});
		await advance(11);
		const again = (await pull()).receivedMessages[0];
		expect(again.message.messageId).toBe(first.message.messageId);
		expect(again.ackId).not.toBe(first.ackId);
		await ps('POST', `${SUB}:acknowledge`, { ackIds: [first.ackId] }); // expired: ignored
		expect(st().counters).toMatchObject({ redelivered: 1, acked: 0 });
		await knob('/knobs', { ackDeadlineSeconds: 0.05 });
		await advance(11); // the lease taken above still had 10 s
		expect((await pull()).receivedMessages).toHaveLength(1);
		await new Promise((r) => setTimeout(r, 80));
		expect((await pull()).receivedMessages[0].message.messageId).toBe(first.message.messageId);
		expect(st().counters.redelivered).toBe(3);
	});

	test('deliveryAttempt is set only on a subscription with a dead-letter policy, and counts', async () => {
		await setup();
		const dl = 'projects/demo-project/subscriptions/with-dlq';
		await ps('PUT', dl, { topic: TOPIC, deadLetterPolicy: { deadLetterTopic: TOPIC, maxDeliveryAttempts: 5 } });
		await ps('POST', `${TOPIC}:publish`, { messages: [{ data: 'eA==' }] });
		expect((await pull()).receivedMessages[0].deliveryAttempt).toBeUndefined();
		const p = (path: string) => ps('POST', `${path}:pull`, { maxMessages: 1, returnImmediately: true });
		expect((await p(dl)).body.receivedMessages[0].deliveryAttempt).toBe(1);
		await advance(11);
		expect((await p(dl)).body.receivedMessages[0].deliveryAttempt).toBe(2);
	});

	test('long poll: waits, wakes on publish, else answers {} after pullWaitMs', async () => {
		await setup();
		await knob('/knobs', { pullWaitMs: 300 });
		let t = Date.now();
		expect(await pull(false)).toEqual({});
		expect(Date.now() - t).toBeGreaterThanOrEqual(250);
		await knob('/knobs', { pullWaitMs: 5000 });
		t = Date.now();
		const waiting = pull(false);
		await new Promise((r) => setTimeout(r, 100));
		expect(st().snapshot().subscriptions[0].waitingPulls).toBe(1);
		await ps('POST', `${TOPIC}:publish`, { messages: [{ data: 'eA==' }] });
		expect((await waiting).receivedMessages).toHaveLength(1);
		expect(Date.now() - t).toBeLessThan(2000);
	});
});

describe('Gmail users.watch / users.stop and notifications', () => {
	test('watch answers historyId + expiration (7 days); a delivery publishes {emailAddress, historyId}', async () => {
		await setup();
		const before = Date.now();
		const w = await watch({ topicName: TOPIC, labelIds: ['INBOX'], labelFilterBehavior: 'INCLUDE' });
		expect(w.status).toBe(200);
		expect(w.body.historyId).toBe(String(gmailState(live.s).mailbox(alice)!.historyId));
		expect(Number(w.body.expiration) - before).toBeGreaterThanOrEqual(7 * 24 * 3600_000 - 1000);
		const [m] = deliverMany(live.s, { to: alice });
		const got = (await pull()).receivedMessages;
		expect(got.map(decode)).toEqual([{ emailAddress: alice, historyId: m.historyId }]);
		expect(await knob('')).toMatchObject({ watches: [{ user: alice, topicName: TOPIC, labelIds: ['INBOX'], labelFilterBehavior: 'INCLUDE', active: true }] });
		expect(live.s.log.find((e) => e.routeId === 'gmail.users.watch')).toMatchObject({ status: 200 });
	});

	test('label filter: INCLUDE notifies only changes touching the label, EXCLUDE the others', async () => {
		await setup();
		const mb = gmailState(live.s).mailbox(alice)!;
		const m = deliverMany(live.s, { to: alice })[0];
		await watch({ topicName: TOPIC, labelIds: ['STARRED'], labelFilterBehavior: 'include' });
		deliverMany(live.s, { to: alice }); // INBOX, UNREAD: filtered
		await advance(2);
		changeLabels(mb, m, ['STARRED'], []);
		expect((await pull()).receivedMessages.map(decode)).toEqual([{ emailAddress: alice, historyId: m.historyId }]);
		await watch({ topicName: TOPIC, labelIds: ['STARRED'], labelFilterAction: 'exclude' });
		await advance(2);
		changeLabels(mb, m, [], ['UNREAD']); // message still STARRED: excluded
		await advance(2);
		const fresh = deliverMany(live.s, { to: alice })[0];
		expect((await pull()).receivedMessages.map(decode)).toEqual([{ emailAddress: alice, historyId: fresh.historyId }]);
		expect(st().counters.filtered).toBe(2);
	});

	test('at most one notification per second per user: the excess is dropped, not coalesced', async () => {
		await call('POST', '/__standin/clock', { freeze: true });
		await setup();
		await watch();
		const three = deliverMany(live.s, { to: alice, count: 3 });
		expect((await pull()).receivedMessages.map(decode)).toEqual([{ emailAddress: alice, historyId: three[0].historyId }]);
		await advance(1);
		const next = deliverMany(live.s, { to: alice })[0];
		expect((await pull()).receivedMessages.map(decode)).toEqual([{ emailAddress: alice, historyId: next.historyId }]);
		expect(st().counters).toMatchObject({ notified: 2, rateDropped: 2 });
	});

	test('dropShare loses a share of notifications (seeded); delayMs publishes late', async () => {
		await setup();
		await watch();
		await knob('/knobs', { dropShare: 0.5 });
		for (let i = 0; i < 20; i++) {
			deliverMany(live.s, { to: alice });
			await advance(1);
		}
		const { shareDropped, notified } = st().counters;
		expect(shareDropped + notified).toBe(20);
		expect(shareDropped).toBeGreaterThan(3);
		expect(notified).toBeGreaterThan(3);
		await knob('/knobs', { dropShare: 0, delayMs: 150 });
		await pull();
		deliverMany(live.s, { to: alice });
		expect(await pull()).toEqual({});
		await new Promise((r) => setTimeout(r, 200));
		expect((await pull()).receivedMessages).toHaveLength(1);
	});

	test('lapse (expiration passed) and users.stop end notifications', async () => {
		await setup();
		await watch();
		expect(await knob('/lapse', { user: alice })).toEqual({ user: alice, lapsed: true });
		deliverMany(live.s, { to: alice });
		expect(await pull()).toEqual({});
		await watch();
		await advance(2);
		expect(await call('POST', '/gmail/v1/users/me/stop')).toEqual({ status: 204, body: undefined });
		deliverMany(live.s, { to: alice });
		expect(await pull()).toEqual({});
		expect(st().watches.size).toBe(0);
		expect(live.s.log.filter((e) => e.routeId?.startsWith('gmail.users.')).map((e) => [e.routeId, e.units])).toEqual([
			['gmail.users.watch', 100], ['gmail.users.watch', 100], ['gmail.users.stop', 50],
		]);
	});
});

describe('setup failures', () => {
	test('watch: topic missing (404), no publish right for gmail-api-push (403), another project (400)', async () => {
		const missing = await watch();
		expect(missing).toMatchObject({ status: 404, body: { error: { message: `Error sending test message to Cloud PubSub ${TOPIC} : Resource not found (resource=gmail-push).` } } });
		await ps('PUT', TOPIC, {});
		const denied = await watch();
		expect(denied.status).toBe(403);
		expect(denied.body.error).toMatchObject({
			message: `Error sending test message to Cloud PubSub ${TOPIC} : User not authorized to perform this action.`,
			errors: [{ reason: 'forbidden', domain: 'global' }],
			status: 'PERMISSION_DENIED',
		});
		const other = await watch({ topicName: 'projects/other-project/topics/gmail-push' });
		expect(other).toMatchObject({ status: 400, body: { error: { message: 'Invalid topicName does not match projects/demo-project/topics/*', status: 'INVALID_ARGUMENT' } } });
		expect((await watch({})).body.error.message).toBe('topicName required');
	});

	test('Pub/Sub API disabled: 403 SERVICE_DISABLED with ErrorInfo and the activation link', async () => {
		await knob('/projects', { projectId: 'demo-project', apiDisabled: true });
		const r = await ps('PUT', TOPIC, {});
		expect(r.status).toBe(403);
		const url = 'https://console.developers.google.com/apis/api/pubsub.googleapis.com/overview?project=123456789012';
		expect(r.body.error.message).toBe(
			`Cloud Pub/Sub API has not been used in project 123456789012 before or it is disabled. Enable it by visiting ${url} then retry. If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.`,
		);
		expect(r.body.error.status).toBe('PERMISSION_DENIED');
		expect(r.body.error.details[0]).toEqual({
			'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
			reason: 'SERVICE_DISABLED',
			domain: 'googleapis.com',
			metadata: { consumer: 'projects/123456789012', service: 'pubsub.googleapis.com', activationUrl: url, serviceTitle: 'Cloud Pub/Sub API', containerInfo: '123456789012' },
		});
		expect(st().topics.size).toBe(0);
	});

	test('no roles/pubsub.editor: 403 on create; organisation policy: setIamPolicy refuses gmail-api-push; unknown project: 404', async () => {
		await knob('/projects', { projectId: 'demo-project', editorDenied: true });
		expect(await ps('PUT', TOPIC, {})).toEqual({ status: 403, body: { error: { code: 403, message: 'User not authorized to perform this action.', status: 'PERMISSION_DENIED' } } });
		await knob('/projects', { projectId: 'demo-project', editorDenied: false, orgPolicy: true });
		await ps('PUT', TOPIC, {});
		const refused = await ps('POST', `${TOPIC}:setIamPolicy`, { policy: { bindings: [{ role: 'roles/pubsub.publisher', members: [PUSH] }] } });
		expect(refused.status).toBe(400);
		expect(refused.body.error).toMatchObject({ status: 'FAILED_PRECONDITION', message: expect.stringMatching(/^One or more users named in the policy do not belong to a permitted customer/) });
		expect((await ps('POST', `${TOPIC}:setIamPolicy`, { policy: { bindings: [{ role: 'roles/pubsub.publisher', members: [`user:${alice}`] }] } })).status).toBe(200);
		const nowhere = await ps('GET', 'projects/no-such-project/topics/t1');
		expect(nowhere.status).toBe(404);
		expect(nowhere.body.error.message).toMatch(/^Requested project not found or user does not have access to it \(project=no-such-project\)/);
	});
});
