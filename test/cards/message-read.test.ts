import { createStandin } from '../standin/server';
import type { INode } from 'n8n-workflow';
import { chain, gmailNode, manualTrigger, setupBench } from '../bench';
import { cardWorkflow, parseWithMailparser, storedMessage, storedMessages } from './helpers';

const bench = setupBench();

const readParams = (id: string, options = {}, mode = 'id') => ({ resource: 'message', operation: 'read', messageId: { __rl: true, mode, value: id }, options });

describe('Read Email card', () => {
	it('reads one message by ID: addresses, bodies, labels with names, attachments', async () => {
		const standin = createStandin({ noCorpus: true });
		const stored = storedMessage(standin, 'alice@example.com', /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, readParams(stored.id));

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.status).toBe('success');
		const [item] = result.nodes.Gmail.json;
		expect(item).toMatchObject({
			id: stored.id,
			threadId: stored.threadId,
			subject: 'Quarterly report',
			from: { name: 'Bob Example', address: 'bob@example.com' },
			to: [{ name: 'Alice Example', address: 'alice@example.com' }],
			messageId: '<seed-q2-report@example.com>',
			attachments: [expect.objectContaining({ filename: 'Q2-report.pdf', mimeType: 'application/pdf', inline: false })],
		});
		expect(item.textBody).toContain("Here's the Q2 report as a PDF.");
		expect(item.labels).toEqual(expect.arrayContaining([{ id: 'INBOX', name: 'INBOX' }]));
		expect(item.date).toBe('2024-06-03T09:30:00.000Z');
		expect(item.headers).toBeUndefined();
		expect(result.nodes.Gmail.binary[0] ?? {}).toEqual({});
	});

	it.each(['default', 'filesystem'] as const)('downloads attachments into n8n binary data (%s mode) byte for byte', async (binaryMode) => {
		const standin = createStandin({ noCorpus: true });
		const stored = storedMessage(standin, 'alice@example.com', /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, readParams(stored.id, { downloadAttachments: true, includeHeaders: true }));

		const result = await bench.run(workflow, { credentials: store, standin, binaryMode });

		expect(result.status).toBe('success');
		const expected = (await parseWithMailparser(stored.raw)).attachments[0];
		const binary = result.nodes.Gmail.binary[0]!.attachment_0;
		expect(binary).toMatchObject({ fileName: 'Q2-report.pdf', mimeType: 'application/pdf' });
		expect((await result.binaryBuffer('Gmail', 0, 'attachment_0')).equals(expected.content)).toBe(true);
		expect(result.nodes.Gmail.json[0].headers).toEqual(expect.arrayContaining([{ name: 'Message-ID', value: '<seed-q2-report@example.com>' }]));
	});

	it('accepts a Gmail web link', async () => {
		const standin = createStandin({ noCorpus: true });
		const stored = storedMessage(standin, 'alice@example.com', /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, readParams(`https://mail.google.com/mail/u/0/#inbox/${stored.id}`, {}, 'url'));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('success');
		expect(result.nodes.Gmail.json[0].id).toBe(stored.id);
	});

	it('an unknown ID fails with a message naming it; Continue On Fail turns it into an item', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, readParams('ffffffffffffffff'));

		const failed = await bench.run(workflow, { credentials: store, standin });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toBe('Message "ffffffffffffffff" was not found in this mailbox [item 0]');

		(workflow.nodes[1] as INode).continueOnFail = true;
		const continued = await bench.run(workflow, { credentials: store, standin });
		expect(continued.status).toBe('success');
		expect(continued.nodes.Gmail.json).toEqual([{ error: 'Message "ffffffffffffffff" was not found in this mailbox [item 0]' }]);
	});

	it('reads many items in one batch request, each output paired with its input (Search → Read by expression)', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, conn } = await cardWorkflow(standin, {});
		// Search leaves Spam and Trash out unless asked, as Gmail does
		const expected = storedMessages(standin, 'alice@example.com', /^/).filter((m) => !m.labelIds.some((l) => l === 'SPAM' || l === 'TRASH')).length;
		const workflow = chain(
			manualTrigger(),
			gmailNode({ name: 'Search', parameters: { resource: 'message', operation: 'search', returnAll: true, detail: 'metadata' }, credential: conn.reference }),
			gmailNode({ name: 'Read', parameters: readParams('={{ $json.id }}'), credential: conn.reference }),
		);

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.status).toBe('success');
		const found = result.nodes.Search.json.map((j) => j.id);
		expect(found).toHaveLength(expected);
		expect(result.nodes.Read.json.map((j) => j.id)).toEqual(found);
		expect(result.nodes.Read.pairedItem).toEqual(found.map((_, i) => ({ item: i })));
		const reads = standin.log.filter((e) => e.routeId === 'gmail.users.messages.get' && e.query.includes('format=full'));
		expect(reads).toHaveLength(expected);
		expect(reads.every((e) => e.batch)).toBe(true);
		// one batch request for the Search's gets and one for the Read's
		expect(standin.log.filter((e) => e.path.startsWith('/batch/')).length).toBe(2);
	});

	it('a token that expired before a batch: parts answer 401, n8n refreshes through one plain call, the parts are sent again (queue-mode load found it)', async () => {
		const standin = createStandin({ noCorpus: true });
		const [id] = storedMessages(standin, 'alice@example.com', /Subject: Quarterly report/).map((m) => m.id);
		const { store, workflow } = await cardWorkflow(standin, readParams(id));
		await bench.run(workflow, { credentials: store, standin });
		const from = standin.log.length;
		standin.tokens.expireAll();

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.status).toBe('success');
		expect(result.nodes.Gmail.json.map((j) => j.id)).toEqual([id]);
		// (the label names are read beside the batch: left out here)
		const after = standin.log
			.slice(from)
			.filter((e) => e.routeId !== 'gmail.users.labels.list')
			.map((e) => `${e.batch ? 'part ' : ''}${e.routeId ?? e.path} ${e.status}`);
		expect(after).toEqual([
			'part gmail.users.messages.get 401',
			'standin.gmail.batch 200',
			'gmail.users.getProfile 401',
			'oauth2.token 200',
			'gmail.users.getProfile 200',
			'part gmail.users.messages.get 200',
			'standin.gmail.batch 200',
		]);
	});
});
