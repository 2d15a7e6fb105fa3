import { getLabels, getSendAs } from './loadOptions';
import { searchServiceAccounts } from './serviceAccounts';

/** loadOptions / listSearch methods of the node (dropdowns loaded from the account). */
export const methods = {
	loadOptions: { getLabels, getSendAs },
	listSearch: { searchServiceAccounts },
};
