import type { IDataObject, INode, INodeProperties, INodeTypeDescription } from 'n8n-workflow';
import { NodeHelpers } from 'n8n-workflow';

import { setupBench } from '../bench';
import { gmailState } from '../standin/gmail/common';
import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { GmailWorkspaceV1 } from '../../nodes/GmailWorkspace/v1/GmailWorkspaceV1.node';
import { cardWorkflow, storedMessage } from './helpers';

/**
 * A model fills every $fromAI parameter of a tool (n8n's schema marks them all required), so an optional
 * field it has nothing for arrives as '' (n8n-io/n8n#15689: the built-in Gmail tool's label filter could not
 * be left empty). For each card a model would use, every optional field the card shows (top level and in its
 * collections, read from the node's own description) is set to '' and the card must still do its work.
 */

const bench = setupBench();

const description = new GmailWorkspaceV1({ displayName: 'Gmail Workspace', name: 'gmailWorkspace', group: ['transform'], description: '' })
	.description as INodeTypeDescription;

/** Parameter types a model can fill ($fromAI): n8n's editor offers it for all but fixed option lists. */
const fillable = (p: INodeProperties) =>
	!['notice', 'callout', 'resourceLocator', 'fixedCollection', 'credentialsSelect', 'hidden'].includes(p.type) &&
	!(p.type === 'options' && !p.typeOptions?.loadOptionsMethod) &&
	!p.noDataExpression;

/** `required` plus '' for every optional field the card shows with those values. */
function withEmptyOptionals(required: IDataObject): { parameters: IDataObject; emptied: string[] } {
	const node = { name: 'Gmail', type: 'n8n-nodes-gmail-workspace.gmailWorkspace', typeVersion: 1, parameters: required } as unknown as INode;
	const parameters: IDataObject = { ...required };
	const emptied: string[] = [];
	for (const p of description.properties) {
		if (p.name in required || p.required) continue;
		if (!NodeHelpers.displayParameter(required as never, p, node, description)) continue;
		if (p.type === 'collection') {
			const options = (p.options as INodeProperties[]).filter((o) => fillable(o) && !o.typeOptions?.multipleValues);
			if (!options.length) continue;
			parameters[p.name] = Object.fromEntries(options.map((o) => [o.name, '']));
			emptied.push(...options.map((o) => `${p.name}.${o.name}`));
		} else if (fillable(p)) {
			parameters[p.name] = '';
			emptied.push(p.name);
		}
	}
	return { parameters, emptied };
}

async function runCard(standin: Standin, required: IDataObject) {
	const { parameters, emptied } = withEmptyOptionals(required);
	const { store, workflow } = await cardWorkflow(standin, parameters as never);
	const result = await bench.run(workflow, { credentials: store, standin });
	return { result, emptied, json: result.nodes.Gmail?.json ?? [] };
}

const id = (value: string) => ({ __rl: true, mode: 'id', value });
const report = (standin: Standin) => storedMessage(standin, 'alice@example.com', /Subject: Quarterly report\r\n/);
const text = { emailType: 'text', message: 'Noted, thanks.' };

const CARDS: Array<{ card: string; required: (s: Standin) => IDataObject; check: (s: Standin, json: IDataObject[]) => void }> = [
	{
		card: 'message.search',
		required: () => ({ resource: 'message', operation: 'search' }),
		check: (s, json) => expect(json.length).toBe(Math.min(50, [...gmailState(s).mailbox('alice@example.com')!.messages.values()].filter((m) => !m.labelIds.some((l) => ['SPAM', 'TRASH'].includes(l))).length)),
	},
	{ card: 'message.read', required: (s) => ({ resource: 'message', operation: 'read', messageId: id(report(s).id) }), check: (s, json) => expect(json[0].id).toBe(report(s).id) },
	{
		card: 'message.send',
		required: () => ({ resource: 'message', operation: 'send', to: 'bob@example.com', subject: 'Optional fields left empty', ...text }),
		check: (s) => expect(storedMessage(s, 'bob@example.com', /Subject: Optional fields left empty/).labelIds).toContain('INBOX'),
	},
	{
		card: 'message.reply',
		required: (s) => ({ resource: 'message', operation: 'reply', messageId: id(report(s).id), ...text }),
		check: (s, json) => expect(gmailState(s).mailbox('alice@example.com')!.messages.get(json[0].id as string)!.threadId).toBe(report(s).threadId),
	},
	{
		card: 'message.forward',
		required: (s) => ({ resource: 'message', operation: 'forward', messageId: id(report(s).id), to: 'dave@example.com', emailType: 'text' }),
		check: (s) => expect(storedMessage(s, 'dave@example.com', /Subject: Fwd: Quarterly report/).labelIds).toContain('INBOX'),
	},
	{
		card: 'message.addLabels',
		required: (s) => ({ resource: 'message', operation: 'addLabels', messageId: id(report(s).id), labelIds: 'Receipts' }),
		check: (s) => {
			const mb = gmailState(s).mailbox('alice@example.com')!;
			expect(report(s).labelIds).toContain([...mb.labels.values()].find((l) => l.name === 'Receipts')!.id);
		},
	},
	{ card: 'thread.search', required: () => ({ resource: 'thread', operation: 'search' }), check: (_s, json) => expect(json.length).toBeGreaterThan(1) },
	{ card: 'thread.get', required: (s) => ({ resource: 'thread', operation: 'get', threadId: id(report(s).threadId) }), check: (s, json) => expect(json[0].id).toBe(report(s).threadId) },
	{
		card: 'thread.reply',
		required: (s) => ({ resource: 'thread', operation: 'reply', threadId: id(report(s).threadId), ...text }),
		check: (s, json) => expect(json[0].threadId).toBe(report(s).threadId),
	},
	{
		card: 'draft.create',
		required: () => ({ resource: 'draft', operation: 'create', to: 'bob@example.com', subject: 'Draft with empty optionals', ...text }),
		check: (s, json) => expect(gmailState(s).mailbox('alice@example.com')!.drafts.has(json[0].id as string)).toBe(true),
	},
	{ card: 'draft.list', required: () => ({ resource: 'draft', operation: 'list' }), check: (s, json) => expect(json.length).toBe(gmailState(s).mailbox('alice@example.com')!.drafts.size) },
	{ card: 'label.list', required: () => ({ resource: 'label', operation: 'list' }), check: (_s, json) => expect(json.map((l) => l.name)).toContain('Receipts') },
];

describe('optional fields left empty, as a tool call fills them', () => {
	it.each(CARDS)('$card', async ({ required, check }) => {
		const standin = createStandin({ noCorpus: true });
		const { result, emptied, json } = await runCard(standin, required(standin));
		expect(result.error).toBeUndefined();
		expect(emptied.length).toBeGreaterThan(0);
		check(standin, json);
	});

	it('the cards above leave out no field a model may fill', () => {
		const standin = createStandin({ noCorpus: true });
		const all = CARDS.flatMap(({ card, required }) => withEmptyOptionals(required(standin)).emptied.map((f) => `${card}:${f}`));
		console.log(`optional fields set to '': ${all.length}\n  ${all.join('\n  ')}`);
		// the label filter of #15689, the recipients' options and the search filters are among them
		expect(all).toEqual(expect.arrayContaining(['message.search:filters.labelIds', 'message.search:filters.sender', 'message.send:options.cc', 'thread.search:filters.labelIds', 'draft.create:options.cc']));
	});
});
