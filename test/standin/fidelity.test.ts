/**
 * Fidelity: the stand-in's routes against Google's own descriptions of them.
 * - every gmail.* route against the Gmail v1 discovery document (method, JSON and upload paths, path parameters,
 *   query parameters the handler reads, scopes, upload size limit);
 * - every method the package calls (nodes/GmailWorkspace/v1/transport/methods.ts) is in discovery and served;
 * - the OAuth2 / IAM / IAM Credentials / Resource Manager routes against a table of Google's documented HTTP templates;
 * - both quota unit tables (core/quota.ts: legacy and 2026) against Google's figures, the methods the package calls
 *   and the methods the stand-in serves.
 * Prints a coverage table: one row per discovery method.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { gmailDiscovery, type DiscoveryMethod } from './core/discovery';
import { STANDIN_CLIENT_ID } from './core/directory';
import { QUOTA_UNITS_2026, QUOTA_UNITS_LEGACY } from './core/quota';
import type { Route } from './core/standin';
import { createStandin } from './server';

const standin = createStandin({ noCorpus: true });
const { methods } = gmailDiscovery();
const gmailRoutes = standin.routes.filter((r) => r.id.startsWith('gmail.'));

/** Query parameters every Google API accepts (discovery `parameters` at the top level). */
const STANDARD_QUERY = new Set([
	'$.xgafv', 'access_token', 'alt', 'callback', 'fields', 'key', 'oauth_token', 'prettyPrint', 'quotaUser', 'uploadType', 'upload_protocol', 'upload_id',
]);

const pathParams = (template: string) => [...template.matchAll(/\{\+?([A-Za-z0-9_]+)\}/g)].map((m) => m[1]).sort();
const declaredPathParams = (m: DiscoveryMethod) => Object.entries(m.parameters).filter(([, p]) => p.location === 'path').map(([n]) => n).sort();
const declaredQueryParams = (m: DiscoveryMethod) => new Set(Object.entries(m.parameters).filter(([, p]) => p.location === 'query').map(([n]) => n));

/**
 * Query parameters a route reads: its declared `queryParams` (optional, on the route object) plus
 * `query.get('x')` / `query.getAll('x')` / `query.has('x')` in the handler's own source. Reads inside shared
 * helpers are not seen; the check is a floor, not a proof.
 */
function readQueryParams(r: Route): string[] {
	const declared = (r as Route & { queryParams?: string[] }).queryParams ?? [];
	const src = r.handler.toString();
	const read = [...src.matchAll(/query\.(?:get|getAll|has)\(\s*['"]([^'"]+)['"]/g)].map((m) => m[1]);
	return [...new Set([...declared, ...read])];
}

/** The package's list of Gmail methods, when the lead has written it. */
const METHODS_FILE = resolve(__dirname, '../../nodes/GmailWorkspace/v1/transport/methods.ts');
const packageMethods: Record<string, { method: string; path: string }> | undefined = existsSync(METHODS_FILE)
	? (require(METHODS_FILE) as { GMAIL_METHODS: Record<string, { method: string; path: string }> }).GMAIL_METHODS
	: undefined;

const problems = new Map<string, string[]>();
function note(id: string, problem?: string) {
	const list = problems.get(id) ?? [];
	if (problem) list.push(problem);
	problems.set(id, list);
}

describe('gmail.* routes match the discovery document', () => {
	test('there are Gmail routes to check', () => {
		expect(gmailRoutes.length).toBeGreaterThan(0);
	});

	test.each(gmailRoutes.map((r) => [r.id, r] as const))('%s', (id, r) => {
		const m = methods.get(id);
		expect(m).toBeDefined();
		if (!m) return note(id, 'not in discovery');
		const errors: string[] = [];
		if (r.method !== m.httpMethod) errors.push(`method ${r.method} ≠ ${m.httpMethod}`);
		const json = `/${m.path}`;
		const uploads = Object.values(m.mediaUpload?.protocols ?? {}).map((p) => p.path);
		if (!r.paths.includes(json)) errors.push(`JSON path ${json} not served`);
		for (const p of r.paths) {
			if (p !== json && !uploads.includes(p)) errors.push(`path ${p} is neither ${json} nor an upload path (${uploads.join(', ') || 'none'})`);
			if (pathParams(p).join() !== declaredPathParams(m).join()) errors.push(`path params of ${p}: ${pathParams(p)} ≠ ${declaredPathParams(m)}`);
		}
		const allowed = declaredQueryParams(m);
		for (const q of readQueryParams(r)) if (!allowed.has(q) && !STANDARD_QUERY.has(q)) errors.push(`reads query parameter ${q}, which discovery does not declare`);
		if ([...(r.scopes ?? [])].sort().join(' ') !== [...m.scopes].sort().join(' ')) errors.push(`scopes ${r.scopes} ≠ ${m.scopes}`);
		errors.forEach((e) => note(id, e));
		if (!errors.length) note(id);
		expect(errors).toEqual([]);
	});

	test('users.watch and users.stop are served with discovery\'s method, path and scopes', () => {
		for (const id of ['gmail.users.watch', 'gmail.users.stop']) {
			const r = gmailRoutes.find((x) => x.id === id);
			const m = methods.get(id)!;
			expect(r).toBeDefined();
			expect({ method: r!.method, paths: r!.paths, scopes: [...r!.scopes!].sort() }).toEqual({ method: m.httpMethod, paths: [`/${m.path}`], scopes: [...m.scopes].sort() });
		}
	});

	test('users.history.list is served and reads every query parameter discovery declares for it', () => {
		const r = gmailRoutes.find((x) => x.id === 'gmail.users.history.list');
		expect(r).toBeDefined();
		const m = methods.get('gmail.users.history.list')!;
		expect({ method: r!.method, paths: r!.paths }).toEqual({ method: m.httpMethod, paths: [`/${m.path}`] });
		expect(readQueryParams(r!).sort()).toEqual([...declaredQueryParams(m)].sort());
		expect(m.parameters.historyTypes).toMatchObject({ repeated: true, enum: ['messageAdded', 'messageDeleted', 'labelAdded', 'labelRemoved'] });
	});

	const uploadRoutes = gmailRoutes.filter((r) => methods.get(r.id)?.mediaUpload?.protocols.simple && r.paths.includes(methods.get(r.id)!.mediaUpload!.protocols.simple.path));
	test.each(uploadRoutes.map((r) => [r.id, r] as const))('%s enforces discovery\'s upload maxSize', async (id, r) => {
		const m = methods.get(id)!;
		const max = Number(m.mediaUpload!.maxSize);
		const t = standin.tokens.issueAccess({ email: 'alice@example.com', scopes: m.scopes, kind: 'user', clientId: STANDIN_CLIENT_ID });
		const path = m.mediaUpload!.protocols.simple.path.replace('{userId}', 'me').replace(/\{[^}]+\}/g, 'x');
		const res = await standin.dispatch({
			method: r.method,
			host: '127.0.0.1',
			url: `${path}?uploadType=media`,
			headers: { authorization: `Bearer ${t.accessToken}`, 'content-type': 'message/rfc822' },
			body: Buffer.alloc(max + 1, 0x61),
		});
		expect(res.status).toBe(413);
		expect(res.body.toString()).toContain(String(max));
	});
});

describe('the package\'s Gmail methods', () => {
	const entries = Object.entries(packageMethods ?? {});
	if (!packageMethods) {
		test.skip('nodes/GmailWorkspace/v1/transport/methods.ts does not exist yet', () => undefined);
		return;
	}
	test.each(entries)('%s is in discovery with the same method and path, and the stand-in serves it', (id, pm) => {
		const m = methods.get(id);
		expect(m).toBeDefined();
		expect({ method: pm.method, path: pm.path.replace(/^\//, '') }).toEqual({ method: m!.httpMethod, path: m!.path });
		expect(gmailRoutes.map((r) => r.id)).toContain(id);
	});
});

/**
 * Gmail's per-method quota units, earlier projects ("legacy") and projects from 2026-05-01 ("2026").
 * Sources (README "Quota"): https://developers.google.com/workspace/gmail/api/reference/quota (both models; the
 * 2026 per-method figures as restated by https://developer.nylas.com/docs/cookbook/email/gmail-api-quotas/ and
 * https://cli.nylas.com/guides/gmail-api-quotas-2026), https://developers.google.com/workspace/tools-safety.
 */
const UNIT_FIGURES: [id: string, legacy: number, y2026: number][] = [
	['gmail.users.messages.get', 5, 20],
	['gmail.users.messages.attachments.get', 5, 20],
	['gmail.users.drafts.get', 5, 20],
	['gmail.users.threads.get', 10, 40],
	['gmail.users.threads.list', 10, 10],
	['gmail.users.messages.list', 5, 5],
	['gmail.users.history.list', 2, 2],
	['gmail.users.messages.send', 100, 100],
	['gmail.users.messages.modify', 5, 5],
	['gmail.users.messages.batchModify', 50, 50],
	['gmail.users.labels.list', 1, 1],
	['gmail.users.watch', 100, 100],
	['gmail.users.stop', 50, 50],
];

describe('quota units (legacy and 2026 tables)', () => {
	test.each(UNIT_FIGURES)('%s costs %d units (legacy) and %d (2026)', (id, legacy, y2026) => {
		expect([QUOTA_UNITS_LEGACY[id], QUOTA_UNITS_2026[id]]).toEqual([legacy, y2026]);
	});

	const called = Object.keys(packageMethods ?? {});
	(called.length ? test.each(called) : test.skip.each(['(no methods.ts)']))('%s (called by the package) has a unit cost in both profiles', (id) => {
		expect(QUOTA_UNITS_LEGACY[id]).toBeGreaterThan(0);
		expect(QUOTA_UNITS_2026[id]).toBeGreaterThan(0);
	});

	test.each(gmailRoutes.map((r) => [r.id, r] as const))('%s (served) has a unit cost in both profiles; the legacy figure is the route\'s own cost', (id, r) => {
		expect(QUOTA_UNITS_LEGACY[id]).toBe(r.cost);
		expect(QUOTA_UNITS_2026[id]).toBeGreaterThan(0);
	});

	test('both tables name discovery methods only, and differ exactly where Google changed the figures', () => {
		for (const id of [...Object.keys(QUOTA_UNITS_LEGACY), ...Object.keys(QUOTA_UNITS_2026)]) expect(methods.has(id)).toBe(true);
		expect(Object.keys(QUOTA_UNITS_2026).sort()).toEqual(Object.keys(QUOTA_UNITS_LEGACY).sort());
		const changed = Object.keys(QUOTA_UNITS_LEGACY).filter((id) => QUOTA_UNITS_LEGACY[id] !== QUOTA_UNITS_2026[id]).sort();
		expect(changed).toEqual(['gmail.users.drafts.get', 'gmail.users.messages.attachments.get', 'gmail.users.messages.get', 'gmail.users.threads.get']);
	});
});

/**
 * Google's documented HTTP templates for the non-Gmail routes (gRPC transcoding `{name=projects/*}` written out).
 * Sources:
 * - OAuth 2.0 endpoints: https://developers.google.com/identity/protocols/oauth2/web-server (auth, token, revoke),
 *   https://accounts.google.com/.well-known/openid-configuration (authorization_endpoint, token_endpoint,
 *   userinfo_endpoint, revocation_endpoint, jwks_uri)
 * - tokeninfo: https://developers.google.com/identity/sign-in/web/backend-auth#calling-the-tokeninfo-endpoint
 * - userinfo v2: the oauth2 v2 discovery document, https://www.googleapis.com/discovery/v1/apis/oauth2/v2/rest
 * - IAM: https://cloud.google.com/iam/docs/reference/rest/v1/projects.serviceAccounts (list, get, testIamPermissions)
 * - IAM Credentials: https://cloud.google.com/iam/docs/reference/credentials/rest/v1/projects.serviceAccounts (signJwt, generateAccessToken)
 * - Resource Manager: https://cloud.google.com/resource-manager/reference/rest/v1/projects/list, …/v1/projects/get,
 *   https://cloud.google.com/resource-manager/reference/rest/v3/projects/search
 */
const DOCUMENTED: { id: string; host: string; method: string; template: string }[] = [
	{ id: 'accounts.oauth2.auth', host: 'accounts.google.com', method: 'GET', template: '/o/oauth2/v2/auth' },
	{ id: 'oauth2.token', host: 'oauth2.googleapis.com', method: 'POST', template: '/token' },
	{ id: 'oauth2.revoke', host: 'oauth2.googleapis.com', method: 'POST', template: '/revoke' },
	{ id: 'oauth2.tokeninfo', host: 'oauth2.googleapis.com', method: 'GET', template: '/tokeninfo' },
	{ id: 'oauth2.userinfo.v3', host: 'www.googleapis.com', method: 'GET', template: '/oauth2/v3/userinfo' },
	{ id: 'oauth2.userinfo.v2', host: 'www.googleapis.com', method: 'GET', template: '/oauth2/v2/userinfo' },
	{ id: 'oauth2.certs.v3', host: 'www.googleapis.com', method: 'GET', template: '/oauth2/v3/certs' },
	{ id: 'oauth2.certs.v1', host: 'www.googleapis.com', method: 'GET', template: '/oauth2/v1/certs' },
	{ id: 'iam.projects.serviceAccounts.list', host: 'iam.googleapis.com', method: 'GET', template: '/v1/{name=projects/*}/serviceAccounts' },
	{ id: 'iam.projects.serviceAccounts.get', host: 'iam.googleapis.com', method: 'GET', template: '/v1/{name=projects/*/serviceAccounts/*}' },
	{ id: 'iam.projects.serviceAccounts.testIamPermissions', host: 'iam.googleapis.com', method: 'POST', template: '/v1/{resource=projects/*/serviceAccounts/*}:testIamPermissions' },
	{ id: 'iamcredentials.projects.serviceAccounts.signJwt', host: 'iamcredentials.googleapis.com', method: 'POST', template: '/v1/{name=projects/*/serviceAccounts/*}:signJwt' },
	{ id: 'iamcredentials.projects.serviceAccounts.generateAccessToken', host: 'iamcredentials.googleapis.com', method: 'POST', template: '/v1/{name=projects/*/serviceAccounts/*}:generateAccessToken' },
	{ id: 'cloudresourcemanager.projects.list', host: 'cloudresourcemanager.googleapis.com', method: 'GET', template: '/v1/projects' },
	{ id: 'cloudresourcemanager.projects.get', host: 'cloudresourcemanager.googleapis.com', method: 'GET', template: '/v1/projects/{projectId}' },
	{ id: 'cloudresourcemanager.projects.search', host: 'cloudresourcemanager.googleapis.com', method: 'GET', template: '/v3/projects:search' },
	// Cloud Pub/Sub v1: https://cloud.google.com/pubsub/docs/reference/rest (projects.topics, projects.subscriptions)
	{ id: 'pubsub.projects.topics.get', host: 'pubsub.googleapis.com', method: 'GET', template: '/v1/{topic=projects/*/topics/*}' },
	{ id: 'pubsub.projects.topics.create', host: 'pubsub.googleapis.com', method: 'PUT', template: '/v1/{name=projects/*/topics/*}' },
	{ id: 'pubsub.projects.topics.delete', host: 'pubsub.googleapis.com', method: 'DELETE', template: '/v1/{topic=projects/*/topics/*}' },
	{ id: 'pubsub.projects.topics.publish', host: 'pubsub.googleapis.com', method: 'POST', template: '/v1/{topic=projects/*/topics/*}:publish' },
	{ id: 'pubsub.projects.topics.getIamPolicy', host: 'pubsub.googleapis.com', method: 'GET', template: '/v1/{resource=projects/*/topics/*}:getIamPolicy' },
	{ id: 'pubsub.projects.topics.setIamPolicy', host: 'pubsub.googleapis.com', method: 'POST', template: '/v1/{resource=projects/*/topics/*}:setIamPolicy' },
	{ id: 'pubsub.projects.subscriptions.get', host: 'pubsub.googleapis.com', method: 'GET', template: '/v1/{subscription=projects/*/subscriptions/*}' },
	{ id: 'pubsub.projects.subscriptions.create', host: 'pubsub.googleapis.com', method: 'PUT', template: '/v1/{name=projects/*/subscriptions/*}' },
	{ id: 'pubsub.projects.subscriptions.delete', host: 'pubsub.googleapis.com', method: 'DELETE', template: '/v1/{subscription=projects/*/subscriptions/*}' },
	{ id: 'pubsub.projects.subscriptions.pull', host: 'pubsub.googleapis.com', method: 'POST', template: '/v1/{subscription=projects/*/subscriptions/*}:pull' },
	{ id: 'pubsub.projects.subscriptions.acknowledge', host: 'pubsub.googleapis.com', method: 'POST', template: '/v1/{subscription=projects/*/subscriptions/*}:acknowledge' },
	{ id: 'pubsub.projects.subscriptions.modifyAckDeadline', host: 'pubsub.googleapis.com', method: 'POST', template: '/v1/{subscription=projects/*/subscriptions/*}:modifyAckDeadline' },
];

/** `/v1/{name=projects/*}/x` and `/v1/projects/{project}/x` both become `/v1/projects/*\/x`. */
const shape = (t: string) => t.replace(/\{[A-Za-z0-9_]+=([^}]+)\}/g, '$1').replace(/\{\+?[A-Za-z0-9_]+\}/g, '*');

describe('non-Gmail routes match Google\'s documented HTTP templates', () => {
	test.each(DOCUMENTED.map((d) => [d.id, d] as const))('%s', (id, d) => {
		const r = standin.routes.find((x) => x.id === id);
		expect(r).toBeDefined();
		expect({ host: r!.host, method: r!.method }).toEqual({ host: d.host, method: d.method });
		expect(r!.paths.map(shape)).toContain(shape(d.template));
	});

	test('every OAuth/IAM/Resource Manager route is either documented above or a variant of one', () => {
		const hosts = new Set(DOCUMENTED.map((d) => d.host));
		const shapes = new Set(DOCUMENTED.map((d) => shape(d.template)));
		const extraOk = ['/o/oauth2/auth', '/oauth2/v1/tokeninfo', '/oauth2/v2/tokeninfo', '/oauth2/v3/tokeninfo'];
		for (const r of standin.routes.filter((x) => hosts.has(x.host))) {
			for (const p of r.paths) expect([...shapes, ...extraOk]).toContain(shape(p));
		}
	});

	test('no two routes on different hosts share a path (requests to 127.0.0.1 are routed by path alone)', () => {
		const seen = new Map<string, string>();
		for (const r of standin.routes) {
			for (const p of r.paths) {
				const key = `${r.method} ${shape(p)}`;
				const prev = seen.get(key);
				if (prev && prev !== r.host && r.host !== '*' && prev !== '*') throw new Error(`${key} served on ${prev} and ${r.host}`);
				seen.set(key, r.host);
			}
		}
	});
});

afterAll(() => {
	const called = new Set(Object.keys(packageMethods ?? {}));
	const served = new Set(gmailRoutes.map((r) => r.id));
	const rows = [...methods.keys()].sort().map((id) => {
		const p = problems.get(id);
		return {
			method: id,
			served: served.has(id) ? 'yes' : 'no',
			called: packageMethods ? (called.has(id) ? 'yes' : 'no') : '?',
			checked: !served.has(id) ? '-' : p === undefined ? 'not run' : p.length ? `FAIL: ${p.join('; ')}` : 'ok',
		};
	});
	const w = Math.max(...rows.map((r) => r.method.length));
	const lines = [
		`${'discovery method'.padEnd(w)}  served  called  checked`,
		...rows.map((r) => `${r.method.padEnd(w)}  ${r.served.padEnd(6)}  ${r.called.padEnd(6)}  ${r.checked}`),
		`${served.size}/${methods.size} discovery methods served; package calls ${called.size}, ${[...called].filter((id) => served.has(id)).length} of them served.`,
	];
	console.log(lines.join('\n'));
});
