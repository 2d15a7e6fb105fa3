/** One page of a Google list call: its items, and the token of the next page when there is one. */
export interface Page<T> {
	items: T[];
	nextPageToken?: string;
}

export interface PageLimits {
	/** Items to return at the most; Infinity (the default) for all. */
	limit?: number;
	/** Pages to read at the most; Infinity (the default) for all. */
	maxPages?: number;
}

/**
 * The one page-token loop of the package (Gmail's and Cloud IAM / Resource Manager's list calls answer
 * alike): calls `fetchPage` with the previous page's `nextPageToken` (none for the first page) and the
 * number of items still wanted (for the call's page size), until a page has no next token, `limit` items
 * are in, or `maxPages` pages were read. Empty pages with a next token are followed; a failing page
 * rejects the whole call.
 */
export async function collectPages<T>(
	fetchPage: (pageToken: string | undefined, remaining: number) => Promise<Page<T>>,
	{ limit = Infinity, maxPages = Infinity }: PageLimits = {},
): Promise<T[]> {
	const items: T[] = [];
	let pageToken: string | undefined;
	for (let page = 0; page < maxPages && items.length < limit; page++) {
		const answer = await fetchPage(pageToken, limit - items.length);
		items.push(...answer.items);
		pageToken = answer.nextPageToken || undefined;
		if (!pageToken) break;
	}
	return items.length > limit ? items.slice(0, limit) : items;
}
