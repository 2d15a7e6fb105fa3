import type {
	IDataObject,
	IExecuteFunctions,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { ADMIN_CARD_SCOPES } from '../../../../../credentials/scopes';
import type { GmailMethodId } from '../../transport/methods';
import { DISPOSITION_OPTIONS } from '../forwarding/forwardEmails.operation';
import { adminCall, adminFields, adminTarget, httpStatus, refusal } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import { rawParam, readEmail, readSettings } from '../../params';

const show = { resource: ['userSettings'], operation: ['update'] };
/** ImapSettings.maxFolderSize: Gmail accepts only these (0 = no limit). */
export const IMAP_FOLDER_SIZES = [0, 1000, 2000, 5000, 10000];
const EXPUNGE = ['archive', 'deleteForever', 'trash'] as const;
const ACCESS_WINDOWS = ['allMail', 'disabled', 'fromNowOn'] as const;
const DISPOSITIONS = DISPOSITION_OPTIONS.map((o) => o.value);

export const description: INodeProperties[] = [
	...adminFields('userSettings', ['update'], 'The Workspace user whose Gmail settings to change'),
	{
		displayName: 'IMAP',
		name: 'imap',
		type: 'collection',
		placeholder: 'Add IMAP Setting',
		default: {},
		description: 'Only the settings added here change; the others keep their current value',
		displayOptions: { show },
		options: [
			{
				displayName: 'Auto-Expunge',
				name: 'autoExpunge',
				type: 'boolean',
				default: true,
				description: 'Whether a message marked deleted in an IMAP client is expunged at once',
			},
			{
				displayName: 'Enabled',
				name: 'enabled',
				type: 'boolean',
				default: true,
				description: 'Whether IMAP access is on',
			},
			{
				displayName: 'Expunge Behavior',
				name: 'expungeBehavior',
				type: 'options',
				default: 'archive',
				description: 'What happens to a message deleted and expunged in an IMAP client',
				options: [
					{ name: 'Archive', value: 'archive' },
					{ name: 'Delete Forever', value: 'deleteForever' },
					{ name: 'Move to Trash', value: 'trash' },
				],
			},
			{
				displayName: 'Max Folder Size',
				name: 'maxFolderSize',
				type: 'options',
				default: 0,
				description: 'Most messages an IMAP folder shows',
				options: [
					{ name: 'No Limit', value: 0 },
					{ name: '1,000 Messages', value: 1000 },
					{ name: '2,000 Messages', value: 2000 },
					{ name: '5,000 Messages', value: 5000 },
					{ name: '10,000 Messages', value: 10000 },
				],
			},
		],
	},
	{
		displayName: 'POP',
		name: 'pop',
		type: 'collection',
		placeholder: 'Add POP Setting',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Access Window',
				name: 'accessWindow',
				type: 'options',
				default: 'disabled',
				description: 'Which messages POP clients can download',
				options: [
					{ name: 'All Mail', value: 'allMail' },
					{ name: 'Disabled', value: 'disabled' },
					{ name: 'Mail Arriving From Now On', value: 'fromNowOn' },
				],
			},
			{
				displayName: 'Disposition',
				name: 'disposition',
				type: 'options',
				default: 'leaveInInbox',
				description: 'What happens to a message in Gmail after a POP client downloaded it',
				options: DISPOSITION_OPTIONS,
			},
		],
	},
	{
		displayName: 'Auto-Forwarding',
		name: 'autoForwarding',
		type: 'collection',
		placeholder: 'Add Auto-Forwarding Setting',
		default: {},
		description:
			'Turning forwarding on needs an accepted forwarding address (create it with the Forward Emails card)',
		displayOptions: { show },
		options: [
			{
				displayName: 'Disposition',
				name: 'disposition',
				type: 'options',
				default: 'leaveInInbox',
				description: "What happens to the user's copy of a forwarded message",
				options: DISPOSITION_OPTIONS,
			},
			{
				displayName: 'Enabled',
				name: 'enabled',
				type: 'boolean',
				default: true,
				description: 'Whether incoming mail is forwarded',
			},
			{
				displayName: 'Forward To',
				name: 'emailAddress',
				type: 'string',
				default: '',
				placeholder: 'archive@example.com',
				description: 'An accepted forwarding address of the user',
			},
		],
	},
	{
		displayName: 'Language and Signature',
		name: 'general',
		type: 'collection',
		placeholder: 'Add Setting',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Display Language',
				name: 'displayLanguage',
				type: 'string',
				default: '',
				placeholder: 'en-GB',
				description:
					'Language tag of the Gmail interface (e.g. de, fr-CA, pt-BR). Gmail saves the closest language it offers; the output shows which.',
			},
			{
				displayName: 'Signature',
				name: 'signature',
				type: 'string',
				typeOptions: { rows: 4 },
				default: '',
				description: "HTML signature of the user's primary address. Empty removes the signature.",
			},
		],
	},
];

const isEmpty = (o: IDataObject) => Object.keys(o).length === 0;

/**
 * Update User Gmail Settings: only the settings added on the card change. Google's update* calls replace
 * the whole object, so each group is read, merged with the card's values and written back.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	return await forEachItem(this, items, async (i) => {
		const imap = readSettings(this, i, 'imap', {
			autoExpunge: { label: 'Auto-Expunge', kind: 'boolean' },
			enabled: { label: 'IMAP Enabled', kind: 'boolean' },
			expungeBehavior: { label: 'Expunge Behavior', kind: EXPUNGE },
			maxFolderSize: { label: 'Max Folder Size', kind: IMAP_FOLDER_SIZES },
		});
		const pop = readSettings(this, i, 'pop', {
			accessWindow: { label: 'Access Window', kind: ACCESS_WINDOWS },
			disposition: { label: 'POP Disposition', kind: DISPOSITIONS },
		});
		const forwarding: IDataObject = readSettings(this, i, 'autoForwarding', {
			disposition: { label: 'Auto-Forwarding Disposition', kind: DISPOSITIONS },
			enabled: { label: 'Auto-Forwarding Enabled', kind: 'boolean' },
		});
		const general = readSettings(this, i, 'general', {
			displayLanguage: { label: 'Display Language', kind: 'text' },
			signature: { label: 'Signature', kind: 'text' },
		});
		const forwardTo =
			rawParam(this, 'autoForwarding.emailAddress', i) === undefined
				? undefined
				: readEmail(this, i, 'autoForwarding.emailAddress', 'Forward To', { required: true });
		if (forwardTo !== undefined) forwarding.emailAddress = forwardTo;
		if ([imap, pop, forwarding, general].every(isEmpty)) {
			throw new NodeOperationError(
				this.getNode(),
				'Nothing to change: add at least one setting (IMAP, POP, Auto-Forwarding, or Language and Signature)',
				{ itemIndex: i },
			);
		}
		const target = await adminTarget(this, i, ADMIN_CARD_SCOPES.settings);
		const call = async (
			id: GmailMethodId,
			what: string,
			extra: { body?: IDataObject; params?: Record<string, string> } = {},
		) => {
			try {
				return await adminCall(this, id, { as: target, itemIndex: i, ...extra });
			} catch (error) {
				throw refusal(this, error, `${what} of ${target.user} failed`, i);
			}
		};
		const result: IDataObject = { userEmail: target.user };

		if (!isEmpty(imap)) {
			const current = await call('gmail.users.settings.getImap', 'Reading the IMAP settings');
			const next = { ...current, ...imap };
			result.imap = await call('gmail.users.settings.updateImap', 'Updating the IMAP settings', {
				body: next,
			});
		}
		if (!isEmpty(pop)) {
			const current = await call('gmail.users.settings.getPop', 'Reading the POP settings');
			result.pop = await call('gmail.users.settings.updatePop', 'Updating the POP settings', {
				body: { ...current, ...pop },
			});
		}
		if (!isEmpty(forwarding)) {
			const current = await call(
				'gmail.users.settings.getAutoForwarding',
				'Reading the auto-forwarding settings',
			);
			const next: IDataObject = { ...current, ...forwarding };
			if (next.enabled === true) {
				const address = String(next.emailAddress ?? '');
				if (!address) {
					throw new NodeOperationError(
						this.getNode(),
						`Turning auto-forwarding on needs "Forward To": ${target.user} forwards to no address yet`,
						{ itemIndex: i },
					);
				}
				let status: string;
				try {
					const found = await adminCall(this, 'gmail.users.settings.forwardingAddresses.get', {
						as: target,
						itemIndex: i,
						params: { forwardingEmail: address },
					});
					status = String(found.verificationStatus);
				} catch (error) {
					if (httpStatus(error) !== 404)
						throw refusal(
							this,
							error,
							`Reading the forwarding address ${address} of ${target.user} failed`,
							i,
						);
					throw new NodeOperationError(
						this.getNode(),
						`"Forward To" ${address} is not a forwarding address of ${target.user}: add it with the Forward Emails card first`,
						{ itemIndex: i },
					);
				}
				if (status !== 'accepted') {
					throw new NodeOperationError(
						this.getNode(),
						`"Forward To" ${address} is ${status}: its owner has not confirmed Google's verification email yet, so ${target.user} cannot forward to it`,
						{ itemIndex: i },
					);
				}
				next.disposition =
					next.disposition && next.disposition !== 'dispositionUnspecified'
						? next.disposition
						: 'leaveInInbox';
			}
			result.autoForwarding = await call(
				'gmail.users.settings.updateAutoForwarding',
				'Updating auto-forwarding',
				{ body: next },
			);
		}
		if (general.displayLanguage !== undefined) {
			const tag = String(general.displayLanguage).trim();
			if (!tag)
				throw new NodeOperationError(
					this.getNode(),
					'"Display Language" is empty: give a language tag such as en-GB',
					{ itemIndex: i },
				);
			result.language = await call(
				'gmail.users.settings.updateLanguage',
				'Updating the display language',
				{ body: { displayLanguage: tag } },
			);
		}
		if (general.signature !== undefined) {
			const list = await call('gmail.users.settings.sendAs.list', 'Reading the send-as addresses');
			const primary = ((list.sendAs as IDataObject[] | undefined) ?? []).find(
				(s) => s.isPrimary === true,
			);
			const sendAsEmail = String(primary?.sendAsEmail ?? target.user);
			const updated = await call('gmail.users.settings.sendAs.patch', 'Updating the signature', {
				params: { sendAsEmail },
				body: { signature: general.signature },
			});
			result.signature = { sendAsEmail, signature: updated.signature ?? '' };
		}
		return result;
	});
}
