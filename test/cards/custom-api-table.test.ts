import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

import { fillPath, matchPath, METHODS_BY_ID, pathProblem, scopeRefusal, unitsFor } from '../../nodes/GmailWorkspace/v1/actions/customApi/api';
import { API_METHODS } from '../../nodes/GmailWorkspace/v1/actions/customApi/apiMethods';
import { GMAIL_METHODS } from '../../nodes/GmailWorkspace/v1/transport/methods';
import { CUSTOM_CALL_DEFAULT_UNITS, quotaPlanOf, QUOTA_UNITS_LEGACY } from '../../nodes/GmailWorkspace/v1/transport/quota';


/** The Custom API Call's method table: generated from Google's discovery document, and what the card makes of it. */

const DISCOVERY = resolve(__dirname, '../../../shared/corpus/gmail-v1-discovery.json');
const discovery = JSON.parse(readFileSync(DISCOVERY, 'utf8'));
function methods(node: any, out: any[] = []) {
	for (const m of Object.values<any>(node.methods ?? {})) out.push(m);
	for (const r of Object.values<any>(node.resources ?? {})) methods(r, out);
	return out;
}
const all = methods(discovery);

describe('generated method table', () => {
	it('regenerating from the discovery document gives the committed file', () => {
		// prettier (which formats the output) loads through dynamic imports jest cannot run: the check runs in tsx
		const root = resolve(__dirname, '../..');
		const out = execFileSync(resolve(root, 'node_modules/.bin/tsx'), ['test/tools/gen-api-methods.ts', '--check'], { cwd: root, encoding: 'utf8' });
		expect(out.trim()).toBe('custom API method table: up to date');
	});

	it("has every method of the document with its HTTP method, path, parameters, body schema and scopes", () => {
		expect(API_METHODS.map((m) => m.id).sort()).toEqual(all.map((m) => m.id).sort());
		for (const d of all) {
			const m = METHODS_BY_ID.get(d.id)!;
			expect([d.id, m.httpMethod, m.path, m.request, [...m.scopes].sort()]).toEqual([d.id, d.httpMethod, d.path, d.request?.$ref, [...(d.scopes ?? [])].sort()]);
			const query = Object.entries<any>(d.parameters ?? {}).filter(([, p]) => p.location === 'query');
			expect(m.query.map((q) => [q.key, q.type, !!q.repeated]).sort()).toEqual(query.map(([k, p]) => [k, p.type, !!p.repeated]).sort());
			expect(m.pathParams.sort()).toEqual(Object.entries<any>(d.parameters ?? {}).filter(([, p]) => p.location === 'path').map(([k]) => k).sort());
		}
		expect(METHODS_BY_ID.get('gmail.users.messages.list')!.query.find((q) => q.key === 'labelIds')).toMatchObject({ type: 'string', repeated: true });
		expect(METHODS_BY_ID.get('gmail.users.settings.filters.create')!.requestFields).toEqual(['action', 'criteria', 'id']);
	});

	it("agrees with the package's own method table", () => {
		for (const [id, m] of Object.entries(GMAIL_METHODS)) expect([id, METHODS_BY_ID.get(id)?.httpMethod, METHODS_BY_ID.get(id)?.path]).toEqual([id, m.method, m.path]);
	});

	it("prices each method from transport/quota.ts; only the methods Google's table leaves out take the safe default", () => {
		const legacy = quotaPlanOf({ quotaTier: 'legacy' });
		const y2026 = quotaPlanOf({});
		const defaulted = API_METHODS.filter((m) => QUOTA_UNITS_LEGACY[m.id] === undefined).map((m) => m.id);
		expect(defaulted.every((id) => /\.(cse|sendAs\.smimeInfo)\./.test(id))).toBe(true);
		for (const id of defaulted) expect(unitsFor(legacy, METHODS_BY_ID.get(id))).toBe(CUSTOM_CALL_DEFAULT_UNITS);
		expect(unitsFor(legacy, METHODS_BY_ID.get('gmail.users.messages.get'))).toBe(5);
		expect(unitsFor(y2026, METHODS_BY_ID.get('gmail.users.messages.get'))).toBe(20);
		expect(unitsFor(y2026, METHODS_BY_ID.get('gmail.users.settings.filters.create'))).toBe(5);
		expect(unitsFor(y2026, undefined)).toBe(CUSTOM_CALL_DEFAULT_UNITS);
	});
});

describe('Path mode', () => {
	it.each([
		['', 'is empty'],
		['https://evil.example/gmail/v1/users/me/labels', 'no scheme or host'],
		['//evil.example/gmail/v1/users/me/labels', 'no scheme or host'],
		['gmail.googleapis.com/gmail/v1/users/me/labels', 'must start with gmail/v1/'],
		['gmail/v1/users/me/../../../oauth2/v3/userinfo', '"." or ".."'],
		['gmail/v1/users/me/%2E%2E/x', '"." or ".."'],
		['gmail/v1/users/me%2F..%2Fx/labels', 'encoded "/"'],
		['gmail/v1/users/me/labels?alt=media', 'Query Parameters'],
		['gmail/v1/users/me/labels#x', 'Query Parameters'],
		['gmail/v1/users/me\\labels', '"\\"'],
		['gmail/v1/users/me/lab els', 'URL path characters'],
		['gmail/v2/users/me/labels', 'must start with gmail/v1/'],
		['upload/gmail/v1/users/me/messages/send', 'must start with gmail/v1/'],
		['gmail/v1/users//labels', '"//"'],
		['gmail/v1/users/me/labels/%zz', '%XX'],
	])('refuses %j', (path, why) => {
		expect(pathProblem(path)).toContain(why);
	});

	it.each(['gmail/v1/users/me/labels', '/gmail/v1/users/alice%40example.com/messages/18c1', 'gmail/v1/users/me/settings/filters'])('accepts %j', (path) => {
		expect(pathProblem(path)).toBeUndefined();
	});

	it('finds the method of a path by its templates (a literal segment beats a parameter)', () => {
		expect(matchPath('POST', 'gmail/v1/users/me/messages/send')?.method.id).toBe('gmail.users.messages.send');
		expect(matchPath('POST', 'gmail/v1/users/me/messages/abc/trash')).toMatchObject({ method: { id: 'gmail.users.messages.trash' }, params: { userId: 'me', id: 'abc' } });
		expect(matchPath('GET', 'gmail/v1/users/alice%40example.com/settings/vacation')).toMatchObject({ method: { id: 'gmail.users.settings.getVacation' }, params: { userId: 'alice@example.com' } });
		expect(matchPath('GET', 'gmail/v1/users/me/messages/x/attachments/y')?.method.id).toBe('gmail.users.messages.attachments.get');
		expect(matchPath('DELETE', 'gmail/v1/users/me/labels')).toBeUndefined();
		expect(matchPath('GET', 'gmail/v1/users/me/nothing')).toBeUndefined();
	});

	it('fills a template with each value as one encoded segment', () => {
		const m = METHODS_BY_ID.get('gmail.users.messages.get')!;
		expect(fillPath(m, { userId: 'alice@example.com', id: 'a/b?c' })).toBe('gmail/v1/users/alice%40example.com/messages/a%2Fb%3Fc');
		expect(() => fillPath(m, { userId: 'me', id: '..' })).toThrow('".." is not a valid id');
	});
});

describe('scope refusal words', () => {
	const del = METHODS_BY_ID.get('gmail.users.messages.delete')!;
	it('names the scope and the scope set that grants it', () => {
		const words = scopeRefusal(del, ['https://www.googleapis.com/auth/gmail.readonly'], 'oAuth2')!;
		expect(words).toContain('messages.delete needs one of the scopes https://mail.google.com/');
		expect(words).toContain('"All Cards and Permanent Delete" scope set grants https://mail.google.com/');
		expect(scopeRefusal(METHODS_BY_ID.get('gmail.users.labels.create')!, ['https://www.googleapis.com/auth/gmail.readonly'], 'oAuth2')).toContain('"All Cards" scope set grants https://www.googleapis.com/auth/gmail.modify');
		expect(scopeRefusal(del, ['https://www.googleapis.com/auth/gmail.modify'], 'serviceAccount')).toContain('"All Cards and Permanent Delete" set of "Scopes for the Default User" grants https://mail.google.com/');
		expect(scopeRefusal(del, ['https://mail.google.com/'], 'oAuth2')).toBeUndefined();
	});
});
