// The real-n8n e2e cases: one workflow JSON in workflows/ + one assertion function each.
// Adding a card = add workflows/<card>.json (nodes of type n8n-nodes-gmail-workspace.gmailWorkspace, credentials
// {"gmailWorkspaceOAuth2Api": {"id": "__CREDENTIAL_ID__", "name": "__CREDENTIAL_NAME__"}}, a Manual Trigger start)
// and an entry below. The suite imports every listed workflow with the ONE shared credential, runs it with
// `n8n execute --id`, checks that every Google call it made carried the connected user's token, then calls `assert`.
//
// assert({ out, requests, user, standin }) may be async and throws on failure:
//   out(nodeName)  -> the node's output items (json), throws if the node failed or did not run
//   requests       -> what the stand-in recorded during this run (GET /__standin/requests), each
//                     {seq, method, host, path, query, routeId, status, subject, tokenKind, scopes, ...}
//   user           -> the account the credential was connected as (alice@example.com)
//   standin        -> the stand-in admin client (e.g. standin.call('GET', '...') for state checks,
//                     standin.api('bob@example.com', 'GET', url) to look at another mailbox)
// optional per case: subjects: [...] accounts the calls may act as (default: the connected user; admin cards that
// impersonate add the target users), allowTokenCalls: true (the workflow itself talks to oauth2.googleapis.com/token,
// e.g. a service-account/jwt-bearer flow; default: any token call fails the case).
import assert from 'node:assert/strict';

const gmail = (requests, path) => requests.filter((r) => r.host === 'gmail.googleapis.com' && (!path || path.test(r.path)));

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
];

/** The case used for the token-refresh check (must make exactly one Gmail call). */
export const refreshCase = 'http-profile.json';
