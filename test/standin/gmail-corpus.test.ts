/**
 * Corpus round-trip: every real message of ../shared/corpus/eml goes through the stand-in's HTTP API
 * (messages.insert, then messages.get raw / full, attachments.get) and is cross-checked against mailparser's
 * reading of the same bytes. Where the two readings legitimately differ, the file is listed in EXCEPTIONS with
 * the reason; the other checks still run for it.
 */
import type { gmail_v1 } from 'googleapis';
import { corpusFiles } from './gmail/seed';
import { b64url, fromB64url, startLive, type Live } from './gmail-testkit';

// mailparser ships no types; it is only a cross-check here.
const { simpleParser } = require('mailparser') as { simpleParser: (b: Buffer) => Promise<any> };

type Exception = { filename?: string; type?: string; headers?: string; text?: string };
const EXCEPTIONS: Record<string, Exception> = {
	'03-mail-attachment_nonascii_filename.eml': {
		filename: 'raw 8-bit filename bytes are valid UTF-8; the stand-in reads them as UTF-8, mailparser as latin1',
	},
	'07-mail-attachment_with_encoded_name.eml': {
		filename: "RFC 2231 iso-2022-jp value with a stray %8a byte: the stand-in shows U+FFFD, mailparser drops the byte; mailparser also re-types octet-stream to audio/mpeg from the .mp3 name",
	},
	'32-flanker-outlook-express.eml': {
		filename: 'raw GB2312 bytes in name= without a charset: both readings are guesses (stand-in: UTF-8 with U+FFFD, mailparser: latin1)',
	},
	'33-flanker-russian-attachment-yahoo.eml': {
		filename: 'a UTF-8 filename cut mid-character: the stand-in decodes UTF-8 with U+FFFD, mailparser falls back to latin1',
	},
	'51-mimekit-missing-subtype.eml': {
		type: "Content-Type 'application-x-gzip' has no subtype: the stand-in applies RFC 2045's default (text/plain), mailparser keeps the invalid string and calls it an attachment",
	},
	'55-mime4j-very-long-boundary.eml': {
		text: 'a body line that is the boundary minus its final space is not a delimiter (the fixture says so); mailparser treats it as one and finds no text',
	},
	'56-mime4j-malformedHeader-nocrlfcrlf.eml': {
		headers: 'no blank line after the header: the stand-in ends the header at the first line that is not a field (the rest is body); mailparser keeps collecting fields',
		text: 'follows from the header difference: the stand-in body starts at the malformed line',
	},
};

/** Messages without an inline text/plain part (HTML-only, attachment-only, empty multipart, enclosed-only). */
const NO_PLAIN_TEXT = new Set<string>([
	'02-mail-attachment_message_rfc822_inline_image.eml', // HTML body only
	'12-mail-content_transfer_encoding_empty.eml', // HTML body only
	'47-mimekit-multipart-related-mhtml.eml', // MHTML: image + HTML root
	'08-mail-attachment_with_quoted_filename.eml', // a single inline JPEG
	'18-mail-raw_email_with_binary_encoded.eml', // alternative holding only a JPEG
	'24-mail-japanese_attachment_long_name.eml', // the only text/plain is an attachment
	'32-flanker-outlook-express.eml', // top-level application/octet-stream
	'52-mime4j-russian-headers.eml', // top-level text/plain attachment (Content-Disposition: attachment)
	'51-mimekit-missing-subtype.eml', // invalid type read as text/plain, but it carries a file name
	'16-mail-missing_body.eml', // multipart/mixed with no parts at all
	'40-flanker-signed.eml', // S/MIME: signed content is application/plain
	'48-mimekit-multipart-digest.eml', // top-level message/rfc822 (text only inside enclosed messages)
	'53-mime4j-base64encoded-rfc822message-nested.eml', // top-level message/rfc822, nested twice
]);

const files = corpusFiles();
let live: Live;
let gmail: gmail_v1.Gmail;
const ids = new Map<string, string>();

beforeAll(async () => {
	live = await startLive({ noCorpus: true });
	live.s.quota.unitsPerSecond = 0;
	gmail = await live.gmail('bob@example.com');
	for (const f of files) {
		const r = await gmail.users.messages.insert({ userId: 'me', requestBody: { raw: b64url(f.raw), labelIds: ['INBOX'] } });
		ids.set(f.name, r.data.id!);
	}
});
afterAll(() => live.close());

const headerOf = (p: gmail_v1.Schema$MessagePart, name: string) =>
	p.headers?.find((h) => h.name!.toLowerCase() === name)?.value ?? undefined;
const dispositionOf = (p: gmail_v1.Schema$MessagePart) => (headerOf(p, 'content-disposition') ?? '').split(';')[0].trim().toLowerCase();

/** Attachments as mailparser defines them: leaves that are not inline text/plain|text/html|message/delivery-status. */
function mailparserView(p: gmail_v1.Schema$MessagePart): { contentType: string; filename: string; size: number }[] {
	const type = p.mimeType!;
	if (type.startsWith('multipart/')) return (p.parts ?? []).flatMap(mailparserView);
	const disp = dispositionOf(p);
	if (type === 'message/rfc822' && disp === 'inline') return (p.parts ?? []).flatMap(mailparserView);
	const text = ['text/plain', 'text/html', 'message/delivery-status'].includes(type);
	const attachment = !text || (disp !== '' && disp !== 'inline');
	return attachment ? [{ contentType: type, filename: p.filename ?? '', size: p.body!.size! }] : [];
}

function* parts(p: gmail_v1.Schema$MessagePart): Generator<gmail_v1.Schema$MessagePart> {
	yield p;
	for (const c of p.parts ?? []) yield* parts(c);
}

/** The first inline text/plain leaf outside enclosed messages, decoded in its declared charset. */
function firstText(p: gmail_v1.Schema$MessagePart): string | undefined {
	if (p.mimeType!.startsWith('multipart/')) {
		for (const c of p.parts ?? []) {
			const t = firstText(c);
			if (t !== undefined) return t;
		}
		return undefined;
	}
	if (p.mimeType !== 'text/plain' || p.filename || dispositionOf(p) === 'attachment' || !p.body?.data) return undefined;
	const charset = /charset="?([^";\s]+)/i.exec(headerOf(p, 'content-type') ?? '')?.[1] ?? 'utf-8';
	const bytes = fromB64url(p.body.data);
	try {
		return new TextDecoder(charset).decode(bytes);
	} catch {
		return new TextDecoder('utf-8').decode(bytes); // unknown charset label
	}
}

const norm = (s: string) => s.replace(/\s+/g, ' ').trim();

describe('real-mail corpus through the Gmail API', () => {
	it('has the whole corpus (59 messages) and the seeded alice mailbox holds each one byte-for-byte', async () => {
		expect(files).toHaveLength(59);
		const seeded = await startLive({});
		try {
			const g = await seeded.gmail('alice@example.com');
			seeded.s.quota.unitsPerSecond = 0;
			const raws = new Set<string>();
			let pageToken: string | undefined;
			do {
				const r = await g.users.messages.list({ userId: 'me', q: 'in:anywhere', maxResults: 500, pageToken });
				for (const m of r.data.messages ?? []) {
					raws.add((await g.users.messages.get({ userId: 'me', id: m.id!, format: 'raw' })).data.raw!);
				}
				pageToken = r.data.nextPageToken ?? undefined;
			} while (pageToken);
			const gmailB64 = (b: Buffer) => b.toString('base64').replace(/\+/g, '-').replace(/\//g, '_');
			for (const f of files) expect(raws.has(gmailB64(f.raw))).toBe(true);
		} finally {
			await seeded.close();
		}
	});

	describe.each(files.map((f) => [f.name, f.raw] as const))('%s', (name, raw) => {
		const ex = EXCEPTIONS[name] ?? {};
		let full: gmail_v1.Schema$Message;
		let mp: any;
		beforeAll(async () => {
			full = (await gmail.users.messages.get({ userId: 'me', id: ids.get(name)! })).data;
			mp = await simpleParser(raw);
		});

		it('format=raw returns the exact bytes', async () => {
			const { data } = await gmail.users.messages.get({ userId: 'me', id: ids.get(name)!, format: 'raw' });
			expect(fromB64url(data.raw!).equals(raw)).toBe(true);
			expect(data.sizeEstimate).toBe(raw.length);
		});

		it('payload tree is well-formed: partIds, container bodies, inline data and attachment ids agree on sizes', async () => {
			const p = full.payload!;
			expect(p.partId).toBe('');
			const check = (part: gmail_v1.Schema$MessagePart) => {
				(part.parts ?? []).forEach((c, i) => {
					expect(c.partId).toBe(part.partId === '' ? String(i) : `${part.partId}.${i}`);
					check(c);
				});
			};
			check(p);
			for (const part of parts(p)) {
				expect(part.mimeType).toMatch(/^[a-z0-9.+-]+\/[a-z0-9.+!#$&^_-]+$/);
				if (part.mimeType!.startsWith('multipart/')) {
					expect(part.body).toEqual({ size: 0 });
				} else if (part.body!.attachmentId) {
					const att = await gmail.users.messages.attachments.get({ userId: 'me', messageId: full.id!, id: part.body!.attachmentId });
					expect(att.data.size).toBe(part.body!.size);
					expect(fromB64url(att.data.data ?? '').length).toBe(part.body!.size);
				} else {
					expect(fromB64url(part.body!.data ?? '').length).toBe(part.body!.size);
				}
			}
		});

		it('top-level header names, in order, match mailparser', () => {
			const ours = full.payload!.headers!.map((h) => h.name!.toLowerCase());
			const theirs = (mp.headerLines as { key: string; line: string }[])
				.filter((h) => !(h.key === '' && h.line.trim() === '')) // a leading whitespace-only line is not a field
				.map((h) => h.key);
			if (ex.headers) expect(ours).not.toEqual(theirs);
			else expect(ours).toEqual(theirs);
		});

		it('attachments (type, filename, decoded size) match mailparser', () => {
			const ours = mailparserView(full.payload!);
			const theirs = (mp.attachments as any[]).map((a) => ({ contentType: a.contentType, filename: a.filename ?? '', size: a.size }));
			if (ex.type) {
				expect(ours.length).not.toBe(theirs.length);
				return;
			}
			expect(ours.map((a) => a.size)).toEqual(theirs.map((a) => a.size));
			ours.forEach((a, i) => {
				const b = theirs[i];
				// mailparser re-types application/octet-stream from the file name (libmime.detectMimeType)
				if (!(a.contentType === 'application/octet-stream' && a.filename)) expect(a.contentType).toBe(b.contentType);
			});
			if (ex.filename) expect(ours.map((a) => a.filename)).not.toEqual(theirs.map((a) => a.filename));
			else expect(ours.map((a) => a.filename)).toEqual(theirs.map((a) => a.filename));
		});

		it('the first text/plain body decodes to text mailparser also found', () => {
			const t = firstText(full.payload!);
			expect(t === undefined).toBe(NO_PLAIN_TEXT.has(name));
			if (t === undefined) return;
			const found = norm(mp.text ?? '').includes(norm(t).slice(0, 80));
			expect(found).toBe(!ex.text);
		});
	});
});
