import { writeFileSync } from 'node:fs';

import { setupBench } from '../bench';
import { parseWithMailparser, storedMessages } from './helpers';
import {
	adminEnv,
	ALICE,
	assertBadInput,
	BOB,
	byId,
	mailEnv,
	raw,
	runCase,
	second,
	triggerEnv,
	type BadCase,
	type Env,
	type Where,
} from './bad-input-kit';

/**
 * Issue #15, "Bad input": hostile inputs across every card and the trigger. Each case runs in a workflow
 * whose Gmail Workspace node gets two input items (from a Search, or an admin List), the SECOND one bad;
 * the run must end in a NodeOperationError / NodeApiError that names the field or the value and "[item 1]"
 * (the package's wording: 0-based, as n8n's own "[item N]" messages), within a deadline, with no token in
 * it, and with no mutating request made for the bad item (the stand-in's request log). The trigger has no
 * items: a poll reads its parameters as item 0.
 */
const bench = setupBench();

const HOMOGLYPH = 'b\u043eb@example.com'; // "bob" with a Cyrillic о
const HOMOGLYPH_DOMAIN = 'bob@ex\u0430mple.com'; // "example" with a Cyrillic а
const CRLF = 'x\r\nBcc: evil@example.com';
let made = 0;
/** A name no earlier run used (labels a good item creates must be new). */
const uniq = (name: string) => `${name} ${++made}`;

const send = (extra: Record<string, unknown> = {}) => ({
	resource: 'message',
	operation: 'send',
	to: BOB,
	subject: '=Bad input {{ $itemIndex }}',
	emailType: 'text',
	message: 'hello',
	...extra,
});
const withFile = (extra: Record<string, unknown> = {}) =>
	send({ operation: 'sendWithAttachment', attachments: { attachment: [{ binaryPropertyName: 'attachment_0' }] }, ...extra });

/** Nothing was sent for item 1: bob has no message whose subject names item 1. */
const nothingSentForItem1 = (env: Env) => {
	expect(storedMessages(env.standin, BOB, /Subject: Bad input 1\b/)).toHaveLength(0);
	// and no header smuggled in by a bad value reached bob, cleaned or not
	expect(storedMessages(env.standin, BOB, /^Bcc: evil|X-Evil/m)).toHaveLength(0);
};
const SENDS = ['message.send', 'message.sendWithAttachment'];

const m = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'message', operation, ...extra });
const t = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'thread', operation, ...extra });
const d = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'draft', operation, ...extra });
const l = (operation: string, extra: Record<string, unknown> = {}) => ({ resource: 'label', operation, ...extra });

/** A message field whose item 0 is a fresh message and item 1 `bad`. */
const msg = (env: Env, bad: unknown) => byId(second(env.message().id, bad));
const thr = (env: Env, bad: unknown) => byId(second(env.message().threadId, bad));
const drf = (env: Env, bad: unknown) => byId(second(env.draft(), bad));

/**
 * An unknown ID is only known to be unknown when Google answers 404 to the item's own call (it changes
 * nothing); the good item's call and that one are the run's writes.
 */
const UNKNOWN_ID_ASKED = 2;

const MAIL: BadCase[] = [
	// Send Email: hostile headers, CR/LF/NUL, invalid and homoglyph addresses, wrong types
	{ card: 'message.send', input: 'Subject with CR/LF and a Bcc header', params: () => send({ subject: second('ok', CRLF) }), expect: ['"Subject"', 'Bcc: evil'], check: nothingSentForItem1 },
	{ card: 'message.send', input: 'Subject with a NUL', params: () => send({ subject: second('ok', 'a\u0000b') }), expect: ['"Subject"', 'NUL'] },
	{ card: 'message.send', input: 'To not an address', params: () => send({ to: second(BOB, 'bob at example') }), expect: ['"To"', 'bob at example'] },
	{ card: 'message.send', input: 'To with a Cyrillic homoglyph in the local part', params: () => send({ to: second(BOB, HOMOGLYPH) }), expect: ['"To"'] },
	{ card: 'message.send', input: 'To with a mixed-script (homoglyph) domain', params: () => send({ to: second(BOB, HOMOGLYPH_DOMAIN) }), expect: ['"To"'] },
	{ card: 'message.send', input: 'To with CR/LF and a second header', params: () => send({ to: second(BOB, `bob@example.com\r\nBcc: evil@example.com`) }), expect: ['"To"'] },
	{ card: 'message.send', input: 'To empty', params: () => send({ to: second(BOB, '') }), expect: ['"To"', 'is empty'] },
	{ card: 'message.send', input: 'To an object without an address', params: () => send({ to: second(BOB, { a: 1 }) }), expect: ['"To"'] },
	{ card: 'message.send', input: 'CC with a NUL', params: () => send({ options: { cc: second('dave@example.com', 'dave@exa\u0000mple.com') } }), expect: ['"CC"'] },
	{ card: 'message.send', input: 'BCC "a@@b"', params: () => send({ options: { bcc: second('dave@example.com', 'a@@b') } }), expect: ['"BCC"'] },
	{ card: 'message.send', input: 'Reply-To homoglyph domain', params: () => send({ options: { replyTo: second('dave@example.com', HOMOGLYPH_DOMAIN) } }), expect: ['"Reply-To"'] },
	{ card: 'message.send', input: 'Custom header name with a colon', params: () => send({ options: { headers: { header: [{ name: second('X-Tag', 'X-Tag:evil'), value: 'v' }] } } }), expect: ['"Custom Header 1 name"', 'X-Tag:evil'] },
	{ card: 'message.send', input: 'Custom header value with CR/LF', params: () => send({ options: { headers: { header: [{ name: 'X-Tag', value: second('v', CRLF) }] } } }), expect: ['"Custom Header 1 value"'] },
	{ card: 'message.send', input: 'Custom header "Bcc" (a structural header)', params: () => send({ options: { headers: { header: [{ name: second('X-Tag', 'Bcc'), value: 'evil@example.com' }] } } }), expect: ['Bcc'] },
	{ card: 'message.send', input: 'Custom header value an object', params: () => send({ options: { headers: { header: [{ name: 'X-Tag', value: second('v', { x: 1 }) }] } } }), expect: ['"Custom Header 1 value"', 'must be text'] },
	{ card: 'message.send', input: 'Email Type "markdown"', params: () => send({ emailType: second('text', 'markdown') }), expect: ['"Email Type"', 'markdown'] },
	{ card: 'message.send', input: 'Message an object', params: () => send({ message: second('hi', { body: 'x' }) }), expect: ['"Message"', 'must be text'] },
	{ card: 'message.send', input: 'HTML a list', params: () => send({ emailType: 'html', html: second('<p>hi</p>', ['<p>', '</p>']) }), expect: ['"HTML"', 'must be text'] },
	{ card: 'message.send', input: 'Sender Name with CR/LF', params: () => send({ options: { senderName: second('Alice', 'Alice\r\nBcc: evil@example.com') } }), expect: ['"Sender Name"'] },
	{ card: 'message.send', input: 'From Alias not an address', params: () => send({ options: { from: second(ALICE, 'alice') } }), expect: ['"From Alias"', 'alice'] },
	{ card: 'message.send', input: 'From Alias not a send-as address of the account', params: () => send({ options: { from: second(ALICE, 'ceo@example.com') } }), expect: ['ceo@example.com', 'From Alias'] },
	{ card: 'message.send', input: 'Reply to Message ID with a path', params: () => send({ options: { replyToMessageId: second('', '../settings') } }), expect: ['"Reply to Message ID"', '../settings'] },
	{ card: 'message.send', input: 'Reply to Message ID unknown', params: () => send({ options: { replyToMessageId: second('', 'ffff0000aaaa1111') } }), expect: ['"Reply to Message ID"', 'ffff0000aaaa1111'] },
	{ card: 'message.send', input: 'a 36 MiB body (over Gmail\'s 35 MiB)', params: () => send({ message: second('hi', raw('"x".repeat(36 * 1048576)')) }), expect: ['35 MiB'], check: nothingSentForItem1 },
	{ card: 'message.send', input: 'Request Timeout -1', params: () => send({ requestOptions: { timeout: second(30, -1) } }), expect: ['"Request Timeout (Seconds)"', '-1'] },

	// Send with Attachment: missing binary, names, types
	{ card: 'message.sendWithAttachment', input: 'Input Binary Field that the item lacks', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: second('attachment_0', 'nope') }] } }), expect: ["'nope'"] },
	{ card: 'message.sendWithAttachment', input: 'Input Binary Field empty', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: second('attachment_0', ' ') }] } }), expect: ['"Attachment 1 Input Binary Field"', 'is empty'] },
	{ card: 'message.sendWithAttachment', input: 'MIME Type "not a type"', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: 'attachment_0', mimeType: second('', 'not a type') }] } }), expect: ['"Attachment 1 MIME Type"', 'not a type'] },
	{ card: 'message.sendWithAttachment', input: 'MIME Type with CR/LF', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: 'attachment_0', mimeType: second('', 'text/plain\r\nX-Evil: 1') }] } }), expect: ['"Attachment 1 MIME Type"'] },
	{ card: 'message.sendWithAttachment', input: 'File Name an object', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: second('a.bin', { name: 'x' }) }] } }), expect: ['"Attachment 1 File Name"', 'must be text'] },
	{ card: 'message.sendWithAttachment', input: 'Inline Content ID with CR/LF', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: 'attachment_0', contentId: second('logo', 'logo\r\nX-Evil: 1') }] } }), expect: ['"Attachment 1 Inline Content ID"'] },
	{ card: 'message.sendWithAttachment', input: 'Input Binary Field with a path separator', params: () => withFile({ attachments: { attachment: [{ binaryPropertyName: second('attachment_0', '../attachment_0') }] } }), expect: ["'../attachment_0'"] },
	{
		card: 'message.sendWithAttachment',
		input: 'a 36 MiB attachment (over Gmail\'s 35 MiB)',
		feed: (env) => env.bigFeed(36 * 1048576),
		params: () => withFile(),
		expect: ['35 MiB'],
	},
	{ card: 'message.sendWithAttachment', input: 'To with a homoglyph', params: () => withFile({ to: second(BOB, HOMOGLYPH_DOMAIN) }), expect: ['"To"'] },

	// Read / Search
	{ card: 'message.read', input: 'Message ID with a path separator', params: (env) => m('read', { messageId: msg(env, 'a/b') }), expect: ['"Message"', 'a/b'] },
	{ card: 'message.read', input: 'Message ID "../../profile"', params: (env) => m('read', { messageId: msg(env, '../../profile') }), expect: ['"Message"', '../../profile'] },
	{ card: 'message.read', input: 'Message ID unknown', params: (env) => m('read', { messageId: msg(env, 'ffffffffffffffff') }), expect: ['ffffffffffffffff'] },
	{ card: 'message.read', input: 'Message ID empty', params: (env) => m('read', { messageId: msg(env, '') }), expect: ['"Message"', 'is empty'] },
	{ card: 'message.read', input: 'Message ID an object', params: (env) => m('read', { messageId: msg(env, { id: 1 }) }), expect: ['"Message"', 'must be text'] },
	{ card: 'message.read', input: 'a Gmail link without an ID', params: (env) => m('read', { messageId: msg(env, 'https://mail.google.com/mail/u/0/#inbox/FMfcgzQXJ') }), expect: ['"Message"', 'FMfcgzQXJ'] },
	{ card: 'message.read', input: 'Attachment Prefix with CR/LF', params: (env) => m('read', { messageId: byId(env.message().id), options: { downloadAttachments: true, attachmentPrefix: second('attachment_', 'a\r\nb') } }), expect: ['"Attachment Prefix"'] },
	{ card: 'message.search', input: 'Limit -1', params: () => m('search', { limit: second(5, -1) }), expect: ['"Limit"', '-1'] },
	{ card: 'message.search', input: 'Limit "abc"', params: () => m('search', { limit: second(5, 'abc') }), expect: ['"Limit"', 'abc'] },
	{ card: 'message.search', input: 'Received After "2026-02-30"', params: () => m('search', { limit: 1, filters: { receivedAfter: second('2026-01-01', '2026-02-30') } }), expect: ['"Received After"', '2026-02-30'] },
	{ card: 'message.search', input: 'Read Status "seen"', params: () => m('search', { limit: 1, filters: { readStatus: second('both', 'seen') } }), expect: ['"Read Status"', 'seen'] },
	{ card: 'message.search', input: 'Label filter naming a label that does not exist', params: () => m('search', { limit: 1, filters: { labelIds: second(['INBOX'], ['No such label']) } }), expect: ['No such label', 'Label Names or IDs'] },
	{ card: 'message.search', input: 'Detail "everything"', params: () => m('search', { limit: 1, detail: second('metadata', 'everything') }), expect: ['"Detail"', 'everything'] },
	{ card: 'message.search', input: 'Sender with CR/LF', params: () => m('search', { limit: 1, filters: { sender: second('bob@example.com', 'bob\r\nx') } }), expect: ['"Sender"'] },

	// Reply / Forward
	{ card: 'message.reply', input: 'Message ID unknown', params: (env) => m('reply', { messageId: msg(env, 'ffffffffffffffff'), emailType: 'text', message: 'ok' }), expect: ['ffffffffffffffff'] },
	{ card: 'message.reply', input: 'Message ID with "?"', params: (env) => m('reply', { messageId: msg(env, 'x?y'), emailType: 'text', message: 'ok' }), expect: ['"Message"', 'x?y'] },
	{ card: 'message.reply', input: 'Reply All "maybe"', params: (env) => m('reply', { messageId: byId(env.message().id), replyAll: second(false, 'maybe'), emailType: 'text', message: 'ok' }), expect: ['"Reply All"', 'maybe'] },
	{ card: 'message.reply', input: 'CC with CR/LF', params: (env) => m('reply', { messageId: byId(env.message().id), emailType: 'text', message: 'ok', options: { cc: second('dave@example.com', CRLF) } }), expect: ['"CC"'] },
	{ card: 'message.forward', input: 'To not an address', params: (env) => m('forward', { messageId: byId(env.message().id), to: second(BOB, 'bob@'), emailType: 'text', message: 'fyi' }), expect: ['"To"', 'bob@'] },
	{ card: 'message.forward', input: 'To a homoglyph', params: (env) => m('forward', { messageId: byId(env.message().id), to: second(BOB, HOMOGLYPH), emailType: 'text', message: 'fyi' }), expect: ['"To"'] },
	{ card: 'message.forward', input: 'Message ID with "#"', params: (env) => m('forward', { messageId: msg(env, 'x#y'), to: BOB, emailType: 'text', message: 'fyi' }), expect: ['"Message"', 'x#y'] },

	// label / trash / delete operations on messages
	{ card: 'message.addLabels', input: 'a label that does not exist', params: (env) => m('addLabels', { messageId: byId(env.message().id), labelIds: second(['STARRED'], ['No such label']) }), expect: ['No such label'] },
	{ card: 'message.addLabels', input: 'labels an object', params: (env) => m('addLabels', { messageId: byId(env.message().id), labelIds: second(['STARRED'], { a: 1 }) }), expect: ['Label'] },
	{ card: 'message.removeLabels', input: 'a label ID that does not exist', params: (env) => m('removeLabels', { messageId: byId(env.message().id), labelIds: second(['UNREAD'], ['Label_424242']) }), expect: ['Label_424242'] },
	{ card: 'message.markAsRead', input: 'Message ID "%2F"', params: (env) => m('markAsRead', { messageId: msg(env, '%2F') }), expect: ['"Message"', '%2F'] },
	{ card: 'message.markAsUnread', input: 'Message ID empty', params: (env) => m('markAsUnread', { messageId: msg(env, '') }), expect: ['"Message"', 'is empty'] },
	{ card: 'message.archive', input: 'Message ID with a backslash', params: (env) => m('archive', { messageId: msg(env, 'a\\b') }), expect: ['"Message"'] },
	{ card: 'message.moveToTrash', input: 'Message ID unknown', params: (env) => m('moveToTrash', { messageId: msg(env, 'ffffffffffffffff') }), expect: ['ffffffffffffffff'], mutations: 1 },
	{ card: 'message.restoreFromTrash', input: 'Message ID a number list', params: (env) => m('restoreFromTrash', { messageId: msg(env, [1, 2]) }), expect: ['"Message"'] },
	{ card: 'message.deletePermanently', input: 'Message ID unknown', params: (env) => m('deletePermanently', { messageId: msg(env, 'ffffffffffffffff') }), expect: ['ffffffffffffffff'], mutations: 1 },
	{ card: 'message.deletePermanently', input: 'Message ID with a NUL', params: (env) => m('deletePermanently', { messageId: msg(env, 'abc\u0000def') }), expect: ['"Message"'] },

	// Threads
	{ card: 'thread.get', input: 'Thread ID ".."', params: (env) => t('get', { threadId: thr(env, '..') }), expect: ['"Thread"', '..'] },
	{ card: 'thread.get', input: 'Thread ID unknown', params: (env) => t('get', { threadId: thr(env, 'ffffffffffffffff') }), expect: ['ffffffffffffffff'] },
	{ card: 'thread.get', input: 'Split Into Messages "maybe"', params: (env) => t('get', { threadId: byId(env.message().threadId), split: second(false, 'maybe') }), expect: ['"Split Into Messages"', 'maybe'] },
	{ card: 'thread.search', input: 'Limit 0', params: () => t('search', { limit: second(5, 0) }), expect: ['"Limit"', '0'] },
	{ card: 'thread.addLabels', input: 'a label that does not exist', params: (env) => t('addLabels', { threadId: byId(env.message().threadId), labelIds: second(['STARRED'], ['Missing/Label']) }), expect: ['Missing/Label'] },
	{ card: 'thread.removeLabels', input: 'Thread ID with a path', params: (env) => t('removeLabels', { threadId: thr(env, 'a/../b'), labelIds: ['UNREAD'] }), expect: ['"Thread"', 'a/../b'] },
	{ card: 'thread.trash', input: 'Thread ID unknown', params: (env) => t('trash', { threadId: thr(env, 'ffffffffffffffff') }), expect: ['ffffffffffffffff'], mutations: UNKNOWN_ID_ASKED },
	{ card: 'thread.untrash', input: 'Thread ID empty', params: (env) => t('untrash', { threadId: thr(env, '') }), expect: ['"Thread"', 'is empty'] },
	{ card: 'thread.reply', input: 'Reply to Message ID with a path', params: (env) => t('reply', { threadId: byId(env.message().threadId), replyToMessage: second('', '../x'), emailType: 'text', message: 'ok' }), expect: ['"Reply to Message ID"', '../x'] },
	{ card: 'thread.reply', input: 'Thread ID unknown', params: (env) => t('reply', { threadId: thr(env, 'ffffffffffffffff'), emailType: 'text', message: 'ok' }), expect: ['ffffffffffffffff'] },

	// Labels
	{ card: 'label.create', input: 'Name empty', params: () => l('create', { name: second(uniq('BI create ok'), '  ') }), expect: ['"Name"', 'is empty'] },
	{ card: 'label.create', input: 'Name with CR/LF', params: () => l('create', { name: second(uniq('BI create ok'), 'a\r\nb') }), expect: ['"Name"'] },
	{ card: 'label.create', input: 'Name a system label ("INBOX")', params: () => l('create', { name: second(uniq('BI create ok'), 'INBOX') }), expect: ['INBOX'] },
	{ card: 'label.create', input: 'Background Colour not in Gmail\'s palette', params: () => l('create', { name: '=BI colour {{ $itemIndex }}', options: { textColor: '#ffffff', backgroundColor: second('#fb4c2f', '#123456') } }), expect: ['#123456'] },
	{ card: 'label.update', input: 'a label that does not exist', params: (env) => l('update', { label: second(env.label(), 'Nope/Nothing'), updateFields: { name: '=BI renamed {{ $itemIndex }}' } }), expect: ['Nope/Nothing'] },
	{ card: 'label.update', input: 'new Name with a NUL', params: (env) => l('update', { label: env.label(), updateFields: { name: second('BI renamed ok', 'a\u0000b') } }), expect: ['"Name"'] },
	{ card: 'label.delete', input: 'a label ID that does not exist', params: (env) => l('delete', { label: second(env.label(), 'Label_987654') }), expect: ['Label_987654'] },
	{ card: 'label.delete', input: 'a system label', params: (env) => l('delete', { label: second(env.label(), 'INBOX') }), expect: ['INBOX'] },
	{ card: 'label.list', input: 'Label Type "secret"', params: () => l('list', { labelType: second('all', 'secret') }), expect: ['"Label Type"', 'secret'] },
	{ card: 'label.list', input: 'Include Counts an object', params: () => l('list', { includeCounts: second(false, { a: 1 }) }), expect: ['"Include Counts"'] },

	// Drafts
	{ card: 'draft.create', input: 'To invalid', params: () => d('create', { to: second(BOB, 'not an address'), subject: 'x', emailType: 'text', message: 'y' }), expect: ['"To"', 'not an address'] },
	{ card: 'draft.create', input: 'Subject with CR/LF', params: () => d('create', { to: BOB, subject: second('x', CRLF), emailType: 'text', message: 'y' }), expect: ['"Subject"'] },
	{ card: 'draft.create', input: 'Thread ID with a path', params: () => d('create', { to: BOB, subject: 'x', emailType: 'text', message: 'y', options: { threadId: second('', '../threads') } }), expect: ['"Thread ID"', '../threads'] },
	{ card: 'draft.get', input: 'Draft ID with a path', params: (env) => d('get', { draftId: drf(env, 'r1/../r2') }), expect: ['"Draft"', 'r1/../r2'] },
	{ card: 'draft.get', input: 'Draft ID unknown', params: (env) => d('get', { draftId: drf(env, 'r999999999') }), expect: ['r999999999'] },
	{ card: 'draft.list', input: 'Detail "all"', params: () => d('list', { limit: 1, detail: second('metadata', 'all') }), expect: ['"Detail"', 'all'] },
	{ card: 'draft.list', input: 'Search Query an object', params: () => d('list', { limit: 1, query: second('', { q: 1 }) }), expect: ['"Search Query"', 'must be text'] },
	{ card: 'draft.update', input: 'Draft ID unknown', params: (env) => d('update', { draftId: drf(env, 'r888888888'), to: BOB, subject: 'u', emailType: 'text', message: 'u' }), expect: ['r888888888'] },
	{ card: 'draft.update', input: 'To a homoglyph', params: (env) => d('update', { draftId: byId(env.draft()), to: second(BOB, HOMOGLYPH_DOMAIN), subject: 'u', emailType: 'text', message: 'u' }), expect: ['"To"'] },
	{ card: 'draft.send', input: 'Draft ID ".."', params: (env) => d('send', { draftId: drf(env, '..') }), expect: ['"Draft"', '..'] },
	{ card: 'draft.delete', input: 'Draft ID unknown', params: (env) => d('delete', { draftId: drf(env, 'r777777777') }), expect: ['r777777777'], mutations: UNKNOWN_ID_ASKED },

	// Custom API
	{ card: 'customApi.call', input: 'Path escaping gmail/v1 with ".."', params: () => ({ resource: 'customApi', operation: 'call', mode: 'path', httpMethod: 'GET', path: second('gmail/v1/users/me/profile', 'gmail/v1/users/me/../../../oauth2/v3/userinfo') }), expect: ['"Path"'], mutations: 0 },
	{ card: 'customApi.call', input: 'Path with CR/LF', params: () => ({ resource: 'customApi', operation: 'call', mode: 'path', httpMethod: 'GET', path: second('gmail/v1/users/me/profile', 'gmail/v1/users/me/profile\r\nX: 1') }), expect: ['"Path"'], mutations: 0 },
	{ card: 'customApi.call', input: 'Method not a Gmail method', params: () => ({ resource: 'customApi', operation: 'call', mode: 'method', apiMethod: second('gmail.users.getProfile', 'users.hack') }), expect: ['"Method"', 'users.hack'], mutations: 0 },
	{ card: 'customApi.call', input: 'HTTP Method "TRACE"', params: () => ({ resource: 'customApi', operation: 'call', mode: 'path', httpMethod: second('GET', 'TRACE'), path: 'gmail/v1/users/me/profile' }), expect: ['"HTTP Method"', 'TRACE'], mutations: 0 },
	{ card: 'customApi.call', input: 'Path Parameter the method does not have', params: (env) => ({ resource: 'customApi', operation: 'call', mode: 'method', apiMethod: 'gmail.users.messages.get', pathParameters: { parameter: [{ name: second('id', 'path'), value: env.message().id }] } }), expect: ['"Path Parameters"', '"path"'], mutations: 0 },
	{ card: 'customApi.call', input: 'Body that is not JSON', params: () => ({ resource: 'customApi', operation: 'call', mode: 'method', apiMethod: 'gmail.users.labels.create', body: second('{"name": "BI api ok"}', '{name: ') }), expect: ['"Body (JSON)"'] },
];

const ADMIN: BadCase[] = [
	{ card: 'delegate.add', input: 'Delegate Email not an address', params: () => ({ resource: 'delegate', operation: 'add', userEmail: ALICE, delegateEmail: second(BOB, 'bob') }), expect: ['"Delegate Email"', 'bob'] },
	{ card: 'delegate.add', input: 'Delegate Email a homoglyph', params: () => ({ resource: 'delegate', operation: 'add', userEmail: ALICE, delegateEmail: second(BOB, HOMOGLYPH_DOMAIN) }), expect: ['"Delegate Email"'] },
	{ card: 'delegate.add', input: 'User Email with CR/LF', params: () => ({ resource: 'delegate', operation: 'add', userEmail: second(ALICE, 'alice@example.com\r\nX: 1'), delegateEmail: BOB }), expect: ['"User Email"'] },
	{ card: 'delegate.add', input: 'User Email with a path separator', params: () => ({ resource: 'delegate', operation: 'add', userEmail: second(ALICE, '../admin@example.com'), delegateEmail: BOB }), expect: ['"User Email"'] },
	{ card: 'delegate.add', input: 'User Email unknown in the domain', params: () => ({ resource: 'delegate', operation: 'add', userEmail: second(ALICE, 'nobody@example.com'), delegateEmail: BOB }), expect: ['nobody@example.com'] },
	{ card: 'delegate.delete', input: 'Delegate Email empty', params: () => ({ resource: 'delegate', operation: 'delete', userEmail: ALICE, delegateEmail: second(BOB, '') }), expect: ['"Delegate Email"', 'is empty'] },
	{ card: 'delegate.list', input: 'User Email an object', params: () => ({ resource: 'delegate', operation: 'list', userEmail: second(ALICE, { user: 'x' }) }), expect: ['"User Email"'] },
	{ card: 'forwarding.forwardEmails', input: 'Forward To invalid', params: () => ({ resource: 'forwarding', operation: 'forwardEmails', userEmail: ALICE, forwardTo: second(BOB, 'bob@@example.com') }), expect: ['"Forward To"', 'bob@@example.com'] },
	{ card: 'forwarding.forwardEmails', input: 'User Email a consumer account (gmail.com)', params: () => ({ resource: 'forwarding', operation: 'forwardEmails', userEmail: second(ALICE, 'someone@gmail.com'), forwardTo: BOB }), expect: ['someone@gmail.com'] },
	{ card: 'autoReply.set', input: 'End Time before Start Time', params: () => ({ resource: 'autoReply', operation: 'set', userEmail: ALICE, subject: 'Away', message: 'Back soon', options: { startTime: '2030-01-10T00:00:00Z', endTime: second('2030-01-20T00:00:00Z', '2030-01-01T00:00:00Z') } }), expect: ['End Time'] },
	{ card: 'autoReply.set', input: 'Start Time not a date', params: () => ({ resource: 'autoReply', operation: 'set', userEmail: ALICE, subject: 'Away', message: 'Back soon', options: { startTime: second('2030-01-10T00:00:00Z', 'next tuesday-ish') } }), expect: ['"Start Time"', 'next tuesday-ish'] },
	{ card: 'autoReply.set', input: 'Auto Reply On "sometimes"', params: () => ({ resource: 'autoReply', operation: 'set', userEmail: ALICE, enabled: second(true, 'sometimes'), subject: 'Away', message: 'Back soon' }), expect: ['"Auto Reply On"', 'sometimes'] },
	{ card: 'autoReply.set', input: 'Subject with CR/LF', params: () => ({ resource: 'autoReply', operation: 'set', userEmail: ALICE, subject: second('Away', CRLF), message: 'Back soon' }), expect: ['"Subject"'] },
	{ card: 'userSettings.update', input: 'IMAP Max Folder Size 7 (not an option)', params: () => ({ resource: 'userSettings', operation: 'update', userEmail: ALICE, imap: { enabled: true, maxFolderSize: second(1000, 7) } }), expect: ['"Max Folder Size"', '7'] },
	{ card: 'userSettings.update', input: 'Auto-Forwarding Forward To invalid', params: () => ({ resource: 'userSettings', operation: 'update', userEmail: ALICE, autoForwarding: { enabled: true, emailAddress: second(BOB, 'bob'), disposition: 'leaveInInbox' } }), expect: ['"Forward To"', 'bob'] },
	{ card: 'userSettings.update', input: 'POP Access Window "forever"', params: () => ({ resource: 'userSettings', operation: 'update', userEmail: ALICE, pop: { accessWindow: second('allMail', 'forever') } }), expect: ['forever'] },
	{ card: 'sendAs.add', input: 'Alias Email invalid', params: () => ({ resource: 'sendAs', operation: 'add', userEmail: ALICE, sendAsEmail: second('sales@example.com', 'sales at example') }), expect: ['"Alias Email"', 'sales at example'] },
	{ card: 'sendAs.add', input: 'Reply-To Address a homoglyph', params: () => ({ resource: 'sendAs', operation: 'add', userEmail: ALICE, sendAsEmail: '=alias{{ $itemIndex }}@example.com', options: { replyToAddress: second('sales@example.com', HOMOGLYPH_DOMAIN) } }), expect: ['"Reply-To Address"'] },
	{ card: 'sendAs.add', input: 'Display Name with CR/LF', params: () => ({ resource: 'sendAs', operation: 'add', userEmail: ALICE, sendAsEmail: '=alias-b{{ $itemIndex }}@example.com', options: { displayName: second('Sales', 'Sales\r\nBcc: x@example.com') } }), expect: ['"Display Name"'] },
	{ card: 'sendAs.delete', input: 'Alias Email empty', params: () => ({ resource: 'sendAs', operation: 'delete', userEmail: ALICE, sendAsEmail: second('sales@example.com', '') }), expect: ['"Alias Email"', 'is empty'] },
];

const TRIGGER: BadCase[] = [
	{ card: 'trigger', input: 'Max Emails per Poll 0', params: () => ({ event: 'newEmail', options: { maxPerPoll: 0 } }), expect: ['"Max Emails per Poll"', '0'] },
	{ card: 'trigger', input: 'Event "everything"', params: () => ({ event: '=everything' }), expect: ['"Event"', 'everything'] },
	{ card: 'trigger', input: 'Label Changed without labels', params: () => ({ event: 'labelChanged', watchLabels: [] }), expect: ['"Label Names or IDs"', 'is empty'] },
	{ card: 'trigger', input: 'Sender with CR/LF', params: () => ({ event: 'newEmail', filters: { sender: '={{ "bob@example.com\\r\\nx" }}' } }), expect: ['"Sender"'] },
	{ card: 'trigger', input: 'a label name that does not exist', params: () => ({ event: 'newEmail', filters: { labelIds: ['No Such Label'] } }), expect: ['No Such Label'] },
	{ card: 'trigger', input: 'First-run count -1', params: () => ({ event: 'newEmail', options: { firstRunCount: -1 } }), expect: ['"On First Run Also Emit the Last N Messages"', '-1'] },
	{ card: 'trigger', input: 'Output "xml"', params: () => ({ event: 'newEmail', output: '=xml' }), expect: ['"Output"', 'xml'] },
	{ card: 'trigger', input: 'Attachment Prefix with CR/LF', params: () => ({ event: 'newEmail', options: { downloadAttachments: true, attachmentPrefix: '={{ "a\\r\\nb" }}' } }), expect: ['"Attachment Prefix"'] },
	{ card: 'trigger', input: 'Search Query with a NUL', params: () => ({ event: 'newEmail', filters: { query: '={{ "from:bob\\u0000" }}' } }), expect: ['"Search Query"'] },
];

const ALL: Array<BadCase & { where: Where }> = [
	...MAIL.map((c) => ({ ...c, where: 'mail' as const })),
	...ADMIN.map((c) => ({ ...c, where: 'admin' as const })),
	...TRIGGER.map((c) => ({ ...c, where: 'trigger' as const })),
];

const table: Array<{ card: string; input: string; error: string; clear: boolean }> = [];

afterAll(() => {
	const path = process.env.BAD_INPUT_REPORT;
	if (!path) return;
	writeFileSync(
		path,
		JSON.stringify({ cases: ALL.length, clear: table.filter((r) => r.clear).length, table: table.map(({ card, input, error }) => ({ card, input, error })) }, null, 1),
	);
});

const envs: Partial<Record<Where, Promise<Env>>> = {};
const envOf = (where: Where) => (envs[where] ??= where === 'mail' ? mailEnv(bench) : where === 'admin' ? adminEnv(bench) : triggerEnv(bench));

describe.each(['mail', 'admin', 'trigger'] as const)('bad input: %s', (where) => {
	const cases = ALL.filter((c) => c.where === where);
	it.each(cases.map((c) => [`${c.card} — ${c.input}`, c] as const))('%s', async (_name, c) => {
		const env = await envOf(where);
		const row = { card: c.card, input: c.input, error: '', clear: false };
		table.push(row);
		const outcome = await runCase(env, c);
		row.error = outcome.message;
		assertBadInput(c, outcome, env.secrets);
		await c.check?.(env, outcome);
		if (SENDS.includes(c.card)) nothingSentForItem1(env);
		row.clear = true;
	}, 30_000);
});

/** Cases run again with Continue On Fail ("continue") and "continue (using error output)". */
const CONTINUED: Array<[Where, string, string]> = [
	['mail', 'message.send', 'To not an address'],
	['mail', 'message.read', 'Message ID with a path separator'],
	['mail', 'message.addLabels', 'a label that does not exist'],
	['mail', 'thread.get', 'Thread ID unknown'],
	['mail', 'label.create', 'Name empty'],
	['mail', 'draft.get', 'Draft ID unknown'],
	['mail', 'customApi.call', 'Method not a Gmail method'],
	['admin', 'delegate.add', 'Delegate Email not an address'],
	['admin', 'autoReply.set', 'End Time before Start Time'],
];

const itemOf = (p: unknown) => (p && typeof p === 'object' && !Array.isArray(p) ? (p as { item: number }).item : p);

describe.each(['continueRegularOutput', 'continueErrorOutput'] as const)('bad input with onError %s: the good item is output, the bad one becomes an error item; both keep pairedItem', (onError) => {
	it.each(CONTINUED)('%s: %s — %s', async (where, card, input) => {
		const c = ALL.find((x) => x.card === card && x.input === input && x.where === where)!;
		const env = await envOf(where);
		const o = await runCase(env, c, { onError });
		expect(o.status).toBe('success');
		const [main, errors = []] = o.result!.nodes.Gmail.outputs;
		const all = onError === 'continueErrorOutput' ? [...main, ...errors] : main;
		const good = all.filter((x) => !('error' in x.json));
		const bad = all.filter((x) => 'error' in x.json);
		// the good item's results, each paired with item 0
		expect(good.length).toBeGreaterThan(0);
		expect(good.map((x) => itemOf(x.pairedItem))).toEqual(good.map(() => 0));
		// one error item, paired with item 1, carrying the message a stopped run shows
		expect(bad).toHaveLength(1);
		expect(itemOf(bad[0].pairedItem)).toBe(1);
		const error = String(bad[0].json.error);
		for (const e of c.expect) expect(error).toEqual(typeof e === 'string' ? expect.stringContaining(e) : expect.stringMatching(e));
		expect(error).toContain('[item 1]');
		if (onError === 'continueErrorOutput') {
			// the error item left on the error output (output 1), the good ones on the main output
			expect(errors).toEqual([bad[0]]);
			expect(main.every((x) => !('error' in x.json))).toBe(true);
		}
		for (const secret of env.secrets) if (secret.length > 8) expect(JSON.stringify(all)).not.toContain(secret);
	}, 30_000);
});

it('a File Name with path separators is not refused but cleaned as the README documents: only its base name is sent', async () => {
	const env = await envOf('mail');
	const tag = uniq('Cleaned name');
	const result = await env.run(withFile({ subject: `=${tag} {{ $itemIndex }}`, attachments: { attachment: [{ binaryPropertyName: 'attachment_0', fileName: second('report.pdf', '../../etc/pass\u0001wd') }] } }));
	expect(result.status).toBe('success');
	const [first] = storedMessages(env.standin, BOB, new RegExp(`Subject: ${tag} 0`));
	const [cleaned] = storedMessages(env.standin, BOB, new RegExp(`Subject: ${tag} 1`));
	expect((await parseWithMailparser(first.raw)).attachments.map((a: { filename?: string }) => a.filename)).toEqual(['report.pdf']);
	expect((await parseWithMailparser(cleaned.raw)).attachments.map((a: { filename?: string }) => a.filename)).toEqual(['passwd']);
});

it('the table holds at least 80 bad inputs across every card and the trigger', () => {
	expect(ALL.length).toBeGreaterThanOrEqual(80);
	const cards = new Set(ALL.map((c) => c.card));
	for (const card of ['message.send', 'message.sendWithAttachment', 'message.read', 'message.search', 'message.reply', 'message.forward', 'message.addLabels', 'message.deletePermanently', 'thread.get', 'thread.reply', 'label.create', 'draft.create', 'delegate.add', 'forwarding.forwardEmails', 'autoReply.set', 'userSettings.update', 'sendAs.add', 'customApi.call', 'trigger'])
		expect([card, cards.has(card)]).toEqual([card, true]);
});
