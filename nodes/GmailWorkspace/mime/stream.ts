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
	private scratch: Buffer = EMPTY;
	/** Bytes pushed so far. */
	bytesIn = 0;

	/** @param reuse write every push's output into one scratch buffer (valid until the next push) */
	constructor(private readonly reuse = false) {}

	private output(size: number): Buffer {
		if (!this.reuse) return Buffer.allocUnsafe(size);
		if (this.scratch.length < size) this.scratch = Buffer.allocUnsafe(size);
		return this.scratch.subarray(0, size);
	}

	/** Encode a chunk; returns the output lines it completes, in one freshly allocated Buffer. */
	push(chunk: Uint8Array): Buffer {
		if (!chunk.length) return EMPTY;
		this.bytesIn += chunk.length;
		const view = Buffer.isBuffer(chunk)
			? chunk
			: Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
		// complete the carried partial line first (at most 56 bytes are ever copied for it)
		let head = EMPTY;
		let start = 0;
		if (this.carry.length) {
			const need = LINE_BYTES - this.carry.length;
			if (view.length < need) {
				this.carry = Buffer.concat([this.carry, view]);
				return EMPTY;
			}
			head = Buffer.concat([this.carry, view.subarray(0, need)]);
			start = need;
		}
		const rest = view.length - start;
		const full = rest - (rest % LINE_BYTES);
		// copy the remainder so the caller's (possibly large) chunk is not kept alive
		this.carry = full < rest ? Buffer.from(view.subarray(start + full)) : EMPTY;
		const size =
			(head.length ? this.encodedSize(head.length, this.lines) : 0) +
			(full ? this.encodedSize(full, this.lines + (head.length ? 1 : 0)) : 0);
		if (!size) return EMPTY;
		const out = this.output(size);
		let o = head.length ? this.encodeInto(out, 0, head, 0, head.length) : 0;
		if (full) o = this.encodeInto(out, o, view, start, start + full);
		return o === size ? out : out.subarray(0, o);
	}

	end(): Buffer {
		if (!this.carry.length) return EMPTY;
		const out = Buffer.allocUnsafe(this.encodedSize(this.carry.length, this.lines));
		this.encodeInto(out, 0, this.carry, 0, this.carry.length);
		this.carry = EMPTY;
		return out;
	}

	/** Output bytes for n input bytes when `linesBefore` lines were written already. */
	private encodedSize(n: number, linesBefore: number): number {
		const chars = Math.ceil(n / 3) * 4;
		const count = Math.ceil(chars / LINE_CHARS);
		return chars + (linesBefore > 0 ? count : count - 1) * 2;
	}

	/**
	 * Encodes data[start, end) straight into `out` at `o` (no intermediate string or buffer), a CRLF before
	 * every line but the very first of the body. Returns the offset after the last byte written.
	 */
	private encodeInto(out: Buffer, o: number, data: Buffer, start: number, end: number): number {
		const n = end - start;
		const count = Math.ceil((Math.ceil(n / 3) * 4) / LINE_CHARS);
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
		return o;
	}
}

const ALPHABET = Buffer.from(
	'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/',
	'latin1',
);

/** Length of Base64LineEncoder's output for n bytes. */
export function base64BodyLength(n: number): number {
	if (n <= 0) return 0;
	const chars = Math.ceil(n / 3) * 4;
	return chars + (Math.ceil(chars / LINE_CHARS) - 1) * 2;
}

export type ByteSource = Uint8Array | AsyncIterable<Uint8Array>;

export const isAsyncIterable = (v: unknown): v is AsyncIterable<unknown> =>
	!!v && typeof (v as { [Symbol.asyncIterator]?: unknown })[Symbol.asyncIterator] === 'function';
