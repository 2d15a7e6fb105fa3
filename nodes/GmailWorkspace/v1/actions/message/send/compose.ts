import { createHash } from 'node:crypto';
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
export async function replyHeaders(ctx: IExecuteFunctions, id: string, i: number) {
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
	/** An Idempotency Key made the Message-ID: look for it before sending. */
	once?: boolean;
}

/**
 * What every composing card reads alike (sender, alias check, body, CC/BCC, Reply-To, custom headers, a new
 * Message-ID): Send, Send with Attachment, Reply and Forward. The card adds recipients, subject and threading.
 */
export function composeCommon(
	ctx: IExecuteFunctions,
	i: number,
	sender: Sender,
): {
	input: BuildInput;
	messageId: string;
	once: boolean;
} {
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
	const key = readText(ctx, i, 'options.idempotencyKey', 'Idempotency Key', { trim: false });
	// with a key, the Message-ID is the key's fingerprint in this node of this workflow: a retry finds it
	const messageId = key
		? `<${createHash('sha256')
				.update(`${ctx.getWorkflow().id ?? ''}\n${ctx.getNode().name}\n${key}`)
				.digest('hex')
				.slice(0, 40)}.n8n@${domain}>`
		: `<${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@${domain}>`;
	return {
		messageId,
		once: !!key,
		input: {
			from: { name, address: fromEmail },
			cc: readAddressList(ctx, i, 'options.cc', 'CC'),
			bcc: readAddressList(ctx, i, 'options.bcc', 'BCC'),
			replyTo: readAddressList(ctx, i, 'options.replyTo', 'Reply-To'),
			text:
				emailType === 'html' ? undefined : readText(ctx, i, 'message', 'Message', { trim: false }),
			html: emailType === 'text' ? undefined : readText(ctx, i, 'html', 'HTML', { trim: false }),
			headers: readHeaders(ctx, i, 'options.headers', 'Custom Header'),
			messageId,
			date: new Date(),
		},
	};
}

/** "Re: " once: a subject already starting with Re: keeps its own. */
export const replySubject = (subject: string) =>
	/^\s*re\s*:/i.test(subject) ? subject : `Re: ${subject}`;

/**
 * Headers that put a new message under the one with these headers: In-Reply-To its Message-ID, References
 * its References and Message-ID, and its subject with one "Re: " unless a subject is given.
 */
export function threadUnder(
	r: { messageId?: string; references?: string; subject?: string },
	subject: string | undefined,
): { inReplyTo?: string; references: string[]; subject?: string } {
	return {
		inReplyTo: r.messageId,
		references: [
			...(r.references?.split(/\s+/).filter(Boolean) ?? []),
			...(r.messageId ? [r.messageId] : []),
		],
		subject: !subject && r.subject ? replySubject(r.subject) : subject,
	};
}

/** The message a send card describes, for the pure MIME builder. */
export async function composeMessage(
	ctx: IExecuteFunctions,
	i: number,
	sender: Sender,
): Promise<Composed> {
	const common = composeCommon(ctx, i, sender);
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
		const t = threadUnder(r, subject);
		({ inReplyTo, references } = t);
		subject = t.subject ?? subject;
	}
	return {
		messageId: common.messageId,
		once: common.once,
		threadId,
		input: {
			...common.input,
			to: readAddressList(ctx, i, 'to', 'To', { required: true }),
			subject,
			inReplyTo,
			references,
		},
	};
}

/** MimeError (bad address, header injection) → an error naming the field, for this item. */
export function inputError(ctx: IExecuteFunctions, error: unknown, i: number): Error {
	if (error instanceof MimeError)
		return new NodeOperationError(ctx.getNode(), `${error.message} [item ${i}]`, { itemIndex: i });
	return error as Error;
}
