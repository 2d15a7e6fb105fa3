import type { INode } from 'n8n-workflow';

import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { compose } from '../standin/gmail/seed';
import { addMessage } from '../standin/gmail/store';
import { createStandin } from '../standin/server';
import { cardWorkflow } from './helpers';
import { ALICE, draftParams, draftRef, storedDraft, type Standin } from './draft-kit';

const bench = setupBench();

/** `n` more drafts in alice's mailbox, "Plan N" to carol, the first with a PDF. */
function addDrafts(standin: Standin, n: number) {
	const g = gmailState(standin);
	const mb = g.mailbox(ALICE)!;
	for (let k = 0; k < n; k++) {
		const m = addMessage(g, mb, compose({
			from: ALICE, to: 'carol@example.com', subject: `Plan ${k}`, date: Date.UTC(2024, 7, 1) + k * 60_000, text: `Plan number ${k}`,
			...(k === 0 ? { attachments: [{ filename: 'plan.pdf', mimeType: 'application/pdf', data: Buffer.from('%PDF-1.4 plan') }] } : {}),
		}), { labelIds: ['DRAFT'], internalDate: Date.UTC(2024, 7, 1) + k * 60_000 });
		const id = g.newDraftId();
		mb.drafts.set(id, { id, messageId: m.id });
	}
}

describe('Draft → Get', () => {
	it('Full: the draft\'s message as Read Email gives it, with draftId; attachments as binary on request', async () => {
		const standin = createStandin({ noCorpus: true });
		addDrafts(standin, 1);
		const d = await storedDraft(standin, /Subject: Plan 0/);
		const { store, workflow } = await cardWorkflow(standin, draftParams('get', { draftId: draftRef(d.id), options: { downloadAttachments: true } }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const [item] = result.nodes.Gmail.json;
		expect(item).toMatchObject({
			draftId: d.id, id: d.message.id, threadId: d.message.threadId, subject: 'Plan 0',
			from: { address: ALICE }, to: [{ name: '', address: 'carol@example.com' }],
			labels: [{ id: 'DRAFT', name: 'DRAFT' }],
			attachments: [expect.objectContaining({ filename: 'plan.pdf', mimeType: 'application/pdf' })],
		});
		expect(item.textBody).toContain('Plan number 0');
		expect((await result.binaryBuffer('Gmail', 0, 'attachment_0')).toString()).toBe('%PDF-1.4 plan');
		const gets = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.get');
		expect(gets.map((e) => [e.batch, new URLSearchParams(e.query).get('format')])).toEqual([[true, 'full']]);
	});

	it('Simple: headers only (format metadata), no body', async () => {
		const standin = createStandin({ noCorpus: true });
		const d = await storedDraft(standin, /Notes for the offsite/);
		const { store, workflow } = await cardWorkflow(standin, draftParams('get', { draftId: draftRef(d.id), detail: 'metadata' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json[0]).toMatchObject({ draftId: d.id, subject: 'Notes for the offsite', textBody: '', to: [{ address: 'dave@example.com' }] });
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.get').map((e) => new URLSearchParams(e.query).get('format'))).toEqual(['metadata']);
	});

	it('an unknown draft ID fails naming it; Continue On Fail makes it an item', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, draftParams('get', { draftId: draftRef('r-404404404') }));
		const failed = await bench.run(workflow, { credentials: store, standin });
		expect(failed.status).toBe('error');
		expect(failed.error?.message).toBe('Draft "r-404404404" was not found in this mailbox [item 0]');
		(workflow.nodes[1] as INode).continueOnFail = true;
		const continued = await bench.run(workflow, { credentials: store, standin });
		expect(continued.nodes.Gmail.json).toEqual([{ error: 'Draft "r-404404404" was not found in this mailbox [item 0]' }]);
	});

	it('a Gmail link or a malformed value in Draft (from an expression) is refused as a draft ID before any call', async () => {
		const standin = createStandin({ noCorpus: true });
		const hint = 'give the "ID" that Create Draft or List Drafts output (e.g. r-1234567890123456789); Gmail\'s links do not contain it';
		for (const [value, message] of [
			['https://mail.google.com/mail/u/0/#drafts/18c9f0e2a1b2c3d4', `"Draft" is a link: ${hint}, got "https://mail.google.com/mail/u/0/#drafts/18c9f0e2a1b2c3d4" [item 0]`],
			['r-1/../labels', `"Draft" is not a Gmail draft ID (${hint}), got "r-1/../labels" [item 0]`],
			['  ', '"Draft" is empty: give a draft ID [item 0]'],
		]) {
			// an expression: the field's own pattern check (By ID) stops a fixed value in the editor already
			const { store, workflow } = await cardWorkflow(standin, draftParams('get', { draftId: draftRef(`={{ ${JSON.stringify(value)} }}`) }));
			const failed = await bench.run(workflow, { credentials: store, standin });
			expect(failed.error?.message).toBe(message);
		}
		expect(standin.log.filter((e) => e.routeId?.startsWith('gmail.users.drafts'))).toEqual([]);
	});
});

describe('Draft → List', () => {
	it('Return All over several pages (collectPages), each draft fetched through the batch endpoint', async () => {
		const standin = createStandin({ noCorpus: true });
		addDrafts(standin, 620);
		const { store, workflow } = await cardWorkflow(standin, draftParams('list', { returnAll: true, detail: 'metadata' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const mb = gmailState(standin).mailbox(ALICE)!;
		expect(result.nodes.Gmail.json).toHaveLength(mb.drafts.size);
		expect(new Set(result.nodes.Gmail.json.map((j) => j.draftId))).toEqual(new Set(mb.drafts.keys()));
		const lists = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.list');
		expect(lists.map((e) => new URLSearchParams(e.query).get('maxResults'))).toEqual(['500', '500']);
		// each draft read once (a part the quota refused with 429 under load is sent again: not counted here)
		const gets = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.get' && e.status === 200);
		expect(gets).toHaveLength(621);
		expect(new Set(gets.map((e) => e.path)).size).toBe(621);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.get').every((e) => e.batch)).toBe(true);
		expect(standin.log.filter((e) => e.path.startsWith('/batch/')).length).toBeGreaterThanOrEqual(Math.ceil(621 / 50));
		// units the stand-in charged for the list and the gets (legacy table: list 5, get 5)
		console.log(`List Drafts, 621 drafts: ${lists.length} drafts.list + ${gets.length} drafts.get = ${[...lists, ...gets].reduce((n, e) => n + (e.units ?? 0), 0)} units`);
	}, 60_000);

	it('Limit and a search query; Full detail parses bodies', async () => {
		const standin = createStandin({ noCorpus: true });
		addDrafts(standin, 5);
		const { store, workflow } = await cardWorkflow(standin, draftParams('list', { limit: 2, query: 'to:carol@example.com' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const items = result.nodes.Gmail.json;
		expect(items).toHaveLength(2);
		expect(items.map((j) => j.subject)).toEqual(['Plan 4', 'Plan 3']);
		expect(items[0].textBody).toContain('Plan number 4');
		const [list] = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.list');
		expect(Object.fromEntries(new URLSearchParams(list.query))).toMatchObject({ q: 'to:carol@example.com', maxResults: '2' });
	});
});
