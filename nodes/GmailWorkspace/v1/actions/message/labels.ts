import type { IDataObject, IExecuteFunctions, INodeProperties } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

import { paramError, readBoolean, readList, type ParamContext } from '../../params';
import { gmailApiRequest } from '../../transport';
import type { Context } from '../../transport/credentials';
import { describeFailure } from '../../transport/errors';
import { DEFAULT_RETRY } from '../../transport/retry';
import { asNodeError } from '../helpers/items';

/** A Gmail label as labels.list / labels.get / labels.create answer it. */
export interface GmailLabel {
	id: string;
	name: string;
	type?: 'system' | 'user';
	messageListVisibility?: 'show' | 'hide';
	labelListVisibility?: 'labelShow' | 'labelShowIfUnread' | 'labelHide';
	color?: { textColor?: string; backgroundColor?: string };
}

/** Gmail's label names compare without regard to case ("Receipts" and "receipts" cannot both exist). */
const fold = (s: string) => s.toLowerCase();

/**
 * The mailbox's labels, read once per run (labels.list, 1 quota unit), and the one way every card and the
 * trigger turn what a user gave (a label ID, or a name, nested "Parent/Child", in any case) into label IDs.
 */
export class LabelDirectory {
	private readonly byId = new Map<string, GmailLabel>();
	private readonly byName = new Map<string, GmailLabel>();

	constructor(labels: GmailLabel[]) {
		for (const l of labels) this.add(l);
	}

	/** labels.list through the transport (paced, retried on 429 / 5xx like every call). */
	static async load(ctx: Context): Promise<LabelDirectory> {
		const r = await gmailApiRequest<{ labels?: GmailLabel[] }>(ctx, 'gmail.users.labels.list');
		return new LabelDirectory(r.labels ?? []);
	}

	add(label: GmailLabel) {
		this.byId.set(label.id, label);
		this.byName.set(fold(label.name), label);
	}

	remove(id: string) {
		const l = this.byId.get(id);
		if (!l) return;
		this.byId.delete(id);
		if (this.byName.get(fold(l.name))?.id === id) this.byName.delete(fold(l.name));
	}

	get all(): GmailLabel[] {
		return [...this.byId.values()];
	}

	get(id: string): GmailLabel | undefined {
		return this.byId.get(id);
	}

	/** id → name, for message items ({id, name} per label). */
	names(): Map<string, string> {
		return new Map(this.all.map((l) => [l.id, l.name]));
	}

	/** A label by ID (exact), else by its full name as Gmail compares names (any case). */
	find(value: string): GmailLabel | undefined {
		return this.byId.get(value) ?? this.byName.get(fold(normalizeName(value)));
	}
}

/** Label id → name of the connected mailbox (labels.list, 1 quota unit); call once per node run. */
export async function loadLabelNames(ctx: Context): Promise<Map<string, string>> {
	return (await LabelDirectory.load(ctx)).names();
}

/** "Parent / Child " → "Parent/Child": the segments of a nested name, trimmed. */
export function normalizeName(name: string): string {
	return name
		.split('/')
		.map((s) => s.trim())
		.join('/')
		.trim();
}

/** Gmail's system label IDs (labels.list, type "system"). */
export const SYSTEM_LABEL_IDS = [
	'CHAT',
	'SENT',
	'INBOX',
	'IMPORTANT',
	'TRASH',
	'DRAFT',
	'SPAM',
	'CATEGORY_FORUMS',
	'CATEGORY_UPDATES',
	'CATEGORY_PERSONAL',
	'CATEGORY_PROMOTIONS',
	'CATEGORY_SOCIAL',
	'STARRED',
	'UNREAD',
];

/** A value that is already a label ID as Gmail writes them (a system ID, or "Label_<n>"): nothing to look up. */
export const isPlainLabelId = (v: string) => SYSTEM_LABEL_IDS.includes(v) || /^Label_\d+$/.test(v);

const looksLikeId = isPlainLabelId;

export const isSystemLabel = (l: GmailLabel) => l.type === 'system';

export interface ResolveOptions {
	itemIndex: number;
	/** The field's name as the user sees it, for errors. */
	field: string;
	/** Create a name that does not exist (and its missing parents) instead of refusing it. */
	createIfMissing?: boolean;
}

/** A name that does not exist, or an ID the mailbox does not have: named, with what to do. */
export function unknownLabelError(
	ctx: Pick<ParamContext, 'getNode'>,
	value: string,
	o: ResolveOptions,
) {
	const id = looksLikeId(value);
	return new NodeOperationError(
		ctx.getNode(),
		id
			? `Label ID "${value}" does not exist in this mailbox ("${o.field}") [item ${o.itemIndex}]`
			: `Label "${value}" does not exist in this mailbox ("${o.field}"): create it first [item ${o.itemIndex}]`,
		{
			itemIndex: o.itemIndex,
			description: id
				? 'Pick the label from the list, or give an ID from the Label → List card. Deleted labels keep no ID.'
				: 'Create it with the Label → Create card, turn on "Create Labels If Missing" (Add Labels), or pick a label from the list. Names match as Gmail compares them: the full name with its parents ("Parent/Child"), in any case.',
		},
	);
}

/**
 * Create a label by its full name, creating missing parents first ("A/B/C": "A", "A/B", then "A/B/C"), so Gmail
 * shows it nested. A parent that exists in another case lends its spelling. `fields` go to the last label only.
 */
export async function createLabelPath(
	ctx: Context,
	dir: LabelDirectory,
	name: string,
	itemIndex: number,
	fields: IDataObject = {},
	createParents = true,
): Promise<GmailLabel> {
	const segments = normalizeName(name).split('/');
	let path = '';
	let created: GmailLabel | undefined;
	for (let k = 0; k < segments.length; k++) {
		const leaf = k === segments.length - 1;
		const wanted = path ? `${path}/${segments[k]}` : segments[k];
		const existing = dir.find(wanted);
		if (existing && !leaf) {
			path = existing.name;
			continue;
		}
		if (!leaf && !createParents) {
			path = wanted;
			continue;
		}
		created = await gmailApiRequest<GmailLabel>(ctx, 'gmail.users.labels.create', {
			itemIndex,
			body: { name: wanted, ...(leaf ? fields : {}) },
			// a create that may have happened is not repeated blindly: the name would then clash (409)
			retry: { ...DEFAULT_RETRY, safeToRetry: async () => false },
		});
		dir.add(created);
		path = created.name;
	}
	return created!;
}

/** One label of a card (an ID or a name), as the mailbox's label. */
export async function resolveLabel(
	ctx: Context,
	dir: LabelDirectory,
	value: string,
	o: ResolveOptions,
): Promise<GmailLabel> {
	const v = value.trim();
	if (!v) throw paramError(ctx, o.field, 'has an empty label', o.itemIndex);
	if (
		normalizeName(v)
			.split('/')
			.some((s) => !s)
	)
		throw paramError(ctx, o.field, 'has a label name with an empty part', o.itemIndex, v);
	const found = dir.find(v);
	if (found) return found;
	if (!o.createIfMissing || looksLikeId(v)) throw unknownLabelError(ctx, v, o);
	try {
		return await createLabelPath(ctx, dir, v, o.itemIndex);
	} catch (error) {
		// another run created it in between: read the labels again
		if (describeFailure(error).status !== 409) throw asNodeError(ctx.getNode(), error, o.itemIndex);
		const fresh = await LabelDirectory.load(ctx);
		for (const l of fresh.all) dir.add(l);
		const again = dir.find(v);
		if (!again) throw asNodeError(ctx.getNode(), error, o.itemIndex);
		return again;
	}
}

/** Labels of a card as IDs, each once, in the order given. */
export async function resolveLabelIds(
	ctx: Context,
	dir: LabelDirectory,
	values: string[],
	o: ResolveOptions,
): Promise<string[]> {
	const ids: string[] = [];
	for (const v of values) {
		const l = await resolveLabel(ctx, dir, v, o);
		if (!ids.includes(l.id)) ids.push(l.id);
	}
	return ids;
}

/**
 * The directory, read on first use only: cards and the trigger call it when some label is given, so a
 * run without labels spends nothing on labels.list.
 */
export function lazyLabels(ctx: Context): () => Promise<LabelDirectory> {
	let pending: Promise<LabelDirectory> | undefined;
	return async () => await (pending ??= LabelDirectory.load(ctx));
}

/** The label list of a card: the account's labels in a dropdown; IDs or names by expression. */
export const labelsField = (
	resource: string,
	operations: string[],
	description: string,
): INodeProperties => ({
	displayName: 'Label Names or IDs',
	name: 'labelIds',
	type: 'multiOptions',
	typeOptions: { loadOptionsMethod: 'getLabels' },
	required: true,
	default: [],
	description: `${description}. Choose from the list, or specify IDs using an <a href="https://docs.n8n.io/code/expressions/">expression</a>.`,
	hint: 'An expression may also give label names; nested labels by their full name, e.g. "Projects/Alpha"',
	displayOptions: { show: { resource: [resource], operation: operations } },
});

/** The Add Labels option that creates a label name the mailbox does not have yet. */
export const createIfMissingField = (resource: string, operations: string[]): INodeProperties => ({
	displayName: 'Create Labels If Missing',
	name: 'createLabelsIfMissing',
	type: 'boolean',
	default: false,
	description:
		'Whether to create a label name (and its parents, for "Parent/Child") that does not exist yet instead of failing the item',
	displayOptions: { show: { resource: [resource], operation: operations } },
});

/**
 * Labels Gmail sets itself: a modify that adds or removes them is refused with 400 "Invalid label: SENT"
 * (googleapis/google-api-php-client#1254); drafts are made and sent through drafts.*.
 */
export const MANAGED_LABELS = ['SENT', 'DRAFT'];

/**
 * The "Label Names or IDs" of an Add / Remove Labels card (messages and threads) for item `i`, as label IDs:
 * at least one; names resolved (created first when adding with "Create Labels If Missing"); SENT and DRAFT refused.
 */
export async function labelIdsOf(
	ctx: IExecuteFunctions,
	i: number,
	labels: () => Promise<LabelDirectory>,
	adding: boolean,
): Promise<string[]> {
	const field = 'Label Names or IDs';
	const values = readList(ctx, i, 'labelIds', field);
	if (!values.length) throw paramError(ctx, field, 'is empty: choose at least one label', i);
	const createIfMissing =
		adding && readBoolean(ctx, i, 'createLabelsIfMissing', 'Create Labels If Missing');
	const ids = await resolveLabelIds(ctx, await labels(), values, {
		itemIndex: i,
		field,
		createIfMissing,
	});
	const managed = ids.find((id) => MANAGED_LABELS.includes(id));
	if (managed)
		throw paramError(
			ctx,
			field,
			`names the system label ${managed}, which Gmail does not let a card ${adding ? 'add' : 'remove'} (Gmail sets it when a message is sent or saved as a draft)`,
			i,
			managed,
		);
	return ids;
}
