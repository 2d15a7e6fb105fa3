import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { SERVICE_ACCOUNT_USER_SCOPES, splitScopes } from '../../../../../credentials/scopes';
import { authentication, credentialType } from '../../transport/credentials';
import { nodeHttp } from '../../readiness/nodeHttp';
import { requestTimeoutMs } from '../../transport';
import { checkReadiness, formatReadiness } from '../../readiness/readiness';
import { forEachItem } from '../helpers/items';
import { readEmail } from '../../params';

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
];

/** Which scopes the connection holds: what Google reported when it issued the token. */
async function grantedScopes(
	ctx: IExecuteFunctions,
): Promise<{ granted: string[]; configured: string[]; serviceAccount: string }> {
	const creds = await ctx.getCredentials(credentialType(ctx));
	const token = (creds.oauthTokenData ?? {}) as IDataObject;
	if (authentication(ctx) === 'serviceAccount') {
		return {
			granted: SERVICE_ACCOUNT_USER_SCOPES,
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
		return { ...readiness, summary: formatReadiness(readiness) } as unknown as IDataObject;
	});
}
