import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { Workflow, type INode, type INodeTypes } from 'n8n-workflow';

import { GmailWorkspaceOAuth2Api } from '../../credentials/GmailWorkspaceOAuth2Api.credentials';
import { ADMIN_CARD_SCOPES, CLOUD_PLATFORM, GMAIL_SCOPES, KNOWN_SCOPES, presetsGranting, SCOPE_PRESETS, SERVICE_ACCOUNT_SCOPE_SETS, serviceAccountUserScopes, unknownScopes } from '../../credentials/scopes';
import { operations } from '../../nodes/GmailWorkspace/v1/actions/operations';
import { GmailWorkspaceServiceAccountApi } from '../../credentials/GmailWorkspaceServiceAccountApi.credentials';

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

/**
 * The least-scope test: the Gmail methods each card calls on the connection's own token (admin cards call theirs
 * through the service account, see ADMIN_CARD_SCOPES) and the cards each preset is for. Every preset must allow
 * every method of its cards (per the discovery document's scopes) and hold no Gmail scope it could drop.
 */
const M = (...ids: string[]) => ids.map((id) => `gmail.users.${id}`);
const MODIFY_CARD = M('messages.modify', 'messages.batchModify', 'messages.get', 'labels.list', 'labels.create');
const CARD_METHODS: Record<string, string[]> = {
	'message.read': M('messages.get', 'messages.attachments.get', 'labels.list'),
	'message.search': M('messages.list', 'messages.get', 'labels.list'),
	'message.send': M('messages.send', 'settings.sendAs.list', 'messages.get'),
	'message.sendWithAttachment': M('messages.send', 'settings.sendAs.list', 'messages.get'),
	'message.reply': M('messages.get', 'messages.send', 'settings.sendAs.list'),
	'message.forward': M('messages.get', 'messages.attachments.get', 'messages.send', 'settings.sendAs.list'),
	'message.addLabels': MODIFY_CARD,
	'message.removeLabels': MODIFY_CARD,
	'message.markAsRead': MODIFY_CARD,
	'message.markAsUnread': MODIFY_CARD,
	'message.archive': MODIFY_CARD,
	'message.moveToTrash': [...MODIFY_CARD, ...M('messages.trash')],
	'message.restoreFromTrash': [...MODIFY_CARD, ...M('messages.untrash')],
	'message.deletePermanently': M('messages.delete', 'messages.batchDelete'),
	'thread.get': M('threads.get', 'labels.list'),
	'thread.search': M('threads.list', 'threads.get', 'labels.list'),
	'thread.reply': M('threads.get', 'messages.send', 'settings.sendAs.list'),
	'thread.addLabels': M('threads.modify', 'labels.list', 'labels.create'),
	'thread.removeLabels': M('threads.modify', 'labels.list'),
	'thread.trash': M('threads.trash'),
	'thread.untrash': M('threads.untrash'),
	'label.list': M('labels.list', 'labels.get'),
	'label.create': M('labels.create', 'labels.list'),
	'label.update': M('labels.patch', 'labels.update', 'labels.get', 'labels.list'),
	'label.delete': M('labels.delete', 'labels.list'),
	'draft.create': M('drafts.create', 'settings.sendAs.list', 'messages.get'),
	'draft.get': M('drafts.get'),
	'draft.list': M('drafts.list', 'drafts.get'),
	'draft.update': M('drafts.update', 'drafts.get', 'settings.sendAs.list'),
	'draft.send': M('drafts.send'),
	'draft.delete': M('drafts.delete'),
};
// admin cards act through the service account; the connection check reads userinfo only;
// the Custom API Call checks each chosen method's scopes at run time (test/cards/custom-api.test.ts)
const NOT_ON_THE_CONNECTION = ['autoReply', 'delegate', 'forwarding', 'sendAs', 'userSettings', 'connection', 'customApi'];
const READ_CARDS = ['message.read', 'message.search', 'thread.get', 'thread.search', 'label.list', 'draft.get', 'draft.list'];
const SEND_CARDS = ['message.send', 'message.sendWithAttachment'];
const ALL_CARDS = Object.keys(CARD_METHODS);
const PRESET_CARDS: Record<keyof typeof SCOPE_PRESETS, string[]> = {
	read: READ_CARDS,
	send: SEND_CARDS,
	readSend: [...READ_CARDS, ...SEND_CARDS, 'message.reply', 'message.forward', 'thread.reply', ...ALL_CARDS.filter((c) => c.startsWith('draft.'))],
	all: ALL_CARDS.filter((c) => c !== 'message.deletePermanently'),
	full: ALL_CARDS,
	admin: [],
};

describe('least scopes per preset (every card of the node)', () => {
	const grants = (scopes: readonly string[], id: string) => {
		expect([id, byId.has(id)]).toEqual([id, true]);
		return byId.get(id)!.some((s) => scopes.includes(s));
	};

	it('every operation the node registers has its methods listed here (or acts off the connection)', () => {
		const registered = Object.entries(operations).flatMap(([r, ops]) => Object.keys(ops).map((o) => `${r}.${o}`));
		const unlisted = registered.filter((c) => !CARD_METHODS[c] && !NOT_ON_THE_CONNECTION.includes(c.split('.')[0]));
		expect(unlisted).toEqual([]);
	});

	it.each(Object.keys(PRESET_CARDS) as Array<keyof typeof SCOPE_PRESETS>)('preset %s allows every method of its cards', (preset) => {
		const refused = PRESET_CARDS[preset].flatMap((card) => CARD_METHODS[card].filter((id) => !grants(SCOPE_PRESETS[preset], id)).map((id) => `${card}: ${id}`));
		expect(refused).toEqual([]);
	});

	it.each(Object.keys(PRESET_CARDS) as Array<keyof typeof SCOPE_PRESETS>)('preset %s holds no Gmail scope it could drop', (preset) => {
		const methodIds = [...new Set(PRESET_CARDS[preset].flatMap((card) => CARD_METHODS[card]))];
		for (const scope of SCOPE_PRESETS[preset].filter((s) => GMAIL_SCOPES.includes(s))) {
			const without = SCOPE_PRESETS[preset].filter((s) => s !== scope);
			// some method of the preset's cards is granted only through this scope
			expect([scope, methodIds.some((id) => grants(SCOPE_PRESETS[preset], id) && !grants(without, id))]).toEqual([scope, true]);
		}
	});

	it('all cards but Delete Permanently run on All Cards; Delete Permanently needs the full-access scope', () => {
		expect(grants(SCOPE_PRESETS.all, 'gmail.users.messages.batchDelete')).toBe(false);
		expect(grants(SCOPE_PRESETS.full, 'gmail.users.messages.batchDelete')).toBe(true);
		expect(presetsGranting(byId.get('gmail.users.messages.delete')!)).toEqual(['full']);
		for (const preset of ['all', 'full', 'admin'] as const) expect(SCOPE_PRESETS[preset]).toContain(CLOUD_PLATFORM);
	});

	it('the new scopes sit where their cards are: modify (labels on messages, read state, archive, trash), labels, compose (drafts)', () => {
		expect(presetsGranting(byId.get('gmail.users.messages.modify')!)).toEqual(['all', 'full']);
		expect(presetsGranting(byId.get('gmail.users.labels.create')!)).toEqual(['all', 'full']);
		expect(presetsGranting(byId.get('gmail.users.drafts.create')!)).toEqual(['all', 'full', 'readSend']);
		// Send Only stays on the sensitive gmail.send (no restricted scope): no drafts, no labels
		expect(grants(SCOPE_PRESETS.send, 'gmail.users.drafts.create')).toBe(false);
	});
});

describe("the service-account credential's scopes for its default user", () => {
	it('default: the set it always asked for; the other sets and a custom list', () => {
		expect(serviceAccountUserScopes({})).toEqual([...SERVICE_ACCOUNT_SCOPE_SETS.readSend]);
		expect(serviceAccountUserScopes({ userScopeSet: 'all' })).toEqual(['https://www.googleapis.com/auth/gmail.modify']);
		expect(serviceAccountUserScopes({ userScopeSet: 'full' })).toEqual(['https://mail.google.com/']);
		expect(serviceAccountUserScopes({ userScopeSet: 'custom', userCustomScopes: 'a, b\nc' })).toEqual(['a', 'b', 'c']);
		for (const set of Object.values(SERVICE_ACCOUNT_SCOPE_SETS)) expect(unknownScopes([...set])).toEqual([]);
	});

	it('the credential offers each set', () => {
		const prop = new GmailWorkspaceServiceAccountApi().properties.find((p) => p.name === 'userScopeSet')!;
		expect((prop.options as Array<{ value: string }>).map((o) => o.value).sort()).toEqual([...Object.keys(SERVICE_ACCOUNT_SCOPE_SETS), 'custom'].sort());
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
