import { CredentialStore, connectGmail, gmailNode, setupBench } from '../bench';
import { createStandin } from '../standin/server';

const bench = setupBench();

describe('dropdowns loaded from the account (loadOptions through n8n-core)', () => {
	it('labels: system labels first, then the user labels of the connected mailbox', async () => {
		const standin = createStandin({ noCorpus: true });
		const credentials = new CredentialStore();
		const alice = await connectGmail(standin, credentials);
		const node = gmailNode({ name: 'Search', parameters: { authentication: 'oAuth2', resource: 'message', operation: 'search' }, credential: alice.reference });

		const options = await bench.loadOptions({ node, method: 'getLabels', credentials, standin });

		const names = options.map((o) => o.name);
		expect(names).toEqual(expect.arrayContaining(['INBOX', 'SENT', 'Receipts', 'Projects/Alpha']));
		expect(names.indexOf('INBOX')).toBeLessThan(names.indexOf('Receipts'));
		expect(options.find((o) => o.name === 'Receipts')?.value).toMatch(/^Label_/);
		expect(standin.log.filter((e) => e.routeId === 'gmail.users.labels.list').map((e) => e.subject)).toEqual(['alice@example.com']);
	});

	it('send-as aliases: the primary address first', async () => {
		const standin = createStandin({ noCorpus: true });
		const credentials = new CredentialStore();
		const alice = await connectGmail(standin, credentials);
		const node = gmailNode({ name: 'Send', parameters: { resource: 'message', operation: 'send' }, credential: alice.reference });

		const options = await bench.loadOptions({ node, method: 'getSendAs', credentials, standin });

		expect(options[0]).toEqual({ name: 'Alice Example <alice@example.com>', value: 'alice@example.com' });
	});
});
