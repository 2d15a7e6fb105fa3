import { NodeOperationError } from 'n8n-workflow';

import { credentialType, type Context } from './credentials';
import { apiError } from './errors';
import { GMAIL_ROOT, requestTimeoutMs } from './index';
import { gmailPath } from './methods';
import { mailboxPacer, unitsOf } from './quota';
import { DEFAULT_RETRY, withRetries } from './retry';

/** Base64 text decoded per step: bounds what one step allocates whatever size the network pieces have. */
const DECODE_CHARS = 256 * 1024;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;
const COLON = 0x3a;
const DATA_KEY = 'data';

/**
 * The "data" string of Gmail's MessagePartBody JSON (`{"attachmentId": …, "size": N, "data": "<base64url>"}`),
 * decoded as it arrives: a state machine over the bytes that skips every other string and value, so only
 * the current network piece and at most DECODE_CHARS of base64 are held at any time.
 */
export class PartBodyDecoder {
	private inString = false;
	private escaped = false;
	private key = '';
	private keyLong = false;
	/** The string being read is the value of "data". */
	private inData = false;
	/** The last string read was "data" and a colon followed: the next string is the value. */
	private awaitData = false;
	private lastString = '';
	private pending = '';
	done = false;

	/** Decoded bytes of this piece of the JSON text. */
	*push(piece: Buffer): Generator<Buffer> {
		let start = -1;
		for (let i = 0; i < piece.length; i++) {
			const c = piece[i];
			if (this.inData) {
				if (start < 0) start = i;
				if (c === QUOTE) {
					yield* this.decode(piece.toString('latin1', start, i), true);
					this.inData = false;
					this.done = true;
					start = -1;
				} else if (i - start >= DECODE_CHARS) {
					yield* this.decode(piece.toString('latin1', start, i), false);
					start = i;
				}
				continue;
			}
			if (this.inString) {
				if (this.escaped) this.escaped = false;
				else if (c === BACKSLASH) this.escaped = true;
				else if (c === QUOTE) {
					this.inString = false;
					this.lastString = this.keyLong ? '' : this.key;
				} else if (!this.keyLong) {
					this.key += String.fromCharCode(c);
					if (this.key.length > DATA_KEY.length) this.keyLong = true;
				}
				continue;
			}
			if (c === QUOTE) {
				if (this.awaitData) {
					this.awaitData = false;
					this.inData = true;
				} else {
					this.inString = true;
					this.key = '';
					this.keyLong = false;
				}
			} else if (c === COLON) {
				this.awaitData = this.lastString === DATA_KEY;
			} else if (c > 0x20) {
				this.lastString = '';
				this.awaitData = false;
			}
		}
		if (this.inData && start >= 0)
			yield* this.decode(piece.toString('latin1', start, piece.length), false);
	}

	private *decode(chars: string, last: boolean): Generator<Buffer> {
		const text = this.pending + chars.replace(/[=\s]/g, '');
		const usable = last ? text.length : text.length - (text.length % 4);
		this.pending = text.slice(usable);
		if (usable) yield Buffer.from(text.slice(0, usable), 'base64url');
	}
}

/**
 * One attachment's bytes (users.messages.attachments.get), streamed: Gmail answers JSON with the bytes as one
 * base64url string, which is decoded as it arrives instead of being held whole (a 25 MiB file is a 33 MiB string).
 * Each piece is read through the retry engine; a connection lost midway is reopened and the bytes already
 * handed on are skipped, so the consumer sees every byte once. The quota pacer is charged per request.
 */
export async function* downloadAttachment(
	ctx: Context,
	ref: { messageId: string; attachmentId: string; size?: number },
	itemIndex?: number,
): AsyncGenerator<Buffer> {
	const id = 'gmail.users.messages.attachments.get';
	const path = gmailPath(id, { userId: 'me', messageId: ref.messageId, id: ref.attachmentId });
	const timeout = requestTimeoutMs(ctx, itemIndex);
	const pacer = await mailboxPacer(ctx, 'me');
	let delivered = 0;
	let reader: { it: AsyncIterator<Buffer>; decoder: PartBodyDecoder; seen: number } | undefined;

	const open = async () => {
		await pacer.take(unitsOf(pacer.plan, id));
		const body = (await ctx.helpers.httpRequestWithAuthentication.call(ctx, credentialType(ctx), {
			method: 'GET',
			url: GMAIL_ROOT + path,
			timeout,
			encoding: 'stream',
			json: false,
		})) as AsyncIterable<Buffer>;
		return { it: body[Symbol.asyncIterator](), decoder: new PartBodyDecoder(), seen: 0 };
	};
	/** The next decoded bytes not handed on yet, or undefined at the end. */
	const next = async (): Promise<Buffer[] | undefined> => {
		// a failed read drops the connection: the retry reopens it and skips what was handed on
		let failed = true;
		try {
			reader ??= await open();
			const r = await reader.it.next();
			if (r.done) {
				if (!reader.decoder.done)
					throw Object.assign(new Error('The attachment download ended early'), {
						code: 'ECONNRESET',
					});
				failed = false;
				return undefined;
			}
			const out: Buffer[] = [];
			for (const b of reader.decoder.push(r.value)) {
				const from = Math.max(0, delivered - reader.seen);
				reader.seen += b.length;
				if (from < b.length) out.push(from ? b.subarray(from) : b);
			}
			failed = false;
			return out;
		} finally {
			if (failed) reader = undefined;
		}
	};
	for (;;) {
		const pieces = await withRetries(
			next,
			(error, attempts) =>
				apiError(ctx.getNode(), error, {
					what: `GET ${path}`,
					itemIndex,
					timeoutMs: timeout,
					attempts,
					quota: pacer.plan,
					prefix: `Downloading attachment of message "${ref.messageId}" failed`,
				}),
			{ ...DEFAULT_RETRY, onRateLimited: (f) => pacer.rateLimited(f.retryAfterMs) },
		);
		if (!pieces) break;
		for (const p of pieces) {
			delivered += p.length;
			yield p;
		}
	}
	if (ref.size !== undefined && delivered !== ref.size)
		throw new NodeOperationError(
			ctx.getNode(),
			`Gmail sent ${delivered} bytes for an attachment of message "${ref.messageId}" it said has ${ref.size}`,
			{ itemIndex },
		);
}
