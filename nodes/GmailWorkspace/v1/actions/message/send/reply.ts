import type { IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import type { Address, GmailParsedMessage } from '../../../../mime';
import { readBoolean } from '../../../params';
import { fetchError, fetchMessages } from '../fetch';
import { attachmentsField, binaryAttachments } from './attachments';
import { composeCommon, replySubject, type Composed, type Sender } from './compose';
import { sendFields } from './fields';
import { quoteHtml, quoteText } from './quote';
import { sendComposed } from './send';

/**
 * The one reply path of Message → Reply and Thread → Reply: the fields of Send with Attachment without To and
 * Subject (they come from the message answered), plus Reply All and the quoted original.
 */
export function replyFields(resource: string, operation: string): INodeProperties[] {
	const show = { resource: [resource], operation: [operation] };
	const retarget = (p: INodeProperties): INodeProperties => ({
		...p,
		displayOptions: {
			show: { ...p.displayOptions?.show, resource: [resource], operation: [operation] },
		},
	});
	const fields = sendFields(operation)
		.filter((p) => p.name !== 'to' && p.name !== 'subject')
		.map(retarget)
		.map((p) =>
			p.name === 'options'
				? {
						...p,
						options: [
							...(p.options as INodeProperties[]).filter((o) => o.name !== 'replyToMessageId'),
							{
								displayName: 'Quote Original',
								name: 'quoteOriginal',
								type: 'boolean',
								default: false,
								description:
									'Whether to add the original message below the reply ("On …, … wrote:"), quoted in text and HTML',
							} as INodeProperties,
						].sort((a, b) => a.displayName.localeCompare(b.displayName)),
					}
				: p,
		);
	return [
		{
			displayName: 'Reply All',
			name: 'replyAll',
			type: 'boolean',
			default: false,
			description:
				"Whether to reply to the original's To and CC recipients too (never to your own addresses)",
			displayOptions: { show },
		},
		...fields,
		// optional here: no attachment row until one is added
		{ ...retarget(attachmentsField as INodeProperties), default: {} },
	];
}

const lower = (a: Address) => a.address.toLowerCase();

/**
 * Who a reply goes to, as Gmail's Reply / Reply All: the original's Reply-To (else From); for Reply All also its
 * To and CC. The user's own addresses (account and send-as aliases) are left out; replying to one's own message
 * goes to its recipients. Each address once, To before CC.
 */
export function replyRecipients(
	original: GmailParsedMessage,
	sender: Sender,
	all: boolean,
): { to: Address[]; cc: Address[] } {
	const own = new Set([sender.email.toLowerCase(), ...sender.aliases.keys()]);
	const author = original.replyTo.length ? original.replyTo : original.from;
	const fromMe = original.from.some((a) => own.has(lower(a)));
	const seen = new Set<string>();
	const keep = (list: Address[]) =>
		list.filter((a) => {
			const key = lower(a);
			if (own.has(key) || seen.has(key)) return false;
			seen.add(key);
			return true;
		});
	const to = keep(fromMe ? original.to : [...author, ...(all ? original.to : [])]);
	const cc = all ? keep(original.cc) : [];
	return to.length ? { to, cc } : { to: cc, cc: [] };
}

/** The original message of a reply, parsed like Read Email; an unknown ID is named. */
export async function fetchOriginal(
	ctx: IExecuteFunctions,
	id: string,
	i: number,
): Promise<GmailParsedMessage> {
	const [fetched] = await fetchMessages(ctx, [id], 'full', i);
	if (!fetched.message) {
		if (fetched.failure?.status === 404)
			throw new NodeOperationError(
				ctx.getNode(),
				`Message "${id}" was not found in this mailbox: nothing was sent [item ${i}]`,
				{
					itemIndex: i,
					description:
						'Use the ID of a message in this account (from Read Email, Search Emails or a trigger), not its Message-ID header; a message deleted for good cannot be answered.',
				},
			);
		throw fetchError(ctx, id, fetched.failure!, i);
	}
	return fetched.message;
}

/** The reply to `original` the card describes, threaded into its thread. */
export async function composeReply(
	ctx: IExecuteFunctions,
	i: number,
	sender: Sender,
	original: GmailParsedMessage,
): Promise<Composed & { notice?: string }> {
	const common = composeCommon(ctx, i, sender);
	const all = readBoolean(ctx, i, 'replyAll', 'Reply All');
	const { to, cc } = replyRecipients(original, sender, all);
	if (!to.length)
		throw new NodeOperationError(
			ctx.getNode(),
			`Message "${original.id}" has no one to reply to besides your own addresses [item ${i}]`,
			{ itemIndex: i },
		);
	const input = { ...common.input, to, cc: [...cc, ...((common.input.cc as Address[]) ?? [])] };
	if (readBoolean(ctx, i, 'options.quoteOriginal', 'Quote Original')) {
		if (input.text !== undefined) input.text = await quoteText(input.text, original);
		if (input.html !== undefined) input.html = await quoteHtml(input.html, original);
	}
	input.attachments = await binaryAttachments(ctx, i);
	const messageId = original.messageId;
	return {
		messageId: common.messageId,
		once: common.once,
		threadId: original.threadId,
		input: {
			...input,
			subject: replySubject(original.subject),
			inReplyTo: messageId,
			references: messageId ? [...original.references, messageId] : undefined,
		},
		...(messageId
			? {}
			: {
					notice:
						'The original has no Message-ID header, so the reply carries no In-Reply-To/References: it was put in the thread by its threadId only (recipients’ mail programs may show it apart).',
				}),
	};
}

/** Compose the reply to `original` and send it once (the send cards' path); Gmail's ids out. */
export async function sendReply(
	ctx: IExecuteFunctions,
	i: number,
	sender: Sender,
	original: GmailParsedMessage,
) {
	const composed = await composeReply(ctx, i, sender, original);
	const sent = await sendComposed(ctx, composed, i);
	return {
		...sent,
		inReplyTo: composed.input.inReplyTo ?? null,
		...(composed.notice ? { notice: composed.notice } : {}),
	};
}
