import { SCOPE_PRESETS } from '../../credentials/scopes';
import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, setupBench } from '../bench';
import { createStandin } from '../standin/server';

const bench = setupBench();

const send = { resource: 'message', operation: 'send', to: 'bob@example.com', subject: 'x', emailType: 'text', message: 'y' };
const search = { resource: 'message', operation: 'search', limit: 1 };

async function run(standin: ReturnType<typeof createStandin>, parameters: object, scopes?: readonly string[]) {
	const store = new CredentialStore();
	const conn = await connectGmail(standin, store, { email: 'alice@example.com', scopes: scopes as string[] | undefined });
	const result = await bench.run(chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters: parameters as never, credential: conn.reference })), {
		credentials: store,
		standin,
	});
	return { result, conn };
}

describe('errors a user can act on', () => {
	it('a Read Only credential used by Send Email names the missing scope and the scope set that grants it', async () => {
		const standin = createStandin({ noCorpus: true });
		const { result } = await run(standin, send, SCOPE_PRESETS.read);
		expect(result.status).toBe('error');
		expect(result.error?.message).toMatch(/missing a Google permission \(scope\)/);
		expect(result.error?.message).toContain('https://www.googleapis.com/auth/gmail.send');
		expect(result.error?.message).toContain('Choose the "Read and Send" scope set');
	});

	it('a Send Only credential used by Search Emails names the missing scope', async () => {
		const standin = createStandin({ noCorpus: true });
		const { result } = await run(standin, search, SCOPE_PRESETS.send);
		expect(result.status).toBe('error');
		expect(result.error?.message).toContain('https://www.googleapis.com/auth/gmail.readonly');
	});

	it.each([
		// n8n-core reports both as one "needs to be reconnected" error (the invalid_rapt subtype does not reach the node)
		['revoked', /reconnect the account.*session-control \(reauthentication\) policy/],
		['rapt', /reconnect the account.*session-control \(reauthentication\) policy/],
	])('a %s refresh token asks the user to reconnect and names the session-control cause', async (state, message) => {
		const standin = createStandin({ noCorpus: true });
		const store = new CredentialStore();
		const conn = await connectGmail(standin, store);
		standin.tokens.expireAll();
		await standin.dispatch({
			method: 'POST', host: 'oauth2.googleapis.com', url: '/__standin/refresh-token', headers: { 'content-type': 'application/json' },
			body: Buffer.from(JSON.stringify({ refresh_token: conn.refreshToken, state })),
		});
		const result = await bench.run(chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters: search as never, credential: conn.reference })), { credentials: store, standin });
		expect(result.status).toBe('error');
		expect(`${result.error?.message} ${result.error?.description ?? ''}`).toMatch(message);
	});

	it('no token or secret appears in outputs or errors', async () => {
		const standin = createStandin({ noCorpus: true });
		const store = new CredentialStore();
		const conn = await connectGmail(standin, store);
		const ok = await bench.run(chain(manualTrigger(), gmailNode({ name: 'Gmail', parameters: { ...search, limit: 3 } as never, credential: conn.reference })), { credentials: store, standin });
		const bad = await run(standin, send, SCOPE_PRESETS.read);
		const text = JSON.stringify([ok.nodes, ok.error, bad.result.nodes, bad.result.error]);
		for (const secret of [conn.accessToken, conn.refreshToken, bad.conn.accessToken, bad.conn.refreshToken, 'standin-client-secret']) {
			expect(text).not.toContain(secret);
		}
	});
});
