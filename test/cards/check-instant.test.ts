import { chain, connectGmail, CredentialStore, gmailNode, manualTrigger, setupBench } from '../bench';
import { setProjectSettings } from '../standin/pubsub/knobs';
import { createStandin } from '../standin/server';
import { SCOPE_PRESETS } from '../../credentials/scopes';

/** Issue #17: Check connection says whether the trigger's Instant (Pub/Sub) delivery can start, and the fix. */
const bench = setupBench();
const PROJECT = 'demo-project';
let kits = 0;

async function check(scopes: readonly string[], project: (s: ReturnType<typeof createStandin>) => void = () => {}) {
	const standin = createStandin({ noCorpus: true });
	project(standin);
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store, { email: 'alice@example.com', id: `check-instant-${++kits}`, scopes: [...scopes] });
	const workflow = chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters: { resource: 'connection', operation: 'check', instantProject: PROJECT }, credential: conn.reference }));
	const result = await bench.run(workflow, { credentials: store, standin });
	expect(result.error).toBeUndefined();
	const out = result.nodes.Gmail.json[0] as { cards: Array<{ card: string; ready: boolean; fix?: string }>; summary: string };
	return { card: out.cards.find((c) => c.card === 'Instant Trigger (Pub/Sub)'), standin };
}

describe('Check connection: Instant Trigger (Pub/Sub)', () => {
	it('ready when the scope, the API and the read right are there (a lookup of the trigger topic answered 404)', async () => {
		const { card, standin } = await check(SCOPE_PRESETS.read);
		expect(card).toEqual({ card: 'Instant Trigger (Pub/Sub)', ready: true });
		expect(standin.log.filter((e) => e.host === 'pubsub.googleapis.com').map((e) => [e.routeId, e.status])).toEqual([['pubsub.projects.topics.get', 404]]);
	});

	it('names the fix: no Pub/Sub scope, API not enabled', async () => {
		expect((await check(['https://www.googleapis.com/auth/gmail.readonly', 'openid', 'email', 'profile'])).card).toMatchObject({ ready: false, fix: expect.stringMatching(/^needs the "pubsub" or "cloud-platform" scope/) });
		expect((await check(SCOPE_PRESETS.all, (s) => setProjectSettings(s, PROJECT, { apiDisabled: true }))).card).toMatchObject({
			ready: false,
			fix: expect.stringMatching(/^The Cloud Pub\/Sub API is not enabled in project "demo-project": enable it \(https:\/\/console\.cloud\.google\.com\/apis\/library\/pubsub\.googleapis\.com\?project=demo-project\)/),
		});
		// the right to create topics is not readable without creating one: the trigger's activation names that fix
		expect((await check(SCOPE_PRESETS.all, (s) => setProjectSettings(s, PROJECT, { editorDenied: true }))).card).toEqual({ card: 'Instant Trigger (Pub/Sub)', ready: true });
	});
});
