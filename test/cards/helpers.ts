import { simpleParser } from '../mime/libs';
import type { INodeParameters } from 'n8n-workflow';

import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, type Connection } from '../bench';
import { gmailState } from '../standin/gmail/common';
import type { StoredMessage } from '../standin/gmail/store';
import type { Standin } from '../standin/core/standin';

/** Stored messages of a mailbox whose raw bytes match `pattern`. */
export function storedMessages(standin: Standin, email: string, pattern: RegExp): StoredMessage[] {
	const mb = gmailState(standin).mailbox(email);
	if (!mb) throw new Error(`no mailbox ${email}`);
	return [...mb.messages.values()].filter((m) => pattern.test(m.raw.toString('latin1')));
}

export function storedMessage(standin: Standin, email: string, pattern: RegExp): StoredMessage {
	const found = storedMessages(standin, email, pattern);
	if (found.length !== 1) throw new Error(`expected one message matching ${pattern} in ${email}, found ${found.length}`);
	return found[0];
}

/** A connected credential and a one-card workflow (Manual Trigger → Gmail Workspace). */
export async function cardWorkflow(standin: Standin, parameters: INodeParameters, options: { email?: string; store?: CredentialStore } = {}) {
	const store = options.store ?? new CredentialStore();
	const conn: Connection = await connectGmail(standin, store, { email: options.email ?? 'alice@example.com' });
	const workflow = chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters, credential: conn.reference }));
	return { store, conn, workflow };
}

export const parseWithMailparser = (raw: Buffer) => simpleParser(raw, { skipTextLinks: true, skipImageLinks: true });
