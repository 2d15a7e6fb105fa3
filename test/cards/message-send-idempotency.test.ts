import { setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { cardWorkflow, storedMessage, storedMessages } from './helpers';

/**
 * Issue #15: Send's Idempotency Key. A retried execution (n8n's Retry, or a worker that died mid-send and the
 * execution is run again) must not send the same message twice: with a key, the Message-ID is derived from the
 * workflow, the node and the key, and the card looks for it before sending.
 */
const bench = setupBench();

const send = (options: Record<string, string>) => ({
	resource: 'message',
	operation: 'send',
	to: 'bob@example.com',
	subject: 'Order 1001 shipped',
	emailType: 'text',
	message: 'Your order is on its way.',
	options,
});

const sends = (standin: ReturnType<typeof createStandin>) =>
	standin.log.filter((e) => e.path.endsWith('/messages/send') && e.method === 'POST' && e.status === 200).length;

describe('Send Email: Idempotency Key', () => {
	it('the same key twice: one message, the second run outputs the first one with alreadySent', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, send({ idempotencyKey: 'order-1001' }));
		// a saved workflow keeps its ID from run to run (the bench names each run's workflow anew unless given one)
		workflow.id = 'orders-workflow';
		const first = await bench.run(workflow, { credentials: store, standin });
		const again = await bench.run(workflow, { credentials: store, standin });

		expect(first.status).toBe('success');
		expect(again.status).toBe('success');
		const [a] = first.nodes.Gmail.json;
		const [b] = again.nodes.Gmail.json;
		expect(a.alreadySent).toBeUndefined();
		expect(b).toEqual({ id: a.id, threadId: a.threadId, labelIds: expect.arrayContaining(['SENT']), alreadySent: true });
		expect(storedMessages(standin, 'bob@example.com', /Subject: Order 1001 shipped/)).toHaveLength(1);
		expect(sends(standin)).toBe(1);
		// the Message-ID carries the key's fingerprint, not the key
		const raw = storedMessages(standin, 'bob@example.com', /Order 1001/)[0].raw.toString('latin1');
		expect(raw).toMatch(/^Message-ID: <[0-9a-f]{40}\.n8n@example\.com>\r$/im);
		expect(raw).not.toContain('order-1001');
	});

	it('another key, or no key: every run sends', async () => {
		const standin = createStandin({ noCorpus: true });
		for (const k of ['order-1001', 'order-1002']) {
			const { store, workflow } = await cardWorkflow(standin, send({ idempotencyKey: k }));
			workflow.id = 'orders-workflow';
			expect((await bench.run(workflow, { credentials: store, standin })).status).toBe('success');
		}
		const { store, workflow } = await cardWorkflow(standin, send({}));
		workflow.id = 'orders-workflow';
		await bench.run(workflow, { credentials: store, standin });
		await bench.run(workflow, { credentials: store, standin });
		expect(storedMessages(standin, 'bob@example.com', /Subject: Order 1001 shipped/)).toHaveLength(4);
		expect(sends(standin)).toBe(4);
	});
});

describe('Reply and Forward: Idempotency Key', () => {
	// both compose through composeCommon, whose key makes the Message-ID; the send must look for it first, as Send does
	it.each([
		['reply', { emailType: 'text', message: 'Thanks, got it.' }],
		['forward', { to: 'dave@example.com', emailType: 'text', message: 'FYI' }],
	])('%s: the same key twice sends once; the second run outputs the first message with alreadySent', async (operation, fields) => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, 'alice@example.com', /Subject: Quarterly report/);
		const params = { resource: 'message', operation, messageId: { __rl: true, mode: 'id', value: original.id }, ...fields, options: { idempotencyKey: 'ticket-7' } };
		const { store, workflow } = await cardWorkflow(standin, params);
		workflow.id = 'tickets-workflow';
		const first = await bench.run(workflow, { credentials: store, standin });
		const again = await bench.run(workflow, { credentials: store, standin });
		expect(first.error).toBeUndefined();
		expect(again.error).toBeUndefined();
		const [a] = first.nodes.Gmail.json;
		const [b] = again.nodes.Gmail.json;
		expect(a.alreadySent).toBeUndefined();
		expect(b).toMatchObject({ id: a.id, threadId: a.threadId, alreadySent: true });
		expect(sends(standin)).toBe(1);
	});
});
