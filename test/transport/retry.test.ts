import { backoffMs, DEFAULT_RETRY, withRetries } from '../../nodes/GmailWorkspace/v1/transport/retry';

const httpError = (status: number, headers: Record<string, string> = {}) =>
	Object.assign(new Error(`status ${status}`), { response: { status, headers, data: '' } });
const wrap = (e: unknown) => new Error(`final: ${(e as Error).message}`);
const fast = { ...DEFAULT_RETRY, baseDelayMs: 1, maxDelayMs: 5 };

describe('withRetries', () => {
	it('retries 503 and 429 until success', async () => {
		const answers = [httpError(503), httpError(429, { 'retry-after': '0' }), 'ok'];
		let calls = 0;
		const result = await withRetries(async () => {
			const a = answers[calls++];
			if (a instanceof Error) throw a;
			return a;
		}, wrap, fast);
		expect(result).toBe('ok');
		expect(calls).toBe(3);
	});

	it('does not retry a 404 and throws the mapped error', async () => {
		let calls = 0;
		await expect(withRetries(async () => { calls++; throw httpError(404); }, wrap, fast)).rejects.toThrow('final: status 404');
		expect(calls).toBe(1);
	});

	it('gives up after maxAttempts', async () => {
		let calls = 0;
		await expect(withRetries(async () => { calls++; throw httpError(500); }, wrap, { ...fast, maxAttempts: 3 })).rejects.toThrow('final');
		expect(calls).toBe(3);
	});

	it('asks safeToRetry before repeating a request that may have been processed, but not after a refusal', async () => {
		const asked: Array<number | undefined> = [];
		const policy = { ...fast, safeToRetry: async (f: { status?: number }) => { asked.push(f.status); return false; } };
		let calls = 0;
		await expect(withRetries(async () => { calls++; throw httpError(503); }, wrap, policy)).rejects.toThrow('final');
		expect([calls, asked]).toEqual([1, [503]]);

		calls = 0;
		asked.length = 0;
		const answers = [httpError(429), 'sent'];
		expect(await withRetries(async () => { const a = answers[calls++]; if (a instanceof Error) throw a; return a; }, wrap, policy)).toBe('sent');
		expect(asked).toEqual([]);
	});
});

describe('backoffMs', () => {
	it('grows exponentially with jitter and respects the cap and Retry-After', () => {
		const p = { ...DEFAULT_RETRY, baseDelayMs: 100, maxDelayMs: 1000 };
		const none = { network: false };
		expect(backoffMs(1, p, none, () => 0)).toBe(50);
		expect(backoffMs(1, p, none, () => 1)).toBe(100);
		expect(backoffMs(3, p, none, () => 1)).toBe(400);
		expect(backoffMs(10, p, none, () => 1)).toBe(1000);
		expect(backoffMs(1, p, { network: false, retryAfterMs: 700 }, () => 0)).toBe(700);
		expect(backoffMs(1, p, { network: false, retryAfterMs: 60_000 }, () => 0)).toBe(1000);
	});
});
