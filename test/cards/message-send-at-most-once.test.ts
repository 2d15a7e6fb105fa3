import { chain, gmailNode, manualTrigger, setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { cardWorkflow, storedMessages } from './helpers';

const bench = setupBench();

/**
 * Issue 7's proof: a workflow sending 200 messages under a fault schedule (reset after the upload, 503 after
 * it, a hang until the client's timeout, 429 and 503 before it) ends with exactly 200 delivered, none twice.
 * Sends are paced to Google's per-user quota (100 units each, 250 units/s), so this takes over a minute.
 */
it('200 sends under faults: exactly 200 delivered, no loss, no duplicate', async () => {
	const standin = createStandin({ noCorpus: true, messages: 200 });
	const { store, conn } = await cardWorkflow(standin, {});
	const send = { routeId: 'gmail.users.messages.send' };
	standin.faults = [
		{ match: send, share: 0.04, phase: 'after', action: 'reset' },
		{ match: send, share: 0.04, phase: 'after', action: 503 },
		{ match: send, share: 0.02, phase: 'after', action: 'hang' },
		{ match: send, share: 0.04, phase: 'before', action: 429, retryAfter: 1 },
		{ match: send, share: 0.03, phase: 'before', action: 503 },
		{ match: send, share: 0.02, phase: 'before', action: 'hang' },
	];
	const workflow = chain(
		manualTrigger(),
		gmailNode({ name: 'Search', parameters: { resource: 'message', operation: 'search', query: 'subject:"Generated message"', returnAll: true, detail: 'metadata' }, credential: conn.reference }),
		gmailNode({
			name: 'Send',
			parameters: {
				resource: 'message', operation: 'send', to: 'bob@example.com', emailType: 'text',
				subject: '=Copy of {{ $json.id }}', message: '=Item {{ $itemIndex }}', requestOptions: { timeout: 2 },
			},
			credential: conn.reference,
		}),
	);

	const result = await bench.run(workflow, { credentials: store, standin });

	expect(result.error).toBeUndefined();
	expect(result.nodes.Search.json).toHaveLength(200);
	expect(result.nodes.Send.json).toHaveLength(200);
	const faults = standin.log.filter((e) => e.fault).map((e) => String(e.fault).split(' ')[0]);
	console.log(`faults injected: ${faults.length} (${[...new Set(faults)].map((k) => `${k}×${faults.filter((f) => f === k).length}`).join(', ')})`);
	expect(new Set(faults).size).toBeGreaterThanOrEqual(4);
	const subjects = storedMessages(standin, 'bob@example.com', /Subject: Copy of /).map((m) => /Subject: Copy of (\w+)/.exec(m.raw.toString())![1]);
	expect(subjects).toHaveLength(200);
	expect(new Set(subjects).size).toBe(200);
	expect(new Set(result.nodes.Send.json.map((j) => j.id)).size).toBe(200);
}, 240_000);
