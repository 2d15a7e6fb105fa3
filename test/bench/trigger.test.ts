import type { IDataObject, INodeType, INodeTypeDescription, ITriggerFunctions, ITriggerResponse } from 'n8n-workflow';
import { NodeConnectionTypes, sleep } from 'n8n-workflow';

import { createStandin } from '../standin/server';
import type { Standin } from '../standin/core/standin';
import { CredentialStore, NODE_TYPES, connectGmail, gmailNode, setupBench, type Connection } from '.';
import { runTrigger } from './trigger';
import * as registry from './types/registry';

/**
 * The trigger harness: n8n-core's TriggerContext around a node type's trigger(). The harness is tested on
 * its own, apart from the Gmail Workspace Trigger's instant mode: a test-only "ticker" (added to the
 * registry through a spy, no shared file touched) reads the Gmail profile with n8n's authenticated helper every `everyMs`, counts in static
 * data and emits; a failed read goes to emitError; closeFunction stops the loop and waits for it.
 */

const bench = setupBench();

const TICKER = `${registry.BENCH_PACKAGE}.benchTicker`;
let closeCalls = 0;
let activations: Array<{ mode: string; activation: string }> = [];

class BenchTicker implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Bench Ticker',
		name: 'benchTicker',
		group: ['trigger'],
		version: 1,
		description: 'Bench fixture',
		defaults: { name: 'Ticker' },
		inputs: [],
		outputs: [NodeConnectionTypes.Main],
		credentials: [{ name: 'gmailWorkspaceOAuth2Api', required: true }],
		properties: [
			{ displayName: 'Every (ms)', name: 'everyMs', type: 'number', default: 20 },
			{ displayName: 'Fail Activation', name: 'failActivation', type: 'boolean', default: false },
		],
	};

	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		if (this.getNodeParameter('failActivation') as boolean) throw new Error('ticker: activation refused');
		activations.push({ mode: this.getMode(), activation: this.getActivationMode() });
		const everyMs = this.getNodeParameter('everyMs') as number;
		const state = this.getWorkflowStaticData('node');
		let stopped = false;
		const loop = (async () => {
			while (!stopped) {
				try {
					const profile = (await this.helpers.httpRequestWithAuthentication.call(this, 'gmailWorkspaceOAuth2Api', {
						url: 'https://gmail.googleapis.com/gmail/v1/users/me/profile',
						json: true,
					})) as IDataObject;
					state.ticks = ((state.ticks as number | undefined) ?? 0) + 1;
					this.emit([[{ json: { tick: state.ticks, emailAddress: profile.emailAddress } }]]);
				} catch (error) {
					this.emitError(error as Error);
				}
				await sleep(everyMs);
			}
		})();
		return {
			closeFunction: async () => {
				closeCalls++;
				stopped = true;
				await loop;
			},
		};
	}
}

let standin: Standin;
let store: CredentialStore;
let alice: Connection;

beforeAll(() => {
	const load = registry.loadTypes;
	jest.spyOn(registry, 'loadTypes').mockImplementation(() => {
		const types = load();
		types.nodeTypes.add(registry.BENCH_PACKAGE, new BenchTicker());
		return types;
	});
});
afterAll(() => jest.restoreAllMocks());

beforeEach(async () => {
	closeCalls = 0;
	activations = [];
	standin = createStandin({ noCorpus: true });
	store = new CredentialStore();
	alice = await connectGmail(standin, store, { email: 'alice@example.com' });
	standin.log.length = 0;
});

const ticker = (parameters: IDataObject = {}) =>
	gmailNode({ name: 'Ticker', type: TICKER, parameters: { everyMs: 20, ...parameters }, credential: alice.reference });

test('activation runs trigger() with the token; each emit is recorded with the static data n8n would save; close stops it', async () => {
	const handle = await runTrigger(bench.http, { node: ticker(), credentials: store, standin, staticData: { 'node:Ticker': { ticks: 10 } } });
	try {
		await handle.waitFor((h) => h.emits.length >= 3, 5000, 'three emits');
	} finally {
		await handle.close();
	}
	const settled = handle.emits.length;

	expect(activations).toEqual([{ mode: 'trigger', activation: 'activate' }]);
	expect(handle.emits.slice(0, 3).map((e) => e.items.map((i) => i.json))).toEqual([
		[{ tick: 11, emailAddress: 'alice@example.com' }],
		[{ tick: 12, emailAddress: 'alice@example.com' }],
		[{ tick: 13, emailAddress: 'alice@example.com' }],
	]);
	expect(handle.emits.slice(0, 3).map((e) => e.staticData)).toEqual([11, 12, 13].map((ticks) => ({ 'node:Ticker': { ticks } })));
	// A snapshot, not a live view: later ticks did not change what the first emit saw.
	expect(handle.staticData()).toEqual({ 'node:Ticker': { ticks: 10 + settled } });
	expect(handle.emits.every((e, i) => i === 0 || e.at >= handle.emits[i - 1].at)).toBe(true);
	// Every request went to the stand-in with the stored token, one per emit.
	expect(handle.exchanges).toHaveLength(settled);
	expect(new Set(handle.exchanges.map((x) => x.bearer))).toEqual(new Set([alice.accessToken]));
	expect(standin.log.map((e) => e.routeId)).toEqual(Array(settled).fill('gmail.users.getProfile'));
	expect(handle.errors).toEqual([]);

	// Closed: closeFunction ran once (close is idempotent), routing is off, the loop made no more requests.
	await handle.close();
	expect(closeCalls).toBe(1);
	expect(handle.closed).toBe(true);
	expect(bench.http.active).toBeUndefined();
	await sleep(80);
	expect(handle.emits).toHaveLength(settled);
	expect(standin.log).toHaveLength(settled);
});

test('failures reach emitError; onEmit runs synchronously inside emit; manual mode is activation "manual"', async () => {
	standin.faults.push({ match: { routeId: 'gmail.users.getProfile' }, nth: [1], action: 500 });
	const seen: number[] = [];
	const handle = await runTrigger(bench.http, {
		node: ticker(),
		credentials: store,
		standin,
		mode: 'manual',
		onEmit: (emit, h) => seen.push(emit.items.length, h.emits.length),
	});
	try {
		await handle.waitFor((h) => h.emits.length >= 1, 5000, 'an emit after the failed read');
	} finally {
		await handle.close();
	}

	expect(activations).toEqual([{ mode: 'manual', activation: 'manual' }]);
	expect(handle.errors).toHaveLength(1);
	expect(handle.errors[0]).toMatchObject({ httpCode: '500' });
	expect(handle.emits[0].items[0].json).toEqual({ tick: 1, emailAddress: 'alice@example.com' });
	expect(seen.slice(0, 2)).toEqual([1, 1]);
	expect(standin.log.map((e) => e.status).slice(0, 2)).toEqual([500, 200]);
});

test('waitFor rejects after its timeout naming what it waited for and what the trigger did', async () => {
	const handle = await runTrigger(bench.http, { node: ticker({ everyMs: 1000 }), credentials: store, standin });
	try {
		await handle.waitFor((h) => h.emits.length >= 1, 5000, 'the first emit');
		const started = Date.now();
		await expect(handle.waitFor((h) => h.emits.length >= 5, 100, 'five emits')).rejects.toThrow(
			'bench: waited 100 ms for five emits; the trigger emitted 1 time(s), reported 0 error(s)',
		);
		expect(Date.now() - started).toBeGreaterThanOrEqual(100);
		await expect(handle.waitFor((h) => h.errors.length > 0, 40)).rejects.toThrow('h.errors.length > 0');
	} finally {
		await handle.close();
	}
});

test('a node type without trigger(), a failed activation and a second trigger are refused clearly', async () => {
	await expect(
		runTrigger(bench.http, { node: gmailNode({ name: 'Gmail', type: NODE_TYPES.gmailWorkspace }), credentials: store, standin }),
	).rejects.toThrow(`bench: ${NODE_TYPES.gmailWorkspace} has no trigger()`);

	await expect(runTrigger(bench.http, { node: ticker({ failActivation: true }), credentials: store, standin })).rejects.toThrow(
		'ticker: activation refused',
	);
	expect(bench.http.active).toBeUndefined();

	const first = await runTrigger(bench.http, { node: ticker(), credentials: store, standin });
	try {
		await expect(runTrigger(bench.http, { node: ticker(), credentials: store, standin })).rejects.toThrow(
			'a trigger is already running',
		);
		expect(bench.http.active).toBe(standin);
	} finally {
		await first.close();
	}
	const again = await runTrigger(bench.http, { node: ticker(), credentials: store, standin });
	await again.close();
	expect(activations).toHaveLength(2);
});
