import { SCOPE_PRESETS } from '../../credentials/scopes';
import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, setupBench } from '../bench';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { ALICE, adminSetup, calls, signJwtScopes, tokenExchanges } from './admin-kit';

/**
 * Custom API Call through n8n's engine against the stand-in: what the stand-in recorded (method, path, query,
 * token subject, units charged), the body it stored, and the refusals that happen before any request.
 */

const bench = setupBench();
const G = 'https://www.googleapis.com/auth/';

const callParams = (p: Record<string, unknown>) => ({ resource: 'customApi', operation: 'call', ...p });
const kv = (o: Record<string, string | string[]>) => ({
	parameter: Object.entries(o).flatMap(([name, v]) => [v].flat().map((value) => ({ name, value }))),
});
const gmailLog = (s: Standin) => s.log.filter((e) => e.host === 'gmail.googleapis.com');

async function run(params: Record<string, unknown>, scopes: readonly string[] = SCOPE_PRESETS.all, standin = createStandin({ noCorpus: true })) {
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store, { email: ALICE, scopes, id: `custom-${Math.random().toString(36).slice(2)}` });
	const wf = chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters: callParams(params), credential: conn.reference }));
	const result = await bench.run(wf, { credentials: store, standin });
	return { standin, result };
}

describe('Custom API Call: a read', () => {
	it('labels.list on the Read Only scope set: one GET as alice, 1 unit, the JSON answer as the item', async () => {
		const { standin, result } = await run({ mode: 'method', apiMethod: 'gmail.users.labels.list' }, SCOPE_PRESETS.read);
		expect(result.error).toBeUndefined();
		const log = gmailLog(standin);
		expect(log.map((e) => [e.method, e.path, e.routeId, e.status, e.subject, e.units])).toEqual([
			['GET', '/gmail/v1/users/me/labels', 'gmail.users.labels.list', 200, ALICE, 1],
		]);
		const [item] = result.nodes.Gmail.json;
		expect(item.labels).toEqual(expect.arrayContaining([expect.objectContaining({ id: 'INBOX', type: 'system' })]));
	});

	it('messages.list with typed query parameters (a repeated labelIds, a number, a query) as Google reads them', async () => {
		const { standin, result } = await run({
			mode: 'method',
			apiMethod: 'gmail.users.messages.list',
			queryParameters: kv({ labelIds: ['INBOX', 'UNREAD'], maxResults: '3', q: 'from:bob@example.com' }),
		});
		expect(result.error).toBeUndefined();
		const [entry] = gmailLog(standin);
		expect(entry).toMatchObject({ method: 'GET', path: '/gmail/v1/users/me/messages', subject: ALICE, units: 5 });
		const q = new URLSearchParams(entry.query);
		expect([q.getAll('labelIds'), q.get('maxResults'), q.get('q')]).toEqual([['INBOX', 'UNREAD'], '3', 'from:bob@example.com']);
		expect(result.nodes.Gmail.json[0]).toHaveProperty('resultSizeEstimate');
	});

	it('one call per input item, paired with it, path parameters by expression', async () => {
		const standin = createStandin({ noCorpus: true });
		const store = new CredentialStore();
		const conn = await connectGmail(standin, store, { email: ALICE, id: 'custom-items' });
		const search = gmailNode({ name: 'Search', parameters: { resource: 'message', operation: 'search', returnAll: false, limit: 3, detail: 'metadata' }, credential: conn.reference });
		const get = gmailNode({
			name: 'Gmail',
			parameters: callParams({ mode: 'method', apiMethod: 'gmail.users.messages.get', pathParameters: kv({ id: '={{ $json.id }}' }), queryParameters: kv({ format: 'minimal' }) }),
			credential: conn.reference,
		});
		const result = await bench.run(chain(manualTrigger(), search, get), { credentials: store, standin });
		expect(result.error).toBeUndefined();
		const ids = result.nodes.Search.json.map((j) => j.id);
		expect(ids).toHaveLength(3);
		expect(result.nodes.Gmail.json.map((j) => j.id)).toEqual(ids);
		const gets = gmailLog(standin).filter((e) => e.routeId === 'gmail.users.messages.get' && e.query.includes('format=minimal'));
		expect(gets.map((e) => e.path)).toEqual(ids.map((id) => `/gmail/v1/users/me/messages/${id}`));
	});
});

describe('Custom API Call: Path mode', () => {
	it("a gmail/v1 path is charged the units of the method whose template it matches", async () => {
		const { standin, result } = await run({ mode: 'path', httpMethod: 'GET', path: '/gmail/v1/users/me/messages', queryParameters: kv({ maxResults: '2' }) });
		expect(result.error).toBeUndefined();
		expect(gmailLog(standin).map((e) => [e.method, e.path, e.query, e.routeId, e.units])).toEqual([
			['GET', '/gmail/v1/users/me/messages', '?maxResults=2', 'gmail.users.messages.list', 5],
		]);
		expect(result.nodes.Gmail.json[0].messages).toHaveLength(2);
	});

	it.each([
		['https://gmail.googleapis.com.evil.example/gmail/v1/users/me/labels', 'no scheme or host'],
		['gmail/v1/users/me/../../../../oauth2/v3/userinfo', '"." or ".."'],
		['oauth2/v3/userinfo', 'must start with gmail/v1/'],
	])('refuses %j before any request', async (path, why) => {
		const { standin, result } = await run({ mode: 'path', httpMethod: 'GET', path });
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain(`"Path" `);
		expect(result.error?.message).toContain(why);
		expect(gmailLog(standin)).toEqual([]);
		expect(result.exchanges.filter((x) => !x.url.includes('/token'))).toEqual([]);
	});
});

describe('Custom API Call: bad input is refused before any request', () => {
	it('a body that is not JSON names the field and what is wrong', async () => {
		const { standin, result } = await run({ mode: 'method', apiMethod: 'gmail.users.labels.create', body: '{"name": "Projects",}' });
		expect(result.error?.message).toMatch(/^"Body \(JSON\)" is not valid JSON \(.+\), got "\{\\"name\\": \\"Projects\\",\}" \[item 0\]$/);
		expect(gmailLog(standin)).toEqual([]);
	});

	it("a body field Google's schema does not have is named, with the schema's fields", async () => {
		const { standin, result } = await run({ mode: 'method', apiMethod: 'gmail.users.labels.create', body: '{"nme": "Projects"}' });
		expect(result.error?.message).toContain('"Body (JSON)" has "nme", which Google\'s Label does not have (its fields: color, id, labelListVisibility');
		expect(gmailLog(standin)).toEqual([]);
	});

	it('a missing path parameter and an unknown query parameter are named', async () => {
		const missing = await run({ mode: 'method', apiMethod: 'gmail.users.messages.get' });
		expect(missing.result.error?.message).toBe('"Path Parameters" needs "id" for gmail/v1/users/{userId}/messages/{id} [item 0]');
		const unknown = await run({ mode: 'method', apiMethod: 'gmail.users.labels.list', queryParameters: kv({ maxResults: '5' }) });
		expect(unknown.result.error?.message).toBe('"Query Parameters" has "maxResults", which labels.list does not take (it takes fields) [item 0]');
		expect([...gmailLog(missing.standin), ...gmailLog(unknown.standin)]).toEqual([]);
	});
});

describe('Custom API Call: scopes', () => {
	it('a method outside the granted scopes is refused before the call, naming the scope and the scope set that grants it', async () => {
		const { standin, result } = await run(
			{ mode: 'method', apiMethod: 'gmail.users.messages.delete', pathParameters: kv({ id: '18c0000000000001' }) },
			SCOPE_PRESETS.read,
		);
		expect(result.status).toBe('error');
		expect(result.error?.message).toBe(
			`"Method" messages.delete needs one of the scopes https://mail.google.com/, and this credential was granted only ${SCOPE_PRESETS.read.join(', ')}. The "All Cards and Permanent Delete" scope set grants https://mail.google.com/: choose it in the credential (or add the scope to a custom list) and reconnect [item 0]`,
		);
		expect(gmailLog(standin)).toEqual([]);
	});

	it('Path mode checks the scopes of the method its path matches', async () => {
		const { standin, result } = await run({ mode: 'path', httpMethod: 'POST', path: 'gmail/v1/users/me/labels', body: '{"name":"X"}' }, SCOPE_PRESETS.read);
		expect(result.error?.message).toContain('labels.create needs one of the scopes');
		expect(result.error?.message).toContain('The "All Cards" scope set grants https://www.googleapis.com/auth/gmail.modify');
		expect(gmailLog(standin)).toEqual([]);
	});
});

describe('Custom API Call: a settings write as another Workspace user (service account, domain-wide delegation)', () => {
	const vacation = { enableAutoReply: true, responseSubject: 'Away', responseBodyPlainText: 'Back Monday.', restrictToContacts: false, restrictToDomain: true };

	it.each(['oauth', 'key'] as const)('settings.updateVacation for alice through the %s route: her token, 5 units, the body Google stored', async (route) => {
		const setup = await adminSetup(route);
		const node = setup.node('Gmail', callParams({ mode: 'method', apiMethod: 'gmail.users.settings.updateVacation', impersonate: true, userEmail: ALICE, body: JSON.stringify(vacation) }));
		const result = await setup.run(bench, setup.workflow(node));

		expect(result.error).toBeUndefined();
		expect(setup.settings(ALICE).vacation).toEqual(vacation);
		expect(result.nodes.Gmail.json[0]).toEqual(vacation);
		const log = gmailLog(setup.standin);
		expect(log.map((e) => [e.method, e.path, e.routeId, e.status, e.subject, e.units])).toEqual([
			['PUT', '/gmail/v1/users/alice%40example.com/settings/vacation', 'gmail.users.settings.updateVacation', 200, ALICE, 5],
		]);
		expect(log[0].scopes).toEqual([`${G}gmail.settings.basic`]);
		const [put] = calls(result, 'PUT', /\/settings\/vacation$/);
		expect(JSON.parse(put.requestBody.toString())).toEqual(vacation);
		expect(tokenExchanges(result)).toHaveLength(1);
		if (route === 'oauth') expect(signJwtScopes(result)).toEqual([`${G}gmail.settings.basic`]);
	});

	it('a read as the user through Path mode, "me" meaning the user acted as', async () => {
		const setup = await adminSetup('oauth');
		const node = setup.node('Gmail', callParams({ mode: 'path', httpMethod: 'GET', path: 'gmail/v1/users/me/settings/vacation', impersonate: true, userEmail: ALICE }));
		const result = await setup.run(bench, setup.workflow(node));
		expect(result.error).toBeUndefined();
		expect(gmailLog(setup.standin).map((e) => [e.path, e.subject, e.units])).toEqual([['/gmail/v1/users/me/settings/vacation', ALICE, 1]]);
		expect(result.nodes.Gmail.json[0]).toHaveProperty('enableAutoReply');
	});
});
