import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { CONSUMER_DOMAINS } from '../../readiness/preflight';
import { adminCall, adminFields, adminTarget, createOrExisting, domainOf } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { readBoolean, readEmail } from '../../params';

/** Google's limit of delegates per user. */
export const MAX_DELEGATES = 25;
const show = { resource: ['delegate'], operation: ['add'] };

export const description: INodeProperties[] = [
	...adminFields(
		'delegate',
		['add'],
		'The Workspace user whose mailbox the delegate gets access to (the delegator)',
	),
	{
		displayName: 'Delegate Email',
		name: 'delegateEmail',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'bob@example.com',
		description:
			'Primary email address of a user in the same Google Workspace organization (not an alias or group). A user can have at most 25 delegates. If the user is already a delegate, the card succeeds with "alreadyExisted" true unless "Fail If Already a Delegate" is on.',
		displayOptions: { show },
	},
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Fail If Already a Delegate',
				name: 'failIfExists',
				type: 'boolean',
				default: false,
				description:
					'Whether to stop with an error when the delegate already exists, instead of succeeding with "alreadyExisted" true',
			},
		],
	},
];

/** Add Delegate: give a colleague access to a user's mailbox (read, send on behalf, delete). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.delegates);
		const delegate = readEmail(this, i, 'delegateEmail', 'Delegate Email', { required: true });
		const failIfExists = readBoolean(this, i, 'options.failIfExists', 'Fail If Already a Delegate');
		if (delegate === target.user) {
			throw new NodeOperationError(
				this.getNode(),
				`"Delegate Email" ${delegate} is the user itself: a user cannot be their own delegate`,
				{ itemIndex: i },
			);
		}
		if (CONSUMER_DOMAINS.includes(domainOf(delegate))) {
			throw new NodeOperationError(
				this.getNode(),
				`"Delegate Email" ${delegate} is a consumer Gmail account: a delegate must be a user of ${target.user}'s Google Workspace organization`,
				{ itemIndex: i },
			);
		}
		const out = (verificationStatus: unknown, alreadyExisted: boolean): IDataObject => {
			if (alreadyExisted && failIfExists) {
				throw new NodeOperationError(
					this.getNode(),
					`${delegate} is already a delegate of ${target.user} (status ${String(verificationStatus)})`,
					{ itemIndex: i },
				);
			}
			return {
				delegatorEmail: target.user,
				delegateEmail: delegate,
				verificationStatus: verificationStatus as string,
				alreadyExisted,
			};
		};

		const current = await adminCall(this, 'gmail.users.settings.delegates.list', {
			as: target,
			itemIndex: i,
		});
		const delegates = (current.delegates as IDataObject[] | undefined) ?? [];
		const found = delegates.find((d) => String(d.delegateEmail).toLowerCase() === delegate);
		if (found) return out(found.verificationStatus, true);
		if (delegates.length >= MAX_DELEGATES) {
			throw new NodeOperationError(
				this.getNode(),
				`${target.user} already has ${delegates.length} delegates, Google's maximum is ${MAX_DELEGATES}: remove one (Delete Delegate) before adding ${delegate}`,
				{ itemIndex: i },
			);
		}
		// a 409 here: added meanwhile (or by a retried request that Google had processed)
		const { stored, alreadyExisted } = await createOrExisting(
			this,
			i,
			target,
			{ id: 'gmail.users.settings.delegates.create', body: { delegateEmail: delegate } },
			{ id: 'gmail.users.settings.delegates.get', params: { delegateEmail: delegate } },
			`Google refused to add ${delegate} as a delegate of ${target.user}`,
		);
		return out(stored.verificationStatus, alreadyExisted);
	});
}
