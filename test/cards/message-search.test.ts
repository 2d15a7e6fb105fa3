import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { createStandin } from '../standin/server';
import { cardWorkflow } from './helpers';

const bench = setupBench();

const search = (extra: Record<string, unknown>) => ({ resource: 'message', operation: 'search', returnAll: true, detail: 'metadata', ...extra });

/** alice's stored messages (not spam/trash) satisfying `keep`, ids sorted. */
function expectedIds(standin: ReturnType<typeof createStandin>, keep: (labels: string[], raw: string, date: number) => boolean) {
	const mb = gmailState(standin).mailbox('alice@example.com')!;
	return [...mb.messages.values()]
		.filter((m) => !m.labelIds.includes('SPAM') && !m.labelIds.includes('TRASH') && keep(m.labelIds, m.raw.toString('latin1'), m.internalDate))
		.map((m) => m.id)
		.sort();
}

async function found(standin: ReturnType<typeof createStandin>, parameters: Record<string, unknown>) {
	const { store, workflow } = await cardWorkflow(standin, parameters as never);
	const result = await bench.run(workflow, { credentials: store, standin });
	expect(result.error).toBeUndefined();
	return result;
}

describe('Search Emails card', () => {
	it('Return All pages through every match (the whole corpus mailbox)', async () => {
		const standin = createStandin({ messages: 120 });
		const result = await found(standin, search({}));
		const ids = result.nodes.Gmail.json.map((j) => j.id as string);
		expect(new Set(ids).size).toBe(ids.length);
		expect(ids.sort()).toEqual(expectedIds(standin, (labels) => !labels.includes('DRAFT') || true));
		// listed 500 per page, fetched through the batch endpoint
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.get').every((e) => e.batch)).toBe(true);
	});

	it('filters: unread only, from a sender, with a label', async () => {
		const standin = createStandin({ noCorpus: true });
		const unread = await found(standin, search({ filters: { readStatus: 'unread' } }));
		expect(unread.nodes.Gmail.json.map((j) => j.id).sort()).toEqual(expectedIds(standin, (l) => l.includes('UNREAD')));

		const fromBob = await found(standin, search({ filters: { sender: 'bob@example.com' } }));
		expect(fromBob.nodes.Gmail.json.length).toBeGreaterThan(0);
		expect(fromBob.nodes.Gmail.json.every((j) => (j.from as { address: string }).address === 'bob@example.com')).toBe(true);

		const mb = gmailState(standin).mailbox('alice@example.com')!;
		const alpha = [...mb.labels.values()].find((l) => l.name === 'Projects/Alpha')!.id;
		const labelled = await found(standin, search({ filters: { labelIds: [alpha] } }));
		expect(labelled.nodes.Gmail.json.map((j) => j.id).sort()).toEqual(expectedIds(standin, (l) => l.includes(alpha)));
		expect(labelled.nodes.Gmail.json.every((j) => (j.labels as Array<{ name: string }>).some((x) => x.name === 'Projects/Alpha'))).toBe(true);
	});

	it('received after/before are read in the workflow time zone', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, search({ filters: { receivedAfter: '2024-06-03T11:00:00', receivedBefore: '2024-06-03T12:00:00' } }) as never);
		workflow.settings = { ...workflow.settings, timezone: 'Europe/Berlin' };
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		// 11:00–12:00 in Berlin (UTC+2 in June) is 09:00–10:00 UTC: the Q2 report (09:30 UTC) only
		expect(result.nodes.Gmail.json.map((j) => j.subject)).toEqual(['Quarterly report']);
		const q = decodeURIComponent(standin.log.find((e) => e.routeId === 'gmail.users.messages.list')!.query);
		expect(q).toContain(`after:${Date.UTC(2024, 5, 3, 9) / 1000}`);
		expect(q).toContain(`before:${Date.UTC(2024, 5, 3, 10) / 1000}`);
	});

	it('detail raw: the RFC 822 bytes as an .eml binary, plus the parsed fields', async () => {
		const standin = createStandin({ noCorpus: true });
		const result = await found(standin, search({ returnAll: false, limit: 2, query: 'subject:"Quarterly report"', detail: 'raw' }));
		expect(result.nodes.Gmail.json).toHaveLength(2);
		for (const [i, item] of result.nodes.Gmail.json.entries()) {
			const stored = gmailState(standin).mailbox('alice@example.com')!.messages.get(item.id as string)!;
			expect((await result.binaryBuffer('Gmail', i, 'data')).equals(stored.raw)).toBe(true);
			expect(result.nodes.Gmail.binary[i]!.data).toMatchObject({ fileName: `${item.id}.eml`, mimeType: 'message/rfc822' });
			expect(item.subject).toMatch(/Quarterly report/);
		}
	});

	it('Limit stops early', async () => {
		const standin = createStandin({ messages: 50, noCorpus: true });
		const result = await found(standin, search({ returnAll: false, limit: 7 }));
		expect(result.nodes.Gmail.json).toHaveLength(7);
	});
});
