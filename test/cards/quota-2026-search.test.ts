import { setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { cardWorkflow } from './helpers';

const bench = setupBench();

/**
 * Issue #12: on a project created from May 2026 (6,000 units per user per minute, messages.get 20 units)
 * a Search of 400 messages spends 8,005 units: more than a minute's budget. The pacer spends the window
 * and waits for it to slide instead of meeting userRateLimitExceeded.
 */
it('a 2026-profile Search of 400 messages finishes with no user error and no rate-limit answer', async () => {
	const standin = createStandin({ noCorpus: true, messages: 400, quota: '2026' });
	const { store, workflow } = await cardWorkflow(standin, { resource: 'message', operation: 'search', query: 'subject:"Generated message"', returnAll: true, detail: 'full' });
	const result = await bench.run(workflow, { credentials: store, standin });
	expect(result.error).toBeUndefined();
	expect(result.nodes.Gmail.json).toHaveLength(400);
	expect(new Set(result.nodes.Gmail.json.map((j) => j.id)).size).toBe(400);
	expect(standin.log.filter((e) => e.quota)).toEqual([]);
	expect(standin.log.filter((e) => e.status === 429 || e.status === 403)).toEqual([]);
	expect(standin.log.reduce((n, e) => n + (e.units ?? 0), 0)).toBe(400 * 20 + 5 + 1); // messages.get × 400, messages.list, labels.list
}, 150_000);
