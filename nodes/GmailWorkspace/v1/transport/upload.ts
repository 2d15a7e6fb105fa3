import type { IDataObject, IHttpRequestOptions, JsonObject } from 'n8n-workflow';
import { NodeApiError, NodeOperationError, sleep } from 'n8n-workflow';

import { credentialId, credentialType, type Context } from './credentials';
import { describeFailure, isRetryable, rewrappable, type HttpFailure } from './errors';
import { explainFailure } from './explain';
import { GMAIL_ROOT, gmailApiRequest } from './index';
import { gmailPath } from './methods';
import { pacerFor, USER_UNITS_PER_SECOND } from './quota';
import { backoffMs, DEFAULT_RETRY, withRetries } from './retry';

/** Gmail's limit for a message sent through the upload endpoint (discovery: mediaUpload.maxSize). */
export const MAX_MESSAGE_BYTES = 36_700_160;
/**
 * Resumable chunk size: a multiple of 256 KiB, as Google requires for every chunk but the last. It bounds
 * what a send holds: one chunk, plus TLS's encrypted copy of it while it is written (npm run bench:send:
 * 8 MiB chunks grew n8n's RSS ~12 MiB more than 2 MiB chunks for a 25 MiB file, for 12 more requests).
 */
export const CHUNK_BYTES = 2 * 1024 * 1024;

// messages.send's media upload path (discovery: mediaUpload.protocols.simple.path)
const UPLOAD_URL = `${GMAIL_ROOT}upload/${gmailPath('gmail.users.messages.send', { userId: 'me' })}`;
const SEND_UNITS = 100;

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

async function call(ctx: Context, options: IHttpRequestOptions, timeoutMs = 120_000): Promise<Response> {
	return (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
		timeout: timeoutMs,
		...options,
		returnFullResponse: true,
	})) as Response;
}

/** Has Gmail already got this message (sent before the answer was lost)? Looks it up by Message-ID. */
export async function findSent(ctx: Context, messageId: string): Promise<SentMessage | undefined> {
	const q = `rfc822msgid:${messageId.replace(/^<|>$/g, '')} in:anywhere`;
	const list = await gmailApiRequest.call<Context, ['gmail.users.messages.list', object], Promise<IDataObject>>(ctx, 'gmail.users.messages.list', {
		qs: { q, maxResults: 1, includeSpamTrash: true },
	});
	const found = (list.messages as Array<{ id: string; threadId: string }> | undefined)?.[0];
	if (!found) return undefined;
	return await gmailApiRequest.call<Context, ['gmail.users.messages.get', object], Promise<SentMessage>>(ctx, 'gmail.users.messages.get', {
		params: { id: found.id },
		qs: { format: 'minimal' },
	});
}

/**
 * The multipart/related body (metadata part, then the small message) in one buffer: the message is copied
 * in piece by piece as it is produced (the builder may reuse its buffers), and only once.
 */
async function multipartBody(ctx: Context, source: RawSource, threadId: string | undefined): Promise<{ body: Buffer; boundary: string }> {
	const boundary = `part_${Math.random().toString(36).slice(2)}${Date.now().toString(36)}`;
	const head = Buffer.from(
		`--${boundary}\r\nContent-Type: application/json; charset=UTF-8\r\n\r\n${JSON.stringify(threadId ? { threadId } : {})}\r\n` +
			`--${boundary}\r\nContent-Type: message/rfc822\r\n\r\n`,
	);
	const tail = Buffer.from(`\r\n--${boundary}--\r\n`);
	const body = Buffer.allocUnsafe(head.length + source.size + tail.length);
	let o = head.copy(body, 0);
	const end = head.length + source.size;
	const mismatch = () => new NodeOperationError(ctx.getNode(), `The message's bytes do not match its computed size (${source.size} bytes)`);
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

function sendError(ctx: Context, error: unknown, itemIndex?: number) {
	const f = (error as HttpFailure).network !== undefined && !(error instanceof Error) ? (error as HttpFailure) : describeFailure(error);
	const why = explainFailure(f) ?? f.message;
	return new NodeApiError(ctx.getNode(), (error instanceof Error ? rewrappable(error) : { message: why ?? '' }) as JsonObject, {
		message: why ? `Gmail did not send the message: ${why}` : 'Gmail did not send the message',
		httpCode: f.status ? String(f.status) : undefined,
		itemIndex,
	});
}

/** One request: multipart/related with the metadata (threadId) and the message. */
async function sendSingle(ctx: Context, { body, boundary }: { body: Buffer; boundary: string }, timeoutMs: number): Promise<SentMessage> {
	const res = await call(ctx, {
		method: 'POST',
		url: `${UPLOAD_URL}?uploadType=multipart`,
		headers: { 'Content-Type': `multipart/related; boundary=${boundary}` },
		body,
		json: false,
	}, timeoutMs);
	return (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as SentMessage;
}

/** Resumable upload in chunks: each chunk is its own request and can be repeated safely. */
async function sendResumable(ctx: Context, source: RawSource, threadId: string | undefined, timeoutMs: number, itemIndex?: number): Promise<SentMessage> {
	// opening a session sends nothing yet, so a refused (429) or failed start is repeated like any transient failure
	const start = await withRetries(
		async () =>
			await call(ctx, {
				method: 'POST',
				url: `${UPLOAD_URL}?uploadType=resumable`,
				headers: { 'X-Upload-Content-Type': 'message/rfc822', 'X-Upload-Content-Length': String(source.size) },
				body: threadId ? { threadId } : {},
				json: true,
			}),
		(error) => sendError(ctx, error, itemIndex),
	);
	const session = start.headers.location ?? start.headers.Location;
	if (!session) throw new NodeOperationError(ctx.getNode(), 'Gmail opened no upload session (no Location header)');
	let offset = 0;
	for await (const chunk of rechunk(source.bytes, CHUNK_BYTES)) {
		const chunkStart = offset;
		offset += chunk.length;
		for (let attempt = 1; ; attempt++) {
			let res: Response | undefined;
			let failure: HttpFailure | undefined;
			try {
				// the server may already hold part of this chunk (after a lost answer): send the rest
				res = await call(ctx, {
					method: 'PUT',
					url: session,
					headers: { 'Content-Range': `bytes ${chunkStart}-${offset - 1}/${source.size}` },
					body: chunk,
					json: false,
					ignoreHttpStatusErrors: true,
				}, timeoutMs);
			} catch (error) {
				failure = describeFailure(error);
			}
			if (res && (res.statusCode === 200 || res.statusCode === 201)) {
				return (typeof res.body === 'string' ? JSON.parse(res.body) : res.body) as SentMessage;
			}
			if (res?.statusCode === 308) break;
			failure ??= describeFailure({ response: { status: res!.statusCode, headers: res!.headers, data: res!.body } });
			if (!(failure.network || isRetryable(failure)) || attempt >= DEFAULT_RETRY.maxAttempts) throw sendError(ctx, failure, undefined);
			await sleep(backoffMs(attempt, DEFAULT_RETRY, failure));
			// ask the session what it has: done (the answer was lost), or where to go on
			const status = await call(ctx, {
				method: 'PUT',
				url: session,
				headers: { 'Content-Range': `bytes */${source.size}` },
				json: false,
				ignoreHttpStatusErrors: true,
			}).catch(() => undefined);
			if (status && (status.statusCode === 200 || status.statusCode === 201)) {
				return (typeof status.body === 'string' ? JSON.parse(status.body) : status.body) as SentMessage;
			}
			const have = /bytes=0-(\d+)/.exec(status?.headers.range ?? '')?.[1];
			if (have !== undefined && Number(have) + 1 >= offset) break; // this chunk arrived after all
		}
	}
	throw new NodeOperationError(ctx.getNode(), 'The upload ended without Gmail confirming the message');
}

/**
 * Send an RFC 822 message at most once: refused before upload when over Gmail's limit; small messages
 * in one request, large ones in resumable chunks. A send whose answer is lost (reset, timeout, 5xx
 * after the upload) is repeated only when a Message-ID lookup shows Gmail does not have it.
 */
export async function sendRawMessage(
	ctx: Context,
	source: RawSource,
	opts: { threadId?: string; itemIndex: number; timeoutMs?: number },
): Promise<SentMessage> {
	const timeoutMs = opts.timeoutMs ?? 120_000;
	if (source.size > MAX_MESSAGE_BYTES) {
		throw new NodeOperationError(
			ctx.getNode(),
			`The message is ${(source.size / 1048576).toFixed(1)} MiB; Gmail accepts at most 35 MiB (${MAX_MESSAGE_BYTES} bytes) including attachments. Nothing was uploaded.`,
			{ itemIndex: opts.itemIndex, description: 'Send large files as links (for example from Google Drive) instead of attachments.' },
		);
	}
	const bucket = pacerFor(`${credentialId(ctx)}:me`, USER_UNITS_PER_SECOND);
	await bucket.take(SEND_UNITS);
	// up to one chunk: one multipart request; larger: resumable chunks
	if (source.size > CHUNK_BYTES) return await sendResumable(ctx, source, opts.threadId, timeoutMs, opts.itemIndex);

	const multipart = await multipartBody(ctx, source, opts.threadId);
	for (let attempt = 1; ; attempt++) {
		try {
			return await sendSingle(ctx, multipart, timeoutMs);
		} catch (error) {
			const f = describeFailure(error);
			const refused = f.status === 429 || (f.status === 403 && isRetryable(f));
			const ambiguous = f.network || (f.status !== undefined && f.status >= 500);
			if ((!refused && !ambiguous) || attempt >= DEFAULT_RETRY.maxAttempts) throw sendError(ctx, error, opts.itemIndex);
			await sleep(backoffMs(attempt, DEFAULT_RETRY, f));
			if (ambiguous) {
				const already = await findSent(ctx, source.messageId);
				if (already) return already;
			}
		}
	}
}


