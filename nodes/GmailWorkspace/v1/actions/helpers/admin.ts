import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { gmailApiRequest, type GmailCall } from '../../transport';
import type { Impersonation } from '../../transport/auth';
import type { GmailMethodId } from '../../transport/methods';
import { isAuthFailure, serviceAccountFor } from '../../transport/auth';
import { authentication } from '../../transport/credentials';
import type { HttpFailure } from '../../transport/errors';
import { adminPreflight, CONSUMER_DOMAINS } from '../../readiness/preflight';
import { DEFAULT_RETRY } from '../../transport/retry';
import { readEmail } from '../../params';
import { asNodeError } from './items';

export const domainOf = (email: string) => email.split('@')[1] ?? '';

/** "User Email" and "Service Account": the fields every admin card starts with. */
export function adminFields(
	resource: string,
	operations: string[],
	userDescription: string,
): INodeProperties[] {
	const show = { resource: [resource], operation: operations };
	return [
		{
			displayName: 'User Email',
			name: 'userEmail',
			type: 'string',
			required: true,
			default: '',
			placeholder: 'alice@example.com',
			description: userDescription,
			displayOptions: { show },
		},
		{
			displayName: 'Service Account',
			name: 'adminServiceAccount',
			type: 'resourceLocator',
			default: { mode: 'list', value: '' },
			description:
				"Service account with domain-wide delegation to act through. Leave empty to use the credential's.",
			displayOptions: { show: { ...show, authentication: ['oAuth2', 'refreshToken'] } },
			modes: [
				{
					displayName: 'From List',
					name: 'list',
					type: 'list',
					placeholder: "Credential's default",
					typeOptions: { searchListMethod: 'searchServiceAccounts', searchable: true },
				},
				{
					displayName: 'By Email',
					name: 'email',
					type: 'string',
					placeholder: 'gmail-admin@my-project.iam.gserviceaccount.com',
					validation: [
						{
							type: 'regex',
							properties: {
								regex: '^\\s*[^@\\s]+@[^@\\s]+\\s*$',
								errorMessage: 'Not a service account email',
							},
						},
					],
				},
			],
		},
	];
}

/**
 * Who an admin card acts as for item `itemIndex`: the "User Email" (a Workspace user), through the card's
 * or the credential's service account, after the once-per-execution pre-flight passed.
 */
export async function adminTarget(
	ctx: IExecuteFunctions,
	itemIndex: number,
	scopes: readonly string[],
): Promise<Impersonation & { user: string; serviceAccount: string }> {
	const user = readEmail(ctx, itemIndex, 'userEmail', 'User Email', { required: true });
	if (CONSUMER_DOMAINS.includes(domainOf(user))) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"User Email" ${user} is a consumer Gmail account: Google offers delegates, forwarding and user settings to admins only for users of a Google Workspace domain [item ${itemIndex}]`,
			{ itemIndex },
		);
	}
	// a service-account key is the service account: the card shows no override then
	const overrideEmail =
		authentication(ctx) === 'serviceAccount'
			? ''
			: readEmail(ctx, itemIndex, 'adminServiceAccount', 'Service Account', {
					what: 'a service account email',
				});
	const serviceAccount = await serviceAccountFor(ctx, overrideEmail);
	await adminPreflight(ctx, serviceAccount, itemIndex);
	return { user, serviceAccount, scopes, itemIndex };
}

/** Google's HTTP status of a failed call (NodeApiError from the transport), if any. */
export function httpStatus(error: unknown): number | undefined {
	if (!(error instanceof NodeApiError)) return undefined;
	const code = Number(error.httpCode);
	return Number.isInteger(code) && code >= 100 ? code : undefined;
}

/** A Google refusal re-worded with what the card was doing; Google's own words stay in the description. */
export function refusal(
	ctx: IExecuteFunctions,
	error: unknown,
	what: string,
	itemIndex: number,
): NodeOperationError | NodeApiError {
	if (!(error instanceof NodeApiError) || isAuthFailure(error) || !httpStatus(error))
		return asNodeError(ctx.getNode(), error, itemIndex);
	return new NodeOperationError(ctx.getNode(), `${what}: ${error.message}`, {
		itemIndex,
		description: error.description ?? undefined,
	});
}

/** One Gmail settings call of an admin card (a JSON object back, {} for an empty answer). */
export async function adminCall(
	ctx: IExecuteFunctions,
	id: GmailMethodId,
	call: GmailCall,
): Promise<IDataObject> {
	return ((await gmailApiRequest(ctx, id, call)) as IDataObject | undefined) ?? {};
}

/**
 * Creates a setting of the target user; when Google answers 409 (it exists already, or a retried create
 * had gone through) reads the existing one instead. Any other failure is refused with `what`.
 */
export async function createOrExisting(
	ctx: IExecuteFunctions,
	itemIndex: number,
	as: Impersonation,
	create: { id: GmailMethodId; body: IDataObject },
	existing: { id: GmailMethodId; params: Record<string, string> },
	what: string,
): Promise<{ stored: IDataObject; alreadyExisted: boolean }> {
	// an attempt whose answer was lost (reset, timeout, 5xx) may have created it: a 409 after one is our own
	let ours = false;
	const retry = {
		...DEFAULT_RETRY,
		safeToRetry: async (f: HttpFailure) => {
			ours ||= f.network || (f.status ?? 0) >= 500;
			return true;
		},
	};
	try {
		return {
			stored: await adminCall(ctx, create.id, { as, itemIndex, body: create.body, retry }),
			alreadyExisted: false,
		};
	} catch (error) {
		if (httpStatus(error) !== 409) throw refusal(ctx, error, what, itemIndex);
		return {
			stored: await adminCall(ctx, existing.id, { as, itemIndex, params: existing.params }),
			alreadyExisted: !ours,
		};
	}
}
