/**
 * Differential test: parseRawMessage vs mailparser's simpleParser on every corpus message.
 * Fields compared exactly (only trailing whitespace of bodies normalised): subject, from/to/cc/bcc/replyTo
 * (name + address), text, html, attachments (filename, size, contentId), attachment details (type, related,
 * disposition, bytes), message ids and date. Deliberate differences are listed in ALLOWLIST, keyed by file +
 * field, each with its reason and a check of what we produce instead; an entry that is no longer needed fails.
 */
import { createHash } from 'node:crypto';
import { MailComposer, simpleParser } from './libs';
import { CASES } from './cases';
import { parseRawMessage, type BuildInput, type ParsedMessage } from '../../nodes/GmailWorkspace/mime';
import { corpusFiles, flatAddresses, normBody, readCorpus } from './helpers';

type Field = 'subject' | 'from' | 'to' | 'cc' | 'bcc' | 'replyTo' | 'text' | 'html' | 'attachments' | 'attachmentDetails' | 'ids' | 'date';
const FIELDS: Field[] = ['subject', 'from', 'to', 'cc', 'bcc', 'replyTo', 'text', 'html', 'attachments', 'attachmentDetails', 'ids', 'date'];

interface Allowed {
	file: string;
	field: Field;
	reason: string;
	/** What we produce instead (gets ours and mailparser's projected values). */
	check: (ours: any, theirs: any, me: ParsedMessage) => void;
}

const collapse = (s: string) => s.replace(/\s+/g, ' ').trim();
const sameExceptFilenames = (ours: any[], theirs: any[], names: string[]) => {
	expect(ours.map((a) => a.filename)).toEqual(names);
	expect(ours.map((a) => [a.size, a.contentId])).toEqual(theirs.map((a: any) => [a.size, a.contentId]));
};

const ALLOWLIST: Allowed[] = [
	{
		file: '03-mail-attachment_nonascii_filename.eml',
		field: 'attachments',
		reason: 'raw 8-bit UTF-8 filename parameter: mailparser (mailsplit) keeps parameter bytes as latin1 → "ciÃ«le.txt"; we read valid UTF-8 as UTF-8',
		check: (ours, theirs) => sameExceptFilenames(ours, theirs, ['ciële.txt']),
	},
	{
		file: '07-mail-attachment_with_encoded_name.eml',
		field: 'attachments',
		reason: 'RFC 2231 name*=iso-2022-jp with an illegal byte %8A: encoding-japanese turns it into "j"; the WHATWG ISO-2022-JP decoder reports it as U+FFFD',
		check: (ours, theirs) => sameExceptFilenames(ours, theirs, ['01 Quien Te Dij\ufffdat. Pitbull.mp3']),
	},
	{
		file: '12-mail-content_transfer_encoding_empty.eml',
		field: 'text',
		reason: 'text made from an HTML-only message: mailparser uses the html-to-text library (links "text [url]", 80-column wrapping, long words cut); ours writes "text (url)" without wrapping. The Big5 bytes also decode differently (see html)',
		check: (ours) => {
			expect(ours).toMatch(/^9bbf38a544f990e73cd12f3c56c60e6180edebd31d752d3997fa4c0650d6aaa338f73f155d5d382832b195b/);
			expect(ours).toContain('(http://%33%36%39%39%2e%32%34%63%63%2e%63%63/)');
		},
	},
	{
		file: '12-mail-content_transfer_encoding_empty.eml',
		field: 'html',
		reason: 'Big5 spam bytes: the WHATWG Big5 decoder (Big5-HKSCS tables, an invalid trail byte re-read as ASCII) and iconv-lite (CP950) disagree on a few malformed/extension codes; every line without Big5 text is identical',
		check: (ours, theirs) => {
			const a = ours.split('\n');
			const b = theirs.split('\n');
			expect(a.length).toBe(b.length);
			const ascii = (l: string) => !/[^\x00-\x7f]/.test(l);
			expect(a.filter((l: string, i: number) => ascii(l) && ascii(b[i]))).toEqual(b.filter((l: string, i: number) => ascii(l) && ascii(a[i])));
			expect(a.filter((l: string) => !ascii(l)).length).toBeGreaterThan(0);
		},
	},
	{
		file: '13-mail-invalid_subject_characters.eml',
		field: 'subject',
		reason: 'raw 8-bit windows-1252 bytes in Subject: mailparser reads header bytes as UTF-8 (U+FFFD); we fall back to the message charset / windows-1252 for non-UTF-8 bytes',
		check: (ours) => expect(ours).toBe('Formação FrenetikPolis: Mega Campanha Final Verão | Cursos de Setembro'),
	},
	{
		file: '32-flanker-outlook-express.eml',
		field: 'attachments',
		reason: 'raw 8-bit name= parameter (UTF-8 bytes): mailparser keeps them as latin1 mojibake; we read UTF-8',
		check: (ours, theirs) => sameExceptFilenames(ours, theirs, ['\ufffd½\ufffd \ufffdı\ufffd\ufffdĵ\ufffd.txt']),
	},
	{
		file: '33-flanker-russian-attachment-yahoo.eml',
		field: 'attachments',
		reason: 'raw 8-bit UTF-8 filename cut mid-character by the sender: mailparser shows latin1 mojibake; we read it as UTF-8 (U+FFFD for the cut character)',
		check: (ours, theirs) =>
			sameExceptFilenames(ours, theirs, ['Картинка с очень, очень длинным предлинным именем преименем таким чт\ufffd']),
	},
	{
		file: '42-flanker-from-encoding.eml',
		field: 'from',
		reason: 'raw 8-bit ISO-8859-1 display name: mailparser reads it as UTF-8 (U+FFFD); we fall back to windows-1252',
		check: (ours) => expect(ours).toEqual([{ name: 'Ingo Lütkebohle', address: 'ingo@blank.pages.de' }]),
	},
	{
		file: '55-mime4j-very-long-boundary.eml',
		field: 'text',
		reason: 'the quoted boundary ends in two spaces: libmime trims quoted parameter values, so mailparser never finds a delimiter and shows no body; we keep the quoted value and find the text part (whose body includes the near-miss delimiter line the fixture says must stay body text)',
		check: (ours) => {
			expect(ours).toMatch(/^Text body\n--0123456789/);
			expect(ours).toContain('The above line is similar to the boundary but miss a final space, so it\nshould be part of the body.');
		},
	},
	{
		file: '77-postalmime-mimetorture.eml',
		field: 'text',
		reason: 'an HTML part converted to text: html-to-text wraps at 80 columns, we do not; identical once whitespace is collapsed',
		check: (ours, theirs) => expect(collapse(ours)).toBe(collapse(theirs)),
	},
];

const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex').slice(0, 16);

function project(field: Field, m: any, isMailparser: boolean): unknown {
	switch (field) {
		case 'subject':
			return m.subject ?? '';
		case 'from':
		case 'to':
		case 'cc':
		case 'bcc':
		case 'replyTo':
			return isMailparser ? flatAddresses(m[field]) : m[field];
		case 'text':
		case 'html':
			return normBody(m[field]);
		case 'attachments':
			return m.attachments.map((a: any) => ({ filename: a.filename || '', size: a.size, contentId: a.contentId || '' }));
		case 'attachmentDetails':
			return m.attachments.map((a: any) =>
				isMailparser
					? { type: a.contentType, related: !!a.related, disposition: a.contentDisposition || '', sha: sha(a.content) }
					: { type: a.mimeType, related: a.related, disposition: a.disposition, sha: sha(a.content) },
			);
		case 'ids':
			return {
				messageId: m.messageId || undefined,
				inReplyTo: m.inReplyTo || undefined,
				references: isMailparser ? (m.references ? [].concat(m.references) : []) : m.references,
			};
		case 'date':
			return m.date ? m.date.toISOString() : undefined;
	}
}

const files = corpusFiles();
const results: Array<{ file: string; field: Field; status: 'agree' | 'allowlisted' }> = [];

describe('parseRawMessage agrees with mailparser on the corpus', () => {
	it('finds the corpus', () => {
		expect(files.length).toBeGreaterThanOrEqual(50);
	});

	it.each(files)('%s', async (file) => {
		const raw = readCorpus(file);
		const theirs = await simpleParser(raw, { keepCidLinks: true });
		const ours = parseRawMessage(raw);
		const mismatches: string[] = [];
		for (const field of FIELDS) {
			const a = project(field, ours, false);
			const b = project(field, theirs, true);
			const allowed = ALLOWLIST.find((x) => x.file === file && x.field === field);
			const equal = JSON.stringify(a) === JSON.stringify(b);
			if (allowed) {
				// a stale entry must go: it would hide a future regression
				if (equal) mismatches.push(`${field}: allowlisted but now agrees — remove the entry`);
				else allowed.check(a, b, ours);
				results.push({ file, field, status: 'allowlisted' });
			} else if (!equal) {
				mismatches.push(`${field}:\n  mailparser: ${JSON.stringify(b).slice(0, 500)}\n  ours:       ${JSON.stringify(a).slice(0, 500)}`);
			} else results.push({ file, field, status: 'agree' });
		}
		expect(mismatches).toEqual([]);
	});

	it('every allowlist entry names a corpus file', () => {
		for (const a of ALLOWLIST) expect(files).toContain(a.file);
	});

	afterAll(() => {
		const agree = results.filter((r) => r.status === 'agree').length;
		const allow = results.filter((r) => r.status === 'allowlisted').length;
		const perfect = files.filter((f) => results.filter((r) => r.file === f).every((r) => r.status === 'agree')).length;
		// eslint-disable-next-line no-console
		console.log(
			`mailparser agreement: ${agree}/${results.length} file×field comparisons identical, ${allow} allowlisted; ` +
				`${perfect}/${files.length} messages identical on all ${FIELDS.length} fields`,
		);
	});
});

/**
 * A second differential set: the tricky build inputs composed by nodemailer (an independent builder), read by
 * both parsers. No allowlist here: everything must agree.
 */
describe('parseRawMessage agrees with mailparser on nodemailer-built messages', () => {
	const compose = (input: BuildInput): Promise<Buffer> =>
		new Promise((resolve, reject) => {
			const mail = new MailComposer({
				from: input.from,
				to: input.to,
				cc: input.cc,
				bcc: input.bcc,
				replyTo: input.replyTo,
				subject: input.subject,
				text: input.text,
				html: input.html,
				inReplyTo: input.inReplyTo,
				references: input.references,
				headers: input.headers,
				attachments: (input.attachments ?? []).map((a) => ({ filename: a.filename, content: a.content, contentType: a.mimeType, cid: a.contentId })),
			});
			const node = mail.compile() as any;
			node.keepBcc = true;
			node.build((err: Error | null, msg: Buffer) => (err ? reject(err) : resolve(msg)));
		});

	it.each(CASES.map((c) => [c.name, c] as const))('%s', async (_n, c) => {
		const raw = await compose(c.input);
		const theirs = await simpleParser(raw, { keepCidLinks: true });
		const ours = parseRawMessage(raw);
		for (const field of FIELDS) expect([field, project(field, ours, false)]).toEqual([field, project(field, theirs, true)]);
	});
});
