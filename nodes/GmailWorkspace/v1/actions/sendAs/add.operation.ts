import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { adminFields, adminTarget, createOrExisting } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { readBoolean, readEmail, readText } from '../../params';

const show = { resource: ['sendAs'], operation: ['add'] };

export const description: INodeProperties[] = [
	...adminFields('sendAs', ['add'], 'The Workspace user who gets the alias'),
	{
		displayName: 'Alias Email',
		name: 'sendAsEmail',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'sales@example.com',
		description:
			"The address the user may send as. An address of your domain is ready at once; an external one waits for its owner to confirm Google's verification email.",
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
				displayName: 'Display Name',
				name: 'displayName',
				type: 'string',
				default: '',
				placeholder: 'Sales Team',
			},
			{ displayName: 'Reply-To Address', name: 'replyToAddress', type: 'string', default: '' },
			{
				displayName: 'Signature (HTML)',
				name: 'signature',
				type: 'string',
				typeOptions: { rows: 3 },
				default: '',
			},
			{
				displayName: 'Treat as Alias',
				name: 'treatAsAlias',
				type: 'boolean',
				default: true,
				description:
					'Whether Gmail treats the address as an alias of the user (replies come back to the same mailbox)',
			},
		],
	},
];

/** Add Send-As Alias: let a user send mail as another address. An existing alias is reported, not duplicated. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.sendAs);
		const sendAsEmail = readEmail(this, i, 'sendAsEmail', 'Alias Email', { required: true });
		const body: IDataObject = {
			sendAsEmail,
			treatAsAlias: readBoolean(this, i, 'options.treatAsAlias', 'Treat as Alias', true),
		};
		const displayName = readText(this, i, 'options.displayName', 'Display Name', {
			singleLine: true,
		});
		const replyToAddress = readEmail(this, i, 'options.replyToAddress', 'Reply-To Address', {
			keepCase: true,
		});
		const signature = readText(this, i, 'options.signature', 'Signature (HTML)', { trim: false });
		Object.assign(
			body,
			displayName && { displayName },
			replyToAddress && { replyToAddress },
			signature && { signature },
		);
		const { stored, alreadyExisted } = await createOrExisting(
			this,
			i,
			target,
			{ id: 'gmail.users.settings.sendAs.create', body },
			{ id: 'gmail.users.settings.sendAs.get', params: { sendAsEmail } },
			`Google refused to add ${sendAsEmail} as a send-as alias of ${target.user}`,
		);
		const pending = stored.verificationStatus === 'pending';
		return {
			userEmail: target.user,
			...stored,
			alreadyExisted,
			...(pending
				? {
						note: `Google sent a verification email to ${sendAsEmail}: the alias can be used once its owner confirms it.`,
					}
				: {}),
		};
	});
}
