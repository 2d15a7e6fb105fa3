import { collectPages, type Page } from '../../nodes/GmailWorkspace/v1/transport/paginate';

/** A list call over `pages`: page n answers token `t<n+1>` unless it is the last; records each call. */
function lister(pages: number[][]) {
	const calls: Array<{ pageToken: string | undefined; remaining: number }> = [];
	const fetchPage = async (pageToken: string | undefined, remaining: number): Promise<Page<number>> => {
		calls.push({ pageToken, remaining });
		const n = pageToken ? Number(pageToken.slice(1)) : 0;
		return { items: pages[n], ...(n + 1 < pages.length ? { nextPageToken: `t${n + 1}` } : {}) };
	};
	return { calls, fetchPage };
}

describe('collectPages', () => {
	it('follows nextPageToken to the last page and returns every item in order', async () => {
		const { calls, fetchPage } = lister([[1, 2], [3], [4, 5]]);
		expect(await collectPages(fetchPage)).toEqual([1, 2, 3, 4, 5]);
		expect(calls.map((c) => c.pageToken)).toEqual([undefined, 't1', 't2']);
		expect(calls.map((c) => c.remaining)).toEqual([Infinity, Infinity, Infinity]);
	});

	it('stops at the limit: no page after it is reached, and a longer last page is cut', async () => {
		const { calls, fetchPage } = lister([[1, 2, 3], [4, 5, 6], [7, 8, 9]]);
		expect(await collectPages(fetchPage, { limit: 5 })).toEqual([1, 2, 3, 4, 5]);
		expect(calls).toEqual([
			{ pageToken: undefined, remaining: 5 },
			{ pageToken: 't1', remaining: 2 },
		]);
	});

	it('reads no further page when the first fills the limit exactly', async () => {
		const { calls, fetchPage } = lister([[1, 2], [3]]);
		expect(await collectPages(fetchPage, { limit: 2 })).toEqual([1, 2]);
		expect(calls).toHaveLength(1);
	});

	it('asks for nothing when the limit is 0', async () => {
		const { calls, fetchPage } = lister([[1]]);
		expect(await collectPages(fetchPage, { limit: 0 })).toEqual([]);
		expect(calls).toHaveLength(0);
	});

	it('follows empty pages that carry a next token', async () => {
		const { calls, fetchPage } = lister([[], [], [1], []]);
		expect(await collectPages(fetchPage, { limit: 10 })).toEqual([1]);
		expect(calls).toHaveLength(4);
	});

	it('returns nothing for a single empty page, and treats an empty token as the end', async () => {
		expect(await collectPages(async () => ({ items: [] as number[] }))).toEqual([]);
		let calls = 0;
		expect(await collectPages(async () => (calls++, { items: [1], nextPageToken: '' }))).toEqual([1]);
		expect(calls).toBe(1);
	});

	it('reads at most maxPages pages', async () => {
		const { calls, fetchPage } = lister([[1], [2], [3], [4]]);
		expect(await collectPages(fetchPage, { maxPages: 2 })).toEqual([1, 2]);
		expect(calls).toHaveLength(2);
	});

	it('propagates a failing page and reads no further', async () => {
		let calls = 0;
		const fetchPage = async (pageToken?: string): Promise<Page<number>> => {
			calls++;
			if (pageToken === 't1') throw new Error('HTTP 500 on page 2');
			return { items: [1], nextPageToken: 't1' };
		};
		await expect(collectPages(fetchPage)).rejects.toThrow('HTTP 500 on page 2');
		expect(calls).toBe(2);
	});
});
