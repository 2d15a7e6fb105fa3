import { mapConcurrent, QuotaPacer, quotaUnits } from '../../nodes/GmailWorkspace/v1/transport/quota';

describe('QuotaPacer', () => {
	it('lets a burst of one second of units through at once, then paces to the rate', async () => {
		const pacer = new QuotaPacer(100);
		const t0 = Date.now();
		for (let i = 0; i < 20; i++) await pacer.take(5); // 100 units: the bucket's capacity
		expect(Date.now() - t0).toBeLessThan(50);
		await pacer.take(50); // needs half a second of refill
		const waited = Date.now() - t0;
		expect(waited).toBeGreaterThanOrEqual(450);
		expect(waited).toBeLessThan(1500);
	});

	it('knows Gmail unit costs', () => {
		expect(quotaUnits('gmail.users.messages.get')).toBe(5);
		expect(quotaUnits('gmail.users.messages.send')).toBe(100);
	});
});

describe('mapConcurrent', () => {
	it('keeps order and never exceeds the limit', async () => {
		let inFlight = 0;
		let peak = 0;
		const out = await mapConcurrent([5, 1, 4, 2, 3, 0], 3, async (n) => {
			inFlight++;
			peak = Math.max(peak, inFlight);
			await new Promise((r) => setTimeout(r, n * 3));
			inFlight--;
			return n * 10;
		});
		expect(out).toEqual([50, 10, 40, 20, 30, 0]);
		expect(peak).toBe(3);
	});
});
