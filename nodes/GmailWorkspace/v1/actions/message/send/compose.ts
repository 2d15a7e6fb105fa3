import type { IDataObject, IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { MimeError, type BuildInput } from '../../../../mime';
import { gmailApiRequest } from '../../../transport';

/** The account's address and its send-as aliases, loaded once per node run. */
export interface Sender {
	email: string;
	aliases: Map<string, string>;
}

export async function loadSender(ctx: IExecuteFunctions): Promise<Sender> {
	const profile = await gmailApiRequest.call<IExecuteFunctions, ['gmail.users.getProfile'], Promise<IDataObject>>(ctx, 'gmail.users.getProfile');
	const sendAs = await gmailApiRequest
		.call<IExecuteFunctions, ['gmail.users.settings.sendAs.list'], Promise<IDataObject>>(ctx, 'gmail.users.settings.sendAs.list')
		.catch(() => ({ sendAs: [] }) as IDataObject); // a send-only scope set may not list aliases
	const aliases = new Map(((sendAs.sendAs as IDataObject[]) ?? []).map((a) => [String(a.sendAsEmail).toLowerCase(), String(a.displayName ?? '')]));
	return { email: String(profile.emailAddress), aliases };
}

/** Recipient fields may be a comma list or, from an expression, an array. */
const recipients = (v: unknown): string | string[] => (Array.isArray(v) ? v.map(String) : String(v ?? ''));

/** Headers of the message being answered, to thread the reply. */
async function replyHeaders(ctx: IExecuteFunctions, id: string, i: number) {
	const m = await gmailApiRequest.call<IExecuteFunctions, ['gmail.users.messages.get', object], Promise<IDataObject>>(ctx, 'gmail.users.messages.get', {
		params: { id },
		qs: { format: 'metadata', metadataHeaders: ['Message-ID', 'References', 'Subject'] },
		itemIndex: i,
	});
	const headers = ((m.payload as IDataObject)?.headers as Array<{ name: string; value: string }>) ?? [];
	const get = (n: string) => headers.find((h) => h.name.toLowerCase() === n.toLowerCase())?.value;
	return { threadId: String(m.threadId), messageId: get('Message-ID'), references: get('References'), subject: get('Subject') };
}

export interface Composed {
	input: BuildInput;
	threadId?: string;
	messageId: string;
}

/** The message a send card describes, for the pure MIME builder. */
export async function composeMessage(ctx: IExecuteFunctions, i: number, sender: Sender): Promise<Composed> {
	const o = ctx.getNodeParameter('options', i, {}) as IDataObject;
	const emailType = ctx.getNodeParameter('emailType', i, 'text') as string;
	const fromEmail = String(o.from || sender.email);
	if (o.from && !sender.aliases.has(fromEmail.toLowerCase()) && fromEmail.toLowerCase() !== sender.email.toLowerCase()) {
		throw new NodeOperationError(ctx.getNode(), `"${fromEmail}" is not a send-as address of ${sender.email}`, { itemIndex: i });
	}
	const name = String(o.senderName || sender.aliases.get(fromEmail.toLowerCase()) || '');
	const domain = fromEmail.split('@')[1] ?? 'gmail.com';
	const messageId = `<${Date.now().toString(36)}.${Math.random().toString(36).slice(2)}@${domain}>`;

	let subject = ctx.getNodeParameter('subject', i, '') as string;
	let threadId: string | undefined;
	let inReplyTo: string | undefined;
	let references: string[] | undefined;
	if (o.replyToMessageId) {
		const r = await replyHeaders(ctx, String(o.replyToMessageId), i);
		threadId = r.threadId;
		inReplyTo = r.messageId;
		references = [...(r.references?.split(/\s+/).filter(Boolean) ?? []), ...(r.messageId ? [r.messageId] : [])];
		if (!subject && r.subject) subject = /^re:/i.test(r.subject) ? r.subject : `Re: ${r.subject}`;
	}
	const headers = ((o.headers as IDataObject)?.header as Array<{ name: string; value: string }>) ?? [];
	return {
		messageId,
		threadId,
		input: {
			from: { name, address: fromEmail },
			to: recipients(ctx.getNodeParameter('to', i)),
			cc: recipients(o.cc),
			bcc: recipients(o.bcc),
			replyTo: recipients(o.replyTo),
			subject,
			text: emailType === 'html' ? undefined : (ctx.getNodeParameter('message', i, '') as string),
			html: emailType === 'text' ? undefined : (ctx.getNodeParameter('html', i, '') as string),
			headers: headers.filter((h) => h.name),
			inReplyTo,
			references,
			messageId,
			date: new Date(),
		},
	};
}

/** MimeError (bad address, header injection) → an error naming the field, for this item. */
export function inputError(ctx: IExecuteFunctions, error: unknown, i: number): Error {
	if (error instanceof MimeError) return new NodeOperationError(ctx.getNode(), error.message, { itemIndex: i });
	return error as Error;
}
