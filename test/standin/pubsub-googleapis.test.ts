/**
 * Google's own googleapis client against the stand-in's Pub/Sub and Gmail watch/stop (fidelity of paths, verbs
 * and bodies as a real client sends them): topics create/get, IAM get/set, subscriptions create/pull/acknowledge,
 * gmail users.watch/stop, and a delivered message's notification pulled back.
 */
import { google } from 'googleapis';
import { deliverMany } from './gmail/deliver';
import { FULL, nodeFetch, startLive, type Live } from './gmail-testkit';

let live: Live;
beforeAll(async () => {
	live = await startLive({ noCorpus: true, quota: 'off' });
});
afterAll(() => live.close());

test('googleapis pubsub v1 + gmail v1 watch/stop', async () => {
	const auth = new google.auth.OAuth2();
	auth.setCredentials({ access_token: await live.token('alice@example.com', [FULL, 'https://www.googleapis.com/auth/pubsub']) });
	const opts = { rootUrl: `${live.url}/`, auth, retry: false, fetchImplementation: nodeFetch } as any;
	const pubsub = google.pubsub({ version: 'v1', ...opts });
	const gmail = google.gmail({ version: 'v1', ...opts });
	const topic = 'projects/demo-project/topics/gapi-topic';
	const subscription = 'projects/demo-project/subscriptions/gapi-sub';

	expect((await pubsub.projects.topics.create({ name: topic, requestBody: {} })).data).toEqual({ name: topic });
	expect((await pubsub.projects.topics.get({ topic })).data.name).toBe(topic);
	const policy = (await pubsub.projects.topics.getIamPolicy({ resource: topic })).data;
	const set = await pubsub.projects.topics.setIamPolicy({
		resource: topic,
		requestBody: { policy: { etag: policy.etag, bindings: [{ role: 'roles/pubsub.publisher', members: ['serviceAccount:gmail-api-push@system.gserviceaccount.com'] }] } },
	});
	expect(set.data.etag).not.toBe(policy.etag);
	expect((await pubsub.projects.subscriptions.create({ name: subscription, requestBody: { topic, ackDeadlineSeconds: 30 } })).data).toMatchObject({ name: subscription, topic, ackDeadlineSeconds: 30 });

	const w = await gmail.users.watch({ userId: 'me', requestBody: { topicName: topic, labelIds: ['INBOX'], labelFilterBehavior: 'include' } });
	expect(w.data).toEqual({ historyId: expect.stringMatching(/^\d+$/), expiration: expect.stringMatching(/^\d+$/) });
	const [m] = deliverMany(live.s, { to: 'alice@example.com' });
	const pulled = (await pubsub.projects.subscriptions.pull({ subscription, requestBody: { maxMessages: 5, returnImmediately: true } })).data;
	expect(pulled.receivedMessages).toHaveLength(1);
	const msg = pulled.receivedMessages![0];
	expect(JSON.parse(Buffer.from(msg.message!.data!, 'base64').toString())).toEqual({ emailAddress: 'alice@example.com', historyId: m.historyId });
	expect((await pubsub.projects.subscriptions.acknowledge({ subscription, requestBody: { ackIds: [msg.ackId!] } })).status).toBe(200);
	expect((await gmail.users.stop({ userId: 'me' })).status).toBe(204);

	const ids = live.s.log.map((e) => e.routeId);
	for (const id of ['pubsub.projects.topics.create', 'pubsub.projects.topics.get', 'pubsub.projects.topics.getIamPolicy', 'pubsub.projects.topics.setIamPolicy', 'pubsub.projects.subscriptions.create', 'gmail.users.watch', 'pubsub.projects.subscriptions.pull', 'pubsub.projects.subscriptions.acknowledge', 'gmail.users.stop']) {
		expect(ids).toContain(id);
	}
	expect(live.s.log.filter((e) => e.status >= 400)).toEqual([]);
});
