import { chain, gmailNode, manualTrigger, setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import { settingsOf } from '../standin/gmail/settings-common';
import { addMessage } from '../standin/gmail/store';
import { createStandin } from '../standin/server';
import { cardWorkflow, parseWithMailparser, storedMessage } from './helpers';

const bench = setupBench();
const ALICE = 'alice@example.com';

const replyParams = (id: string, extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'reply',
	messageId: { __rl: true, mode: 'id', value: id },
	emailType: 'text',
	message: 'Thanks, got it.',
	...extra,
});

type Standin = ReturnType<typeof createStandin>;

/** A received message in alice's mailbox, written by hand (Reply-To, several To/Cc, with or without Message-ID). */
function receive(standin: Standin, headers: string[], body = 'Who can join on Monday?') {
	const raw = Buffer.from(`${[...headers, 'Date: Mon, 01 Jul 2024 08:00:00 +0000', 'MIME-Version: 1.0', 'Content-Type: text/plain; charset=UTF-8'].join('\r\n')}\r\n\r\n${body}\r\n`);
	const g = gmailState(standin);
	return addMessage(g, g.mailbox(ALICE)!, raw, { labelIds: ['INBOX'], internalDate: Date.UTC(2024, 6, 1, 8) });
}

/** The sent copy of the card's output id in alice's mailbox, as stored (raw bytes) and parsed. */
async function sentCopy(standin: Standin, id: string) {
	const stored = gmailState(standin).mailbox(ALICE)!.messages.get(id)!;
	return { stored, parsed: await parseWithMailparser(stored.raw) };
}

const addresses = (v: { value: Array<{ address?: string }> } | undefined) => (v?.value ?? []).map((a) => a.address);
const sends = (standin: Standin) => standin.log.filter((e) => e.routeId === 'gmail.users.messages.send');

describe('Message → Reply card', () => {
	it('replies in the thread: In-Reply-To, References, "Re:" subject, quoted original in text and HTML', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(
			standin,
			replyParams(original.id, { emailType: 'both', html: '<p>Thanks, <b>got it</b>.</p>', options: { quoteOriginal: true } }),
		);

		const result = await bench.run(workflow, { credentials: store, standin });

		expect(result.error).toBeUndefined();
		const out = result.nodes.Gmail.json[0];
		expect(out).toMatchObject({ threadId: original.threadId, inReplyTo: '<seed-q2-report@example.com>', labelIds: ['SENT'] });
		expect(out.notice).toBeUndefined();
		// read back what Gmail stored: the sent copy's raw bytes
		const { stored, parsed } = await sentCopy(standin, out.id as string);
		expect(stored.threadId).toBe(original.threadId);
		expect(parsed.subject).toBe('Re: Quarterly report');
		expect(parsed.inReplyTo).toBe('<seed-q2-report@example.com>');
		expect([parsed.references].flat()).toEqual(['<seed-q2-report@example.com>']);
		expect(addresses(parsed.to)).toEqual(['bob@example.com']);
		expect(parsed.cc).toBeUndefined();
		expect(parsed.text).toMatch(/^Thanks, got it\.\n\nOn Mon, 03 Jun 2024 09:30:00 \+0000, Bob Example <bob@example.com> wrote:\n> Hi Alice,\n> \n> Here's the Q2 report as a PDF/);
		expect(parsed.html).toContain('<p>Thanks, <b>got it</b>.</p><br><div class="gmail_quote">');
		expect(parsed.html).toMatch(/<blockquote class="gmail_quote"[^>]*><p>Hi Alice,<\/p><p>Here&apos;s the Q2 report as a PDF\. Numbers look good\.<\/p><p>Bob<\/p><\/blockquote>/);
		expect(parsed.html).toContain('Bob Example &lt;bob@example.com&gt; wrote:');
		// bob gets it in his thread with the original (threaded by In-Reply-To and the subject)
		const bobs = gmailState(standin).mailbox('bob@example.com')!;
		const bobOriginal = [...bobs.messages.values()].find((m) => /Message-ID: <seed-q2-report@example.com>/.test(m.raw.toString()))!;
		const bobReply = [...bobs.messages.values()].find((m) => m.raw.includes(out.inReplyTo as string) && /Thanks, got it/.test(m.raw.toString()))!;
		expect(bobReply.threadId).toBe(bobOriginal.threadId);
		expect(sends(standin)).toHaveLength(1);
	});

	it('replying to a reply extends References and keeps one "Re:"; replying to your own message goes to its recipients', async () => {
		const standin = createStandin({ noCorpus: true });
		const own = storedMessage(standin, ALICE, /Subject: Re: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, replyParams(own.id));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const { stored, parsed } = await sentCopy(standin, result.nodes.Gmail.json[0].id as string);
		expect(parsed.subject).toBe('Re: Quarterly report');
		expect(parsed.inReplyTo).toBe('<seed-q2-report-reply@example.com>');
		expect(parsed.references).toEqual(['<seed-q2-report@example.com>', '<seed-q2-report-reply@example.com>']);
		expect(addresses(parsed.to)).toEqual(['bob@example.com']);
		expect(stored.threadId).toBe(own.threadId);
	});

	it('Reply All: Reply-To (else From) + To + CC, without the account and its send-as aliases, each once', async () => {
		const standin = createStandin({ noCorpus: true });
		settingsOf(standin, ALICE).sendAs.set('sales@example.com', { sendAsEmail: 'sales@example.com', displayName: 'Alice Sales', verificationStatus: 'accepted' });
		const headers = [
			'From: Carol <carol@gmail.com>',
			'Reply-To: "Carol Desk" <desk@example.org>',
			'To: alice@example.com, Bob Example <bob@example.com>, Alice Sales <SALES@example.com>',
			'Cc: dave@example.com, ALICE@EXAMPLE.COM, bob@example.com',
			'Subject: Planning',
			'Message-ID: <planning-1@gmail.com>',
		];
		const all = receive(standin, headers);
		const one = receive(standin, headers.map((h) => h.replace('planning-1', 'planning-2')));
		const { store, conn } = await cardWorkflow(standin, {});
		const workflow = chain(
			manualTrigger(),
			gmailNode({ name: 'All', parameters: replyParams(all.id, { replyAll: true }), credential: conn.reference }),
			gmailNode({ name: 'One', parameters: replyParams(one.id), credential: conn.reference }),
		);
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();

		const replyAll = (await sentCopy(standin, result.nodes.All.json[0].id as string)).parsed;
		expect(addresses(replyAll.to)).toEqual(['desk@example.org', 'bob@example.com']);
		expect(addresses(replyAll.cc)).toEqual(['dave@example.com']);
		const reply = (await sentCopy(standin, result.nodes.One.json[0].id as string)).parsed;
		expect(addresses(reply.to)).toEqual(['desk@example.org']);
		expect(reply.cc).toBeUndefined();
		// the recipients' copies: bob and dave got the reply-all, nobody but the Reply-To address got the other
		for (const who of ['bob@example.com', 'dave@example.com'])
			expect([...gmailState(standin).mailbox(who)!.messages.values()].filter((m) => /planning-1@gmail.com/.test(m.raw.toString()))).toHaveLength(1);
		expect([...gmailState(standin).mailbox('bob@example.com')!.messages.values()].filter((m) => /planning-2@gmail.com/.test(m.raw.toString()))).toHaveLength(0);
	});

	it('a message without a Message-ID: threaded by threadId only, and the output says so', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = receive(standin, ['From: Carol <carol@gmail.com>', 'To: alice@example.com', 'Subject: No id here']);
		const { store, workflow } = await cardWorkflow(standin, replyParams(original.id));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const out = result.nodes.Gmail.json[0];
		expect(out.threadId).toBe(original.threadId);
		expect(out.inReplyTo).toBeNull();
		expect(out.notice).toMatch(/no Message-ID header.*by its threadId only/);
		const { stored, parsed } = await sentCopy(standin, out.id as string);
		expect(stored.threadId).toBe(original.threadId);
		expect(parsed.inReplyTo).toBeUndefined();
		expect(parsed.references).toBeUndefined();
		expect(parsed.subject).toBe('Re: No id here');
	});

	it('attaches files from binary data like Send with Attachment', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, conn } = await cardWorkflow(standin, {});
		const workflow = chain(
			manualTrigger(),
			gmailNode({ name: 'Read', parameters: { resource: 'message', operation: 'read', messageId: { __rl: true, mode: 'id', value: original.id }, options: { downloadAttachments: true } }, credential: conn.reference }),
			gmailNode({
				name: 'Reply',
				parameters: replyParams(original.id, { attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: 'annotated.pdf' }] } }),
				credential: conn.reference,
			}),
		);
		const result = await bench.run(workflow, { credentials: store, standin, binaryMode: 'filesystem' });
		expect(result.error).toBeUndefined();
		const { parsed } = await sentCopy(standin, result.nodes.Reply.json[0].id as string);
		const originalPdf = (await parseWithMailparser(original.raw)).attachments[0].content;
		expect(parsed.attachments.map((a: { filename?: string }) => a.filename)).toEqual(['annotated.pdf']);
		expect(parsed.attachments[0].content.equals(originalPdf)).toBe(true);
	});

	it('an unknown message ID fails naming it, before anything is sent', async () => {
		const standin = createStandin({ noCorpus: true });
		const { store, workflow } = await cardWorkflow(standin, replyParams('18f0000000000bad'));
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/Message "18f0000000000bad" was not found in this mailbox: nothing was sent/);
		expect(sends(standin)).toEqual([]);
	});

	it('stand-in threads like Gmail: a send with the threadId but another subject starts a new thread', async () => {
		const standin = createStandin({ noCorpus: true });
		const original = storedMessage(standin, ALICE, /Subject: Quarterly report/);
		const { store, workflow } = await cardWorkflow(standin, {
			resource: 'message', operation: 'send', to: 'bob@example.com', subject: 'Something else entirely', emailType: 'text', message: 'x',
			options: { replyToMessageId: original.id },
		});
		const result = await bench.run(workflow, { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const out = result.nodes.Gmail.json[0];
		expect(out.threadId).not.toBe(original.threadId);
		expect(out.threadId).toBe(out.id);
		// the upload did carry the threadId: Gmail (and the stand-in) declined it for the subject
		const upload = standin.log.filter((e) => e.routeId === 'gmail.users.messages.send');
		expect(upload).toHaveLength(1);
	});
});
