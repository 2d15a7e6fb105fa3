import { SCOPE_PRESETS } from '../../credentials/scopes';
import { runTrigger, setupBench } from '../bench';
import { setProjectSettings } from '../standin/pubsub/knobs';
import { pubsubState } from '../standin/pubsub/state';
import { TriggerKit } from './kit';

/**
 * Issue #17: when the Cloud project is not ready for Instant delivery, activation fails with the fix in words
 * ("Instant delivery cannot start: ...") and Gmail is not watched. Each case sets the stand-in up the way
 * Google answers it (test/standin/README.md "Pub/Sub and Gmail push").
 */
const bench = setupBench();
const CLIENT_PROJECT = 'demo-project';
const PREFIX = 'Instant delivery cannot start: ';

const instant = (project = CLIENT_PROJECT) => ({
	delivery: 'instant',
	event: 'newEmail',
	cloudProject: { __rl: true, mode: 'id', value: project },
	instantOptions: { catchUpMinutes: 1 },
});

/** Activate; the activation must fail. Returns the error and what the stand-in saw. */
async function activationFailure(kit: TriggerKit, project = CLIENT_PROJECT) {
	let error: Error | undefined;
	try {
		const h = await runTrigger(bench.http, { node: kit.node(instant(project)), credentials: kit.store, standin: kit.standin, workflowId: 'wfInstantSetup' });
		await h.close();
	} catch (e) {
		error = e as Error;
	}
	if (!error) throw new Error('the activation succeeded');
	const watchCalls = kit.standin.log.filter((e) => e.routeId === 'gmail.users.watch');
	return { error, watchCalls, state: pubsubState(kit.standin).snapshot() };
}

describe('Gmail Workspace Trigger: Instant (Pub/Sub) setup problems', () => {
	it('Pub/Sub API not enabled in the project: the fix names the console page that enables it', async () => {
		const kit = await TriggerKit.create(bench);
		setProjectSettings(kit.standin, CLIENT_PROJECT, { apiDisabled: true });
		const { error, watchCalls, state } = await activationFailure(kit);
		expect(error.message).toMatch(
			new RegExp(
				`^${PREFIX}The Cloud Pub/Sub API is not enabled in project "${CLIENT_PROJECT}": enable it \\(https://console\\.cloud\\.google\\.com/apis/library/pubsub\\.googleapis\\.com\\?project=${CLIENT_PROJECT}\\)`,
			),
		);
		expect(watchCalls).toEqual([]);
		expect(state.watches).toEqual([]);
		expect(state.topics).toEqual([]);
	});

	it('the account may not create topics (no Pub/Sub role): the fix names roles/pubsub.admin', async () => {
		const kit = await TriggerKit.create(bench);
		setProjectSettings(kit.standin, CLIENT_PROJECT, { editorDenied: true });
		const { error, watchCalls, state } = await activationFailure(kit);
		expect(error.message.startsWith(`${PREFIX}The connected account may not create or read the Pub/Sub topic in project "${CLIENT_PROJECT}"`)).toBe(true);
		expect(error.message).toContain('grant it the Pub/Sub Admin role (roles/pubsub.admin) on the project');
		expect(watchCalls).toEqual([]);
		expect(state.watches).toEqual([]);
		expect(state.topics).toEqual([]);
	});

	it('an organisation policy (Domain restricted sharing) refuses gmail-api-push: the fix names the policy', async () => {
		const kit = await TriggerKit.create(bench);
		setProjectSettings(kit.standin, CLIENT_PROJECT, { orgPolicy: true });
		const { error, watchCalls, state } = await activationFailure(kit);
		expect(error.message.startsWith(`${PREFIX}An organisation policy (Domain restricted sharing, constraints/iam.allowedPolicyMemberDomains) forbids granting`)).toBe(true);
		expect(error.message).toContain('gmail-api-push@system.gserviceaccount.com');
		expect(kit.standin.log.filter((e) => e.routeId === 'pubsub.projects.topics.setIamPolicy')).toEqual([expect.objectContaining({ status: 400 })]);
		expect(watchCalls).toEqual([]);
		expect(state.watches).toEqual([]);
		// nothing was granted
		expect(state.topics).toEqual([expect.objectContaining({ policy: expect.objectContaining({ bindings: [] }) })]);
	});

	it('a credential without the pubsub or cloud-platform scope: the fix says to reconnect with such a scope set', async () => {
		const gmailOnly = SCOPE_PRESETS.all.filter((s) => !s.endsWith('/cloud-platform') && !s.endsWith('/pubsub'));
		const kit = await TriggerKit.create(bench, { scopes: gmailOnly });
		const { error, watchCalls, state } = await activationFailure(kit);
		expect(error.message).toBe(
			`${PREFIX}The connection has no Pub/Sub scope: choose a scope set that includes "pubsub" or "cloud-platform" in the credential and reconnect.`,
		);
		expect(kit.standin.log.filter((e) => e.host === 'pubsub.googleapis.com')).toEqual([
			expect.objectContaining({ status: 403, reason: 'ACCESS_TOKEN_SCOPE_INSUFFICIENT' }),
		]);
		expect(watchCalls).toEqual([]);
		expect(state.watches).toEqual([]);
	});

	it("a topic in a project that is not the OAuth client's: Gmail refuses it and the fix says to choose the client's project", async () => {
		const kit = await TriggerKit.create(bench);
		setProjectSettings(kit.standin, 'other-project-7', {});
		const { error, watchCalls, state } = await activationFailure(kit, 'other-project-7');
		expect(error.message.startsWith(`${PREFIX}Gmail only publishes to topics in the Cloud project of the OAuth client (`)).toBe(true);
		expect(error.message).toContain(`projects/${CLIENT_PROJECT}/topics/*`);
		expect(error.message).toContain('choose that project in "Cloud Project"');
		expect(watchCalls).toEqual([expect.objectContaining({ status: 400 })]);
		expect(state.watches).toEqual([]);
	});

	// Pub/Sub Editor does not hold pubsub.topics.setIamPolicy (cloud.google.com/iam/docs/roles-permissions/pubsub);
	// the stand-in's adminDenied plays an account without roles/pubsub.admin.
	it('the account may create topics but not set their policy (Pub/Sub Editor only): the grant is left to the project, and the watch says Gmail may not publish, naming both fixes', async () => {
		const kit = await TriggerKit.create(bench);
		setProjectSettings(kit.standin, CLIENT_PROJECT, { adminDenied: true });
		const { error, watchCalls, state } = await activationFailure(kit);
		expect(error.message.startsWith(`${PREFIX}Gmail may not publish to projects/${CLIENT_PROJECT}/topics/`)).toBe(true);
		expect(error.message).toContain('give the connected account the Pub/Sub Admin role (roles/pubsub.admin)');
		expect(error.message).toContain('or grant that account Pub/Sub Publisher on the project yourself');
		// the refused setIamPolicy, then Gmail's own test publish refused
		expect(kit.standin.log.filter((e) => e.routeId === 'pubsub.projects.topics.setIamPolicy').map((e) => e.status)).toEqual([403]);
		expect(watchCalls).toEqual([expect.objectContaining({ status: 403 })]);
		expect(state.watches).toEqual([]);
	});
});
