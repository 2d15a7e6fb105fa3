/**
 * Cooperative slicing for the long MIME conversions (a 25 MB HTML body, a 35 MiB message to parse).
 *
 * Every step whose cost grows with the input is written once, as a generator ("steps") that pauses with a
 * bare `yield` every few tens of kilobytes of work and returns its result. Two drivers run it:
 * - runSync drives it straight through: the synchronous API (same result, same cost, no pauses);
 * - runAsync drives it in time slices of about `sliceMs` and awaits the injected `yieldFn` between slices,
 *   so the event loop is never held for much longer than one slice, whatever the input size.
 *
 * The module never schedules anything itself with timers (n8n's community-node rules): the caller injects
 * how to yield (in a node: `() => sleep(0)` from n8n-workflow). Without one, a MessageChannel round trip is
 * used, which also lets timers and I/O run.
 */

/** A computation that pauses (yields undefined) between slices of work and returns T. */
export type Steps<T> = Generator<undefined, T, undefined>;

export interface SliceOptions {
	/**
	 * Awaited between slices; it should let the event loop run (timers, I/O). In an n8n node:
	 * `() => sleep(0)`. Default: a MessageChannel message round trip (a macrotask, no timer).
	 */
	yieldFn?: () => Promise<void>;
	/** Work done between two yields, in milliseconds (default 20). */
	sliceMs?: number;
}

export const DEFAULT_SLICE_MS = 20;

/** Characters (or bytes) a loop handles between two pause points: well under a millisecond of work. */
export const STEP = 1 << 16;

/** Runs steps to completion without pausing: the synchronous API. */
export function runSync<T>(steps: Steps<T>): T {
	for (;;) {
		const r = steps.next();
		if (r.done) return r.value;
	}
}

/** Runs steps, awaiting options.yieldFn whenever a slice of options.sliceMs has been used. */
export async function runAsync<T>(steps: Steps<T>, options: SliceOptions = {}): Promise<T> {
	const yieldFn = options.yieldFn ?? yieldToEventLoop;
	const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
	let start = performance.now();
	for (;;) {
		const r = steps.next();
		if (r.done) return r.value;
		if (performance.now() - start >= sliceMs) {
			await yieldFn();
			start = performance.now();
		}
	}
}

/** A macrotask boundary without timers: one message through a fresh MessageChannel. */
export function yieldToEventLoop(): Promise<void> {
	if (typeof MessageChannel !== 'function') return Promise.resolve();
	return new Promise<void>((resolve) => {
		const { port1, port2 } = new MessageChannel();
		port1.once('message', () => {
			port1.close();
			resolve();
		});
		port2.postMessage(undefined);
	});
}

/** The same steps, with any error they throw turned into a result by `onError` (for "never throws" parsers). */
export function* guarded<T>(steps: Steps<T>, onError: (error: unknown) => T): Steps<T> {
	try {
		return yield* steps;
	} catch (error) {
		return onError(error);
	}
}

/** Pieces joined per group of this many: joining costs per piece, so one join of a million pieces is a long step. */
const GROUP = 1024;
/** …and once they hold this many characters (a join copies them all in one go). */
export const BLOCK_CHARS = 1 << 20;

/**
 * Builds a long string from many pieces in bounded steps: every GROUP pieces are joined at once (a bounded
 * amount of work per push, spread over the caller's loop), so the final join only has pieces / GROUP
 * strings left. (`s += piece` in a loop has the same problem as a final join: the string it builds is
 * flattened in one go the first time it is read.)
 */
export class StringJoiner {
	private blocks: string[] = [];
	private pending: string[] = [];
	private pendingLength = 0;
	length = 0;

	push(s: string): void {
		if (this.pending.length >= GROUP || this.pendingLength >= BLOCK_CHARS) {
			this.blocks.push(this.pending.join(''));
			this.pending = [];
			this.pendingLength = 0;
		}
		this.pending.push(s);
		this.pendingLength += s.length;
		this.length += s.length;
	}

	/** Removes the last character of the last piece pushed (which must not be empty). */
	dropLastChar(): void {
		const k = this.pending.length - 1;
		this.pending[k] = this.pending[k].slice(0, -1);
		this.pendingLength--;
		this.length--;
	}

	toString(): string {
		const blocks = this.pieces();
		if (blocks.length > 1) this.blocks = [blocks.join('')];
		return this.blocks[0] ?? '';
	}

	/** The text as blocks of joined pieces, without the final join (see rope()). */
	pieces(): string[] {
		if (this.pending.length) {
			this.blocks.push(this.pending.length === 1 ? this.pending[0] : this.pending.join(''));
			this.pending = [];
			this.pendingLength = 0;
		}
		return this.blocks;
	}
}

/**
 * One string made of pieces without copying them: `a + b` of long strings makes a V8 cons string in constant
 * time, so a 25 MB result costs one small object per piece here. The copy into one flat string happens later,
 * wherever the string is first read as a whole (for a message body handed to n8n: n8n's own serialisation of
 * the output); code in this module that still has to scan such a text takes the pieces instead.
 */
export function rope(pieces: readonly string[], separator = ''): string {
	let out = '';
	for (let k = 0; k < pieces.length; k++) out = k ? out + separator + pieces[k] : pieces[k];
	return out;
}

/** Pieces without the leading and trailing white space String#trim would remove, piece by piece. */
export function trimPieces(pieces: string[]): string[] {
	let a = 0;
	let b = pieces.length;
	while (a < b && !pieces[a].trimStart()) a++;
	while (b > a && !pieces[b - 1].trimEnd()) b--;
	const out = pieces.slice(a, b);
	if (out.length) {
		out[0] = out[0].trimStart();
		out[out.length - 1] = out[out.length - 1].trimEnd();
	}
	return out;
}

/**
 * The first characters of pieces, flat, at most `max` of them, cut before `cutBefore` (the last occurrence
 * found in the final piece) when there is one, and never inside a surrogate pair. `whole` tells whether that
 * is all of them.
 */
export function headOf(
	pieces: readonly string[],
	max: number,
	cutBefore: string,
): { head: string; whole: boolean } {
	let total = 0;
	let k = 0;
	while (k < pieces.length && total + pieces[k].length <= max) total += pieces[k++].length;
	if (k === pieces.length) return { head: pieces.join(''), whole: true };
	const rest = pieces[k];
	let cut = max - total;
	const at = rest.lastIndexOf(cutBefore, cut);
	if (at > 0) cut = at;
	const c = rest.charCodeAt(cut - 1);
	if (cut > 0 && c >= 0xd800 && c <= 0xdbff) cut--;
	return { head: pieces.slice(0, k).join('') + rest.slice(0, cut), whole: false };
}

/** StringJoiner for Buffers (Buffer.concat also costs per piece). */
export class BufferJoiner {
	private blocks: Buffer[] = [];
	private pending: Buffer[] = [];
	length = 0;

	push(b: Buffer): void {
		this.pending.push(b);
		this.length += b.length;
		if (this.pending.length >= GROUP) {
			this.blocks.push(Buffer.concat(this.pending));
			this.pending = [];
		}
	}

	toBuffer(): Buffer {
		if (this.pending.length) {
			this.blocks.push(this.pending.length === 1 ? this.pending[0] : Buffer.concat(this.pending));
			this.pending = [];
		}
		if (this.blocks.length > 1) this.blocks = [Buffer.concat(this.blocks)];
		return this.blocks[0] ?? Buffer.alloc(0);
	}
}
