import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import { CredentialStore, connectGmail, setupBench, type WorkflowJson } from '../bench';
import { SERVICE_ACCOUNT_EMAIL } from '../standin/core/directory';
import { createStandin } from '../standin/server';

const bench = setupBench();
const dir = join(__dirname, '../../examples');
const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();

/**
 * The demo's example workflows (one per card) run green: alice's connection for the read/send cards, the
 * admin's (with the service account) for the admin cards, as `npm run demo` connects them.
 */
describe('example workflows', () => {
	it('there is one per card', () => {
		const ops = new Set(files.flatMap((f) => (JSON.parse(readFileSync(join(dir, f), 'utf8')) as WorkflowJson).nodes.map((n) => `${n.parameters.resource}.${n.parameters.operation}`)));
		for (const op of ['message.read', 'message.search', 'message.send', 'message.sendWithAttachment', 'delegate.add', 'delegate.list', 'delegate.delete', 'forwarding.forwardEmails', 'autoReply.set', 'userSettings.update', 'connection.check', 'sendAs.add']) {
			expect([op, ops.has(op)]).toEqual([op, true]);
		}
	});

	it.each(files)('%s runs green against the stand-in', async (file) => {
		const standin = createStandin({ noCorpus: true });
		const store = new CredentialStore();
		const alice = await connectGmail(standin, store, { email: 'alice@example.com', id: 'alice' });
		const admin = await connectGmail(standin, store, { email: 'admin@example.com', id: 'admin' });
		await store.add({ ...admin.reference, type: 'gmailWorkspaceOAuth2Api', data: { ...(await store.read('admin')), serviceAccountEmail: SERVICE_ACCOUNT_EMAIL } });
		const text = readFileSync(join(dir, file), 'utf8')
			.replaceAll('__ADMIN_CREDENTIAL_ID__', admin.reference.id)
			.replaceAll('__ADMIN_CREDENTIAL_NAME__', admin.reference.name)
			.replaceAll('__CREDENTIAL_ID__', alice.reference.id)
			.replaceAll('__CREDENTIAL_NAME__', alice.reference.name);
		if (file.startsWith('07')) {
			// deleting a delegate needs one: run the add example first, as a demo user would
			const add = readFileSync(join(dir, '06-add-delegate.json'), 'utf8').replaceAll('__ADMIN_CREDENTIAL_ID__', 'admin').replaceAll('__ADMIN_CREDENTIAL_NAME__', admin.reference.name);
			expect((await bench.run(JSON.parse(add), { credentials: store, standin })).status).toBe('success');
		}

		const result = await bench.run(JSON.parse(text) as WorkflowJson, { credentials: store, standin });

		expect(result.error).toBeUndefined();
		expect(result.status).toBe('success');
		for (const [name, node] of Object.entries(result.nodes)) {
			expect([name, node.json.filter((j) => 'error' in j)]).toEqual([name, []]);
			if (name !== "When clicking ‘Execute workflow’") expect([name, node.json.length > 0]).toEqual([name, true]);
		}
	});
});
