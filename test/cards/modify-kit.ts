/** Shared set-up of the label / message-modify / thread-modify card tests. */
import type { INodeParameters } from 'n8n-workflow';

import { SCOPE_PRESETS } from '../../credentials/scopes';
import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, type Connection } from '../bench';
import { gmailState } from '../standin/gmail/common';
import type { Mailbox, StoredMessage } from '../standin/gmail/store';
import type { LogEntry, Standin } from '../standin/core/standin';

export const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
export const FULL = 'https://mail.google.com/';

/** Scopes these cards need: gmail.modify (labels, history, read-back); Delete Permanently: the full scope. */
export const MODIFY_SCOPES = [...SCOPE_PRESETS.all, MODIFY];

export const mailbox = (standin: Standin, email = 'alice@example.com'): Mailbox => gmailState(standin).mailbox(email)!;

/** alice's messages in the order the seed made them (not drafts). */
export const messages = (standin: Standin, email = 'alice@example.com'): StoredMessage[] =>
	[...mailbox(standin, email).messages.values()].filter((m) => !m.labelIds.includes('DRAFT'));

export const labelId = (standin: Standin, name: string, email = 'alice@example.com') =>
	[...mailbox(standin, email).labels.values()].find((l) => l.name === name)?.id;

/** A connected credential and a workflow: Manual Trigger → (cards…). */
export async function connected(standin: Standin, scopes: readonly string[] = MODIFY_SCOPES, data?: Record<string, unknown>) {
	const store = new CredentialStore();
	const conn: Connection = await connectGmail(standin, store, { scopes, ...(data ? { data } : {}) });
	const node = (name: string, parameters: INodeParameters) => gmailNode({ name, parameters, credential: conn.reference });
	return { store, conn, node, one: (parameters: INodeParameters) => chain(manualTrigger(), node('Gmail', parameters)) };
}

/** Requests the stand-in logged after `fromSeq` for a route. */
export const calls = (standin: Standin, routeId: string, fromSeq = 0): LogEntry[] =>
	standin.log.filter((e) => e.seq > fromSeq && e.routeId === routeId);

/** Quota units the stand-in charged after `fromSeq`, per route and in all. */
export function unitsSince(standin: Standin, fromSeq = 0) {
	const byRoute: Record<string, number> = {};
	let total = 0;
	for (const e of standin.log) {
		if (e.seq <= fromSeq || !e.units || !e.routeId) continue;
		byRoute[e.routeId] = (byRoute[e.routeId] ?? 0) + e.units;
		total += e.units;
	}
	return { byRoute, total };
}

export const lastSeq = (standin: Standin) => standin.log[standin.log.length - 1]?.seq ?? 0;
