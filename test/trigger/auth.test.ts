import type { INode } from 'n8n-workflow';

import { runPoll, setupBench } from '../bench';
import { STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from '../standin/core/directory';
import { ALICE, subjects, TriggerKit } from './kit';

/** The trigger has the action node's three Authentication choices, with the same credentials. */
const bench = setupBench();

async function serviceAccountKey(kit: TriggerKit): Promise<{ client_email: string; private_key: string }> {
	const reply = await kit.standin.dispatch({ method: 'GET', host: 'oauth2.googleapis.com', url: '/__standin/service-account-key', headers: {}, body: Buffer.alloc(0) });
	return JSON.parse(reply.body.toString()) as { client_email: string; private_key: string };
}

async function pollTwice(kit: TriggerKit, node: INode) {
	const first = await runPoll(bench.http, { node, credentials: kit.store, standin: kit.standin });
	expect(first.error).toBeUndefined();
	await kit.deliver({ subjectPrefix: node.parameters.authentication as string });
	const second = await runPoll(bench.http, { node, credentials: kit.store, standin: kit.standin, staticData: first.staticData });
	expect(second.error).toBeUndefined();
	return second;
}

describe('Gmail Workspace Trigger: authentication', () => {
	it('OAuth2 Refresh Token (Headless)', async () => {
		const kit = await TriggerKit.create(bench);
		const reference = { id: `trigger-refresh-${Date.now()}`, name: 'Headless' };
		await kit.store.add({
			...reference,
			type: 'gmailWorkspaceRefreshTokenApi',
			data: { clientId: STANDIN_CLIENT_ID, clientSecret: STANDIN_CLIENT_SECRET, refreshToken: kit.conn.refreshToken },
		});
		const node: INode = { ...kit.node({ authentication: 'refreshToken', event: 'newEmail' }), credentials: { gmailWorkspaceRefreshTokenApi: reference } };
		expect(subjects((await pollTwice(kit, node)).json)).toEqual(['refreshToken 1']);
	});

	it('Service Account Key (domain-wide delegation as the user)', async () => {
		const kit = await TriggerKit.create(bench);
		const key = await serviceAccountKey(kit);
		const reference = { id: `trigger-key-${Date.now()}`, name: 'Service account key' };
		await kit.store.add({
			...reference,
			type: 'gmailWorkspaceServiceAccountApi',
			data: { email: key.client_email, privateKey: key.private_key, delegatedEmail: ALICE },
		});
		const node: INode = { ...kit.node({ authentication: 'serviceAccount', event: 'newEmail' }), credentials: { gmailWorkspaceServiceAccountApi: reference } };
		expect(subjects((await pollTwice(kit, node)).json)).toEqual(['serviceAccount 1']);
	});
});
