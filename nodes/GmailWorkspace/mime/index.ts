/**
 * Pure MIME for the Gmail Workspace node: parse raw RFC 5322 messages and Gmail API payloads into one shape,
 * and build RFC 5322 messages (whole or streamed). No dependencies beyond node:crypto.
 *
 * Every path runs in time linear in its input. The *Async variants (and prepareRawMessage) do the same work
 * in time slices with an injected yield between them (see slices.ts): use them on input of unbounded size
 * (a message up to Gmail's 35 MiB), so no synchronous step blocks the event loop for more than ~20 ms.
 */
export { parseRawMessage, parseRawMessageAsync, type ParseOptions } from './parse';
export type { SliceOptions } from './slices';
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
	buildRawMessageAsync,
	buildRawMessageStream,
	estimateEncodedSize,
	prepareRawMessage,
	type PreparedMessage,
	formatDate,
	GMAIL_MAX_RAW_BYTES,
	isBuiltHeader,
	type AttachmentInput,
	type BuildInput,
	type BuildOptions,
} from './build';
export type { AddressInput } from './address';
export { htmlToText, htmlToTextAsync, textToHtml, textToHtmlAsync } from './html-to-text';
export {
	fromGmailPayload,
	fromGmailPayloadAsync,
	type GmailMessagePart,
	type GmailMessageResource,
} from './gmail-payload';
