import type { INodeParameters } from 'n8n-workflow';

import { chain, gmailNode, manualTrigger } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { compose } from '../standin/gmail/seed';
import { addMessage, type StoredMessage } from '../standin/gmail/store';
import type { createStandin } from '../standin/server';
import { parseWithMailparser } from './helpers';

export type Standin = ReturnType<typeof createStandin>;
export const ALICE = 'alice@example.com';

export const draftParams = (operation: string, extra: Record<string, unknown> = {}) => ({
	resource: 'draft',
	operation,
	...extra,
});

export const draftRef = (id: string) => ({ __rl: true, mode: 'id', value: id });

/** Alice's drafts as the stand-in holds them: the draft id, its stored message, and that message parsed. */
export async function storedDrafts(standin: Standin, email = ALICE) {
	const mb = gmailState(standin).mailbox(email)!;
	return await Promise.all(
		[...mb.drafts.values()].map(async (d) => {
			const message = mb.messages.get(d.messageId)!;
			return { id: d.id, message, parsed: await parseWithMailparser(message.raw) };
		}),
	);
}

/** The one stored draft whose raw message matches `pattern`. */
export async function storedDraft(standin: Standin, pattern: RegExp, email = ALICE) {
	const found = (await storedDrafts(standin, email)).filter((d) => pattern.test(d.message.raw.toString('latin1')));
	if (found.length !== 1) throw new Error(`expected one draft matching ${pattern}, found ${found.length}`);
	return found[0];
}

/** Alice receives a message with a file, so a workflow can read it into n8n binary data (attachment_0). */
export function receiveFile(standin: Standin, bytes: Buffer, filename = 'data.bin'): StoredMessage {
	const g = gmailState(standin);
	return addMessage(
		g,
		g.mailbox(ALICE)!,
		compose({
			from: 'Bob Example <bob@example.com>', to: ALICE, subject: 'The file', text: 'attached', date: Date.now(),
			attachments: [{ filename, mimeType: 'application/octet-stream', data: bytes }],
		}),
		{ labelIds: ['INBOX'], internalDate: Date.now() },
	);
}

/** Manual Trigger → Read (attachments as binary) → the draft card with `params`. */
export function withFile(conn: { reference: { id: string; name: string } }, source: StoredMessage, params: Record<string, unknown>) {
	return chain(
		manualTrigger(),
		gmailNode({
			name: 'Read',
			parameters: { resource: 'message', operation: 'read', messageId: draftRef(source.id), options: { downloadAttachments: true } },
			credential: conn.reference,
		}),
		gmailNode({ name: 'Draft', parameters: params as INodeParameters, credential: conn.reference }),
	);
}

/** The addresses of a mailparser address field (undefined: none). */
export const addresses = (v: unknown) =>
	((v as { value?: Array<{ address?: string }> } | undefined)?.value ?? []).map((a) => a.address);
