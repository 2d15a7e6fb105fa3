import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { adminCall, adminFields, adminTarget, httpStatus, refusal } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { readEmail } from '../../params';

export const description: INodeProperties[] = [
	...adminFields(
		'delegate',
		['delete'],
		'The Workspace user whose delegate to remove (the delegator)',
	),
	{
		displayName: 'Delegate Email',
		name: 'delegateEmail',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'bob@example.com',
		description:
			'The delegate to remove. If it is not a delegate of the user, the card succeeds with "deleted" false.',
		displayOptions: { show: { resource: ['delegate'], operation: ['delete'] } },
	},
];

/** Delete Delegate: remove a delegate's access to the user's mailbox. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.delegates);
		const delegate = readEmail(this, i, 'delegateEmail', 'Delegate Email', { required: true });
		try {
			await adminCall(this, 'gmail.users.settings.delegates.delete', {
				as: target,
				itemIndex: i,
				params: { delegateEmail: delegate },
			});
			return { delegatorEmail: target.user, delegateEmail: delegate, deleted: true };
		} catch (error) {
			if (httpStatus(error) === 404)
				return { delegatorEmail: target.user, delegateEmail: delegate, deleted: false };
			throw refusal(
				this,
				error,
				`Google refused to remove ${delegate} as a delegate of ${target.user}`,
				i,
			);
		}
	});
}
