/** Shapes shared by the parser, the Gmail payload reader and the builder. */
import type { Address } from './address';

export type { Address } from './address';

export interface HeaderField {
	/** The field name as written ("Subject", "X-Mailer"). */
	name: string;
	/** Unfolded; 8-bit bytes read as UTF-8 (or the message charset, else windows-1252); RFC 2047 words decoded. */
	value: string;
}

export interface ParsedAttachment {
	/** Decoded filename (Content-Disposition filename, else Content-Type name); '' when there is none. */
	filename: string;
	/** Lower-cased media type; application/octet-stream is refined from the filename extension like mailparser does. */
	mimeType: string;
	/** Decoded size in bytes (for Gmail payloads: Gmail's body.size). */
	size: number;
	/** The Content-ID header as written, angle brackets included (mailparser's `contentId`); '' when none. */
	contentId: string;
	/** The Content-ID without angle brackets (mailparser's `cid`); '' when none. */
	cid: string;
	/** True for parts shown in the body: disposition inline, or no disposition but a Content-ID inside multipart/related. */
	inline: boolean;
	/** True when the part sits inside a multipart/related and has a Content-ID (an embedded image and the like). */
	related: boolean;
	/** 'attachment' | 'inline' when the part has a Content-Disposition, else ''. */
	disposition: string;
	/** The decoded content. Absent only for Gmail payload attachments that live behind an attachmentId. */
	content: Buffer;
}

export interface GmailPayloadAttachment extends Omit<ParsedAttachment, 'content'> {
	/** Present when the bytes were inline in the payload (body.data). */
	content?: Buffer;
	/** Present when the bytes must be fetched with users.messages.attachments.get. */
	attachmentId?: string;
	/** Gmail's partId of the attachment part. */
	partId?: string;
}

export interface ParsedMessageBase {
	/** '' when the message has no Subject. */
	subject: string;
	/** Every From address (RFC 5322 allows several); [] when absent. Groups are flattened into their members. */
	from: Address[];
	to: Address[];
	cc: Address[];
	bcc: Address[];
	replyTo: Address[];
	/** The Date header parsed; undefined when absent or unparseable (mailparser would substitute "now"). */
	date: Date | undefined;
	/** "<id@host>" (angle brackets ensured, like mailparser); undefined when absent. */
	messageId: string | undefined;
	inReplyTo: string | undefined;
	/** Message-IDs of the References header, each "<…>". */
	references: string[];
	/** Plain text body, parts joined the way mailparser joins them; undefined when the message has none. */
	text: string | undefined;
	/** HTML body (mailparser's joining; plain parts outside an alternative become HTML); undefined when none. */
	html: string | undefined;
	/** Top-level header fields in their original order. */
	headers: HeaderField[];
}

export interface ParsedMessage extends ParsedMessageBase {
	attachments: ParsedAttachment[];
}

export interface GmailParsedMessage extends ParsedMessageBase {
	attachments: GmailPayloadAttachment[];
	/** Gmail's message id, thread id, labels and snippet, copied from the resource. */
	id?: string;
	threadId?: string;
	labelIds?: string[];
	snippet?: string;
}
