import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { splitScopes } from '../../../../credentials/scopes';
import { authentication, credentialId, credentialType } from '../transport/credentials';
import { nodeHttp } from './nodeHttp';
import { adminBlocker, connectedAccount, unknownAccount } from './readiness';
import { requestTimeoutMs } from '../transport';

export { CONSUMER_DOMAINS } from './readiness';

/** The connection check's admin part, without the delegation proof (the first token exchange names that fix). */
async function blocker(
	ctx: IExecuteFunctions,
	serviceAccount: string,
	itemIndex: number,
): Promise<string | undefined> {
	const http = nodeHttp(ctx, requestTimeoutMs(ctx, itemIndex));
	const me = await connectedAccount(http);
	if (!me.account) return unknownAccount(me.status);
	const creds = await ctx.getCredentials(credentialType(ctx));
	const granted = splitScopes(String(((creds.oauthTokenData ?? {}) as IDataObject).scope ?? ''));
	return await adminBlocker(http, {
		account: me.account,
		grantedScopes: granted,
		serviceAccount,
		proveDelegation: false,
	});
}

// One check per execution, credential and service account (pending checks are shared by items).
const checks = new Map<string, Promise<string | undefined>>();
const MAX_REMEMBERED = 200;

/**
 * The admin cards' pre-flight: run once per execution before the first impersonated call, and fail with
 * the exact fix. A service-account-key credential skips it: the key is the service account itself.
 */
export async function adminPreflight(
	ctx: IExecuteFunctions,
	serviceAccount: string,
	itemIndex: number,
): Promise<void> {
	if (authentication(ctx) === 'serviceAccount') return;
	const key = [ctx.getExecutionId(), credentialId(ctx), serviceAccount.toLowerCase()].join('|');
	let check = checks.get(key);
	if (!check) {
		check = blocker(ctx, serviceAccount, itemIndex);
		checks.set(key, check);
		if (checks.size > MAX_REMEMBERED) checks.delete(checks.keys().next().value as string);
	}
	const problem = await check;
	if (problem) throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
}
