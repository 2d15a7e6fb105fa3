import type { IDataObject, IExecuteFunctions, NodeApiError } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MimeError, type BuildInput } from '../../../../mime';
import { gmailApiRequest } from '../../../transport';
import {
	paramError,
	readAddressList,
	readEmail,
	readHeaders,
	readOption,
	readText,
} from '../../../params';
import { asNodeError } from '../../helpers/items';
import { GMAIL_ID } from '../messageId';

/** The account's address and its send-as aliases, loaded once per node run. */
export interface Sender {
	email: string;
	aliases: Map<string, string>;
}

export async function loadSender(ctx: IExecuteFunctions): Promise<Sender> {
	const profile = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.getProfile');
	const sendAs = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.settings.sendAs.list').catch(
		() => ({ sendAs: [] }) as IDataObject,
	); // a send-only scope set may not list aliases
	const aliases = new Map(
		((sendAs.sendAs as IDataObject[]) ?? []).map((a) => [
			String(a.sendAsEmail).toLowerCase(),
			String(a.displayName ?? ''),
		]),
	);
	return { email: String(profile.emailAddress), aliases };
}

const EMAIL_TYPES = ['text', 'html', 'both'] as const;

/** Headers of the message being answered, to thread the reply. */
async function replyHeaders(ctx: IExecuteFunctions, id: string, i: number) {
	let m: IDataObject;
	try {
		m = await gmailApiRequest<IDataObject>(ctx, 'gmail.users.messages.get', {
			params: { id },
			qs: { format: 'metadata', metadataHeaders: ['Message-ID', 'References', 'Subject'] },
			itemIndex: i,
		});
	} catch (error) {
		if ((error as NodeApiError).httpCode !== '404') throw asNodeError(ctx.getNode(), error, i);
		throw new NodeOperationError(
			ctx.getNode(),
			`"Reply to Message ID" ${id} was not found in the mailbox: nothing was sent [item ${i}]`,
			{
				itemIndex: i,
				description:
					'Use the ID of a message in this account (from Read Email or Search Emails), not its Message-ID header; a message deleted for good cannot be replied to.',
			},
		);
	}
	const headers =
		((m.payload as IDataObject)?.headers as Array<{ name: string; value: string }>) ?? [];
	const get = (n: string) => headers.find((h) => h.name.toLowerCase() === n.toLowerCase())?.value;
	return {
		threadId: String(m.threadId),
		messageId: get('Message-ID'),
		references: get('References'),
		subject: get('Subject'),
	};
}

export interface Composed {
	input: BuildInput;
	threadId?: string;
	messageId: string;
}

/** The message a send card describes, for the pure MIME builder. */
export async function composeMessage(
	ctx: IExecuteFunctions,
	i: number,
	sender: Sender,
): Promise<Composed> {
	const emailType = readOption(ctx, i, 'emailType', 'Email Type', EMAIL_TYPES, 'text');
	const alias = readEmail(ctx, i, 'options.from', 'From Alias', { keepCase: true });
	const fromEmail = alias || sender.email;
	if (
		alias &&
		!sender.aliases.has(alias.toLowerCase()) &&
		alias.toLowerCase() !== sender.email.toLowerCase()
	) {
		throw new NodeOperationError(
			ctx.getNode(),
			`"${alias}" is not a send-as address of ${sender.email} ("From Alias") [item ${i}]`,
			{ itemIndex: i },
		);
	}
	const name =
		readText(ctx, i, 'options.senderName', 'Sender Name', { singleLine: true }) ||
		sender.aliases.get(fromEmail.toLowerCase()) ||
		'';
	const domain = fromEmail.split('@')[1] ?? 'gmail.com';
	const messageId = `<${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@${domain}>`;

	let subject = readText(ctx, i, 'subject', 'Subject', { trim: false, singleLine: true });
	let threadId: string | undefined;
	let inReplyTo: string | undefined;
	let references: string[] | undefined;
	const replyTo = readText(ctx, i, 'options.replyToMessageId', 'Reply to Message ID');
	if (replyTo) {
		if (!GMAIL_ID.test(replyTo))
			throw paramError(ctx, 'Reply to Message ID', 'is not a Gmail message ID', i, replyTo);
		const r = await replyHeaders(ctx, replyTo, i);
		threadId = r.threadId;
		inReplyTo = r.messageId;
		references = [
			...(r.references?.split(/\s+/).filter(Boolean) ?? []),
			...(r.messageId ? [r.messageId] : []),
		];
		if (!subject && r.subject) subject = /^re:/i.test(r.subject) ? r.subject : `Re: ${r.subject}`;
	}
	return {
		messageId,
		threadId,
		input: {
			from: { name, address: fromEmail },
			to: readAddressList(ctx, i, 'to', 'To', { required: true }),
			cc: readAddressList(ctx, i, 'options.cc', 'CC'),
			bcc: readAddressList(ctx, i, 'options.bcc', 'BCC'),
			replyTo: readAddressList(ctx, i, 'options.replyTo', 'Reply-To'),
			subject,
			text:
				emailType === 'html' ? undefined : readText(ctx, i, 'message', 'Message', { trim: false }),
			html: emailType === 'text' ? undefined : readText(ctx, i, 'html', 'HTML', { trim: false }),
			headers: readHeaders(ctx, i, 'options.headers', 'Custom Header'),
			inReplyTo,
			references,
			messageId,
			date: new Date(),
		},
	};
}

/** MimeError (bad address, header injection) → an error naming the field, for this item. */
export function inputError(ctx: IExecuteFunctions, error: unknown, i: number): Error {
	if (error instanceof MimeError)
		return new NodeOperationError(ctx.getNode(), error.message, { itemIndex: i });
	return error as Error;
}
