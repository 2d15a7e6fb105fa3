import type { IDataObject } from 'n8n-workflow';

import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { addMessage } from '../standin/gmail/store';
import { compose } from '../standin/gmail/seed';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { COMPACT_TEXT_CAP } from '../../nodes/GmailWorkspace/v1/actions/helpers/tool';
import { cardWorkflow } from './helpers';

/**
 * Output Size (issue #16) on the normal node: Compact drops the HTML body and raw headers and cuts the text
 * body at COMPACT_TEXT_CAP characters, saying so; the same helper serves Read, Search, Thread and Draft
 * cards. Sizes are bytes of JSON.stringify of the node's output items, which is what n8n hands a model
 * (it JSON-encodes the tool's items).
 */

const bench = setupBench();

const bytes = (items: IDataObject[]) => Buffer.byteLength(JSON.stringify(items));

async function run(standin: Standin, parameters: IDataObject) {
	const { store, workflow } = await cardWorkflow(standin, parameters as never);
	const result = await bench.run(workflow, { credentials: store, standin });
	expect(result.error).toBeUndefined();
	return result.nodes.Gmail.json;
}

const TOPICS = ['Product news', 'Security bulletin', 'Release notes', 'Community digest', 'Partner update'];

/**
 * `n` newsletter-style messages to alice, each a multipart/alternative whose HTML part is a styled table
 * layout (about 12–20 KB, as marketing mail is) and whose text part runs from about 600 to 5,000 characters.
 */
function seedNewsletters(standin: Standin, n: number): void {
	const g = gmailState(standin);
	const alice = g.mailbox('alice@example.com')!;
	for (let i = 0; i < n; i++) {
		const topic = TOPICS[i % TOPICS.length];
		const paragraphs = Array.from(
			{ length: 3 + (i % 12) * 2 },
			(_, k) => `${topic} item ${k + 1}: what changed this week, why it matters to your team and where to read more about it online.`,
		);
		const cell = (p: string) =>
			`<tr><td style="padding:12px 24px;font-family:Helvetica,Arial,sans-serif;font-size:15px;line-height:22px;color:#333333;border-bottom:1px solid #eeeeee"><a href="https://news.example.org/r/${i}/${p.length}?utm_source=newsletter&amp;utm_medium=email" style="color:#1a73e8;text-decoration:none">${p}</a></td></tr>`;
		const html =
			`<!DOCTYPE html><html><head><meta charset="utf-8"><style>body{margin:0;padding:0}table{border-collapse:collapse}.wrap{width:600px;margin:0 auto}</style></head>` +
			`<body><table class="wrap" role="presentation" width="600" cellpadding="0" cellspacing="0"><tr><td style="background:#1a73e8;padding:24px"><img src="https://news.example.org/logo.png" width="120" alt="Example News"></td></tr>` +
			`${paragraphs.map(cell).join('')}${Array.from({ length: 12 }, (_, k) => cell(`Sponsored link ${k + 1}`)).join('')}` +
			`<tr><td style="padding:24px;font-size:11px;color:#999999">You receive this mail because you subscribed. <a href="https://news.example.org/unsubscribe?u=${i}">Unsubscribe</a></td></tr></table></body></html>`;
		const date = Date.UTC(2024, 7, 1) + i * 3600_000;
		const raw = compose({
			from: 'Example News <newsletter@news.example.org>',
			to: 'alice@example.com',
			subject: `Weekly digest ${i + 1}: ${topic}`,
			date,
			messageId: `<digest-${i + 1}@news.example.org>`,
			text: `Hi Alice,\r\n\r\n${paragraphs.join('\r\n\r\n')}\r\n\r\nUnsubscribe: https://news.example.org/unsubscribe?u=${i}`,
			html,
		});
		addMessage(g, alice, raw, { labelIds: ['INBOX', 'CATEGORY_UPDATES'], internalDate: date, quiet: true });
	}
}

const search = (extra: IDataObject): IDataObject => ({ resource: 'message', operation: 'search', returnAll: false, limit: 50, ...extra });

/** Compact item `c` is full item `f` cut down: same message, text cut at the cap with the original length. */
function expectCompactOf(c: IDataObject, f: IDataObject) {
	expect(c.id).toBe(f.id);
	expect(c.threadId).toBe(f.threadId);
	expect(c.subject).toBe(f.subject);
	expect(c.htmlBody).toBeUndefined();
	expect(c.headers).toBeUndefined();
	const text = String(f.textBody).trim();
	if (text.length > COMPACT_TEXT_CAP) {
		expect(c.textTruncated).toBe(true);
		expect(c.textLength).toBe(text.length);
		expect(text.startsWith(String(c.textBody))).toBe(true);
		expect(String(c.textBody).length).toBeGreaterThanOrEqual(COMPACT_TEXT_CAP - 1);
		expect(String(c.textBody).length).toBeLessThanOrEqual(COMPACT_TEXT_CAP);
	} else {
		expect(c.textTruncated).toBeUndefined();
		expect(c.textBody ?? '').toBe(text);
	}
	const from = f.from as { address: string; name: string } | null;
	expect(c.from).toBe(from ? (from.name ? `${from.name} <${from.address}>` : from.address) : null);
	expect(c.labels).toEqual((f.labels as Array<{ name: string }>).map((l) => l.name));
}

describe('Output Size: Compact vs Full', () => {
	it('a 50-message Search of HTML newsletters: Compact is under a third of Full, and is Full cut down', async () => {
		const standin = createStandin({ noCorpus: true });
		seedNewsletters(standin, 60);
		const full = await run(standin, search({ query: 'subject:digest' }));
		const compact = await run(standin, search({ query: 'subject:digest', outputSize: 'compact' }));
		expect(full).toHaveLength(50);
		expect(compact).toHaveLength(50);
		compact.forEach((c, k) => expectCompactOf(c, full[k]));
		expect(compact.some((c) => c.textTruncated)).toBe(true);
		expect(full.every((f) => String(f.htmlBody).includes('<table'))).toBe(true);

		const [c, f] = [bytes(compact), bytes(full)];
		console.log(`50-message Search (HTML newsletters): compact ${c} bytes, full ${f} bytes (${((100 * c) / f).toFixed(1)}%)`);
		expect(c).toBeLessThan(f / 3);
	});

	it('a 50-message Search of the real-mail corpus: sizes of both', async () => {
		const standin = createStandin();
		const full = await run(standin, search({}));
		const compact = await run(standin, search({ outputSize: 'compact' }));
		expect(compact).toHaveLength(50);
		compact.forEach((c, k) => expectCompactOf(c, full[k]));
		const [c, f] = [bytes(compact), bytes(full)];
		console.log(`50-message Search (stand-in corpus): compact ${c} bytes, full ${f} bytes (${((100 * c) / f).toFixed(1)}%)`);
		expect(c).toBeLessThan(f / 2);
	});

	it('the cap never splits a character outside the BMP', async () => {
		const standin = createStandin({ noCorpus: true });
		const g = gmailState(standin);
		const text = `${'a'.repeat(COMPACT_TEXT_CAP - 1)}\u{1F600}${'b'.repeat(50)}`;
		const raw = compose({ from: 'bob@example.com', to: 'alice@example.com', subject: 'Emoji at the cap', date: Date.UTC(2024, 8, 1), text });
		const { id } = addMessage(g, g.mailbox('alice@example.com')!, raw, { labelIds: ['INBOX'], internalDate: Date.UTC(2024, 8, 1), quiet: true });
		const [out] = await run(standin, { resource: 'message', operation: 'read', messageId: { __rl: true, mode: 'id', value: id }, outputSize: 'compact' });
		expect(out.textBody).toBe('a'.repeat(COMPACT_TEXT_CAP - 1));
		expect(out.textTruncated).toBe(true);
		expect(out.textLength).toBe(text.length);
	});

	it('empty optional filters (as a tool fills them: "" or an empty list) search the whole mailbox', async () => {
		const standin = createStandin({ noCorpus: true });
		const all = await run(standin, search({ outputSize: 'compact' }));
		expect(all.length).toBeGreaterThan(3);
		for (const filters of [
			{ labelIds: '', sender: '', receivedAfter: '', receivedBefore: '', readStatus: '' },
			{ labelIds: '={{ [] }}', sender: '={{ undefined }}', receivedAfter: '={{ null }}' },
			{ labelIds: '[]', includeSpamTrash: '' },
		]) {
			const before = standin.log.length;
			const got = await run(standin, search({ query: '', outputSize: 'compact', filters }));
			expect(got.map((j) => j.id)).toEqual(all.map((j) => j.id));
			const list = standin.log.slice(before).find((e) => e.routeId === 'gmail.users.messages.list')!;
			expect(list.query).not.toMatch(/labelIds|includeSpamTrash/);
			expect(decodeURIComponent(list.query.replace(/\+/g, ' '))).not.toMatch(/q=[^&]*(from:|after:|before:|is:)/);
		}
	});

	it('Thread → Get and Draft → Get use the same compact shape', async () => {
		const standin = createStandin({ noCorpus: true });
		const mb = gmailState(standin).mailbox('alice@example.com')!;
		const report = [...mb.messages.values()].find((m) => /Subject: Quarterly report/.test(m.raw.toString('latin1')))!;
		const thread = (outputSize: string) => run(standin, { resource: 'thread', operation: 'get', threadId: { __rl: true, mode: 'id', value: report.threadId }, outputSize });
		const [fullThread] = await thread('full');
		const [compactThread] = await thread('compact');
		expect(compactThread.messageCount).toBe(fullThread.messageCount);
		(compactThread.messages as IDataObject[]).forEach((c, k) => expectCompactOf(c, (fullThread.messages as IDataObject[])[k]));
		expect((compactThread.messages as IDataObject[])[0].attachments).toEqual([{ filename: 'Q2-report.pdf', mimeType: 'application/pdf', size: expect.any(Number) }]);

		const draftId = [...mb.drafts.keys()][0];
		const draft = (outputSize: string) => run(standin, { resource: 'draft', operation: 'get', draftId: { __rl: true, mode: 'id', value: draftId }, outputSize });
		const [fullDraft] = await draft('full');
		const [compactDraft] = await draft('compact');
		expect(compactDraft.draftId).toBe(draftId);
		expectCompactOf(compactDraft, fullDraft);
	});

	it('the normal node defaults to Full (every field, as before)', async () => {
		const standin = createStandin({ noCorpus: true });
		const [item] = await run(standin, search({ limit: 1 }));
		expect(Object.keys(item)).toEqual(expect.arrayContaining(['htmlBody', 'textBody', 'messageId', 'references', 'bcc']));
		expect(item.textTruncated).toBeUndefined();
	});
});
