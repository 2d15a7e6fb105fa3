import type {
	IDataObject,
	IHttpRequestMethods,
	IHttpRequestOptions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError, NodeOperationError } from 'n8n-workflow';

import { GMAIL_MAX_RAW_BYTES } from '../../mime';

import { credentialType, type Context } from './credentials';
import { apiError, describeFailure, httpResponseOf } from './errors';
import { GMAIL_ROOT, gmailApiRequest, requestTimeoutMs } from './index';
import { GMAIL_METHODS, gmailPath } from './methods';
import { mailboxPacer, unitsOf } from './quota';
import { clampTimeoutMs, DEFAULT_RETRY, withRetries } from './retry';

/** Gmail's limit for a message sent through the upload endpoint (discovery: mediaUpload.maxSize), defined once in mime/. */
export const MAX_MESSAGE_BYTES = GMAIL_MAX_RAW_BYTES;
/**
 * Resumable chunk size: a multiple of 256 KiB, as Google requires for every chunk but the last. It bounds
 * what a send holds: one chunk, plus TLS's encrypted copy of it while it is written (npm run bench:send:
 * 8 MiB chunks grew n8n's RSS ~12 MiB more than 2 MiB chunks for a 25 MiB file, for 12 more requests).
 */
export const CHUNK_BYTES = 2 * 1024 * 1024;

/** The Gmail methods that take a message by media upload (discovery: mediaUpload), and which this package uses. */
export type UploadMethod =
	| 'gmail.users.messages.send'
	| 'gmail.users.drafts.create'
	| 'gmail.users.drafts.update';

/**
 * Where an upload goes and what it means. The media upload path is the method's own path below /upload/
 * (discovery: mediaUpload.protocols.simple.path), with the method's HTTP verb (POST, or PUT for drafts.update).
 */
export interface UploadTarget<T> {
	method: UploadMethod;
	/** Path parameters besides userId (drafts.update: the draft's id). */
	params?: Record<string, string>;
	/** The JSON metadata sent with the message: `{threadId}` for a send, a Draft `{message: {threadId}}` for drafts. */
	metadata: IDataObject;
	/** Words before the explanation of a final failure, e.g. "Gmail did not send the message". */
	prefix: string;
	/**
	 * At-most-once: after a failure that may have been processed (reset, timeout, 5xx after the upload), what Gmail
	 * already has for this message (looked up by its Message-ID); the upload is repeated only when this finds
	 * nothing. Omitted for a method that may safely be repeated (drafts.update replaces content with the same).
	 */
	findExisting?: () => Promise<T | undefined>;
}

export interface RawSource {
	/** Exact size of the RFC 822 bytes. */
	size: number;
	/**
	 * The RFC 822 bytes, produced on demand (a stream from n8n's binary data, base64-encoded on the fly).
	 * A yielded Buffer may be reused by the producer once the next is requested: it is copied at once.
	 */
	bytes: AsyncIterable<Buffer>;
	/** The Message-ID header of the message, for at-most-once retries. */
	messageId: string;
}

export interface SentMessage {
	id: string;
	threadId: string;
	labelIds?: string[];
}

type Response = { statusCode: number; headers: Record<string, string>; body: unknown };

/** The upload URL and verb of a target. */
function endpoint(target: UploadTarget<unknown>) {
	const path = `upload/${gmailPath(target.method, { userId: 'me', ...target.params })}`;
	const method = GMAIL_METHODS[target.method].method as IHttpRequestMethods;
	return { url: GMAIL_ROOT + path, method, what: `${method} ${path}` };
}

/** One upload request through n8n's authenticated helper (n8n refreshes the token on a 401 and repeats it). */
async function call(
	ctx: Context,
	options: IHttpRequestOptions,
	timeoutMs: number,
): Promise<Response> {
	return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
		...options,
		timeout: timeoutMs,
		returnFullResponse: true,
	})) as Response;
}

/** Has Gmail already got this message (sent before the answer was lost)? Looks it up by Message-ID. */
export async function findSent(
	ctx: Context,
	messageId: string,
	itemIndex?: number,
): Promise<SentMessage | undefined> {
	const q = `rfc822msgid:${messageId.replace(/^<|>$/g, '')} in:anywhere`;
	const list = await gmailApiRequest(ctx, 'gmail.users.messages.list', {
		itemIndex,
		qs: { q, maxResults: 1, includeSpamTrash: true },
	});
	const found = (list.messages as Array<{ id: string; threadId: string }> | undefined)?.[0];
	if (!found) return undefined;
	return await gmailApiRequest<SentMessage>(ctx, 'gmail.users.messages.get', {
		itemIndex,
		params: { id: found.id },
		qs: { format: 'minimal' },
	});
}

const parsed = <T>(res: Response) =>
	(typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as T;

/**
 * The multipart/related body (metadata part, then the small message) in one buffer: the message is copied
 * in piece by piece as it is produced (the builder may reuse its buffers), and only once.
 */
async function multipartBody(
	ctx: Context,
	source: RawSource,
	metadata: IDataObject,
): Promise<{ body: Buffer; boundary: string }> {
	const boundary = `part_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(metadata)}\r\n` +
			`--${boundary}\r\nContent-Type: message/rfc822\r\n\r\n`,
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	const body = Buffer.allocUnsafe(head.length + source.size + tail.length);
	let o = head.copy(body, 0);
	const end = head.length + source.size;
	const mismatch = () =>
		new NodeOperationError(
			ctx.getNode(),
			`The message's bytes do not match its computed size (${source.size} bytes)`,
		);
	for await (const b of source.bytes) {
		if (o + b.length > end) throw mismatch();
		o += b.copy(body, o);
	}
	if (o !== end) throw mismatch();
	tail.copy(body, o);
	return { body, boundary };
}

/**
 * Chunks of exactly `size` bytes (the last may be shorter), from any chunking of the input, all in ONE
 * preallocated buffer: the consumer uploads a chunk (retries included) before it asks for the next, so
 * the buffer is refilled only once the previous chunk is done with.
 */
async function* rechunk(bytes: AsyncIterable<Buffer>, size: number): AsyncGenerator<Buffer> {
	const chunk = Buffer.allocUnsafe(size);
	let filled = 0;
	for await (const b of bytes) {
		let offset = 0;
		while (offset < b.length) {
			const n = Math.min(size - filled, b.length - offset);
			b.copy(chunk, filled, offset, offset + n);
			filled += n;
			offset += n;
			if (filled === size) {
				yield chunk;
				filled = 0;
			}
		}
	}
	if (filled) yield chunk.subarray(0, filled);
}

/** One request: multipart/related with the metadata and the message. */
async function sendSingle<T>(
	ctx: Context,
	target: UploadTarget<T>,
	{ body, boundary }: { body: Buffer; boundary: string },
	timeoutMs: number,
): Promise<T> {
	const { url, method } = endpoint(target);
	const res = await call(
		ctx,
		{
			method,
			url: `${url}?uploadType=multipart`,
			headers: { 'Content-Type': `multipart/related; boundary=${boundary}` },
			body,
			json: false,
		},
		timeoutMs,
	);
	return parsed<T>(res);
}

/** A resumable session's answer: the resource (done) or how many bytes it holds (308, "Range: bytes=0-N"). */
type SessionState<T> = { sent: T } | { have: number };

/** PUT to the session: bytes (a chunk) or none (a status query). 308 is "go on", not a failure. */
async function put<T>(
	ctx: Context,
	session: string,
	range: string,
	body: Buffer | undefined,
	timeoutMs: number,
): Promise<SessionState<T>> {
	try {
		const res = await call(
			ctx,
			{
				method: 'PUT',
				url: session,
				headers: { 'Content-Range': range },
				...(body ? { body } : {}),
				json: false,
				disableFollowRedirect: true,
			},
			timeoutMs,
		);
		return { sent: parsed<T>(res) };
	} catch (error) {
		const f = describeFailure(error);
		// anything but 308 is a failure for the retry engine (wrapping n8n's NodeApiError hands it back as it is)
		if (f.status !== 308) throw new NodeApiError(ctx.getNode(), error as JsonObject);
		const headers = httpResponseOf(error)?.headers ?? {};
		const last = /bytes=0-(\d+)/.exec(String(headers.range ?? headers.Range ?? ''))?.[1];
		return { have: last === undefined ? 0 : Number(last) + 1 };
	}
}

/**
 * A status query on the session. A session Google no longer knows (404/410, e.g. it expired) after a lost final
 * answer: the target's Message-ID lookup says whether the resource was made; nothing found is a failure.
 */
async function sessionStatus<T>(
	ctx: Context,
	target: UploadTarget<T>,
	session: string,
	size: number,
	timeoutMs: number,
): Promise<SessionState<T>> {
	try {
		return await put<T>(ctx, session, `bytes */${size}`, undefined, timeoutMs);
	} catch (error) {
		const status = describeFailure(error).status;
		if ((status === 404 || status === 410) && target.findExisting) {
			const found = await target.findExisting();
			if (found) return { sent: found };
		}
		throw new NodeApiError(ctx.getNode(), error as JsonObject);
	}
}

/**
 * Resumable upload in chunks. Every step is repeated by the one retry engine: opening the session sends
 * nothing yet, and a chunk is resumed from what the session says it holds, so repeating is always safe.
 * A 401 on a chunk is answered by n8n's token refresh before the chunk is repeated.
 */
async function sendResumable<T>(
	ctx: Context,
	target: UploadTarget<T>,
	source: RawSource,
	timeoutMs: number,
	fail: ToError,
): Promise<T> {
	const { url, method } = endpoint(target);
	const start = await withRetries(
		async () =>
			await call(
				ctx,
				{
					method,
					url: `${url}?uploadType=resumable`,
					headers: {
						'X-Upload-Content-Type': 'message/rfc822',
						'X-Upload-Content-Length': String(source.size),
					},
					body: target.metadata,
					json: true,
				},
				timeoutMs,
			),
		fail,
	);
	const session = start.headers.location ?? start.headers.Location;
	if (!session)
		throw new NodeOperationError(
			ctx.getNode(),
			'Gmail opened no upload session (no Location header)',
		);
	let offset = 0;
	for await (const chunk of rechunk(source.bytes, CHUNK_BYTES)) {
		const chunkStart = offset;
		offset += chunk.length;
		let resuming = false;
		const state = await withRetries(async (): Promise<SessionState<T>> => {
			// after a failure, ask the session what it holds: done (the answer was lost), this chunk, or part of it
			let from = chunkStart;
			if (resuming) {
				const status = await sessionStatus(ctx, target, session, source.size, timeoutMs);
				if ('sent' in status || status.have >= offset) return status;
				from = Math.max(chunkStart, status.have);
			}
			resuming = true;
			return await put<T>(
				ctx,
				session,
				`bytes ${from}-${offset - 1}/${source.size}`,
				chunk.subarray(from - chunkStart),
				timeoutMs,
			);
		}, fail);
		if ('sent' in state) return state.sent;
	}
	throw new NodeOperationError(
		ctx.getNode(),
		'The upload ended without Gmail confirming the message',
	);
}

type ToError = (error: unknown, attempts: number) => Error;

/**
 * Upload an RFC 822 message to a Gmail method (messages.send, drafts.create, drafts.update) at most once:
 * refused before upload when over Gmail's limit; small messages in one multipart request, large ones in
 * resumable chunks (memory: about one chunk). A request whose answer is lost (reset, timeout, 5xx after
 * the upload) is repeated only when the target's Message-ID lookup shows Gmail does not have it.
 */
export async function uploadRawMessage<T>(
	ctx: Context,
	source: RawSource,
	target: UploadTarget<T>,
	opts: { itemIndex: number; timeoutMs?: number },
): Promise<T> {
	const timeoutMs = clampTimeoutMs(opts.timeoutMs ?? requestTimeoutMs(ctx, opts.itemIndex));
	const fail: ToError = (error, attempts) =>
		apiError(ctx.getNode(), error, {
			what: endpoint(target).what,
			itemIndex: opts.itemIndex,
			timeoutMs,
			attempts,
			prefix: target.prefix,
		});
	if (source.size > MAX_MESSAGE_BYTES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The message is ${(source.size / 1048576).toFixed(1)} MiB; Gmail accepts at most 35 MiB (${MAX_MESSAGE_BYTES} bytes) including attachments. Nothing was uploaded. [item ${opts.itemIndex}]`,
			{
				itemIndex: opts.itemIndex,
				description:
					'Send large files as links (for example from Google Drive) instead of attachments.',
			},
		);
	}
	const pacer = await mailboxPacer(ctx, 'me');
	await pacer.take(unitsOf(pacer.plan, target.method));
	// up to one chunk: one multipart request; larger: resumable chunks
	if (source.size > CHUNK_BYTES) return await sendResumable(ctx, target, source, timeoutMs, fail);

	const multipart = await multipartBody(ctx, source, target.metadata);
	// an upload whose answer was lost may have arrived: it is repeated only when the lookup finds nothing
	let already: T | undefined;
	const findExisting = target.findExisting;
	return await withRetries(
		async () => already ?? (await sendSingle(ctx, target, multipart, timeoutMs)),
		fail,
		findExisting
			? {
					...DEFAULT_RETRY,
					safeToRetry: async () => {
						already = await findExisting();
						return true;
					},
				}
			: DEFAULT_RETRY,
	);
}

/**
 * Send an RFC 822 message at most once (messages.send through uploadRawMessage); the Message-ID lookup
 * is findSent.
 */
export async function sendRawMessage(
	ctx: Context,
	source: RawSource,
	opts: { threadId?: string; itemIndex: number; timeoutMs?: number },
): Promise<SentMessage> {
	return await uploadRawMessage<SentMessage>(
		ctx,
		source,
		{
			method: 'gmail.users.messages.send',
			metadata: opts.threadId ? { threadId: opts.threadId } : {},
			prefix: 'Gmail did not send the message',
			findExisting: async () => await findSent(ctx, source.messageId, opts.itemIndex),
		},
		{ itemIndex: opts.itemIndex, timeoutMs: opts.timeoutMs },
	);
}
