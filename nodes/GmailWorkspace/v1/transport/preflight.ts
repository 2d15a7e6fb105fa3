import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { CLOUD_PLATFORM, splitScopes } from '../../../../credentials/scopes';
import { authentication, credentialId, credentialType } from './credentials';
import { nodeHttp } from './nodeHttp';

/** Google's consumer Gmail domains: no Workspace, so no domain-wide delegation and no admin settings. */
export const CONSUMER_DOMAINS = ['gmail.com', 'googlemail.com'];
const IAM_SCOPE = 'https://www.googleapis.com/auth/iam';

const grantCommand = (sa: string, email: string, role: string) =>
	`gcloud iam service-accounts add-iam-policy-binding ${sa} --member=user:${email} --role=roles/iam.${role}`;

/**
 * Why the connected account cannot act through `sa`, or undefined when it can: a Workspace account,
 * the cloud-platform scope, and the Service Account User + Token Creator roles on the service account.
 * (Domain-wide delegation itself is proven by the first token exchange, whose error names the fix.)
 */
async function blocker(ctx: IExecuteFunctions, sa: string): Promise<string | undefined> {
	const http = nodeHttp(ctx);
	if (authentication(ctx) === 'oAuth2') {
		const creds = await ctx.getCredentials(credentialType(ctx));
		const granted = splitScopes(String(((creds.oauthTokenData ?? {}) as IDataObject).scope ?? ''));
		if (granted.length && !granted.includes(CLOUD_PLATFORM) && !granted.includes(IAM_SCOPE)) {
			return 'The admin cards need the cloud-platform scope to act through the service account: in the credential choose the "All Cards" or "Admin Settings" scope set and reconnect the account.';
		}
	}
	const me = await http({ method: 'GET', url: 'https://www.googleapis.com/oauth2/v3/userinfo', signed: true });
	if (me.status === 401) return `Google did not accept the connection's token (HTTP 401): reconnect the account.`;
	const email = String(me.body?.email ?? '');
	if (me.status < 400 && email) {
		const domain = me.body?.hd ? String(me.body.hd) : undefined;
		if (!domain || CONSUMER_DOMAINS.includes(domain)) {
			return `The admin cards need a Google Workspace account: ${email} is a consumer Gmail account, and Google offers delegates, forwarding and user settings through domain-wide delegation only to Workspace domains. Connect an administrator of your Workspace domain.`;
		}
	}
	const who = email || 'the connected account';
	const perms = await http({
		method: 'POST',
		url: `https://iam.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(sa)}:testIamPermissions`,
		signed: true,
		json: { permissions: ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.signJwt'] },
	});
	if (perms.status === 404) return `Service account ${sa} was not found: check the "Service Account" of the card or the credential.`;
	if (perms.status === 401 || perms.status === 403) {
		return `Could not check ${who}'s roles on ${sa} (HTTP ${perms.status}): the connection needs the cloud-platform scope and access to the service account's project.`;
	}
	if (perms.status >= 400) return `Could not check ${who}'s roles on ${sa} (HTTP ${perms.status}).`;
	const held: string[] = perms.body?.permissions ?? [];
	const member = email || '<your-admin-email>';
	if (!held.includes('iam.serviceAccounts.actAs')) {
		return `${who} needs the Service Account User role on ${sa}: grant it with \`${grantCommand(sa, member, 'serviceAccountUser')}\``;
	}
	if (!held.includes('iam.serviceAccounts.signJwt')) {
		return `${who} needs the Service Account Token Creator role on ${sa}: grant it with \`${grantCommand(sa, member, 'serviceAccountTokenCreator')}\``;
	}
	return undefined;
}

// One check per execution, credential and service account (pending checks are shared by items).
const checks = new Map<string, Promise<string | undefined>>();
const MAX_REMEMBERED = 200;

/**
 * The admin cards' pre-flight: run once per execution before the first impersonated call, and fail with
 * the exact fix. A service-account-key credential skips it: the key is the service account itself.
 */
export async function adminPreflight(ctx: IExecuteFunctions, serviceAccount: string, itemIndex: number): Promise<void> {
	if (authentication(ctx) === 'serviceAccount') return;
	const key = [ctx.getExecutionId(), credentialId(ctx), serviceAccount.toLowerCase()].join('|');
	let check = checks.get(key);
	if (!check) {
		check = blocker(ctx, serviceAccount);
		checks.set(key, check);
		if (checks.size > MAX_REMEMBERED) checks.delete(checks.keys().next().value as string);
	}
	const problem = await check;
	if (problem) throw new NodeOperationError(ctx.getNode(), problem, { itemIndex });
}
