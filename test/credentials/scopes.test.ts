import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Workflow, type INode, type INodeTypes } from 'n8n-workflow';

import { GmailWorkspaceOAuth2Api } from '../../credentials/GmailWorkspaceOAuth2Api.credentials';
import { ADMIN_CARD_SCOPES, GMAIL_SCOPES, KNOWN_SCOPES, SCOPE_PRESETS, unknownScopes } from '../../credentials/scopes';

const discovery = JSON.parse(readFileSync(resolve(__dirname, '../../../shared/corpus/gmail-v1-discovery.json'), 'utf8'));

/** Every method of the discovery document with its scopes. */
function methods(node: any, out: Array<{ id: string; scopes: string[] }> = []) {
	for (const m of Object.values<any>(node.methods ?? {})) out.push({ id: m.id, scopes: m.scopes ?? [] });
	for (const r of Object.values<any>(node.resources ?? {})) methods(r, out);
	return out;
}
const byId = new Map(methods(discovery).map((m) => [m.id, m.scopes]));

/** Resolve the credential's hidden `scope` the way n8n resolves credential expressions ($self = the credential's data). */
function resolveScope(data: Record<string, unknown>): string {
	const cred = new GmailWorkspaceOAuth2Api();
	const expr = cred.properties.find((p) => p.name === 'scope')!.default as string;
	const node: INode = { id: 'n', name: 'n', type: 'x', typeVersion: 1, position: [0, 0], parameters: {} };
	const nodeTypes = { getByName: () => undefined, getByNameAndVersion: () => undefined, getKnownTypes: () => ({}) } as unknown as INodeTypes;
	const wf = new Workflow({ nodes: [node], connections: {}, active: false, nodeTypes });
	return wf.expression.getComplexParameterValue(node, expr, 'internal', {}, undefined, undefined, data) as string;
}

describe('scope catalogue', () => {
	it("lists exactly the Gmail scopes of Google's discovery document", () => {
		expect([...GMAIL_SCOPES].sort()).toEqual(Object.keys(discovery.auth.oauth2.scopes).sort());
	});

	it('flags unknown scopes and accepts the identity and cloud scopes', () => {
		expect(unknownScopes(['openid', 'email', 'https://www.googleapis.com/auth/cloud-platform', 'https://www.googleapis.com/auth/gmail.send'])).toEqual([]);
		expect(unknownScopes(['https://www.googleapis.com/auth/gmail.everything', 'gmail.readonly'])).toEqual([
			'https://www.googleapis.com/auth/gmail.everything',
			'gmail.readonly',
		]);
		for (const preset of Object.values(SCOPE_PRESETS)) expect(unknownScopes([...preset])).toEqual([]);
	});

	const allows = (scopes: readonly string[], id: string) => byId.get(id)!.some((s) => scopes.includes(s));

	it.each([
		['read', ['gmail.users.messages.get', 'gmail.users.messages.list', 'gmail.users.messages.attachments.get', 'gmail.users.labels.list']],
		['send', ['gmail.users.messages.send', 'gmail.users.settings.sendAs.list', 'gmail.users.messages.get']],
		['readSend', ['gmail.users.messages.get', 'gmail.users.messages.send', 'gmail.users.settings.sendAs.list']],
		['all', ['gmail.users.messages.get', 'gmail.users.messages.list', 'gmail.users.messages.send', 'gmail.users.settings.sendAs.list']],
	] as const)('preset %s allows every method its cards call (per discovery)', (preset, ids) => {
		for (const id of ids) expect([id, allows(SCOPE_PRESETS[preset], id)]).toEqual([id, true]);
	});

	it('the read preset cannot send and the send preset cannot read bodies', () => {
		expect(allows(SCOPE_PRESETS.read, 'gmail.users.messages.send')).toBe(false);
		expect(SCOPE_PRESETS.send).not.toContain('https://www.googleapis.com/auth/gmail.readonly');
	});

	it.each([
		['delegates', ['gmail.users.settings.delegates.create', 'gmail.users.settings.delegates.list', 'gmail.users.settings.delegates.delete']],
		['forwarding', ['gmail.users.settings.forwardingAddresses.create', 'gmail.users.settings.updateAutoForwarding', 'gmail.users.settings.getAutoForwarding']],
		['vacation', ['gmail.users.settings.updateVacation', 'gmail.users.settings.getVacation']],
		['sendAs', ['gmail.users.settings.sendAs.create', 'gmail.users.settings.sendAs.get', 'gmail.users.settings.sendAs.delete']],
		['settings', ['gmail.users.settings.updateImap', 'gmail.users.settings.updatePop', 'gmail.users.settings.updateLanguage', 'gmail.users.settings.sendAs.patch', 'gmail.users.settings.updateAutoForwarding']],
	] as const)('admin card %s asks the service account for scopes that allow its methods', (card, ids) => {
		for (const id of ids) expect([id, allows(ADMIN_CARD_SCOPES[card], id)]).toEqual([id, true]);
	});

	it('KNOWN_SCOPES has no duplicates', () => {
		expect(new Set(KNOWN_SCOPES).size).toBe(KNOWN_SCOPES.length);
	});
});

describe('the credential sends the chosen scope set', () => {
	it.each(Object.keys(SCOPE_PRESETS))('preset %s', (preset) => {
		expect(resolveScope({ scopeSet: preset })).toBe(SCOPE_PRESETS[preset as keyof typeof SCOPE_PRESETS].join(' '));
	});

	it('defaults to All Cards', () => {
		expect(resolveScope({})).toBe(SCOPE_PRESETS.all.join(' '));
	});

	it('normalises a custom list separated by commas, spaces and new lines', () => {
		expect(resolveScope({ scopeSet: 'custom', customScopes: 'openid,  email\nhttps://www.googleapis.com/auth/gmail.readonly' })).toBe(
			'openid email https://www.googleapis.com/auth/gmail.readonly',
		);
	});
});
