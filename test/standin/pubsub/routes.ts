import type { Ctx, Reply, Route, Standin } from '../core/standin';
import { SCOPE } from '../auth/scopes';
import {
	concurrentPolicyChange,
	invalidArgument,
	notAuthorized,
	orgPolicyViolation,
	projectNotFound,
	pubsubInsufficientScope,
	resourceExists,
	resourceNotFound,
	serviceDisabled,
} from './errors';
import { DEFAULT_ACK_DEADLINE_S, EMPTY_ETAG, pubsubState, type Binding, type PubsubState, type Subscription } from './state';

/**
 * pubsub.googleapis.com v1: topics get/create/delete/publish/getIamPolicy/setIamPolicy, subscriptions
 * get/create/delete/pull/acknowledge/modifyAckDeadline. https://cloud.google.com/pubsub/docs/reference/rest
 */

const HOST = 'pubsub.googleapis.com' as const;
export const PUBSUB_SCOPES = [SCOPE.pubsub, SCOPE.cloudPlatform];
const TOPIC = '/v1/projects/{project}/topics/{topic}';
const SUB = '/v1/projects/{project}/subscriptions/{sub}';
const ID = /^[A-Za-z][A-Za-z0-9\-_.~+%]{2,254}$/;
const MEMBER = /^(allUsers|allAuthenticatedUsers|(user|serviceAccount|group|domain|principal|principalSet|deleted):.+)$/;

/** Scope, consumer project (API enabled?), resource project (exists?). Returns the state and the project's settings. */
function guard(s: Standin, ctx: Ctx, grpcMethod: string) {
	const token = ctx.token!;
	if (!PUBSUB_SCOPES.some((sc) => token.scopes.includes(sc))) throw pubsubInsufficientScope(grpcMethod, PUBSUB_SCOPES);
	const st = pubsubState(s);
	const consumer = s.quotaProject(token);
	const consumerId = consumer.project.startsWith('client:') ? ctx.params.project : consumer.project;
	const consumerProject = s.directory.projects.get(consumerId);
	if (consumerProject && st.projects.get(consumerId)?.apiDisabled) throw serviceDisabled(consumerProject.projectNumber);
	const project = s.directory.projects.get(ctx.params.project);
	if (!project) throw projectNotFound(ctx.params.project);
	return { st, settings: st.projects.get(project.projectId) ?? {} };
}

const topicName = (ctx: Ctx) => `projects/${ctx.params.project}/topics/${ctx.params.topic}`;
const subName = (ctx: Ctx) => `projects/${ctx.params.project}/subscriptions/${ctx.params.sub}`;

function checkId(kind: 'topics' | 'subscriptions', id: string, name: string) {
	if (!ID.test(id) || id.startsWith('goog')) throw invalidArgument(`Invalid [${kind}] name: (name=${name})`);
}

function findTopic(st: PubsubState, name: string) {
	const t = st.topics.get(name);
	if (!t) throw resourceNotFound(name);
	return t;
}
function findSub(st: PubsubState, name: string) {
	const sub = st.subscriptions.get(name);
	if (!sub) throw resourceNotFound(name);
	return sub;
}

const subResource = (sub: Subscription) => ({
	name: sub.name,
	topic: sub.topic,
	pushConfig: {},
	ackDeadlineSeconds: sub.ackDeadlineSeconds,
	messageRetentionDuration: '604800s',
	expirationPolicy: { ttl: '2678400s' },
	...(sub.deadLetter ? { deadLetterPolicy: sub.deadLetter } : {}),
	state: 'ACTIVE',
});

const policyBody = (p: { version?: number; etag: string; bindings: Binding[] }) => ({
	...(p.bindings.length ? { version: p.version ?? 1 } : {}),
	etag: p.etag,
	...(p.bindings.length ? { bindings: p.bindings } : {}),
});

/** Members domain restricted sharing lets in: the directory's own users and service accounts of the directory's projects. */
function permittedMember(s: Standin, member: string): boolean {
	const m = /^(user|group|domain|serviceAccount):(.+)$/.exec(member);
	if (!m) return false;
	const domain = m[2].slice(m[2].lastIndexOf('@') + 1).toLowerCase();
	if (domain === 'example.com') return true;
	const sa = /^([a-z0-9-]+)\.iam\.gserviceaccount\.com$/.exec(domain);
	return !!sa && s.directory.projects.has(sa[1]);
}

/**
 * Pull: what is pending now; else (unless returnImmediately) wait for a publish, a lease running out, or pullWaitMs,
 * at most the request's X-Server-Timeout (Google's system parameter, cloud.google.com/apis/docs/system-parameters:
 * "Timeout for the server to finish processing the request"), so a client that says how long it waits gets its
 * answer, and no message leased to it, before it gives up.
 */
async function pull(st: PubsubState, sub: Subscription, max: number, immediate: boolean, serverTimeoutS?: number): Promise<Reply> {
	const hold = serverTimeoutS !== undefined && serverTimeoutS > 0 ? Math.min(st.knobs.pullWaitMs, serverTimeoutS * 1000) : st.knobs.pullWaitMs;
	const until = Date.now() + hold;
	for (;;) {
		const got = st.take(sub, max);
		const left = until - Date.now();
		if (got.length || immediate || left <= 0 || st.closed) return { body: got.length ? { receivedMessages: got } : {} };
		await new Promise<void>((resolve) => {
			const done = () => {
				sub.waiters.delete(done);
				clearTimeout(timer);
				st.timers.delete(timer);
				resolve();
			};
			const timer = st.later(Math.min(left, st.nextExpiryIn(sub)), done);
			sub.waiters.add(done);
		});
		if (st.subscriptions.get(sub.name) !== sub && !st.closed) throw resourceNotFound(sub.name);
	}
}

export function pubsubRoutes(s: Standin): Route[] {
	const r = (id: string, method: string, path: string, grpc: string, handler: (ctx: Ctx, g: ReturnType<typeof guard>) => Reply | Promise<Reply>): Route => ({
		id: `pubsub.projects.${id}`,
		host: HOST,
		method,
		paths: [path],
		handler: (ctx) => handler(ctx, guard(s, ctx, `google.pubsub.v1.${grpc}`)),
	});
	return [
		r('topics.get', 'GET', TOPIC, 'Publisher.GetTopic', (ctx, { st }) => ({ body: { name: findTopic(st, topicName(ctx)).name } })),
		r('topics.create', 'PUT', TOPIC, 'Publisher.CreateTopic', (ctx, { st, settings }) => {
			const name = topicName(ctx);
			checkId('topics', ctx.params.topic, name);
			if (settings.editorDenied) throw notAuthorized();
			if (st.topics.has(name)) throw resourceExists(name);
			st.topics.set(name, { name, policy: { etag: EMPTY_ETAG, bindings: [] } });
			return { body: { name } };
		}),
		r('topics.delete', 'DELETE', TOPIC, 'Publisher.DeleteTopic', (ctx, { st, settings }) => {
			const t = findTopic(st, topicName(ctx));
			if (settings.editorDenied) throw notAuthorized();
			st.topics.delete(t.name);
			for (const sub of st.subscriptions.values()) if (sub.topic === t.name) sub.topic = '_deleted-topic_';
			return { body: {} };
		}),
		r('topics.publish', 'POST', `${TOPIC}:publish`, 'Publisher.Publish', (ctx, { st }) => {
			const t = findTopic(st, topicName(ctx));
			const { messages } = ctx.json<{ messages?: { data?: string; attributes?: Record<string, string> }[] }>();
			if (!Array.isArray(messages) || !messages.length) throw invalidArgument('The request contains no messages.');
			return { body: { messageIds: messages.map((m) => st.publish(t.name, Buffer.from(m.data ?? '', 'base64'), m.attributes).messageId) } };
		}),
		r('topics.getIamPolicy', 'GET', `${TOPIC}:getIamPolicy`, 'IAMPolicy.GetIamPolicy', (ctx, { st }) => {
			const v = ctx.query.get('options.requestedPolicyVersion');
			if (v !== null && !['0', '1', '3'].includes(v)) throw invalidArgument(`Invalid requested policy version: ${v}`);
			return { body: policyBody(findTopic(st, topicName(ctx)).policy) };
		}),
		r('topics.setIamPolicy', 'POST', `${TOPIC}:setIamPolicy`, 'IAMPolicy.SetIamPolicy', (ctx, { st, settings }) => {
			const t = findTopic(st, topicName(ctx));
			if (settings.adminDenied) throw notAuthorized();
			const { policy } = ctx.json<{ policy?: { etag?: string; version?: number; bindings?: Binding[] } }>();
			if (!policy || typeof policy !== 'object') throw invalidArgument('Request contains an invalid argument.');
			const bindings = policy.bindings ?? [];
			if (!Array.isArray(bindings)) throw invalidArgument('Request contains an invalid argument.');
			for (const b of bindings) {
				if (typeof b?.role !== 'string' || !b.role.startsWith('roles/')) throw invalidArgument(`Role ${b?.role} is not supported for this resource.`);
				for (const m of b.members ?? []) if (!MEMBER.test(m)) throw invalidArgument(`Invalid member: ${m}`);
			}
			if (policy.etag !== undefined && policy.etag !== t.policy.etag) throw concurrentPolicyChange();
			if (settings.orgPolicy && bindings.some((b) => (b.members ?? []).some((m) => !permittedMember(s, m)))) throw orgPolicyViolation();
			const kept = bindings.filter((b) => (b.members ?? []).length).map((b) => ({ role: b.role, members: [...new Set(b.members)] }));
			t.policy = { version: policy.version ?? 1, etag: st.newEtag(), bindings: kept };
			return { body: policyBody(t.policy) };
		}),
		r('subscriptions.get', 'GET', SUB, 'Subscriber.GetSubscription', (ctx, { st }) => ({ body: subResource(findSub(st, subName(ctx))) })),
		r('subscriptions.create', 'PUT', SUB, 'Subscriber.CreateSubscription', (ctx, { st, settings }) => {
			const name = subName(ctx);
			checkId('subscriptions', ctx.params.sub, name);
			const b = ctx.json<{ topic?: string; ackDeadlineSeconds?: number; deadLetterPolicy?: unknown }>();
			if (typeof b.topic !== 'string' || !/^projects\/[^/]+\/topics\/[^/]+$/.test(b.topic)) throw invalidArgument(`Invalid [topics] name: (name=${b.topic ?? ''})`);
			if (settings.editorDenied) throw notAuthorized();
			if (st.subscriptions.has(name)) throw resourceExists(name);
			findTopic(st, b.topic);
			const ack = b.ackDeadlineSeconds ?? 0;
			if (!Number.isInteger(ack) || ack < 0 || ack > 600) throw invalidArgument(`Invalid ack deadline given: ${ack}. The minimum deadline is 10 seconds and the maximum is 600.`);
			const sub: Subscription = {
				name,
				topic: b.topic,
				ackDeadlineSeconds: ack === 0 ? DEFAULT_ACK_DEADLINE_S : Math.max(10, ack),
				...(b.deadLetterPolicy ? { deadLetter: b.deadLetterPolicy } : {}),
				backlog: [],
				outstanding: new Map(),
				waiters: new Set(),
			};
			st.subscriptions.set(name, sub);
			return { body: subResource(sub) };
		}),
		r('subscriptions.delete', 'DELETE', SUB, 'Subscriber.DeleteSubscription', (ctx, { st, settings }) => {
			const sub = findSub(st, subName(ctx));
			if (settings.editorDenied) throw notAuthorized();
			st.subscriptions.delete(sub.name);
			st.wake(sub);
			return { body: {} };
		}),
		r('subscriptions.pull', 'POST', `${SUB}:pull`, 'Subscriber.Pull', async (ctx, { st }) => {
			const sub = findSub(st, subName(ctx));
			const b = ctx.json<{ maxMessages?: number; returnImmediately?: boolean }>();
			const max = Number(b.maxMessages ?? 0);
			if (!Number.isInteger(max) || max <= 0) throw invalidArgument('max_messages must be greater than 0.');
			const serverTimeout = Number(ctx.headers['x-server-timeout']);
			const reply = await pull(st, sub, Math.min(max, 1000), b.returnImmediately === true, Number.isFinite(serverTimeout) ? serverTimeout : undefined);
			ctx.note({ messages: ((reply.body as { receivedMessages?: unknown[] }).receivedMessages ?? []).length });
			return reply;
		}),
		r('subscriptions.acknowledge', 'POST', `${SUB}:acknowledge`, 'Subscriber.Acknowledge', (ctx, { st }) => {
			const sub = findSub(st, subName(ctx));
			const { ackIds } = ctx.json<{ ackIds?: string[] }>();
			if (!Array.isArray(ackIds)) throw invalidArgument('Invalid empty ack_ids.');
			st.expire(sub);
			let acked = 0;
			for (const id of ackIds) if (sub.outstanding.delete(id)) acked++;
			st.counters.acked += acked;
			ctx.note({ ackIds: ackIds.length, acked });
			return { body: {} };
		}),
		r('subscriptions.modifyAckDeadline', 'POST', `${SUB}:modifyAckDeadline`, 'Subscriber.ModifyAckDeadline', (ctx, { st }) => {
			const sub = findSub(st, subName(ctx));
			const { ackIds, ackDeadlineSeconds } = ctx.json<{ ackIds?: string[]; ackDeadlineSeconds?: number }>();
			if (!Array.isArray(ackIds) || typeof ackDeadlineSeconds !== 'number' || ackDeadlineSeconds < 0 || ackDeadlineSeconds > 600) {
				throw invalidArgument('Invalid ack deadline given. The minimum deadline is 0 seconds and the maximum is 600.');
			}
			st.expire(sub);
			for (const id of ackIds) {
				const o = sub.outstanding.get(id);
				if (o) o.deadline = st.clock() + ackDeadlineSeconds * 1000;
			}
			if (ackDeadlineSeconds === 0) st.wake(sub);
			return { body: {} };
		}),
	];
}
