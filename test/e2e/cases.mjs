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
//   standin        -> the stand-in admin client (e.g. standin.call('GET', '...') for state checks)
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
];

/** The case used for the token-refresh check (must make exactly one Gmail call). */
export const refreshCase = 'http-profile.json';
