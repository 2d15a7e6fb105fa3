/**
 * fromGmailPayload: Gmail API's users.messages.get (format=full) resource → the same shape parseRawMessage
 * gives. The payload is already split into parts (headers decoded by Gmail, bodies transfer-decoded and
 * base64url-encoded in body.data, or left behind body.attachmentId); the tree is mapped onto the parser's
 * nodes and assembled by the same code, so bodies, attachments and their order follow the same rules.
 *
 * Parts whose bytes sit behind an attachmentId come out as attachments with `attachmentId` and Gmail's
 * `size` but no `content` (fetch them with users.messages.attachments.get); that includes a rare text part
 * too large for Gmail to inline.
 */
import {
	assembleMessageSteps,
	makeNode,
	MAX_DEPTH,
	MAX_PARTS,
	type Ctx,
	type Node,
	type ParseOptions,
} from './parse';
import type { RawHeader } from './headers';
import { guarded, runAsync, runSync, type SliceOptions, type Steps } from './slices';
import { decodeBase64Steps } from './transfer';
import type { GmailParsedMessage } from './types';

export interface GmailMessagePart {
	partId?: string;
	mimeType?: string;
	filename?: string;
	headers?: Array<{ name?: string; value?: string }>;
	body?: { size?: number; data?: string; attachmentId?: string };
	parts?: GmailMessagePart[];
}

export interface GmailMessageResource {
	id?: string;
	threadId?: string;
	labelIds?: string[];
	snippet?: string;
	historyId?: string;
	internalDate?: string;
	sizeEstimate?: number;
	payload?: GmailMessagePart;
}

const toRawHeaders = (headers: GmailMessagePart['headers']): RawHeader[] =>
	(Array.isArray(headers) ? headers : [])
		.filter((h) => h && typeof h.name === 'string')
		.map((h) => ({
			name: h.name!.trim(),
			key: h.name!.trim().toLowerCase(),
			raw: String(h.value ?? ''),
		}));

function* toNode(
	ctx: Ctx,
	part: GmailMessagePart,
	parent: Node | undefined,
	depth: number,
): Steps<Node> {
	const node = yield* makeNode(ctx, toRawHeaders(part.headers), parent);
	if (parent) parent.children.push(node);
	ctx.parts++;
	const mimeType = typeof part.mimeType === 'string' ? part.mimeType.toLowerCase().trim() : '';
	if (mimeType) {
		node.contentType = mimeType;
		const slash = mimeType.indexOf('/');
		node.multipart = mimeType.slice(0, slash) === 'multipart';
	}
	// Gmail has split multiparts already (no boundary scanning), and decoded the transfer encoding
	node.boundary = undefined;
	node.encoding = '';
	if (typeof part.filename === 'string' && part.filename) node.filename = part.filename;
	node.partId = typeof part.partId === 'string' ? part.partId : undefined;
	const body = part.body ?? {};
	node.size = typeof body.size === 'number' ? body.size : undefined;
	if (typeof body.data === 'string') node.body = yield* decodeBase64Steps(body.data, true);
	else if (typeof body.attachmentId === 'string' && body.attachmentId)
		node.attachmentId = body.attachmentId;
	else node.body = Buffer.alloc(0);
	const children = Array.isArray(part.parts) ? part.parts : [];
	if (node.multipart || node.messageNode) {
		if (node.messageNode && !children.length) node.messageNode = false;
		if (depth >= MAX_DEPTH) node.skipped = true;
		else
			for (const child of children)
				if (ctx.parts < MAX_PARTS) yield* toNode(ctx, child, node, depth + 1);
	}
	return node;
}

/** Reads a Gmail format=full message resource (never throws on odd shapes; missing parts give empty fields). */
export function fromGmailPayload(
	message: GmailMessageResource,
	options: ParseOptions = {},
): GmailParsedMessage {
	return runSync(payloadSteps(message, options));
}

/**
 * fromGmailPayload in time slices (base64url bodies decoded, bodies converted and addresses parsed in slices,
 * with `options.yieldFn` awaited between them; see slices.ts). Never rejects, except with an error thrown by
 * yieldFn itself.
 */
export function fromGmailPayloadAsync(
	message: GmailMessageResource,
	options: ParseOptions & SliceOptions = {},
): Promise<GmailParsedMessage> {
	return runAsync(payloadSteps(message, options), options);
}

function* payloadSteps(
	message: GmailMessageResource,
	options: ParseOptions,
): Steps<GmailParsedMessage> {
	const ctx: Ctx = { buf: Buffer.alloc(0), end: 0, parts: 0, unicodeHeaders: true };
	const payload = message && typeof message === 'object' && message.payload ? message.payload : {};
	const parsed = yield* guarded(
		(function* () {
			const root = yield* toNode(ctx, payload, undefined, 0);
			return (yield* assembleMessageSteps(root, ctx, options)) as GmailParsedMessage;
		})(),
		// last line of defence for "never throws" (no known payload gets here): an empty message with the reason
		(error): GmailParsedMessage => ({
			subject: '',
			from: [],
			to: [],
			cc: [],
			bcc: [],
			replyTo: [],
			date: undefined,
			messageId: undefined,
			inReplyTo: undefined,
			references: [],
			text: undefined,
			html: undefined,
			attachments: [],
			headers: [
				{ name: 'X-Parse-Error', value: error instanceof Error ? error.message : String(error) },
			],
		}),
	);
	if (message && typeof message === 'object') {
		if (typeof message.id === 'string') parsed.id = message.id;
		if (typeof message.threadId === 'string') parsed.threadId = message.threadId;
		if (Array.isArray(message.labelIds)) parsed.labelIds = [...message.labelIds];
		if (typeof message.snippet === 'string') parsed.snippet = message.snippet;
	}
	return parsed;
}
