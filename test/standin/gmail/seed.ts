/**
 * The Gmail stand-in's starting mailboxes (rebuilt on every /__standin/reset):
 * - every directory user gets a mailbox (admin, alice, bob, dave @example.com; carol@gmail.com, a consumer);
 * - alice@example.com: every message of the real-mail corpus (../shared/corpus/eml) as received mail, in file order,
 *   internalDate from its Date header (unparseable dates: a fixed spread from 2024-01-01), labels INBOX plus a
 *   deterministic mix of UNREAD / STARRED / IMPORTANT / user labels; plus `options.messages` generated messages;
 * - a small conversation between the users (with a PDF attachment, a reply thread, Cc, a consumer sender), one
 *   spam and one trashed message for alice, one draft for alice, user labels "Receipts" and "Projects/Alpha".
 * Seeding writes no history records; history.list starts at each mailbox's historyId after the seed.
 */
import { readFileSync, readdirSync } from 'node:fs';
import type { Standin } from '../core/standin';
import { sharedDir } from '../core/paths';
import { header } from './mime';
import { rfc2822 } from './send';
import { GmailState, addMessage, derive, type Mailbox } from './store';

export const CORPUS_SPREAD_BASE = Date.UTC(2024, 0, 1);
export const GENERATED_BASE = Date.UTC(2024, 4, 1, 9, 0, 0);

export interface ComposeInput {
	from: string;
	to?: string;
	cc?: string;
	bcc?: string;
	subject: string;
	date: number;
	messageId?: string;
	inReplyTo?: string;
	text: string;
	html?: string;
	attachments?: { filename: string; mimeType: string; data: Buffer }[];
}

const wrap76 = (b64: string) => b64.replace(/(.{76})/g, '$1\r\n');

/** A small RFC 5322 message (CRLF), multipart when there is html or attachments. */
export function compose(m: ComposeInput): Buffer {
	const h: string[] = [
		`From: ${m.from}`,
		...(m.to ? [`To: ${m.to}`] : []),
		...(m.cc ? [`Cc: ${m.cc}`] : []),
		...(m.bcc ? [`Bcc: ${m.bcc}`] : []),
		`Subject: ${/[^\x20-\x7e]/.test(m.subject) ? `=?UTF-8?B?${Buffer.from(m.subject).toString('base64')}?=` : m.subject}`,
		`Date: ${rfc2822(m.date)}`,
		...(m.messageId ? [`Message-ID: ${m.messageId}`] : []),
		...(m.inReplyTo ? [`In-Reply-To: ${m.inReplyTo}`, `References: ${m.inReplyTo}`] : []),
		'MIME-Version: 1.0',
	];
	const textPart = `Content-Type: text/plain; charset="UTF-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${m.text}\r\n`;
	let body: string;
	if (!m.html && !m.attachments?.length) {
		h.push('Content-Type: text/plain; charset="UTF-8"', 'Content-Transfer-Encoding: 8bit');
		body = `${m.text}\r\n`;
	} else {
		const alt = m.html
			? `Content-Type: multipart/alternative; boundary="alt-${m.date}"\r\n\r\n--alt-${m.date}\r\n${textPart}--alt-${m.date}\r\n` +
				`Content-Type: text/html; charset="UTF-8"\r\nContent-Transfer-Encoding: 8bit\r\n\r\n${m.html}\r\n--alt-${m.date}--\r\n`
			: textPart;
		if (!m.attachments?.length) {
			const [ct, ...rest] = alt.split('\r\n\r\n');
			h.push(ct);
			body = rest.join('\r\n\r\n');
		} else {
			const b = `mixed-${m.date}`;
			h.push(`Content-Type: multipart/mixed; boundary="${b}"`);
			body = `--${b}\r\n${alt}`;
			for (const a of m.attachments) {
				body +=
					`--${b}\r\nContent-Type: ${a.mimeType}; name="${a.filename}"\r\nContent-Disposition: attachment; filename="${a.filename}"\r\n` +
					`Content-Transfer-Encoding: base64\r\n\r\n${wrap76(a.data.toString('base64'))}\r\n`;
			}
			body += `--${b}--\r\n`;
		}
	}
	return Buffer.from(`${h.join('\r\n')}\r\n\r\n${body}`, 'utf8');
}

/** A tiny but well-formed PDF, so attachment bytes are realistic. */
export function tinyPdf(title: string): Buffer {
	return Buffer.from(
		`%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n` +
			`3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 100]>>endobj\n% ${title}\ntrailer<</Root 1 0 R>>\n%%EOF\n`,
	);
}

const addr = (s: Standin, email: string) => `${s.directory.user(email)?.name ?? email} <${email}>`;

/** Put a message in the sender's SENT and every local recipient's INBOX (UNREAD), without history records. */
function seedConversation(g: GmailState, s: Standin, from: string, raw: Buffer, date: number, opts: { read?: string[] } = {}) {
	const sender = g.mailbox(from);
	if (sender) addMessage(g, sender, raw, { labelIds: ['SENT'], internalDate: date, quiet: true });
	const mime = derive(raw).mime;
	const rcpts = ['to', 'cc', 'bcc'].flatMap((f) => (header(mime, f) ?? '').match(/[^\s<>,"]+@[^\s<>,"]+/g) ?? []);
	for (const r of new Set(rcpts.map((x) => x.toLowerCase()))) {
		const box = g.mailbox(r);
		if (!box || r === from) continue;
		const labels = opts.read?.includes(r) ? ['INBOX', 'CATEGORY_PERSONAL'] : ['INBOX', 'UNREAD', 'CATEGORY_PERSONAL'];
		addMessage(g, box, raw, { labelIds: labels, internalDate: date, quiet: true });
	}
}

function addUserLabel(mb: Mailbox, name: string, color?: { textColor: string; backgroundColor: string }) {
	const id = `Label_${mb.nextUserLabel++}`;
	mb.labels.set(id, { id, name, type: 'user', messageListVisibility: 'show', labelListVisibility: 'labelShow', ...(color ? { color } : {}) });
	return id;
}

/** Corpus files in name order (skips MANIFEST.tsv). */
export function corpusFiles(): { name: string; raw: Buffer }[] {
	const dir = `${sharedDir()}/corpus/eml`;
	return readdirSync(dir)
		.filter((f) => f.endsWith('.eml'))
		.sort()
		.map((name) => ({ name, raw: readFileSync(`${dir}/${name}`) }));
}

const TOPICS = ['budget review', 'release notes', 'standup notes', 'invoice', 'travel plans', 'customer feedback', 'security update', 'design draft'];
const SENDERS = ['bob@example.com', 'dave@example.com', 'carol@gmail.com', 'newsletter@news.example.org'];

export function seedGmail(s: Standin): GmailState {
	const g = new GmailState(() => s.tokens.now());
	for (const u of [...s.directory.users.values()].sort((a, b) => a.email.localeCompare(b.email))) g.addMailbox(u.email);
	const alice = g.mailbox('alice@example.com')!;
	const receipts = addUserLabel(alice, 'Receipts', { textColor: '#ffffff', backgroundColor: '#16a765' });
	const alpha = addUserLabel(alice, 'Projects/Alpha');
	addUserLabel(g.mailbox('bob@example.com')!, 'Follow-up');

	// the real-mail corpus, as mail alice received
	if (!s.options.noCorpus) {
		corpusFiles().forEach(({ raw }, i) => {
			const parsed = Date.parse(header(derive(raw).mime, 'date') ?? '');
			const labels = ['INBOX'];
			if (i % 2 === 0) labels.push('UNREAD');
			if (i % 5 === 0) labels.push('STARRED');
			if (i % 7 === 0) labels.push('IMPORTANT');
			if (i % 9 === 4) labels.push(receipts);
			addMessage(g, alice, raw, {
				labelIds: labels,
				internalDate: Number.isFinite(parsed) ? parsed : CORPUS_SPREAD_BASE + i * 3 * 3600 * 1000,
				quiet: true,
			});
		});
	}

	// a small conversation between the directory users
	const t0 = Date.UTC(2024, 5, 3, 9, 30);
	seedConversation(
		g,
		s,
		'bob@example.com',
		compose({
			from: addr(s, 'bob@example.com'),
			to: addr(s, 'alice@example.com'),
			subject: 'Quarterly report',
			date: t0,
			messageId: '<seed-q2-report@example.com>',
			text: "Hi Alice,\r\n\r\nHere's the Q2 report as a PDF. Numbers look good.\r\n\r\nBob",
			attachments: [{ filename: 'Q2-report.pdf', mimeType: 'application/pdf', data: tinyPdf('Q2 report') }],
		}),
		t0,
	);
	seedConversation(
		g,
		s,
		'alice@example.com',
		compose({
			from: addr(s, 'alice@example.com'),
			to: addr(s, 'bob@example.com'),
			subject: 'Re: Quarterly report',
			date: t0 + 3600_000,
			messageId: '<seed-q2-report-reply@example.com>',
			inReplyTo: '<seed-q2-report@example.com>',
			text: 'Thanks Bob, looks great. Can we go over it on Thursday?\r\n\r\nAlice',
		}),
		t0 + 3600_000,
	);
	seedConversation(
		g,
		s,
		'admin@example.com',
		compose({
			from: addr(s, 'admin@example.com'),
			to: 'alice@example.com, bob@example.com, dave@example.com',
			subject: 'Welcome to example.com',
			date: t0 - 86400_000 * 30,
			messageId: '<seed-welcome@example.com>',
			text: 'Welcome aboard! Your Google Workspace account is ready.',
			html: '<p>Welcome aboard! Your <b>Google Workspace</b> account is ready.</p>',
		}),
		t0 - 86400_000 * 30,
		{ read: ['bob@example.com'] },
	);
	seedConversation(
		g,
		s,
		'carol@gmail.com',
		compose({
			from: addr(s, 'carol@gmail.com'),
			to: addr(s, 'alice@example.com'),
			subject: 'Lunch on Friday?',
			date: t0 + 86400_000,
			messageId: '<seed-lunch@gmail.com>',
			text: "Hey! Are you free for lunch on Friday? There's a new place near the office.",
		}),
		t0 + 86400_000,
	);
	seedConversation(
		g,
		s,
		'dave@example.com',
		compose({
			from: addr(s, 'dave@example.com'),
			to: addr(s, 'alice@example.com'),
			cc: addr(s, 'bob@example.com'),
			subject: 'Team offsite agenda',
			date: t0 + 2 * 86400_000,
			messageId: '<seed-offsite@example.com>',
			text: 'Agenda attached for the Alpha project offsite.',
			attachments: [{ filename: 'agenda.txt', mimeType: 'text/plain', data: Buffer.from('09:00 Kickoff\n10:00 Roadmap\n12:00 Lunch\n') }],
		}),
		t0 + 2 * 86400_000,
	);
	const offsite = [...alice.messages.values()].find((m) => header(derive(m.raw).mime, 'subject') === 'Team offsite agenda');
	offsite?.labelIds.push(alpha);

	// spam, trash and a draft for alice
	addMessage(
		g,
		alice,
		compose({ from: 'Prize Desk <winner@prizes.example.net>', to: 'alice@example.com', subject: 'You have won a prize!!!', date: t0 - 3600_000, text: 'Click here to claim your prize.' }),
		{ labelIds: ['SPAM', 'UNREAD'], internalDate: t0 - 3600_000, quiet: true },
	);
	addMessage(
		g,
		alice,
		compose({ from: addr(s, 'bob@example.com'), to: 'alice@example.com', subject: 'Old parking notice', date: t0 - 86400_000 * 60, text: 'The garage is closed on Monday.' }),
		{ labelIds: ['TRASH'], internalDate: t0 - 86400_000 * 60, quiet: true },
	);
	const draftMsg = addMessage(
		g,
		alice,
		compose({ from: addr(s, 'alice@example.com'), to: addr(s, 'dave@example.com'), subject: 'Notes for the offsite', date: t0 + 3 * 86400_000, text: 'Draft: ideas for the roadmap session.' }),
		{ labelIds: ['DRAFT'], internalDate: t0 + 3 * 86400_000, quiet: true },
	);
	const draftId = g.newDraftId();
	alice.drafts.set(draftId, { id: draftId, messageId: draftMsg.id });

	// generated bulk mail for alice (options.messages)
	for (let i = 0; i < (s.options.messages ?? 0); i++) {
		const from = SENDERS[i % SENDERS.length];
		const date = GENERATED_BASE + i * 37 * 60_000;
		const topic = TOPICS[i % TOPICS.length];
		const raw = compose({
			from: s.directory.user(from) ? addr(s, from) : `Example News <${from}>`,
			to: addr(s, 'alice@example.com'),
			subject: `Generated message ${i + 1}: ${topic}`,
			date,
			messageId: `<generated-${i + 1}@standin.example.com>`,
			text: `This is generated message number ${i + 1} about ${topic}.\r\nIt exists so lists have something to page through.`,
			...(i % 10 === 9 ? { attachments: [{ filename: `report-${i + 1}.pdf`, mimeType: 'application/pdf', data: tinyPdf(`report ${i + 1}`) }] } : {}),
		});
		addMessage(g, alice, raw, { labelIds: i % 3 === 0 ? ['INBOX', 'UNREAD'] : ['INBOX'], internalDate: date, quiet: true });
	}

	for (const mb of g.mailboxes.values()) mb.historyFloor = mb.historyId;
	return g;
}
