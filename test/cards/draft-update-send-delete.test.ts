import { randomBytes } from 'node:crypto';

import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { createStandin } from '../standin/server';
import { cardWorkflow, parseWithMailparser, storedMessage, storedMessages } from './helpers';
import { ALICE, addresses, draftParams, draftRef, receiveFile, storedDraft, storedDrafts, withFile } from './draft-kit';

const bench = setupBench();

/** A draft with a file made by the Create card (so it has the card's own headers), then `params` on it. */
async function createThen(standin: ReturnType<typeof createStandin>, bytes: Buffer, then: Record<string, unknown>) {
	const { store, conn } = await cardWorkflow(standin, {});
	const source = receiveFile(standin, bytes, 'v1.bin');
	const created = await bench.run(
		withFile(conn, source, draftParams('create', {
			to: 'bob@example.com', subject: 'Proposal', emailType: 'text', message: 'First version',
			options: { cc: 'dave@example.com', headers: { header: [{ name: 'X-Ticket', value: 'T-42' }] } },
			attachments: { attachment: [{ binaryPropertyName: 'attachment_0' }] },
		})),
		{ credentials: store, standin },
	);
	expect(created.error).toBeUndefined();
	const id = created.nodes.Draft.json[0].id as string;
	const result = await bench.run(withFile(conn, source, draftParams(then.operation as string, { draftId: draftRef(id), ...then })), { credentials: store, standin });
	return { id, result };
}

describe('Draft → Update', () => {
	it('replaces only what is given: new body and subject; recipients, CC, custom header and attachment kept', async () => {
		const standin = createStandin({ noCorpus: true });
		const bytes = randomBytes(100_000);
		const { id, result } = await createThen(standin, bytes, { operation: 'update', subject: 'Proposal v2', emailType: 'html', html: '<p>Second <i>version</i></p>' });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Draft.json[0]).toMatchObject({ id, message: { labelIds: ['DRAFT'] } });
		const d = await storedDraft(standin, /Proposal v2/);
		expect(d.id).toBe(id);
		expect(d.message.id).toBe(result.nodes.Draft.json[0].message && (result.nodes.Draft.json[0].message as { id: string }).id);
		expect(d.parsed.subject).toBe('Proposal v2');
		expect(d.parsed.html).toContain('<p>Second <i>version</i></p>');
		expect(d.parsed.text).not.toContain('First version');
		expect(addresses(d.parsed.to)).toEqual(['bob@example.com']);
		expect(addresses(d.parsed.cc)).toEqual(['dave@example.com']);
		expect(d.parsed.headers.get('x-ticket')).toBe('T-42');
		expect(d.parsed.attachments.map((a: { filename: string }) => a.filename)).toEqual(['v1.bin']);
		expect(d.parsed.attachments[0].content.equals(bytes)).toBe(true);
		// one draft, its old message replaced (Gmail gives the new content a new message id)
		expect((await storedDrafts(standin)).filter((x) => /Proposal/.test(x.parsed.subject ?? ''))).toHaveLength(1);
		const updates = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.update');
		expect(updates.map((e) => [e.method, e.path, new URLSearchParams(e.query).get('uploadType')])).toEqual([['PUT', `/upload/gmail/v1/users/me/drafts/${id}`, 'multipart']]);
	});

	it('new recipients and new attachments replace the old ones; the body is kept', async () => {
		const standin = createStandin({ noCorpus: true });
		const { result } = await createThen(standin, randomBytes(50_000), {
			operation: 'update', to: 'carol@example.com',
			attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: 'v2.bin' }] },
		});
		expect(result.error).toBeUndefined();
		const d = await storedDraft(standin, /Subject: Proposal/);
		expect(addresses(d.parsed.to)).toEqual(['carol@example.com']);
		expect(d.parsed.text!.trim()).toBe('First version');
		expect(d.parsed.attachments.map((a: { filename: string }) => a.filename)).toEqual(['v2.bin']);
	});

	it('a large new attachment goes up by a resumable session opened with PUT on /upload/…/drafts/{id}', async () => {
		const standin = createStandin({ noCorpus: true });
		standin.quota.unitsPerSecond = 0;
		const big = randomBytes(3 * 1024 * 1024); // ~4.3 MB once base64-encoded: over one chunk
		const { id, result } = await createThen(standin, big, {
			operation: 'update', attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: 'v2.bin' }] },
		});
		expect(result.error).toBeUndefined();
		const d = await storedDraft(standin, /Subject: Proposal/);
		expect(d.id).toBe(id);
		expect(d.parsed.attachments[0].content.equals(big)).toBe(true);
		const updates = standin.log.filter((e) => e.routeId === 'gmail.users.drafts.update');
		// the session is opened with PUT (drafts.update's verb); its chunks go to the session URL (the same path)
		expect(updates[0]).toMatchObject({ method: 'PUT', path: `/upload/gmail/v1/users/me/drafts/${id}` });
		expect(new URLSearchParams(updates[0].query).get('uploadType')).toBe('resumable');
		expect(updates.slice(1).map((e) => e.status)).toEqual([308, 308, 200]);
	}, 60_000);

	it('an unknown draft ID fails naming it, and nothing is uploaded', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, draftParams('update', { draftId: draftRef('r-1'), subject: 'x' }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error?.message).toBe('Draft "r-1" was not found in this mailbox [item 0]');
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.update')).toEqual([]);
	});
});

describe('Draft → Send', () => {
	it('sends the draft: the draft is gone, a SENT message in the same thread, bob receives it', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const made = await cardWorkflow(standin, draftParams('create', { to: 'bob@example.com', subject: '', emailType: 'text', message: 'Reply from a draft', options: { replyToMessageId: original.id } }));
		const store = made.store;
		const create = await bench.run(made.workflow, { credentials: store, standin });
		expect(create.error).toBeUndefined();
		const draft = create.nodes.Gmail.json[0] as { id: string; message: { id: string } };
		const { workflow } = await cardWorkflow(standin, draftParams('send', { draftId: draftRef(draft.id) }), { store });
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const out = result.nodes.Gmail.json[0];
		expect(out).toEqual({ id: expect.any(String), threadId: original.threadId, labelIds: expect.arrayContaining(['SENT']) });
		const mb = gmailState(standin).mailbox(ALICE)!;
		expect(mb.drafts.has(draft.id)).toBe(false);
		// the card's output is Gmail's answer: the SENT message in alice's mailbox (whatever its id: Google's guide
		// says a sent draft's message gets a new one, the stand-in keeps the draft's)
		expect(storedMessages(standin, ALICE, /Reply from a draft/).map((m) => m.id)).toEqual([out.id]);
		expect(mb.messages.get(out.id as string)!.labelIds).toEqual(expect.arrayContaining(['SENT']));
		expect(mb.messages.get(out.id as string)!.labelIds).not.toContain('DRAFT');
		const [bobs] = storedMessages(standin, 'bob@example.com', /Reply from a draft/);
		const parsed = await parseWithMailparser(bobs.raw);
		expect(parsed.subject).toBe('Re: Quarterly report');
		expect(parsed.inReplyTo).toBe('<seed-q2-report@example.com>');
		expect(storedMessages(standin, 'bob@example.com', /Reply from a draft/)).toHaveLength(1);
	});

	it.each([
		['a connection reset after Gmail sent it', { action: 'reset', phase: 'after' }],
		['a 503 after Gmail sent it', { action: 503, phase: 'after' }],
		['a 503 before Gmail saw it', { action: 503, phase: 'before' }],
	])('%s: sent exactly once, and the card reports the sent message', async (_, fault) => {
		const standin = createStandin({ noCorpus: true });
		const d = await storedDraft(standin, /Notes for the offsite/);
		standin.faults = [{ match: { routeId: 'gmail.users.drafts.send' }, nth: [1], ...(fault as object) } as never];
		const { store, workflow } = await cardWorkflow(standin, draftParams('send', { draftId: draftRef(d.id) }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json[0]).toMatchObject({ id: d.message.id, labelIds: expect.arrayContaining(['SENT']) });
		expect(storedMessages(standin, 'dave@example.com', /Notes for the offsite/)).toHaveLength(1);
		expect(standin.log.some((e) => e.fault)).toBe(true);
	}, 60_000);

	it('a draft made by Create (it has a Message-ID), its send answer lost: found by rfc822msgid, sent once', async () => {
		const standin = createStandin({ noCorpus: true });
		const made = await cardWorkflow(standin, draftParams('create', { to: 'bob@example.com', subject: 'Once only', emailType: 'text', message: 'x' }));
		const create = await bench.run(made.workflow, { credentials: made.store, standin });
		const draft = create.nodes.Gmail.json[0] as { id: string; message: { id: string } };
		const messageId = (await storedDraft(standin, /Once only/)).parsed.messageId as string;
		standin.faults = [{ match: { routeId: 'gmail.users.drafts.send' }, nth: [1], phase: 'after', action: 'reset' } as never];
		const { workflow } = await cardWorkflow(standin, draftParams('send', { draftId: draftRef(draft.id) }), { store: made.store });
		const result = await bench.run(workflow, { credentials: made.store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json[0]).toMatchObject({ id: draft.message.id, labelIds: expect.arrayContaining(['SENT']) });
		expect(storedMessages(standin, 'bob@example.com', /Once only/)).toHaveLength(1);
		const lookups = standin.log.filter((e) => e.routeId === 'gmail.users.messages.list');
		expect(lookups.map((e) => new URLSearchParams(e.query).get('q'))).toEqual([`rfc822msgid:${messageId.replace(/^<|>$/g, '')} in:anywhere`]);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.send')).toHaveLength(1);
	}, 60_000);

	it('an unknown draft ID fails naming it, before any send', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, draftParams('send', { draftId: draftRef('r-999') }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error?.message).toBe('Draft "r-999" was not found in this mailbox [item 0]');
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.send')).toEqual([]);
	});
});

describe('Draft → Delete', () => {
	it('deletes the draft and its message; a second delete names the unknown draft', async () => {
		const standin = createStandin({ noCorpus: true });
		const d = await storedDraft(standin, /Notes for the offsite/);
		const { store, workflow } = await cardWorkflow(standin, draftParams('delete', { draftId: draftRef(d.id) }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toEqual([{ id: d.id, deleted: true }]);
		const mb = gmailState(standin).mailbox(ALICE)!;
		expect(mb.drafts.has(d.id)).toBe(false);
		expect(mb.messages.has(d.message.id)).toBe(false);
		const again = await bench.run(workflow, { credentials: store, standin });
		expect(again.error?.message).toBe(`Draft "${d.id}" was not found in this mailbox [item 0]`);
	});

	it('a delete whose answer was lost is repeated and reported as done, not as an unknown draft', async () => {
		const standin = createStandin({ noCorpus: true });
		const d = await storedDraft(standin, /Notes for the offsite/);
		standin.faults = [{ match: { routeId: 'gmail.users.drafts.delete' }, nth: [1], phase: 'after', action: 503 } as never];
		const { store, workflow } = await cardWorkflow(standin, draftParams('delete', { draftId: draftRef(d.id) }));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		expect(result.nodes.Gmail.json).toEqual([{ id: d.id, deleted: true }]);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.drafts.delete').map((e) => e.status)).toEqual([204, 404]);
	}, 60_000);
});
