import type { IExecuteFunctions, INodeExecutionData, INodeProperties } from 'n8n-workflow';
import { sleep } from 'n8n-workflow';

import {
	fromGmailPayloadAsync,
	parseRawMessageAsync,
	type AttachmentInput,
	type BuildInput,
	type GmailParsedMessage,
} from '../../../mime';
import { rawParam, readAddressList, readEmail, readText } from '../../params';
import { forEachItem } from '../helpers/items';
import { binaryAttachments } from '../message/send/attachments';
import { composeCommon, loadSender, type Composed } from '../message/send/compose';
import { applyReplyOption, applyThreadOption, extraHeaders, saveDraft } from './compose';
import { composeFields, draftLocator } from './fields';
import { draftIdParam, draftOutput, getDraft } from './fetch';

export const description: INodeProperties[] = [
	draftLocator(['update']),
	...composeFields('update'),
];

const SLICED = { yieldFn: async () => await sleep(0) };

/** The draft as it is now: raw when its attachments are kept (their bytes go into the new content). */
async function currentDraft(ctx: IExecuteFunctions, id: string, i: number, keepFiles: boolean) {
	const d = await getDraft(ctx, id, i, { format: keepFiles ? 'raw' : 'full' });
	const m: GmailParsedMessage = keepFiles
		? await parseRawMessageAsync(Buffer.from(String(d.message.raw ?? ''), 'base64url'), SLICED)
		: await fromGmailPayloadAsync(d.message as never, SLICED);
	return { threadId: d.message.threadId, m };
}

const filesOf = (m: GmailParsedMessage): AttachmentInput[] =>
	m.attachments.flatMap((a) =>
		a.content
			? [
					{
						filename: a.filename,
						mimeType: a.mimeType,
						content: a.content,
						contentId: a.cid || undefined,
					},
				]
			: [],
	);

/**
 * Update Draft: replaces the draft's content (Gmail's drafts.update takes a whole message), keeping what the
 * card leaves empty: recipients, subject, body, sender, Reply-To, custom headers, attachments and thread.
 */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	const sender = await loadSender(this);
	return await forEachItem(this, items, async (i) => {
		const id = draftIdParam(this, i);
		const rows = rawParam(this, 'attachments.attachment', i, []);
		const newFiles = Array.isArray(rows) && rows.length > 0;
		const { threadId, m } = await currentDraft(this, id, i, !newFiles);

		const common = composeCommon(this, i, sender);
		const given = common.input;
		const bodyGiven = !!(given.text?.trim() || given.html?.trim());
		const fromGiven =
			!!readEmail(this, i, 'options.from', 'From Alias') ||
			!!readText(this, i, 'options.senderName', 'Sender Name');
		const to = readAddressList(this, i, 'to', 'To');
		const keep = <T>(mine: T[] | undefined, theirs: T[]) => (mine?.length ? mine : theirs);
		const input: BuildInput = {
			...given,
			from: fromGiven || !m.from[0] ? given.from : m.from[0],
			to: keep(to, m.to),
			cc: keep(given.cc as never[], m.cc),
			bcc: keep(given.bcc as never[], m.bcc),
			replyTo: keep(given.replyTo as never[], m.replyTo),
			subject:
				readText(this, i, 'subject', 'Subject', { trim: false, singleLine: true }) || m.subject,
			text: bodyGiven ? given.text : m.text,
			html: bodyGiven ? given.html : m.html,
			headers: keep(given.headers as never[], extraHeaders(m)),
			inReplyTo: m.inReplyTo,
			references: m.references,
			attachments: newFiles ? await binaryAttachments(this, i) : filesOf(m),
		};
		const composed: Composed = { input, messageId: common.messageId };
		// "Reply to Message ID" or "Thread ID" moves the draft into that thread; otherwise it keeps its own
		await applyReplyOption(this, i, composed);
		await applyThreadOption(this, i, composed);
		const draft = await saveDraft(this, i, input, composed.messageId, {
			threadId: composed.threadId ?? threadId,
			update: id,
		});
		return draftOutput(draft);
	});
}
