import './env';

import type { Standin } from '../standin/core/standin';
import { removeBenchRoot } from './env';
import { BenchHttp, type Violation } from './http';
import { loadOptions, runWorkflow, type LoadOptionsRequest, type RunOptions, type RunResult, type WorkflowJson } from './run';
import type { INodePropertyOptions } from 'n8n-workflow';

export { CredentialStore, type CredentialInput, type CredentialWrite } from './credentials';
export type { BinaryMode, NodeResult, RunError, RunOptions, RunResult, WorkflowJson } from './run';
export type { ExchangeRecord, Violation } from './http';
export { NODE_TYPES } from './types/registry';
export * from './workflow';
export { connectGmail, type Connection, type ConnectOptions } from './connect';
export { runPoll, type LogRecord, type PollOptions, type PollResult } from './poll';
export { runTrigger, type TriggerEmit, type TriggerHandle, type TriggerOptions } from './trigger';

export interface Bench {
	/** Run a workflow through n8n-core with Google traffic routed to `options.standin`. */
	run(workflow: WorkflowJson, options: RunOptions): Promise<RunResult>;
	/** Open a node's dropdown (loadOptions method) through n8n-core's LoadOptionsContext, HTTP to `standin`. */
	loadOptions(request: LoadOptionsRequest): Promise<INodePropertyOptions[]>;
	/** Requests the bench refused (non-Google host, no stand-in) or that matched no stand-in route. */
	readonly violations: readonly Violation[];
	/** Take (and clear) the violations, for a test that provokes one on purpose. */
	takeViolations(): Violation[];
	http: BenchHttp;
}

/**
 * Register the bench in a Jest test file: routes HTTP in-process from beforeAll to afterAll and
 * fails a test (afterEach) that made a request the bench refused or that matched no stand-in route.
 */
export function setupBench(): Bench {
	const http = new BenchHttp();
	beforeAll(() => http.install());
	afterEach(() => {
		const violations = http.takeViolations();
		if (violations.length) {
			throw new Error(
				`bench: ${violations.length} HTTP request(s) went where tests must not go:\n` +
					violations.map((v) => `  - [${v.kind}] ${v.detail} (${v.method} ${v.url})`).join('\n'),
			);
		}
	});
	afterAll(() => {
		http.dispose();
		removeBenchRoot();
	});
	return {
		run: (workflow, options) => runWorkflow(http, workflow, options),
		loadOptions: (request) => loadOptions(http, request),
		get violations() {
			return http.violations;
		},
		takeViolations: () => http.takeViolations(),
		http,
	};
}

export type { Standin };
