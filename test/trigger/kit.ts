import type { IDataObject, INode, INodeParameters } from 'n8n-workflow';

import { CredentialStore, connectGmail, gmailNode, NODE_TYPES, runPoll, type Bench, type Connection, type PollOptions, type PollResult } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { compose } from '../standin/gmail/seed';
import { addMessage, changeLabels, deleteMessage, type Mailbox, type StoredMessage } from '../standin/gmail/store';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';

export const ALICE = 'alice@example.com';
export const TRIGGER = 'Gmail Workspace Trigger';

// token caches and quota pacers live per credential id in the process: every kit gets its own
let kits = 0;

/**
 * One mailbox (alice, no seed corpus), a connected credential and the trigger node; mail arrives through
 * the stand-in's knobs (POST /__standin/deliver, /filters, /history/expire) or its store functions.
 */
export class TriggerKit {
	conn!: Connection;
	/** The workflow's static data as n8n saved it after the last successful poll. */
	staticData: IDataObject = {};

	private constructor(
		readonly bench: Bench,
		readonly standin: Standin,
		readonly store = new CredentialStore(),
	) {}

	static async create(bench: Bench, opts: { standin?: Standin; scopes?: readonly string[] } = {}): Promise<TriggerKit> {
		const standin = opts.standin ?? createStandin({ noCorpus: true });
		const kit = new TriggerKit(bench, standin);
		kit.conn = await connectGmail(standin, kit.store, { email: ALICE, id: `trigger-kit-${++kits}-${Date.now()}`, scopes: opts.scopes });
		return kit;
	}

	/** A second trigger on the same mailbox and credential, with its own static data. */
	sibling(): TriggerKit {
		const other = new TriggerKit(this.bench, this.standin, this.store);
		other.conn = this.conn;
		return other;
	}

	get mailbox(): Mailbox {
		return gmailState(this.standin).mailbox(ALICE)!;
	}

	node(parameters: object): INode {
		return gmailNode({ name: TRIGGER, type: NODE_TYPES.gmailWorkspaceTrigger, parameters: parameters as INodeParameters, credential: this.conn.reference });
	}

	/**
	 * One poll as n8n's poller runs it. The static data goes through JSON between polls (as n8n's database
	 * keeps it), so every poll is also a restart; a successful poll's data is kept for the next one.
	 */
	async poll(parameters: object, extra: Partial<PollOptions> = {}): Promise<PollResult> {
		const result = await runPoll(this.bench.http, {
			node: this.node(parameters),
			credentials: this.store,
			standin: this.standin,
			staticData: JSON.parse(JSON.stringify(this.staticData)) as IDataObject,
			...extra,
		});
		if (!result.error && (extra.mode ?? 'trigger') === 'trigger') this.staticData = JSON.parse(JSON.stringify(result.staticData)) as IDataObject;
		return result;
	}

	/** Poll until a poll emits nothing (at most `max` polls); every item emitted, and the polls it took. */
	async drain(parameters: object, max = 50): Promise<{ items: IDataObject[]; polls: number }> {
		const items: IDataObject[] = [];
		for (let polls = 1; polls <= max; polls++) {
			const r = await this.poll(parameters);
			if (r.error) throw r.error;
			if (!r.items) return { items, polls };
			items.push(...r.json);
		}
		throw new Error(`trigger still emitting after ${max} polls`);
	}

	async knob<T = IDataObject>(method: string, path: string, body?: unknown): Promise<T> {
		const reply = await this.standin.dispatch({
			method,
			host: 'gmail.googleapis.com',
			url: `/__standin/${path}`,
			headers: { 'content-type': 'application/json' },
			body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
		});
		if (reply.status !== 200) throw new Error(`stand-in knob ${method} ${path} answered ${reply.status}: ${reply.body.toString()}`);
		return JSON.parse(reply.body.toString()) as T;
	}

	/** Mail from outside (INBOX, UNREAD, the mailbox's filters apply); returns the delivered ids, oldest first. */
	async deliver(opts: { count?: number; from?: string; subjectPrefix?: string; text?: string; sameSecond?: boolean; labelIds?: string[] } = {}) {
		const r = await this.knob<{ delivered: Array<{ id: string; labelIds: string[] }> }>('POST', 'deliver', { to: ALICE, ...opts });
		return r.delivered;
	}

	/** A message stored as is (drafts, sent mail, spam…), with a messageAdded record. */
	add(labelIds: string[], subject = 'Stored', from = 'Bob <bob@example.com>', extra: Partial<Parameters<typeof compose>[0]> = {}): StoredMessage {
		const g = gmailState(this.standin);
		const at = Date.now();
		return addMessage(g, this.mailbox, compose({ from, to: ALICE, subject, date: at, text: subject, ...extra }), { labelIds, internalDate: at });
	}

	userLabel(name: string): string {
		const id = `Label_${this.mailbox.nextUserLabel++}`;
		this.mailbox.labels.set(id, { id, name, type: 'user' });
		return id;
	}

	relabel(id: string, add: string[], remove: string[] = []) {
		changeLabels(this.mailbox, this.mailbox.messages.get(id)!, add, remove);
	}

	remove(id: string) {
		deleteMessage(this.mailbox, this.mailbox.messages.get(id)!);
	}

	async addFilter(filter: { from?: string; subjectContains?: string; query?: string; addLabelIds?: string[]; removeLabelIds?: string[] }) {
		await this.knob('POST', 'filters', { user: ALICE, ...filter });
	}

	/** Gmail forgets the history so far: the cursor gets 404. */
	async expireHistory() {
		await this.knob('POST', 'history/expire', { user: ALICE, all: true });
	}
}

/** The subjects of emitted items, in order. */
export const subjects = (items: IDataObject[]) => items.map((i) => i.subject as string);
