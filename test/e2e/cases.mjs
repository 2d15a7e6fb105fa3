// The real-n8n e2e cases: one workflow JSON in workflows/ + one assertion function each.
// Adding a card = add workflows/<card>.json (nodes of type n8n-nodes-gmail-workspace.gmailWorkspace, credentials
// {"gmailWorkspaceOAuth2Api": {"id": "__CREDENTIAL_ID__", "name": "__CREDENTIAL_NAME__"}}, a Manual Trigger start)
// and an entry below. The suite imports every listed workflow with its case's credential (default: the ONE shared
// credential, connected as alice), runs it with `n8n execute --id`, checks that every Google call it made carried the
// token of an allowed account, then calls `assert`.
//
// assert({ out, binary, requests, user, standin, error, execution, readBinary }) may be async and throws on failure:
//   out(nodeName)  -> the node's output items (json), throws if the node failed or did not run
//   binary(nodeName) -> the node's output items' binary metadata ({property: {fileName, mimeType, id, ...}} each)
//   readBinary(meta) -> the bytes n8n stored for that binary (filesystem mode: a file under the user folder)
//   requests       -> what the stand-in recorded during this run (GET /__standin/requests), each
//                     {seq, method, host, path, query, routeId, status, subject, tokenKind, scopes, ...}
//   user           -> the account the shared credential was connected as (alice@example.com)
//   standin        -> the stand-in admin client (e.g. standin.call('GET', '...') for state checks,
//                     standin.api('bob@example.com', 'GET', url) to look at another mailbox,
//                     standin.api(user, 'GET', url, undefined, { kind: 'dwd', scopes }) for delegates/forwarding state)
//   error          -> with expectError: the execution's error ({message, description, node, ...})
// optional per case:
//   credential: a key of `credentials` below (default: the shared one), connected/created by the suite
//   expectError: true  the execution must end with status "error" (rejected Google calls are then allowed)
//   subjects: [...] accounts the calls may act as (default: the credential's user; admin cards that impersonate add
//     the target users), allowTokenCalls: true (the workflow itself talks to oauth2.googleapis.com/token, e.g. a
//     service-account/jwt-bearer flow; default: any token call fails the case)
//   prepare({ filesDir, standin }): runs before the workflow (write input files, read state to compare with)
import assert from 'node:assert/strict';
import { createHash, randomBytes } from 'node:crypto';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { simpleParser } from 'mailparser';

const gmail = (requests, path) => requests.filter((r) => r.host === 'gmail.googleapis.com' && (!path || path.test(r.path)));

export const ALICE = 'alice@example.com';
const BOB = 'bob@example.com';
const DAVE = 'dave@example.com';
export const ADMIN = 'admin@example.com';
export const SA = 'gmail-admin@demo-project.iam.gserviceaccount.com';
const NONEXISTENT = 'https://www.googleapis.com/auth/gmail.nonexistent';
const G = 'https://www.googleapis.com/auth/';
const ADMIN_CARDS = ['Add Delegate', 'Forward Emails', 'Set Auto Reply', 'Update User Gmail Settings'];
const ALL_CARDS = ['Read Email', 'Send Email', 'Send Email with Attachment', 'Labels, Read State, Archive and Trash', 'Drafts', 'Delete Permanently', ...ADMIN_CARDS];
/** Readiness lines of the mailbox cards (not the admin ones) but Delete Permanently, which All Cards does not allow. */
const mailboxCards = (r) => r.cards.filter((c) => !ADMIN_CARDS.includes(c.card) && c.card !== 'Delete Permanently');
const adminCards = (r) => r.cards.filter((c) => ADMIN_CARDS.includes(c.card));

/**
 * Credentials besides the shared one (alice, All Cards), by the key a case names. The suite creates only those its
 * selected cases use. OAuth2 ones are connected through n8n's OAuth endpoints and the stand-in's consent page as
 * `user`; `data` goes into the credential on top of the stand-in's OAuth client; `dataAfterConnect` is then PATCHed
 * in (an edit after connecting: n8n keeps the token). `serviceAccountKey`: created from GET /__standin/service-account-key.
 */
export const credentials = {
	admin: { user: ADMIN, name: 'Gmail Workspace admin (stand-in)', data: { scopeSet: 'all', serviceAccountEmail: SA } },
	carol: { user: 'carol@gmail.com', name: 'Gmail carol (consumer, stand-in)', data: { scopeSet: 'all', serviceAccountEmail: SA } },
	dave: { user: DAVE, name: 'Gmail Workspace dave (no roles, stand-in)', data: { scopeSet: 'all', serviceAccountEmail: SA } },
	readOnly: { user: ALICE, name: 'Gmail Workspace alice read-only (stand-in)', data: { scopeSet: 'read' } },
	customScope: {
		user: ALICE,
		name: 'Gmail Workspace alice custom scopes (stand-in)',
		data: { scopeSet: 'custom', customScopes: `${G}gmail.readonly openid email` },
		dataAfterConnect: { customScopes: `${G}gmail.readonly openid email ${NONEXISTENT}` },
	},
	serviceAccountKey: { type: 'gmailWorkspaceServiceAccountApi', name: 'Gmail Workspace service account key (stand-in)', delegatedEmail: ALICE },
};

/** A credential whose custom scope list holds a scope Google does not define: the consent page refuses it. */
export const invalidScopeCredential = {
	user: ALICE,
	name: 'Gmail Workspace invalid custom scope (stand-in)',
	data: { scopeSet: 'custom', customScopes: `${G}gmail.readonly ${NONEXISTENT} openid email` },
	scope: NONEXISTENT,
};

const sha256 = (b) => createHash('sha256').update(b).digest('hex');
const sortBy = (list, key) => [...(list ?? [])].sort((a, b) => String(a[key]).localeCompare(String(b[key])));
const byRoute = (requests, path) => requests.filter((r) => path.test(r.path));
const tokenPosts = (requests) => requests.filter((r) => r.host === 'oauth2.googleapis.com' && r.method === 'POST' && r.path === '/token');
/** Files the send case wrote (its assertion compares the delivered attachments with them). */
const SEND_FILES = {};
/** What the mailbox cases seeded (delivered originals, the 20 MiB file, the 500 bulk IDs). */
const MAILBOX = {};
/** alice's IMAP/POP settings before the settings card ran (fields the card leaves out must keep these). */
const USER_SETTINGS_BEFORE = {};

/** A Gmail settings resource of `user`, read back from the stand-in with a domain-wide-delegation token. */
async function settings(standin, user, path) {
	return await standin.api(user, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/settings/${path}`, undefined, {
		kind: 'dwd',
		scopes: [`${G}gmail.settings.basic`, `${G}gmail.settings.sharing`],
	});
}

/** The stored bytes of a message (format=raw). */
async function rawMessage(standin, user, id) {
	const m = await standin.api(user, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages/${id}?format=raw`);
	return Buffer.from(m.raw, 'base64url');
}

/** The recipient's copy of a message the sender sent (found by its Message-ID), parsed by mailparser. */
async function deliveredCopy(standin, sender, sentId, recipient) {
	const sent = await standin.api(sender, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages/${sentId}?format=metadata&metadataHeaders=Message-ID`);
	const msgId = sent.payload.headers.find((h) => h.name.toLowerCase() === 'message-id')?.value;
	assert.ok(msgId, `Message-ID of the sent message ${sentId}`);
	const list = await standin.api(recipient, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages?q=${encodeURIComponent(`rfc822msgid:${msgId}`)}`);
	assert.equal((list.messages ?? []).length, 1, `${recipient} received ${msgId} once`);
	return await simpleParser(await rawMessage(standin, recipient, list.messages[0].id));
}

export const cases = [
	{
		workflow: 'http-profile.json',
		title: 'HTTP Request node reads the Gmail profile through the shared credential',
		assert({ out, requests, user }) {
			const [profile] = out('Get Profile');
			assert.equal(profile.emailAddress, user);
			assert.ok(Number(profile.messagesTotal) >= 0, 'messagesTotal present');
			assert.equal(gmail(requests, /^\/gmail\/v1\/users\/me\/profile$/).length, 1, 'one profile call');
		},
	},
	{
		workflow: 'http-list-messages.json',
		title: 'HTTP Request node lists 5 messages (query parameter maxResults)',
		assert({ out, requests }) {
			const [page] = out('List Messages');
			assert.ok(Array.isArray(page.messages), `messages array in ${JSON.stringify(page).slice(0, 200)}`);
			assert.ok(page.messages.length > 0 && page.messages.length <= 5, `1..5 messages, got ${page.messages.length}`);
			const [call] = gmail(requests, /^\/gmail\/v1\/users\/me\/messages$/);
			assert.ok(call, 'list call recorded');
			assert.match(call.query, /maxResults=5/);
		},
	},
	{
		workflow: 'http-read-messages.json',
		title: 'HTTP Request node lists 3 messages and reads each one (one call per item)',
		assert({ out, requests }) {
			const read = out('Read Message');
			assert.equal(read.length, 3, 'three messages read');
			for (const m of read) assert.ok(m.id && Array.isArray(m.payload?.headers), `metadata of ${m.id}`);
			assert.equal(gmail(requests, /^\/gmail\/v1\/users\/me\/messages\/[^/]+$/).length, 3, 'three get calls');
		},
	},
	// ---- cards (n8n-nodes-gmail-workspace.gmailWorkspace) ----
	{
		workflow: 'card-search-read.json',
		title: 'Search Emails card finds 3 inbox messages, Read Email card reads each one',
		assert({ out, requests }) {
			const found = out('Search Emails');
			assert.equal(found.length, 3, 'limit 3');
			const read = out('Read Email');
			assert.deepEqual(read.map((m) => m.id), found.map((m) => m.id), 'the same messages, in order');
			for (const m of read) assert.ok(m.subject !== undefined && m.from, `addresses and subject of ${m.id}`);
			assert.ok(gmail(requests, /\/messages$/).length >= 1, 'messages.list called');
		},
	},
	{
		workflow: 'card-send.json',
		title: 'Send Email card sends as alice; the mail arrives in bob\'s inbox',
		async assert({ out, requests, user, standin }) {
			const [sent] = out('Send Email');
			assert.ok(sent.id, `sent message id in ${JSON.stringify(sent)}`);
			assert.ok((sent.labelIds ?? []).includes('SENT'), `SENT label, got ${sent.labelIds}`);
			const send = gmail(requests, /\/messages\/send$/);
			assert.equal(send.length, 1, 'one messages.send call');
			assert.equal(send[0].subject, user);
			const inbox = await standin.api('bob@example.com', 'GET',
				'https://gmail.googleapis.com/gmail/v1/users/me/messages?q=' + encodeURIComponent('subject:"Hello from the n8n e2e suite" from:' + user));
			assert.ok((inbox.messages ?? []).length >= 1, 'bob received it');
		},
	},
	// ---- Read / Search (issue 6) ----
	{
		workflow: 'read-download-attachments.json',
		title: 'Search → Read with Download Attachments: the binary n8n stored (filesystem mode) is the stand-in\'s attachment, byte for byte',
		async assert({ out, binary, readBinary, requests, user, standin }) {
			const [found] = out('Search Emails');
			assert.ok(found?.id, 'the search found the quarterly report');
			const [read] = out('Read Email');
			assert.equal(read.id, found.id);
			assert.equal(read.subject, 'Quarterly report');
			assert.deepEqual(read.attachments.map((a) => [a.filename, a.mimeType]), [['Q2-report.pdf', 'application/pdf']]);
			const [bin] = binary('Read Email');
			const meta = bin?.attachment_0;
			assert.ok(meta, `binary attachment_0 on the item (got ${Object.keys(bin ?? {})})`);
			assert.equal(meta.fileName, 'Q2-report.pdf');
			assert.equal(meta.mimeType, 'application/pdf');
			assert.match(String(meta.id), /^filesystem(-v2)?:/, 'n8n 2.x keeps binary data on disk (filesystem mode)');
			const bytes = readBinary(meta);
			const stored = await rawMessage(standin, user, found.id);
			const expected = (await simpleParser(stored)).attachments.find((a) => a.filename === 'Q2-report.pdf');
			assert.ok(expected, 'the stand-in\'s stored message has the PDF');
			assert.equal(sha256(bytes), sha256(expected.content), `attachment bytes (${bytes.length} vs ${expected.content.length})`);
			assert.ok(requests.some((r) => r.routeId === 'gmail.users.messages.attachments.get' && r.status === 200), 'attachment fetched from Gmail');
		},
	},
	{
		workflow: 'read-unknown-id.json',
		title: 'Read Email with an unknown ID fails naming it: Message "<id>" was not found in this mailbox',
		expectError: true,
		assert({ error, requests }) {
			assert.equal(error.message, 'Message "ffffffffffffffff" was not found in this mailbox [item 0]');
			assert.ok(gmail(requests, /\/messages\/ffffffffffffffff$/).some((r) => r.status === 404), 'Gmail answered 404 for it');
		},
	},
	// ---- Send (issue 7) ----
	{
		workflow: 'send-text-html-attachments.json',
		title: 'Send: text, HTML, and two attachments (20 MiB "Übersicht 報告.pdf", "résumé ✓.txt" read from disk) arrive in bob\'s mailbox as sent',
		// three sends (300 quota units) within about a second: Gmail may answer 429, the card waits and repeats
		allowRateLimit: true,
		prepare({ filesDir }) {
			SEND_FILES.report = randomBytes(20 * 1024 * 1024);
			SEND_FILES.resume = Buffer.from('Résumé ✓\nÜbersicht: 報告 — naïve café\n', 'utf8');
			writeFileSync(join(filesDir, 'Übersicht 報告.pdf'), SEND_FILES.report);
			writeFileSync(join(filesDir, 'résumé ✓.txt'), SEND_FILES.resume);
		},
		async assert({ out, requests, user, standin }) {
			const sent = { text: out('Send Text')[0], html: out('Send HTML')[0], files: out('Send Attachments')[0] };
			for (const [k, m] of Object.entries(sent)) assert.ok(m?.id && (m.labelIds ?? []).includes('SENT'), `${k}: sent id and SENT label, got ${JSON.stringify(m)}`);

			const text = await deliveredCopy(standin, user, sent.text.id, 'bob@example.com');
			assert.equal(text.subject, 'e2e send: text ✓');
			assert.equal(text.text.trim(), 'First line\nsecond line — ünïcödé');
			assert.equal(text.from.value[0].address, user);
			assert.equal(text.to.value[0].address, 'bob@example.com');

			const html = await deliveredCopy(standin, user, sent.html.id, 'bob@example.com');
			assert.equal(html.subject, 'e2e send: html');
			assert.equal(html.headers.get('content-type').value, 'multipart/alternative');
			assert.match(html.html, /<b>Bob<\/b>/);
			assert.match(html.text, /the report \(https:\/\/example\.com\/r\)/);

			const files = await deliveredCopy(standin, user, sent.files.id, 'bob@example.com');
			assert.equal(files.subject, 'e2e send: attachments');
			assert.equal(files.text.trim(), 'Two files attached.');
			const byName = Object.fromEntries(files.attachments.map((a) => [a.filename, a]));
			assert.deepEqual(Object.keys(byName).sort(), ['résumé ✓.txt', 'Übersicht 報告.pdf'].sort(), 'non-ASCII file names survive');
			assert.equal(byName['Übersicht 報告.pdf'].contentType, 'application/pdf');
			assert.equal(byName['Übersicht 報告.pdf'].size, 20 * 1024 * 1024);
			assert.equal(sha256(byName['Übersicht 報告.pdf'].content), sha256(SEND_FILES.report), '20 MiB file intact');
			assert.equal(byName['résumé ✓.txt'].contentType, 'text/plain');
			assert.equal(sha256(byName['résumé ✓.txt'].content), sha256(SEND_FILES.resume), 'text file intact');

			const sends = requests.filter((r) => r.routeId === 'gmail.users.messages.send' && r.method === 'POST' && r.status === 200);
			assert.equal(sends.length, 3, 'three sends accepted: text, HTML (one request each) and the resumable upload\'s start');
			assert.ok(requests.some((r) => r.method === 'PUT' && r.bodySize > 1024 * 1024), 'the 20 MiB message went up as a (resumable) upload');
			// each message stored once in bob's mailbox (deliveredCopy checks that), whatever the quota answered
			const limited = requests.filter((r) => r.status === 429).length;
			if (limited) console.log(`       (${limited} call(s) answered 429 by the per-user quota and repeated by the card)`);
		},
	},
	{
		workflow: 'send-refuse-header-injection.json',
		title: 'Send refuses CR/LF in the subject (header injection) before anything reaches Gmail',
		expectError: true,
		assert({ error, requests }) {
			assert.equal(error.message, '"Subject" must be one line (no line breaks or NUL), got "Hi\\r\\nBcc: victim@example.com" [item 0]');
			assert.deepEqual(gmail(requests, /\/messages\/send$/), [], 'no send call');
		},
	},
	{
		workflow: 'send-refuse-bad-address.json',
		title: 'Send refuses a recipient that is not an email address, naming it',
		expectError: true,
		assert({ error, requests }) {
			assert.equal(error.message, '"To" holds an invalid email address, got "bob@example.com, not an address" [item 0]');
			assert.deepEqual(gmail(requests, /\/messages\/send$/), [], 'no send call');
		},
	},
	// ---- credential scenarios (issue 5): the Check connection card on credentials connected as other accounts ----
	{
		workflow: 'connection-check.json',
		credential: 'admin',
		title: 'Check connection as admin@example.com (All Cards + service account): every card ready, delegation proven by a real exchange',
		subjects: [ADMIN],
		allowTokenCalls: true,
		assert({ out, requests }) {
			const [r] = out('Check Connection');
			assert.equal(r.ok, true, r.summary);
			assert.deepEqual(r.account, { email: ADMIN, workspace: true, domain: 'example.com' });
			assert.deepEqual(r.cards.map((c) => c.card), ALL_CARDS);
			// All Cards (gmail.modify) allows every card but Delete Permanently, whose line names the set that does
			assert.deepEqual(r.cards.filter((c) => !c.ready).map((c) => c.card), ['Delete Permanently'], r.summary);
			assert.equal(byRoute(requests, /:signJwt$/).length, 1, 'one signJwt');
			assert.deepEqual(tokenPosts(requests).map((t) => t.status), [200], 'one jwt-bearer exchange, accepted');
		},
	},
	{
		workflow: 'connection-check.json',
		credential: 'carol',
		title: 'Check connection as carol@gmail.com: read and send ready, admin cards refused (consumer account, not Workspace)',
		subjects: ['carol@gmail.com'],
		assert({ out, requests }) {
			const [r] = out('Check Connection');
			assert.equal(r.account.email, 'carol@gmail.com');
			assert.equal(r.account.workspace, false);
			for (const c of mailboxCards(r)) assert.equal(c.ready, true, `${c.card}: ${c.fix}`);
			for (const c of adminCards(r)) {
				assert.equal(c.ready, false, c.card);
				assert.match(c.fix, /^The admin cards need a Google Workspace account: carol@gmail\.com is a consumer Gmail account/);
			}
			assert.deepEqual(byRoute(requests, /:signJwt$|:testIamPermissions$/), [], 'no IAM call for a consumer account');
		},
	},
	{
		workflow: 'connection-check.json',
		credential: 'dave',
		title: 'Check connection as dave@example.com: admin cards refused naming the service account, the role and the gcloud command',
		subjects: ['dave@example.com'],
		assert({ out }) {
			const [r] = out('Check Connection');
			assert.equal(r.account.workspace, true);
			for (const c of mailboxCards(r)) assert.equal(c.ready, true, `${c.card}: ${c.fix}`);
			for (const c of adminCards(r)) {
				assert.equal(c.ready, false);
				assert.equal(
					c.fix,
					`dave@example.com needs the Service Account User role on ${SA} — grant it with \`gcloud iam service-accounts add-iam-policy-binding ${SA} --member=user:dave@example.com --role=roles/iam.serviceAccountUser\``,
				);
			}
		},
	},
	{
		workflow: 'connection-check.json',
		credential: 'customScope',
		title: 'Check connection on a custom-scope credential whose list now holds gmail.nonexistent: the unknown scope is named',
		assert({ out }) {
			const [r] = out('Check Connection');
			assert.equal(r.ok, false);
			assert.deepEqual(r.problems, [`Unknown scope "${NONEXISTENT}": Google defines no such scope. Fix the custom scope list and reconnect.`]);
			assert.equal(r.cards.find((c) => c.card === 'Read Email').ready, true);
		},
	},
	{
		workflow: 'card-send.json',
		credential: 'readOnly',
		title: 'A Read Only credential used by Send Email fails naming the missing scope (gmail.send) and the scope set to choose',
		expectError: true,
		assert({ error, requests }) {
			assert.match(error.message, /^Gmail did not send the message: The connection is missing a Google permission \(scope\) this action needs/);
			assert.ok(error.message.includes('https://www.googleapis.com/auth/gmail.send'), error.message);
			assert.ok(error.message.includes('Choose the "Read and Send" scope set'), error.message);
			// Gmail's own refusal of the read-only token, as the stand-in recorded it
			assert.deepEqual(gmail(requests, /\/messages\/send$/).map((r) => [r.status, r.subject]), [[403, ALICE]]);
		},
	},
	// ---- admin cards (issue 8), through ONE shared admin@example.com credential, acting on alice ----
	{
		workflow: 'admin-add-delegate.json',
		credential: 'admin',
		title: 'Add Delegate (admin credential): bob is alice\'s delegate afterwards; acted as alice through the service account',
		subjects: [ADMIN, ALICE],
		allowTokenCalls: true,
		async assert({ out, requests, standin }) {
			assert.deepEqual(out('Add Delegate'), [{ delegatorEmail: ALICE, delegateEmail: BOB, verificationStatus: 'accepted', alreadyExisted: false }]);
			const { delegates } = await settings(standin, ALICE, 'delegates');
			assert.deepEqual(delegates, [{ delegateEmail: BOB, verificationStatus: 'accepted' }]);
			const create = gmail(requests, /\/settings\/delegates$/).filter((r) => r.method === 'POST');
			assert.equal(create.length, 1);
			assert.equal(create[0].subject, ALICE);
			assert.equal(create[0].tokenKind, 'dwd', 'a domain-wide-delegation token');
			assert.equal(byRoute(requests, /:signJwt$/)[0]?.subject, ADMIN, 'admin signed the assertion (keyless)');
		},
	},
	{
		workflow: 'admin-forward-emails.json',
		credential: 'admin',
		title: 'Forward Emails (admin credential): same-domain address accepted and forwarding on; external address pending, enabled false, with a note',
		subjects: [ADMIN, ALICE],
		allowTokenCalls: true,
		async assert({ out, requests, standin }) {
			assert.deepEqual(out('Forward to Bob'), [{ userEmail: ALICE, forwardingEmail: BOB, verificationStatus: 'accepted', enabled: true, disposition: 'archive' }]);
			assert.deepEqual(out('Forward to Outside'), [
				{
					userEmail: ALICE,
					forwardingEmail: 'me@outside.org',
					verificationStatus: 'pending',
					enabled: false,
					disposition: 'markRead',
					note: 'me@outside.org is awaiting confirmation: Google sent its owner a verification email, and auto-forwarding stays off until the owner confirms. Run this card again after the confirmation.',
				},
			]);
			const { forwardingAddresses } = await settings(standin, ALICE, 'forwardingAddresses');
			assert.deepEqual(sortBy(forwardingAddresses, 'forwardingEmail'), [
				{ forwardingEmail: BOB, verificationStatus: 'accepted' },
				{ forwardingEmail: 'me@outside.org', verificationStatus: 'pending' },
			]);
			assert.deepEqual(await settings(standin, ALICE, 'autoForwarding'), { enabled: true, emailAddress: BOB, disposition: 'archive' });
			assert.equal(gmail(requests, /\/settings\/autoForwarding$/).filter((r) => r.method === 'PUT').length, 1, 'auto-forwarding written once (bob only)');
		},
	},
	{
		workflow: 'admin-auto-reply.json',
		credential: 'admin',
		title: 'Set Auto Reply (admin credential): the vacation responder is stored, dates read in the workflow\'s timezone (Europe/Berlin)',
		subjects: [ADMIN, ALICE],
		allowTokenCalls: true,
		async assert({ out, standin }) {
			const stored = {
				enableAutoReply: true,
				responseSubject: 'Out of office',
				responseBodyPlainText: 'Back on January 2nd.',
				responseBodyHtml: '<p>Back <b>soon</b></p>',
				restrictToContacts: false,
				restrictToDomain: true,
				startTime: String(Date.UTC(2026, 11, 23, 23, 0, 0)),
				endTime: String(Date.UTC(2027, 0, 2, 7, 30, 0)),
			};
			assert.deepEqual(out('Set Auto Reply'), [{ userEmail: ALICE, ...stored }]);
			assert.deepEqual(await settings(standin, ALICE, 'vacation'), stored);
		},
	},
	{
		workflow: 'admin-user-settings.json',
		credential: 'admin',
		title: 'Update User Gmail Settings (admin credential): IMAP, POP, language and signature stored; unset fields keep their values',
		subjects: [ADMIN, ALICE],
		allowTokenCalls: true,
		async prepare({ standin }) {
			USER_SETTINGS_BEFORE.imap = await settings(standin, ALICE, 'imap');
			USER_SETTINGS_BEFORE.pop = await settings(standin, ALICE, 'pop');
		},
		async assert({ out, requests, standin }) {
			const imap = { ...USER_SETTINGS_BEFORE.imap, maxFolderSize: 2000, expungeBehavior: 'trash' };
			const pop = { ...USER_SETTINGS_BEFORE.pop, accessWindow: 'allMail', disposition: 'archive' };
			assert.deepEqual(await settings(standin, ALICE, 'imap'), imap);
			assert.deepEqual(await settings(standin, ALICE, 'pop'), pop);
			assert.deepEqual(await settings(standin, ALICE, 'language'), { displayLanguage: 'de' });
			const primary = await settings(standin, ALICE, `sendAs/${encodeURIComponent(ALICE)}`);
			assert.equal(primary.signature, '<b>Alice</b><img src=x>', 'signature stored (sanitized by Gmail)');
			assert.deepEqual(out('Update Settings'), [
				{ userEmail: ALICE, imap, pop, language: { displayLanguage: 'de' }, signature: { sendAsEmail: ALICE, signature: '<b>Alice</b><img src=x>' } },
			]);
			assert.equal(gmail(requests, /\/settings\/autoForwarding$/).length, 0, 'auto-forwarding neither read nor written');
		},
	},
	{
		workflow: 'admin-refuse-unknown-user.json',
		credential: 'admin',
		title: 'Admin refusal: an unknown user is named (Google refused the impersonation)',
		expectError: true,
		subjects: [ADMIN],
		allowTokenCalls: true,
		async assert({ error, requests, standin }) {
			assert.match(error.message, /^Google refused the impersonation of nobody@example\.com: check that the user exists in your Workspace domain and is active/);
			assert.deepEqual(tokenPosts(requests).map((t) => t.status >= 400), [true], 'the jwt-bearer exchange for nobody@ was refused');
			const { delegates } = await settings(standin, ALICE, 'delegates');
			assert.ok(!delegates.some((d) => d.delegateEmail === 'nobody@example.com'));
		},
	},
	{
		workflow: 'admin-refuse-end-before-start.json',
		credential: 'admin',
		title: 'Admin refusal: Set Auto Reply with the end before the start, before anything is written',
		expectError: true,
		subjects: [ADMIN],
		assert({ error, requests }) {
			assert.equal(error.message, '"End Time" (2026-12-24T00:00:00.000Z) must be after "Start Time" (2027-01-02T00:00:00.000Z) [item 0]');
			assert.equal(error.description, "Times are read in the workflow's timezone, UTC.");
			assert.deepEqual(gmail(requests, /\/settings\/vacation$/), [], 'no vacation call');
		},
	},
	{
		workflow: 'admin-refuse-imap-size.json',
		credential: 'admin',
		title: 'Admin refusal: IMAP Max Folder Size 20000 (given by expression) is refused with the allowed values',
		expectError: true,
		subjects: [ADMIN],
		async assert({ error, requests, standin }) {
			assert.equal(error.message, '"Max Folder Size" must be one of 0, 1000, 2000, 5000, 10000, got 20000 [item 0]');
			assert.deepEqual(gmail(requests, /\/settings\/imap$/), [], 'no IMAP call');
			assert.equal((await settings(standin, ALICE, 'imap')).maxFolderSize, 2000, 'IMAP unchanged');
		},
	},
	{
		workflow: 'admin-refuse-consumer-target.json',
		credential: 'admin',
		title: 'Admin refusal: a consumer Gmail "User Email" is refused before any call to Google',
		expectError: true,
		assert({ error, requests }) {
			assert.equal(
				error.message,
				'"User Email" carol@gmail.com is a consumer Gmail account: Google offers delegates, forwarding and user settings to admins only for users of a Google Workspace domain [item 0]',
			);
			assert.deepEqual(requests.map((r) => `${r.method} ${r.host}${r.path}`), [], 'no request to Google');
		},
	},
	{
		workflow: 'admin-key-add-delegate.json',
		credential: 'serviceAccountKey',
		title: 'Add Delegate with the service-account key credential: signed locally (no IAM call), one token exchange, dave is alice\'s delegate',
		subjects: [ALICE],
		allowTokenCalls: true,
		async assert({ out, requests, standin }) {
			assert.deepEqual(out('Add Delegate'), [{ delegatorEmail: ALICE, delegateEmail: DAVE, verificationStatus: 'accepted', alreadyExisted: false }]);
			const { delegates } = await settings(standin, ALICE, 'delegates');
			assert.deepEqual(sortBy(delegates, 'delegateEmail'), [
				{ delegateEmail: BOB, verificationStatus: 'accepted' },
				{ delegateEmail: DAVE, verificationStatus: 'accepted' },
			]);
			assert.deepEqual(byRoute(requests, /:signJwt$|:testIamPermissions$/), [], 'the key signs locally');
			assert.deepEqual(tokenPosts(requests).map((t) => t.status), [200], 'one jwt-bearer exchange');
		},
	},
	{
		workflow: 'admin-three-items-one-token.json',
		credential: 'admin',
		title: 'Set Auto Reply for 3 items of one user: one signJwt and one jwt-bearer exchange in the execution, 3 writes',
		subjects: [ADMIN, ALICE],
		allowTokenCalls: true,
		async assert({ out, requests, standin }) {
			assert.deepEqual(out('Set Auto Reply').map((j) => j.responseSubject), ['Away (1)', 'Away (2)', 'Away (3)']);
			assert.equal(gmail(requests, /\/settings\/vacation$/).filter((r) => r.method === 'PUT').length, 3, 'three vacation writes');
			assert.equal(byRoute(requests, /:signJwt$/).length, 1, 'one signJwt for the three items');
			assert.deepEqual(tokenPosts(requests).map((t) => t.status), [200], 'one jwt-bearer token exchange');
			assert.equal(byRoute(requests, /:testIamPermissions$/).length, 1, 'roles checked once per execution');
			assert.equal((await settings(standin, ALICE, 'vacation')).responseSubject, 'Away (3)');
		},
	},
	// ---- mailbox cards (issue 14): Reply, Forward 20 MiB, Add Labels on 500 items, Draft Create + Send, Custom API Call ----
	{
		workflow: 'mailbox-reply.json',
		title: 'Reply (mailbox): bob\'s message found by Search, answered in its thread with In-Reply-To and References of the original',
		async prepare({ standin }) {
			const r = await standin.call('POST', 'deliver', { to: ALICE, from: 'Bob <bob@example.com>', subjectPrefix: 'e2e mailbox reply', text: 'Can you check the numbers?' });
			MAILBOX.original = r.delivered[0];
		},
		async assert({ out, requests, standin }) {
			const original = MAILBOX.original;
			assert.equal(out('Find the message')[0]?.id, original.id, 'Search found the delivered message');
			const [reply] = out('Reply to Email');
			assert.ok(reply?.id && reply.id !== original.id, `reply id in ${JSON.stringify(reply)}`);
			assert.equal(reply.threadId, original.threadId, 'the reply\'s threadId is the original\'s');
			const orig = await simpleParser(await rawMessage(standin, ALICE, original.id));
			const mine = await simpleParser(await rawMessage(standin, ALICE, reply.id));
			assert.ok(orig.messageId, 'the original has a Message-ID');
			assert.equal(mine.inReplyTo, orig.messageId, 'In-Reply-To');
			assert.deepEqual([mine.references].flat(), [orig.messageId], 'References');
			assert.equal(mine.subject, 'Re: e2e mailbox reply 1');
			assert.equal(mine.to.value[0].address, BOB);
			const thread = await standin.api(ALICE, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/threads/${original.threadId}?format=minimal`);
			assert.deepEqual(thread.messages.map((m) => m.id), [original.id, reply.id], 'the thread holds the original, then the reply');
			const bobs = await deliveredCopy(standin, ALICE, reply.id, BOB);
			assert.equal(bobs.inReplyTo, orig.messageId, 'bob\'s copy carries In-Reply-To too');
			const sends = requests.filter((r) => r.routeId === 'gmail.users.messages.send' && r.method === 'POST');
			assert.deepEqual(sends.map((r) => [r.status, r.subject]), [[200, ALICE]], 'one messages.send as alice');
		},
	},
	{
		workflow: 'mailbox-forward-20mib.json',
		title: 'Forward (mailbox): a 20 MiB attachment sent to alice, forwarded to bob byte for byte (sha256), uploaded in resumable chunks',
		// two 20 MiB sends within seconds: Gmail may answer 429, the card waits and repeats
		allowRateLimit: true,
		prepare({ filesDir }) {
			MAILBOX.big = randomBytes(20 * 1024 * 1024);
			writeFileSync(join(filesDir, 'forward-20mib.bin'), MAILBOX.big);
		},
		async assert({ out, requests, standin }) {
			const [sent] = out('Send to Alice');
			const [fwd] = out('Forward Email');
			assert.ok(sent?.id && fwd?.id, `sent ${JSON.stringify(sent)}, forwarded ${JSON.stringify(fwd)}`);
			assert.equal(fwd.forwardedId, sent.id, 'the forward names the original');
			assert.ok((fwd.labelIds ?? []).includes('SENT'), `SENT label, got ${fwd.labelIds}`);
			const bobs = await deliveredCopy(standin, ALICE, fwd.id, BOB);
			assert.equal(bobs.subject, 'Fwd: e2e mailbox forward: big file');
			assert.equal(bobs.attachments.length, 1, 'one attachment forwarded');
			assert.equal(bobs.attachments[0].size, MAILBOX.big.length);
			assert.equal(sha256(bobs.attachments[0].content), sha256(MAILBOX.big), '20 MiB attachment intact (sha256)');
			// the forward's upload: the last resumable session of the run (the first is Send to Alice's)
			const sessions = new Map();
			for (const r of requests.filter((r) => r.method === 'PUT' && r.routeId === 'standin.gmail.uploadSession').sort((a, b) => a.seq - b.seq)) {
				const id = new URLSearchParams(r.query).get('upload_id');
				if (!sessions.has(id)) sessions.set(id, []);
				sessions.get(id).push(r);
			}
			assert.equal(sessions.size, 2, `two resumable uploads (send, forward), got ${sessions.size}`);
			const puts = [...sessions.values()][1];
			const stored = await rawMessage(standin, ALICE, fwd.id);
			const CHUNK = 2 * 1024 * 1024;
			assert.ok(puts.length > 1, `the 20 MiB forward went up in chunks, got ${puts.length} PUT(s)`);
			assert.equal(puts.length, Math.ceil(stored.length / CHUNK), `ceil(${stored.length} bytes / 2 MiB) chunks`);
			assert.ok(puts.slice(0, -1).every((p) => p.bodySize === CHUNK), `every chunk but the last is 2 MiB: ${puts.map((p) => p.bodySize)}`);
			assert.equal(puts.reduce((n, p) => n + p.bodySize, 0), stored.length, 'the chunks add up to the stored message');
			assert.equal(requests.filter((r) => r.routeId === 'gmail.users.messages.attachments.get' && r.status === 200).length, 1, 'the attachment read once from the original');
			console.log(`       forward of ${stored.length} bytes: ${puts.length} PUT chunks (${puts.slice(0, -1).length} x 2 MiB + ${puts.at(-1).bodySize} bytes)`);
		},
	},
	{
		workflow: 'mailbox-add-labels-500.json',
		// the 500 IDs come from one messages.list (HTTP Request node) split into items: Search Emails with Limit 500 reads
		// every message (500 messages.get) and, paced, takes minutes; the case is about Add Labels
		title: 'Add Labels (mailbox) on 500 items (messages.list split into items): one batchModify of 500 IDs, no per-item modify; every message carries the label',
		allowRateLimit: true,
		async prepare({ standin }) {
			const r = await standin.call('POST', 'deliver', { to: ALICE, count: 500, from: 'Bulk <bulk500@outside.example.net>', subjectPrefix: 'e2e bulk' });
			MAILBOX.bulk = r.delivered.map((m) => m.id);
		},
		async assert({ out, requests, standin }) {
			const found = out('One Item per ID');
			assert.equal(found.length, 500, 'messages.list gave 500 IDs, split into 500 items');
			assert.deepEqual(found.map((m) => m.id).sort(), [...MAILBOX.bulk].sort(), 'the 500 delivered messages');
			const { labels } = await standin.api(ALICE, 'GET', 'https://gmail.googleapis.com/gmail/v1/users/me/labels');
			const label = labels.find((l) => l.name === 'E2E Bulk 500');
			assert.ok(label, 'the label was created (Create Labels if Missing)');
			const labelled = out('Add Labels');
			assert.equal(labelled.length, 500, 'one item out per item in');
			assert.ok(labelled.every((m) => (m.labelIds ?? []).includes(label.id)), 'every output item shows the label');
			const batch = requests.filter((r) => r.routeId === 'gmail.users.messages.batchModify' && r.method === 'POST');
			// at most one batchModify per 1,000 IDs (a 429 answered by the quota is repeated, so only accepted ones count)
			assert.deepEqual(batch.filter((r) => r.status < 300).map((r) => r.detail?.ids), [500], `one accepted batchModify carrying the 500 IDs, got ${JSON.stringify(batch.map((r) => [r.status, r.detail]))}`);
			assert.deepEqual(requests.filter((r) => r.routeId === 'gmail.users.messages.modify'), [], 'no per-item messages.modify');
			const listed = await standin.api(ALICE, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages?labelIds=${label.id}&maxResults=500`);
			assert.deepEqual((listed.messages ?? []).map((m) => m.id).sort(), [...MAILBOX.bulk].sort(), 'exactly the 500 messages carry the label afterwards');
			const units = {};
			for (const r of requests.filter((r) => r.units)) units[r.routeId] = (units[r.routeId] ?? 0) + r.units;
			// the card's calls: everything but the HTTP Request node's messages.list
			const card = Object.entries(units).filter(([k]) => k !== 'gmail.users.messages.list');
			console.log(`       units logged by the stand-in: ${JSON.stringify(units)}; Add Labels on 500 items: ${card.reduce((n, [, u]) => n + u, 0)} (${card.map(([k, u]) => `${k.replace('gmail.users.', '')} ${u}`).join(', ')}) vs ${500 * 5} for one messages.modify per item`);
		},
	},
	{
		workflow: 'mailbox-draft-create-send.json',
		title: 'Draft Create then Draft Send (mailbox): the sent message has SENT, bob received it, the draft is gone',
		async assert({ out, requests, standin }) {
			const [draft] = out('Create Draft');
			assert.ok(draft?.id, `draft id in ${JSON.stringify(draft)}`);
			const [sent] = out('Send Draft');
			assert.ok(sent?.id, `sent id in ${JSON.stringify(sent)}`);
			const stored = await standin.api(ALICE, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages/${sent.id}?format=metadata`);
			assert.ok(stored.labelIds.includes('SENT'), `SENT on the stored message, got ${stored.labelIds}`);
			assert.ok(!stored.labelIds.includes('DRAFT'), 'no longer a draft');
			const { drafts = [] } = await standin.api(ALICE, 'GET', 'https://gmail.googleapis.com/gmail/v1/users/me/drafts?maxResults=500');
			assert.ok(!drafts.some((d) => d.id === draft.id), 'the draft is gone from drafts.list');
			await assert.rejects(standin.api(ALICE, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/drafts/${draft.id}`), / -> 404:/, 'drafts.get answers 404');
			const bobs = await deliveredCopy(standin, ALICE, sent.id, BOB);
			assert.equal(bobs.subject, 'e2e mailbox draft: Monday plan');
			assert.equal(bobs.text.trim(), 'Hi Bob,\n\nhere is the plan for Monday.\n\nAlice');
			const made = requests.filter((r) => r.routeId === 'gmail.users.drafts.create' && r.status === 200);
			const sends = requests.filter((r) => r.routeId === 'gmail.users.drafts.send' && r.status === 200);
			assert.deepEqual([made.length, sends.length], [1, 1], 'one drafts.create, one drafts.send');
		},
	},
	{
		workflow: 'mailbox-custom-api.json',
		credential: 'readOnly',
		title: 'Custom API Call (mailbox, read-only credential): labels.list answers; labels.create is refused for its scope before any request',
		expectError: true,
		async assert({ out, error, requests, standin }) {
			const [listed] = out('List Labels');
			assert.ok((listed?.labels ?? []).some((l) => l.id === 'INBOX'), `labels.list answer, got ${JSON.stringify(listed).slice(0, 200)}`);
			assert.match(error.message, /^"Method" labels\.create needs one of the scopes .*https:\/\/www\.googleapis\.com\/auth\/gmail\.(labels|modify).*, and this credential was granted only .*gmail\.readonly.*\. The ".+" scope set grants https:\/\/www\.googleapis\.com\/auth\/gmail\.\w+: choose it in the credential/);
			assert.deepEqual(gmail(requests).map((r) => `${r.method} ${r.path} ${r.status} ${r.subject}`), [`GET /gmail/v1/users/me/labels 200 ${ALICE}`], 'one request: the read; the refused call never left n8n');
			const { labels } = await standin.api(ALICE, 'GET', 'https://gmail.googleapis.com/gmail/v1/users/me/labels');
			assert.ok(!labels.some((l) => l.name === 'e2e custom api'), 'no label created');
		},
	},
];

/** The case used for the token-refresh check (must make exactly one Gmail call). */
export const refreshCase = 'http-profile.json';
