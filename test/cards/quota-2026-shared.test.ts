import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, setupBench } from '../bench';
import { createStandin } from '../standin/server';

const bench = setupBench();

/** The most units the stand-in accepted within any 60 seconds of its log. */
function maxUnitsPerMinute(log: Array<{ time: string; units?: number; quota?: unknown }>): number {
	const spends = log.filter((e) => e.units && !e.quota).map((e) => ({ at: Date.parse(e.time), units: e.units! }));
	let max = 0;
	for (let i = 0, j = 0, sum = 0; i < spends.length; i++) {
		sum += spends[i].units;
		while (spends[i].at - spends[j].at >= 60_000) sum -= spends[j++].units;
		max = Math.max(max, sum);
	}
	return max;
}

it('two workflows on one credential and mailbox at once share one budget: never more than 6,000 units in any minute', async () => {
	const standin = createStandin({ noCorpus: true, messages: 150, quota: '2026' });
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store);
	const search = (name: string) =>
		chain(manualTrigger(), gmailNode({ name, parameters: { resource: 'message', operation: 'search', query: 'subject:"Generated message"', returnAll: true, detail: 'metadata' }, credential: conn.reference }));
	const [a, b] = await Promise.all([bench.run(search('A'), { credentials: store, standin }), bench.run(search('B'), { credentials: store, standin })]);
	expect(a.error).toBeUndefined();
	expect(b.error).toBeUndefined();
	expect(a.nodes.A.json).toHaveLength(150);
	expect(b.nodes.B.json).toHaveLength(150);
	// 2 × (1 + 5 + 150 × 20) = 6,012 units (labels, list, gets): just over one minute's budget
	expect(standin.log.reduce((n, e) => n + (e.units ?? 0), 0)).toBe(6012);
	expect(maxUnitsPerMinute(standin.log)).toBeLessThanOrEqual(6000);
	expect(standin.log.filter((e) => e.quota)).toEqual([]);
}, 150_000);

it('when Google keeps refusing for rate limits past the retry budget, the error names the quota and the tier', async () => {
	const standin = createStandin({ noCorpus: true, messages: 3, quota: '2026' });
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store);
	standin.faults = [{ match: { routeId: 'gmail.users.messages.list' }, share: 1, action: 429, retryAfter: 1 }];
	const result = await bench.run(
		chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters: { resource: 'message', operation: 'search', limit: 3 }, credential: conn.reference })),
		{ credentials: store, standin },
	);
	expect(result.status).toBe('error');
	expect(result.error?.message).toMatch(
		/^Google still refused GET gmail\/v1\/users\/me\/messages for the Cloud project's quota \(rateLimitExceeded\) after 6 attempts\. The credential's "Gmail API Quota" is "Projects Created From May 2026" \(6,000 units per user per minute, 1,200,000 per project\)\. To go faster, ask Google for a higher Gmail API quota/,
	);
	expect(standin.log.filter((e) => e.routeId === 'gmail.users.messages.list')).toHaveLength(6);
}, 60_000);
