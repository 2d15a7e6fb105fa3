import type { INode, INodeCredentialsDetails, INodeParameters } from 'n8n-workflow';

import { CredentialStore, chain, connectGmail, gmailNode, manualTrigger, type Bench, type ExchangeRecord, type RunResult, type WorkflowJson } from '../bench';
import { SERVICE_ACCOUNT_EMAIL } from '../standin/core/directory';
import type { Standin } from '../standin/core/standin';
import { settingsOf, type UserSettings } from '../standin/gmail/settings-common';
import { createStandin } from '../standin/server';

/** Helpers of the admin card tests (delegates, forwarding, auto reply, user settings). */

export const ADMIN = 'admin@example.com';
export const ALICE = 'alice@example.com';
export const BOB = 'bob@example.com';

// Token and pre-flight caches live per credential id in the process: every test gets fresh ids.
let counter = 0;
const nextId = (prefix: string) => `${prefix}-${++counter}-${Date.now().toString(36)}`;

export type Route = 'oauth' | 'key';

export interface AdminSetup {
	standin: Standin;
	store: CredentialStore;
	/** Build a node of the given card on this setup's credential. */
	node(name: string, parameters: Record<string, unknown>, extra?: Partial<INode>): INode;
	/** Manual Trigger → the given nodes. */
	workflow(...nodes: INode[]): WorkflowJson;
	run(bench: Bench, workflow: WorkflowJson): Promise<RunResult>;
	settings(user: string): UserSettings;
}

/**
 * A fresh stand-in and one credential: `oauth` = admin@example.com's OAuth2 connection ("All Cards" scope
 * set, service account set in the credential); `key` = the service account's JSON key credential.
 */
export async function adminSetup(route: Route, options: { connectAs?: string; serviceAccountEmail?: string; scopes?: string[] } = {}): Promise<AdminSetup> {
	const standin = createStandin({ noCorpus: true });
	const store = new CredentialStore();
	let credentials: INode['credentials'];
	let authentication: string;
	if (route === 'oauth') {
		const conn = await connectGmail(standin, store, { email: options.connectAs ?? ADMIN, id: nextId('oauth'), scopes: options.scopes });
		const data = await store.read(conn.reference.id);
		await store.add({
			...conn.reference,
			type: 'gmailWorkspaceOAuth2Api',
			data: { ...data, serviceAccountEmail: options.serviceAccountEmail ?? SERVICE_ACCOUNT_EMAIL },
		});
		credentials = { gmailWorkspaceOAuth2Api: conn.reference };
		authentication = 'oAuth2';
	} else {
		const reply = await standin.dispatch({ method: 'GET', host: 'oauth2.googleapis.com', url: '/__standin/service-account-key', headers: {}, body: Buffer.alloc(0) });
		const key = JSON.parse(reply.body.toString()) as { client_email: string; private_key: string };
		const reference: INodeCredentialsDetails & { id: string } = { id: nextId('sa'), name: 'Service account key' };
		await store.add({
			...reference,
			type: 'gmailWorkspaceServiceAccountApi',
			data: { email: key.client_email, privateKey: key.private_key, delegatedEmail: ADMIN },
		});
		credentials = { gmailWorkspaceServiceAccountApi: reference };
		authentication = 'serviceAccount';
	}
	return {
		standin,
		store,
		node: (name, parameters, extra = {}) => ({ ...gmailNode({ name, parameters: { authentication, ...parameters } as INodeParameters }), credentials, ...extra }),
		workflow: (...nodes) => chain(manualTrigger(), ...nodes),
		run: async (bench, workflow) => await bench.run(workflow, { credentials: store, standin }),
		settings: (user) => settingsOf(standin, user),
	};
}

/** Requests of a run to one path (regex on the URL path) and method. */
export function calls(result: RunResult, method: string, path: RegExp): ExchangeRecord[] {
	return result.exchanges.filter((x) => x.method === method && path.test(new URL(x.url).pathname));
}

/** The scope claim of each IAM signJwt request of a run (keyless impersonation). */
export function signJwtScopes(result: RunResult): string[] {
	return calls(result, 'POST', /:signJwt$/).map((x) => {
		const { payload } = JSON.parse(x.requestBody.toString()) as { payload: string };
		return String((JSON.parse(payload) as { scope: string }).scope);
	});
}

/** jwt-bearer token exchanges of a run. */
export function tokenExchanges(result: RunResult): ExchangeRecord[] {
	return calls(result, 'POST', /^\/token$/).filter((x) => x.requestBody.toString().includes('jwt-bearer'));
}

/** Add Workspace users u1..un@example.com to the stand-in's directory. */
export function addUsers(standin: Standin, n: number, prefix = 'u'): string[] {
	const out: string[] = [];
	for (let k = 1; k <= n; k++) {
		const email = `${prefix}${k}@example.com`;
		standin.directory.users.set(email, { email, name: `User ${k}`, hostedDomain: 'example.com' });
		out.push(email);
	}
	return out;
}
