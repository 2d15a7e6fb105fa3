/**
 * Base64 in 76-character lines, fed chunk by chunk: the bytes that do not fill a whole line (57 bytes) are
 * carried to the next chunk, so any chunking of the same bytes yields the same output and nothing but the
 * current chunk is ever held. Lines are separated by CRLF (no CRLF after the last line: the MIME writer puts
 * the delimiter's CRLF there).
 */

const LINE_BYTES = 57;
const LINE_CHARS = 76;
/** Big buffers are encoded in slices of this many bytes (a multiple of 57) to keep strings small. */
export const SLICE_BYTES = LINE_BYTES * 1150;
const EMPTY = Buffer.alloc(0);

export class Base64LineEncoder {
	private carry: Buffer = EMPTY;
	private lines = 0;
	/** Bytes pushed so far. */
	bytesIn = 0;

	push(chunk: Uint8Array): Buffer {
		if (!chunk.length) return EMPTY;
		this.bytesIn += chunk.length;
		const view = Buffer.isBuffer(chunk) ? chunk : Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		const data = this.carry.length ? Buffer.concat([this.carry, view]) : view;
		const full = data.length - (data.length % LINE_BYTES);
		// copy the remainder so the caller's (possibly large) chunk is not kept alive
		this.carry = full < data.length ? Buffer.from(data.subarray(full)) : EMPTY;
		if (!full) return EMPTY;
		if (full <= SLICE_BYTES) return this.encode(data, 0, full);
		const parts: Buffer[] = [];
		for (let i = 0; i < full; i += SLICE_BYTES) parts.push(this.encode(data, i, Math.min(full, i + SLICE_BYTES)));
		return Buffer.concat(parts);
	}

	end(): Buffer {
		const out = this.carry.length ? this.encode(this.carry, 0, this.carry.length) : EMPTY;
		this.carry = EMPTY;
		return out;
	}

	/**
	 * Encodes data[start, end) straight into a Buffer (no intermediate string, so streaming leaves almost no
	 * garbage on the JS heap), a CRLF before every line but the very first of the body.
	 */
	private encode(data: Buffer, start: number, end: number): Buffer {
		const n = end - start;
		const chars = Math.ceil(n / 3) * 4;
		const count = Math.ceil(chars / LINE_CHARS);
		const out = Buffer.allocUnsafe(chars + (this.lines > 0 ? count : count - 1) * 2);
		let o = 0;
		let col = 0;
		if (this.lines > 0) {
			out[o++] = 0x0d;
			out[o++] = 0x0a;
		}
		this.lines += count;
		let i = start;
		const whole = start + n - (n % 3);
		for (; i < whole; i += 3) {
			if (col === LINE_CHARS) {
				out[o++] = 0x0d;
				out[o++] = 0x0a;
				col = 0;
			}
			const v = (data[i] << 16) | (data[i + 1] << 8) | data[i + 2];
			out[o++] = ALPHABET[v >>> 18];
			out[o++] = ALPHABET[(v >>> 12) & 63];
			out[o++] = ALPHABET[(v >>> 6) & 63];
			out[o++] = ALPHABET[v & 63];
			col += 4;
		}
		if (i < end) {
			if (col === LINE_CHARS) {
				out[o++] = 0x0d;
				out[o++] = 0x0a;
			}
			const b1 = data[i];
			const b2 = i + 1 < end ? data[i + 1] : 0;
			const v = (b1 << 16) | (b2 << 8);
			out[o++] = ALPHABET[v >>> 18];
			out[o++] = ALPHABET[(v >>> 12) & 63];
			out[o++] = i + 1 < end ? ALPHABET[(v >>> 6) & 63] : 0x3d;
			out[o++] = 0x3d;
		}
		return out;
	}
}

const ALPHABET = Buffer.from('ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/', 'latin1');

/** Length of Base64LineEncoder's output for n bytes. */
export function base64BodyLength(n: number): number {
	if (n <= 0) return 0;
	const chars = Math.ceil(n / 3) * 4;
	return chars + (Math.ceil(chars / LINE_CHARS) - 1) * 2;
}

export type ByteSource = Uint8Array | AsyncIterable<Uint8Array>;

export const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
	!!v && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
