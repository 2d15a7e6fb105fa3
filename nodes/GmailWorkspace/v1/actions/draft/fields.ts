import type { INodeProperties } from 'n8n-workflow';

import { attachmentsField } from '../message/send/attachments';
import { sendFields } from '../message/send/fields';
import { readOptionsField } from '../message/options';

const show = (operations: string[]) => ({ resource: ['draft'], operation: operations });

/** The Draft field: a draft ID (Create's and List's output `id`, Get's `draftId`). */
export const draftLocator = (operations: string[]): INodeProperties => ({
	displayName: 'Draft',
	name: 'draftId',
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	description:
		'The ID of the draft (the "ID" of Create Draft or List Drafts, e.g. r-1234567890123456789)',
	displayOptions: { show: show(operations) },
	// no list mode: naming drafts in a dropdown costs a drafts.get per draft (20 quota units each since 2026)
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: 'r-1234567890123456789',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: 'Not a Gmail draft ID' },
				},
			],
		},
	],
});

const threadIdOption: INodeProperties = {
	displayName: 'Thread ID',
	name: 'threadId',
	type: 'string',
	default: '',
	description:
		'Put the draft in this thread as a reply to its latest message (In-Reply-To, References, "Re:" subject when Subject is empty). "Reply to Message ID" wins when both are set.',
};

const KEEP: Record<string, string> = {
	to: "Recipients, separated by commas. Leave empty to keep the draft's recipients.",
	subject: "Leave empty to keep the draft's subject",
	message: "Leave empty (and HTML empty) to keep the draft's body",
	html: "Leave empty (and Message empty) to keep the draft's body",
};

/**
 * Create's and Update's message fields: Send's (To, Subject, body, CC/BCC, From alias, sender name, Reply-To,
 * custom headers, reply threading), plus a Thread ID option and optional attachments from binary data. On
 * Update every field is optional: what is left empty keeps the draft's current value.
 */
export function composeFields(operation: 'create' | 'update'): INodeProperties[] {
	const update = operation === 'update';
	const fields = sendFields(operation, 'draft').map((f): INodeProperties => {
		if (f.name === 'options') return { ...f, options: [...(f.options ?? []), threadIdOption] };
		if (update && KEEP[f.name])
			return { ...f, required: false, description: KEEP[f.name] } as INodeProperties;
		return f;
	});
	return [
		...fields,
		{
			...attachmentsField,
			default: {},
			description: update
				? 'Files from binary data. When none are given, the draft keeps its current attachments; when some are, they replace them all.'
				: 'Files from binary data to attach',
			displayOptions: { show: show([operation]) },
		},
	];
}

/** Get's and List's detail choice. */
export const detailField = (operations: string[]): INodeProperties => ({
	displayName: 'Detail',
	name: 'detail',
	type: 'options',
	default: 'full',
	displayOptions: { show: show(operations) },
	options: [
		{
			name: 'Simple',
			value: 'metadata',
			description: 'Addresses, subject, date, snippet and labels; no bodies or attachments',
		},
		{ name: 'Full', value: 'full', description: 'Also the bodies and the attachments' },
	],
});

/** Read Email's options (attachments as binary, all headers), shown on the Draft read cards. */
export const draftReadOptions = (operations: string[]): INodeProperties => ({
	...readOptionsField([]),
	displayOptions: { show: show(operations) },
});
