import { CredentialStore, connectGmail, gmailNode, setupBench } from '../bench';
import { createStandin } from '../standin/server';
import { MODIFY_SCOPES, calls } from './modify-kit';

const bench = setupBench();

describe('the label dropdown of every card (getLabels)', () => {
	it('survives a 429: the transport waits for Retry-After and asks again (n8n #24495)', async () => {
		const standin = createStandin({ noCorpus: true });
		const credentials = new CredentialStore();
		const alice = await connectGmail(standin, credentials, { scopes: MODIFY_SCOPES });
		const node = gmailNode({ name: 'Add Labels', parameters: { resource: 'message', operation: 'addLabels' }, credential: alice.reference });
		standin.faults.push({ match: { routeId: 'gmail.users.labels.list' }, nth: [1, 2], action: 429, retryAfter: 1 });

		const started = Date.now();
		const options = await bench.loadOptions({ node, method: 'getLabels', credentials, standin });

		expect(options.map((o) => o.name)).toEqual(expect.arrayContaining(['INBOX', 'Receipts', 'Projects/Alpha']));
		expect(options.find((o) => o.name === 'Projects/Alpha')?.value).toBe('Label_2');
		expect(calls(standin, 'gmail.users.labels.list').map((e) => e.status)).toEqual([429, 429, 200]);
		expect(Date.now() - started).toBeGreaterThanOrEqual(1900);
	});
});
