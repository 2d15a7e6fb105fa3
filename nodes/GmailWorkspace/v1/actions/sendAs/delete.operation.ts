import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { adminCall, adminFields, adminTarget, httpStatus, refusal } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { readEmail } from '../../params';

export const description: INodeProperties[] = [
	...adminFields('sendAs', ['delete'], 'The Workspace user whose alias to remove'),
	{
		displayName: 'Alias Email',
		name: 'sendAsEmail',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'sales@example.com',
		description:
			'The send-as alias to remove (not the primary address). If the user has no such alias, the card succeeds with "deleted" false.',
		displayOptions: { show: { resource: ['sendAs'], operation: ['delete'] } },
	},
];

/** Delete Send-As Alias: remove an address the user could send as. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.sendAs);
		const sendAsEmail = readEmail(this, i, 'sendAsEmail', 'Alias Email', { required: true });
		try {
			await adminCall(this, 'gmail.users.settings.sendAs.delete', {
				as: target,
				itemIndex: i,
				params: { sendAsEmail },
			});
			return { userEmail: target.user, sendAsEmail, deleted: true };
		} catch (error) {
			if (httpStatus(error) === 404) return { userEmail: target.user, sendAsEmail, deleted: false };
			throw refusal(
				this,
				error,
				`Google refused to remove the send-as alias ${sendAsEmail} of ${target.user}`,
				i,
			);
		}
	});
}
