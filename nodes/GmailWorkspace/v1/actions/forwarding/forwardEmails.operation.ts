import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import { adminCall, adminFields, adminTarget, createOrExisting, refusal } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { readBoolean, readEmail, readOption } from '../../params';

const show = { resource: ['forwarding'], operation: ['forwardEmails'] };

/** What Gmail does with the user's copy of a forwarded message (AutoForwarding.disposition). */
export const DISPOSITION_OPTIONS = [
	{ name: 'Archive', value: 'archive' },
	{ name: 'Leave in Inbox', value: 'leaveInInbox' },
	{ name: 'Mark as Read', value: 'markRead' },
	{ name: 'Move to Trash', value: 'trash' },
];
const DISPOSITIONS = DISPOSITION_OPTIONS.map((o) => o.value);

export const description: INodeProperties[] = [
	...adminFields(
		'forwarding',
		['forwardEmails'],
		'The Workspace user whose incoming mail is forwarded',
	),
	{
		displayName: 'Forward To',
		name: 'forwardTo',
		type: 'string',
		required: true,
		default: '',
		placeholder: 'archive@example.com',
		description:
			"Address that receives a copy of every incoming message. An address of the user's own domain is accepted at once; an external address must first be confirmed by its owner (Google emails a verification link), and until then forwarding stays off.",
		displayOptions: { show },
	},
	{
		displayName: 'Disposition',
		name: 'disposition',
		type: 'options',
		default: 'leaveInInbox',
		options: DISPOSITION_OPTIONS,
		description: "What happens to the message in the user's mailbox after it is forwarded",
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
				displayName: 'Only Create the Forwarding Address',
				name: 'onlyCreateAddress',
				type: 'boolean',
				default: false,
				description:
					'Whether to only register the forwarding address (and send the verification email for an external one), leaving auto-forwarding as it is',
			},
		],
	},
];

/**
 * Forward Emails: register the forwarding address (an existing one is fine), then turn on auto-forwarding
 * to it when Google has accepted it. A pending address (external, awaiting its owner's confirmation) is
 * reported with enabled false and a note: forwarding is never claimed to be on before Google says so.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.forwarding);
		const to = readEmail(this, i, 'forwardTo', 'Forward To', { required: true });
		const disposition = readOption(
			this,
			i,
			'disposition',
			'Disposition',
			DISPOSITIONS,
			'leaveInInbox',
		);
		const onlyCreateAddress = readBoolean(
			this,
			i,
			'options.onlyCreateAddress',
			'Only Create the Forwarding Address',
		);
		if (to === target.user) {
			throw new NodeOperationError(
				this.getNode(),
				`"Forward To" ${to} is the user's own address: forward to another address`,
				{ itemIndex: i },
			);
		}
		const { stored: address } = await createOrExisting(
			this,
			i,
			target,
			{ id: 'gmail.users.settings.forwardingAddresses.create', body: { forwardingEmail: to } },
			{ id: 'gmail.users.settings.forwardingAddresses.get', params: { forwardingEmail: to } },
			`Google refused ${to} as a forwarding address of ${target.user}`,
		);
		const verificationStatus = String(address.verificationStatus ?? 'pending');
		const result: IDataObject = { userEmail: target.user, forwardingEmail: to, verificationStatus };
		const pendingNote = `${to} is awaiting confirmation: Google sent its owner a verification email, and auto-forwarding stays off until the owner confirms. Run this card again after the confirmation.`;

		if (onlyCreateAddress) {
			const current = await adminCall(this, 'gmail.users.settings.getAutoForwarding', {
				as: target,
				itemIndex: i,
			});
			const enabled =
				current.enabled === true && String(current.emailAddress ?? '').toLowerCase() === to;
			const note = `Only the forwarding address was created; auto-forwarding was left as it was.${verificationStatus === 'accepted' ? '' : ` ${pendingNote}`}`;
			return { ...result, enabled, ...(enabled ? { disposition: current.disposition } : {}), note };
		}
		if (verificationStatus !== 'accepted')
			return { ...result, enabled: false, disposition, note: pendingNote };

		try {
			const forwarding = await adminCall(this, 'gmail.users.settings.updateAutoForwarding', {
				as: target,
				itemIndex: i,
				body: { enabled: true, emailAddress: to, disposition },
			});
			return {
				...result,
				enabled: forwarding.enabled === true,
				disposition: forwarding.disposition ?? disposition,
			};
		} catch (error) {
			throw refusal(
				this,
				error,
				`Google refused to turn on forwarding from ${target.user} to ${to}`,
				i,
			);
		}
	});
}
