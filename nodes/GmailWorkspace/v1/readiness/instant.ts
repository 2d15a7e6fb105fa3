import { CLOUD_PLATFORM, PUBSUB } from '../../../../credentials/scopes';
import { pubsubRequest } from '../transport/cloud';
import type { Context } from '../transport/credentials';
import { describeFailure, settle } from '../transport/errors';
import { instantNames, setupProblem } from '../trigger/pubsub';
import type { CardReadiness } from './readiness';

const CARD = 'Instant Trigger (Pub/Sub)';

/**
 * Whether the trigger's Instant delivery can start in `project`: the Pub/Sub scope, the API enabled and the
 * account allowed to read topics there (a lookup of the trigger's own topic name: 404 is fine). Creating the
 * topic and granting Gmail's publisher role are checked on activation, where each failure names its fix.
 */
export async function instantReadiness(
	ctx: Context,
	project: string,
	grantedScopes: string[],
): Promise<CardReadiness> {
	if (!grantedScopes.some((s) => s === PUBSUB || s === CLOUD_PLATFORM))
		return {
			card: CARD,
			ready: false,
			fix: 'needs the "pubsub" or "cloud-platform" scope: choose a scope set that includes it and reconnect',
		};
	const names = instantNames(project, 'check', 'check');
	const got = await settle(() =>
		pubsubRequest(ctx, { method: 'GET', path: `projects/${project}/topics/${names.topic}` }),
	);
	if (!('failure' in got) || describeFailure(got.failure).status === 404)
		return { card: CARD, ready: true };
	const fix = setupProblem(got.failure, names, 'read Pub/Sub topics');
	if (fix) return { card: CARD, ready: false, fix };
	throw got.failure as Error;
}
