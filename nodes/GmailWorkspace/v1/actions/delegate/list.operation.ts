import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { adminCall, adminFields, adminTarget, refusal } from '../helpers/admin';
import { forEachItem } from '../helpers/items';

export const description: INodeProperties[] = [
	...adminFields('delegate', ['list'], 'The Workspace user whose delegates to list'),
];

/** List Delegates: one output item per delegate of the user (none when the user has no delegates). */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.delegates);
		let res: IDataObject;
		try {
			res = await adminCall(this, 'gmail.users.settings.delegates.list', {
				as: target,
				itemIndex: i,
			});
		} catch (error) {
			throw refusal(this, error, `Listing the delegates of ${target.user} failed`, i);
		}
		return ((res.delegates as IDataObject[] | undefined) ?? []).map((d) => ({
			delegatorEmail: target.user,
			delegateEmail: d.delegateEmail,
			verificationStatus: d.verificationStatus,
		}));
	});
}
