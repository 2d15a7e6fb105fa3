import { createHash, randomBytes } from 'node:crypto';
import { request as httpsRequest } from 'node:https';

import axios from 'axios';

import type { Standin } from '../standin/core/standin';
import { createStandin } from '../standin/server';
import { CredentialStore, NODE_TYPES, chain, connectGmail, gmailNode, manualTrigger, setupBench, type BinaryMode, type Connection } from '.';
import { ECHO_URL, echoModule } from './fixtures/echo-module';

/** The bench's HTTP routing: byte-exact bodies both ways through n8n-core, and the fail-closed guard. */

const bench = setupBench();
const MiB = 1024 * 1024;
const download = randomBytes(MiB);

let standin: Standin;
let store: CredentialStore;
let alice: Connection;

beforeEach(async () => {
	standin = createStandin({ noCorpus: true }, [echoModule(download)]);
	store = new CredentialStore();
	alice = await connectGmail(standin, store);
});

const sha256 = (b: Buffer) => createHash('sha256').update(b).digest('hex');
const probe = (parameters: Record<string, string | number>) =>
	chain(manualTrigger(), gmailNode({ name: 'Probe', type: NODE_TYPES.gmailProbe, parameters, credential: alice.reference }));

describe.each<BinaryMode>(['default', 'filesystem'])('binary data in %s mode', (binaryMode) => {
	test('a random 1 MiB upload reaches the stand-in byte for byte', async () => {
		const result = await bench.run(probe({ operation: 'upload', url: ECHO_URL, size: MiB }), { credentials: store, standin, binaryMode });

		expect(result.error).toBeUndefined();
		const { sent, answer } = result.nodes.Probe.json[0] as { sent: { sha256: string; bytes: number }; answer: Record<string, unknown> };
		expect(sent.bytes).toBe(MiB);
		expect(answer).toEqual({ bytes: MiB, sha256: sent.sha256, contentType: 'application/octet-stream' });
		const [exchange] = result.exchanges;
		expect(exchange.requestBody.length).toBe(MiB);
		expect(exchange.bearer).toBe(alice.accessToken);
		// The item's binary, read back through n8n's binary data service, is what was sent.
		expect(sha256(await result.binaryBuffer('Probe'))).toBe(sent.sha256);
		const stored = result.nodes.Probe.binary[0].data;
		if (binaryMode === 'filesystem') expect(stored).toMatchObject({ id: expect.stringMatching(/^filesystem-v2:/), bytes: MiB });
		else expect(Buffer.from(stored.data, 'base64').length).toBe(MiB);
	});

	test('a 1 MiB binary download arrives intact', async () => {
		const result = await bench.run(probe({ operation: 'download', url: ECHO_URL }), { credentials: store, standin, binaryMode });

		expect(result.error).toBeUndefined();
		expect(result.nodes.Probe.json[0]).toEqual({ bytes: MiB, sha256: sha256(download) });
		expect((await result.binaryBuffer('Probe')).equals(download)).toBe(true);
	});
});

describe('fail-closed guard', () => {
	test('a node calling a non-Google host fails and is reported', async () => {
		const result = await bench.run(probe({ operation: 'download', url: 'https://example.com/leak' }), { credentials: store, standin });

		expect(result.status).toBe('error');
		expect(bench.takeViolations()).toEqual([
			expect.objectContaining({ kind: 'blocked-host', method: 'GET', url: 'https://example.com/leak' }),
		]);
		expect(result.exchanges).toEqual([]);
	});

	test('a Google host path with no stand-in route gets Google 404 and is reported', async () => {
		const url = 'https://gmail.googleapis.com/gmail/v1/users/me/no-such-thing';
		const result = await bench.run(probe({ operation: 'download', url }), { credentials: store, standin });

		expect(result.status).toBe('error');
		expect(result.exchanges.map((x) => x.status)).toEqual([404]);
		expect(bench.takeViolations()).toEqual([expect.objectContaining({ kind: 'unrouted', url })]);
	});

	test('HTTP outside a run is refused whatever the client: axios, node:https, fetch', async () => {
		await expect(axios.get('https://gmail.googleapis.com/gmail/v1/users/me/profile')).rejects.toThrow(/no stand-in is active/);
		await expect(
			new Promise((resolve, reject) => httpsRequest('https://registry.npmjs.org/', resolve).on('error', reject).end()),
		).rejects.toThrow(/non-Google host registry\.npmjs\.org blocked/);
		await expect(fetch('http://169.254.169.254/latest/meta-data/')).rejects.toThrow();
		expect(bench.takeViolations().map((v) => v.kind)).toEqual(['no-standin', 'blocked-host', 'blocked-host']);
	});
});

describe("the stand-in's fault knobs apply to routed requests", () => {
	const profileUrl = 'https://gmail.googleapis.com/gmail/v1/users/me/profile';
	const get = () => axios.get(profileUrl, { headers: { authorization: `Bearer ${alice.accessToken}` }, timeout: 300 });
	const match = { routeId: 'gmail.users.getProfile' };

	beforeEach(() => bench.http.use(standin));
	afterEach(() => bench.http.use(undefined));

	test('503 with Retry-After, then the next call succeeds', async () => {
		standin.faults = [{ match, nth: [1], action: 503, retryAfter: 7 }];
		await expect(get()).rejects.toMatchObject({ response: { status: 503, headers: { 'retry-after': '7' } } });
		await expect(get()).resolves.toMatchObject({ status: 200, data: { emailAddress: 'alice@example.com' } });
	});

	test('a connection reset surfaces as ECONNRESET', async () => {
		standin.faults = [{ match, nth: [1], action: 'reset' }];
		await expect(get()).rejects.toMatchObject({ code: 'ECONNRESET' });
		await expect(get()).resolves.toMatchObject({ status: 200 });
	});

	test('a hung request ends at the client timeout', async () => {
		standin.faults = [{ match, nth: [1], action: 'hang' }];
		await expect(get()).rejects.toMatchObject({ code: 'ECONNABORTED' });
		expect(bench.http.hangingRequests).toBe(0); // the client's abort released the held request
		await expect(get()).resolves.toMatchObject({ status: 200 });
	});
});
