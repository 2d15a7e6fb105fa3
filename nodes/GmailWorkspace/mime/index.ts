/**
 * Pure MIME for the Gmail Workspace node: parse raw RFC 5322 messages and Gmail API payloads into one shape,
 * and build RFC 5322 messages (whole or streamed). No dependencies beyond node:crypto.
 */
export { parseRawMessage, type ParseOptions } from './parse';
export { MimeError } from './errors';
export type { Address } from './address';
export type {
	GmailParsedMessage,
	GmailPayloadAttachment,
	HeaderField,
	ParsedAttachment,
	ParsedMessage,
	ParsedMessageBase,
} from './types';
export {
	buildRawMessage,
	buildRawMessageStream,
	estimateEncodedSize,
	formatDate,
	GMAIL_MAX_RAW_BYTES,
	type AttachmentInput,
	type BuildInput,
	type BuildOptions,
} from './build';
export type { AddressInput } from './address';
export { htmlToText } from './html-to-text';
export { fromGmailPayload, type GmailMessagePart, type GmailMessageResource } from './gmail-payload';
