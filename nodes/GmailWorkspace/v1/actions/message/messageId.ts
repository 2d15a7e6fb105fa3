import type {
	IExecuteFunctions,
	INodeParameterResourceLocator,
	INodeProperties,
} from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { asText, paramError } from '../../params';

/**
 * A field for a Gmail message or thread: its ID, or a link to it in Gmail's web app (the conversation's
 * hexadecimal ID is the message ID of its first message, so both read links the same way).
 */
export const gmailIdLocator = (
	kind: 'message' | 'thread',
	resource: string,
	operations: string[],
	name = `${kind}Id`,
	// "Message ID", not "Message": Reply also has a "Message" (its text), and n8n names an AI tool's
	// $fromAI key after the display name, so the two would share one key
	displayName = kind === 'message' ? 'Message ID' : 'Thread ID',
): INodeProperties => ({
	displayName,
	name,
	type: 'resourceLocator',
	default: { mode: 'id', value: '' },
	required: true,
	displayOptions: { show: { resource: [resource], operation: operations } },
	modes: [
		{
			displayName: 'By ID',
			name: 'id',
			type: 'string',
			placeholder: '18c9f0e2a1b2c3d4',
			validation: [
				{
					type: 'regex',
					properties: { regex: '^[A-Za-z0-9_-]+$', errorMessage: `Not a Gmail ${kind} ID` },
				},
			],
		},
		{
			displayName: 'By URL',
			name: 'url',
			type: 'string',
			placeholder: 'https://mail.google.com/mail/u/0/#inbox/18c9f0e2a1b2c3d4',
		},
	],
});

/** The Message field: a Gmail message ID, or a link to the message in Gmail's web app. */
export const messageLocator = (operations: string[]): INodeProperties =>
	gmailIdLocator('message', 'message', operations);

/** Message ID from a Gmail web link: "#<view>/…/<hex id>" or a permalink's "permmsgid=msg-f:<decimal>". */
export function idFromGmailUrl(url: string): string | undefined {
	const perm = /[?&#]permmsgid=msg-[af]:(\d+)/.exec(url);
	if (perm) return BigInt(perm[1]).toString(16);
	const hex = /#[^?]*\/([0-9a-f]{12,20})(?:[?/].*)?$/i.exec(url);
	return hex ? hex[1].toLowerCase() : undefined;
}

/** Gmail message, thread and draft IDs: letters, digits, "_" and "-" (so they are safe in a URL path). */
export const GMAIL_ID = /^[A-Za-z0-9_-]{1,200}$/;

const DRAFT_ID_HINT =
	'give the "ID" that Create Draft or List Drafts output (e.g. r-1234567890123456789); Gmail\'s links do not contain it';

export function messageIdParam(
	ctx: IExecuteFunctions,
	itemIndex: number,
	name = 'messageId',
	label = 'Message',
): string {
	return gmailIdParam(ctx, itemIndex, 'message', name, label);
}

/**
 * The message, thread or draft ID of item `itemIndex` from a locator field: an ID, or (messages and threads) a
 * Gmail link. A draft's API ID (r-…) appears in no Gmail link, so a link in a Draft field is refused as such.
 */
export function gmailIdParam(
	ctx: IExecuteFunctions,
	itemIndex: number,
	kind: 'message' | 'thread' | 'draft',
	name: string,
	label: string,
): string {
	const loc = ctx.getNodeParameter(name, itemIndex, undefined, { extractValue: false }) as
		| INodeParameterResourceLocator
		| string
		| undefined;
	const isLocator = typeof loc === 'object' && loc !== null && '__rl' in loc;
	const mode = isLocator ? (loc as INodeParameterResourceLocator).mode : 'id';
	const value = asText(
		ctx,
		label,
		isLocator ? (loc as INodeParameterResourceLocator).value : loc,
		itemIndex,
	).trim();
	const isLink = mode === 'url' || /^https?:\/\//.test(value);
	if (kind === 'draft') {
		if (!value) throw paramError(ctx, label, 'is empty: give a draft ID', itemIndex);
		if (isLink)
			throw paramError(ctx, label, `is a link: ${DRAFT_ID_HINT}`, itemIndex, value.slice(0, 200));
		if (!GMAIL_ID.test(value))
			throw paramError(ctx, label, `is not a Gmail draft ID (${DRAFT_ID_HINT})`, itemIndex, value);
		return value;
	}
	if (!value)
		throw paramError(ctx, label, `is empty: give a ${kind} ID or a Gmail link`, itemIndex);
	if (!isLink) {
		if (!GMAIL_ID.test(value))
			throw paramError(ctx, label, `is not a Gmail ${kind} ID`, itemIndex, value);
		return value;
	}
	const id = idFromGmailUrl(value);
	if (!id) {
		throw new NodeOperationError(
			ctx.getNode(),
			`Could not find a ${kind} ID in the link "${value.slice(0, 200)}" ("${label}") [item ${itemIndex}]`,
			{
				itemIndex,
				description:
					'Links whose last part is a hexadecimal ID (…/#inbox/18c9f0e2a1b2c3d4) or that carry permmsgid=msg-f:… work. Newer links (…/#inbox/FMfcgz…) do not contain the API ID: use the ID from a search card instead.',
			},
		);
	}
	return id;
}
