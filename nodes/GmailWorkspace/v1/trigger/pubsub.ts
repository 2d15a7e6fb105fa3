import type { IDataObject } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { gmailApiRequest } from '../transport';
import { pubsubRequest } from '../transport/cloud';
import type { Context } from '../transport/credentials';
import { describeFailure, settle } from '../transport/errors';

/** The account Gmail publishes notifications as (developers.google.com/workspace/gmail/api/guides/push). */
const GMAIL_PUSH_EMAIL = 'gmail-api-push@system.gserviceaccount.com';
const GMAIL_PUSH_ACCOUNT = `serviceAccount:${GMAIL_PUSH_EMAIL}`;
const PUBLISHER = 'roles/pubsub.publisher';
const WATCH_DAYS_MS = 7 * 24 * 3600_000;
/** A pull's deadline beyond the time Pub/Sub was given to answer. */
const PULL_GRACE_MS = 10_000;

export interface InstantNames {
	project: string;
	topic: string;
	subscription: string;
}

/** Pub/Sub names from the workflow and node: letters, digits and dashes, reused on every activation. */
export function instantNames(project: string, workflowId: string, nodeId: string): InstantNames {
	const clean = (s: string) => s.replace(/[^A-Za-z0-9-]/g, '').slice(0, 40) || 'unsaved';
	const base = `gmail-workspace-${clean(workflowId)}`;
	return {
		project,
		topic: base,
		subscription: `${base}-${clean(nodeId).slice(0, 12)}`,
	};
}

const topicPath = (n: InstantNames) => `projects/${n.project}/topics/${n.topic}`;
const subscriptionPath = (n: InstantNames) =>
	`projects/${n.project}/subscriptions/${n.subscription}`;

/**
 * What is missing in the Cloud project, in words that say how to fix it; undefined when the failure is
 * not a setup problem (it is passed on as the transport's error).
 */
export function setupProblem(error: unknown, n: InstantNames, step: string): string | undefined {
	const f = describeFailure(error);
	const said = `${f.message ?? ''} ${JSON.stringify((error as { description?: unknown }).description ?? '')}`;
	const where = `project "${n.project}"`;
	if (/SERVICE_DISABLED|has not been used in project|API .*is disabled/i.test(said))
		return `The Cloud Pub/Sub API is not enabled in ${where}: enable it (https://console.cloud.google.com/apis/library/pubsub.googleapis.com?project=${n.project}), wait a minute, then activate the workflow again.`;
	if (f.requiredScopes?.length || /insufficient.*scope/i.test(said))
		return `The connection has no Pub/Sub scope: choose a scope set that includes "pubsub" or "cloud-platform" in the credential and reconnect.`;
	if (/do not belong to a permitted customer|allowedPolicyMemberDomains/i.test(said))
		return `An organisation policy (Domain restricted sharing, constraints/iam.allowedPolicyMemberDomains) forbids granting ${GMAIL_PUSH_EMAIL} the Pub/Sub Publisher role on ${topicPath(n)}: ask your organisation admin to allow it for ${where} (a tag-based exception or a project-level override), then activate again.`;
	if (/does not match projects\/[^/]+\/topics/i.test(said))
		return `Gmail only publishes to topics in the Cloud project of the OAuth client (${f.message}): choose that project in "Cloud Project".`;
	if (/Error sending test message to Cloud PubSub/i.test(said))
		return `Gmail may not publish to ${topicPath(n)} (${f.message}): give the connected account the Pub/Sub Admin role (roles/pubsub.admin) so the trigger grants ${GMAIL_PUSH_EMAIL} the Pub/Sub Publisher role on its topic, or grant that account Pub/Sub Publisher on the project yourself, then activate again.`;
	if (f.status === 403)
		return `The connected account may not ${step} in ${where} (Google said: ${f.message ?? 'permission denied'}): grant it the Pub/Sub Admin role (roles/pubsub.admin) on the project (Pub/Sub Editor, roles/pubsub.editor, creates topics and subscriptions but cannot let Gmail publish), then activate again.`;
	return undefined;
}

/** Run one setup step; a setup problem becomes the fix in words (a NodeOperationError naming the step). */
async function step<T>(
	ctx: Context,
	n: InstantNames,
	what: string,
	run: () => Promise<T>,
): Promise<T> {
	const got = await settle(run);
	if (!('failure' in got)) return got.value;
	const problem = setupProblem(got.failure, n, what);
	if (problem)
		throw new NodeOperationError(ctx.getNode(), `Instant delivery cannot start: ${problem}`, {
			description: `While trying to ${what}.`,
		});
	// the transport's NodeApiError, passed on as it is
	throw got.failure as Error;
}

const statusOf = (error: unknown) => describeFailure(error).status;

/** Get a Pub/Sub resource, or create it when Google says it does not exist (409 on a race means it exists). */
async function ensure(ctx: Context, path: string, body: IDataObject): Promise<void> {
	const got = await settle(() => pubsubRequest(ctx, { method: 'GET', path }));
	if (!('failure' in got)) return;
	if (statusOf(got.failure) !== 404) throw got.failure as Error;
	const made = await settle(() => pubsubRequest(ctx, { method: 'PUT', path, body }));
	if (!('failure' in made) || statusOf(made.failure) === 409) return;
	throw made.failure as Error;
}

interface Policy {
	bindings?: Array<{ role: string; members?: string[] }>;
	etag?: string;
	version?: number;
}

/**
 * Topic, Gmail's right to publish on it, and our pull subscription: found and reused, or created. The policy
 * is read and written with its etag, so a grant someone else made meanwhile is kept (Google answers 409).
 */
export async function ensureInstantSetup(
	ctx: Context,
	n: InstantNames,
	ackDeadlineSeconds: number,
): Promise<void> {
	await step(ctx, n, 'create or read the Pub/Sub topic', () => ensure(ctx, topicPath(n), {}));
	await step(ctx, n, 'let Gmail publish on the topic', () => grantPublisher(ctx, n));
	await step(ctx, n, 'create or read the Pub/Sub subscription', () =>
		ensure(ctx, subscriptionPath(n), { topic: topicPath(n), ackDeadlineSeconds }),
	);
}

/**
 * Give Gmail's push account the Publisher role on the topic (read-modify-write with the policy's etag, so a
 * grant someone made meanwhile is kept: Google answers 409 and the policy is read again). Setting a topic's
 * policy needs Pub/Sub Admin; an account with Pub/Sub Editor only is refused (403): the grant is then left to
 * the project (Publisher for the push account on the whole project), and users.watch, which test-publishes,
 * says whether Gmail may publish.
 */
async function grantPublisher(ctx: Context, n: InstantNames): Promise<void> {
	for (let attempt = 1; ; attempt++) {
		// GET in Pub/Sub (cloud.google.com/pubsub/docs/reference/rest/v1/projects.topics/getIamPolicy)
		const read = await settle(() =>
			pubsubRequest<Policy>(ctx, { method: 'GET', path: `${topicPath(n)}:getIamPolicy` }),
		);
		if ('failure' in read) {
			if (statusOf(read.failure) === 403) return;
			throw read.failure as Error;
		}
		const policy = read.value;
		const bindings = policy.bindings ?? [];
		if (bindings.some((b) => b.role === PUBLISHER && b.members?.includes(GMAIL_PUSH_ACCOUNT)))
			return;
		const others = bindings.filter((b) => b.role !== PUBLISHER);
		const members = bindings.find((b) => b.role === PUBLISHER)?.members ?? [];
		const set = await settle(() =>
			pubsubRequest(ctx, {
				method: 'POST',
				path: `${topicPath(n)}:setIamPolicy`,
				body: {
					policy: {
						...policy,
						bindings: [...others, { role: PUBLISHER, members: [...members, GMAIL_PUSH_ACCOUNT] }],
					},
				},
			}),
		);
		if (!('failure' in set)) return;
		const status = statusOf(set.failure);
		if (status === 403) return;
		if (status !== 409 || attempt >= 3) throw set.failure as Error;
	}
}

/** users.watch for the connected mailbox: Gmail's history id now and when the watch ends (ms). */
export async function watchMailbox(
	ctx: Context,
	n: InstantNames,
	labelIds: string[],
): Promise<{ historyId: string; expiration: number }> {
	const res = await step(ctx, n, 'start the Gmail watch', () =>
		gmailApiRequest<{ historyId?: string | number; expiration?: string | number }>(
			ctx,
			'gmail.users.watch',
			{
				body: {
					topicName: topicPath(n),
					...(labelIds.length ? { labelIds, labelFilterBehavior: 'INCLUDE' } : {}),
				},
			},
		),
	);
	// Google ends a watch after 7 days (developers.google.com/workspace/gmail/api/guides/push); an answer
	// without a usable expiration is taken as that, so the renewal check never loops on it
	const expiration = Number(res.expiration);
	return {
		historyId: String(res.historyId ?? ''),
		expiration:
			Number.isFinite(expiration) && expiration > Date.now()
				? expiration
				: Date.now() + WATCH_DAYS_MS,
	};
}

/** users.stop: Gmail stops publishing the mailbox's changes. */
export async function stopWatch(ctx: Context): Promise<void> {
	await gmailApiRequest(ctx, 'gmail.users.stop');
}

export interface Notification {
	ackId: string;
	emailAddress?: string;
	historyId?: string;
}

/** One long poll of the subscription (about `waitMs`): up to 100 notifications, or none when the wait ended empty. */
export async function pullNotifications(
	ctx: Context,
	n: InstantNames,
	opts: { waitMs: number; abortSignal?: AbortSignal },
): Promise<Notification[]> {
	const res = await pubsubRequest<
		{ receivedMessages?: Array<{ ackId: string; message?: { data?: string } }> } | undefined
	>(ctx, {
		method: 'POST',
		path: `${subscriptionPath(n)}:pull`,
		body: { maxMessages: 100 },
		// Pub/Sub holds an empty pull open; it is told to answer within the wait, and the request's deadline is
		// later, so no notification is leased to a pull the trigger already gave up on (it would come back only
		// after the ack deadline)
		serverTimeoutS: Math.max(1, Math.floor(opts.waitMs / 1000)),
		timeoutMs: Math.max(1, Math.floor(opts.waitMs / 1000)) * 1000 + PULL_GRACE_MS,
		abortSignal: opts.abortSignal,
		// a long poll that ends without an answer (its deadline, or the deactivation) is an empty pull
		emptyOnTimeout: true,
		// the loop pulls again anyway: one attempt, no backoff here
		retry: { maxAttempts: 1, baseDelayMs: 0, maxDelayMs: 0 },
	});
	return (res?.receivedMessages ?? []).map((m) => {
		let data: IDataObject = {};
		try {
			data = JSON.parse(
				Buffer.from(m.message?.data ?? '', 'base64').toString('utf8'),
			) as IDataObject;
		} catch {
			// not Gmail's JSON: acknowledged with the rest, the history read decides what happened
		}
		return {
			ackId: m.ackId,
			emailAddress: typeof data.emailAddress === 'string' ? data.emailAddress : undefined,
			historyId: data.historyId === undefined ? undefined : String(data.historyId),
		};
	});
}

export async function acknowledge(ctx: Context, n: InstantNames, ackIds: string[]): Promise<void> {
	if (!ackIds.length) return;
	await pubsubRequest(ctx, {
		method: 'POST',
		path: `${subscriptionPath(n)}:acknowledge`,
		body: { ackIds },
	});
}

export async function deleteSubscription(ctx: Context, n: InstantNames): Promise<void> {
	await pubsubRequest(ctx, { method: 'DELETE', path: subscriptionPath(n) });
}
