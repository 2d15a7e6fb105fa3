import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { serviceAccountUserScopes, splitScopes } from '../../../../../credentials/scopes';
import { authentication, credentialType } from '../../transport/credentials';
import { nodeHttp } from '../../readiness/nodeHttp';
import { requestTimeoutMs } from '../../transport';
import { checkReadiness, formatReadiness } from '../../readiness/readiness';
import { forEachItem } from '../helpers/items';
import { readEmail, readText } from '../../params';
import { instantReadiness } from '../../readiness/instant';

export const description: INodeProperties[] = [
	{
		displayName: 'Service Account for Admin Cards',
		name: 'serviceAccount',
		type: 'string',
		default: '',
		placeholder: 'gmail-admin@my-project.iam.gserviceaccount.com',
		description: "Check this service account instead of the credential's default",
		displayOptions: { show: { resource: ['connection'], operation: ['check'] } },
	},
	{
		displayName: 'Cloud Project for Instant Trigger',
		name: 'instantProject',
		type: 'string',
		default: '',
		placeholder: 'my-project-123',
		description:
			"Also check that the Gmail Workspace Trigger's Instant (Pub/Sub) delivery can run in this Cloud project (the OAuth client's)",
		displayOptions: { show: { resource: ['connection'], operation: ['check'] } },
	},
];

/** Which scopes the connection holds: what Google reported when it issued the token. */
async function grantedScopes(
	ctx: IExecuteFunctions,
): Promise<{ granted: string[]; configured: string[]; serviceAccount: string }> {
	const creds = await ctx.getCredentials(credentialType(ctx));
	const token = (creds.oauthTokenData ?? {}) as IDataObject;
	if (authentication(ctx) === 'serviceAccount') {
		return {
			granted: serviceAccountUserScopes(creds),
			configured: [],
			serviceAccount: String(creds.email ?? ''),
		};
	}
	return {
		granted: splitScopes(String(token.scope ?? creds.scope ?? '')),
		configured: splitScopes(String(creds.scope ?? '')),
		serviceAccount: String(creds.serviceAccountEmail ?? ''),
	};
}

/** Check connection: which cards this connection can run, and what to fix for the others. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const { granted, configured, serviceAccount } = await grantedScopes(this);
		const override = readEmail(this, i, 'serviceAccount', 'Service Account', {
			what: 'a service account email',
		});
		const readiness = await checkReadiness(nodeHttp(this, requestTimeoutMs(this, i)), {
			grantedScopes: granted,
			configuredScopes: configured,
			serviceAccount: override || serviceAccount || undefined,
		});
		const project = readText(this, i, 'instantProject', 'Cloud Project for Instant Trigger', {
			singleLine: true,
		});
		if (project && readiness.account) {
			const card = await instantReadiness(this, project, granted);
			readiness.cards.push(card);
			if (!card.ready) readiness.ok = false;
		}
		return { ...readiness, summary: formatReadiness(readiness) } as unknown as IDataObject;
	});
}
