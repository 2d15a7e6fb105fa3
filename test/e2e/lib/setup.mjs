// Prepare an n8n instance the way a user would: owner login, ONE Gmail Workspace credential connected through
// Google's (the stand-in's) consent page, and the example workflows imported with that credential.
// Used by the suite (suite.mjs) and the demo (demo.sh -> `node lib/setup.mjs ...`).
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { N8n, Standin, connectOAuth2 } from './clients.mjs';
import { OPENAI_CREDENTIAL_NAME, SCRIPTED_API_KEY, invoiceEmail } from './scripted-model.mjs';

export const CREDENTIAL_TYPE = 'gmailWorkspaceOAuth2Api';
export const NODE_TYPE = 'n8n-nodes-gmail-workspace.gmailWorkspace';
export const E2E_DIR = join(dirname(fileURLToPath(import.meta.url)), '..');

/** The stand-in's seeded OAuth client (test/standin/core/directory.ts), read from source so the two never drift. */
export function standinClient() {
	const src = readFileSync(join(E2E_DIR, '..', 'standin', 'core', 'directory.ts'), 'utf8');
	const id = /STANDIN_CLIENT_ID\s*=\s*'([^']+)'/.exec(src)?.[1];
	const secret = /STANDIN_CLIENT_SECRET\s*=\s*'([^']+)'/.exec(src)?.[1];
	if (!id || !secret) throw new Error('STANDIN_CLIENT_ID/SECRET not found in test/standin/core/directory.ts');
	return { clientId: id, clientSecret: secret };
}

/** Workflow files to import: the suite's workflows/ plus any extra dirs (examples/), skipping files without nodes. */
export function workflowFiles(dirs) {
	const files = [];
	for (const d of dirs) {
		let names = [];
		try {
			names = readdirSync(d).filter((f) => f.endsWith('.json')).sort();
		} catch {
			continue;
		}
		for (const f of names) files.push(join(d, f));
	}
	return files;
}

/**
 * A workflow file with the credential placeholders filled in. `replacements` ({placeholder: value}) fills further
 * placeholders the same way (e.g. a folder the workflow reads files from); values are JSON-string escaped.
 */
export function loadWorkflow(file, credential, replacements = {}, adminCredential = undefined) {
	const esc = (name) => name.replace(/["\\]/g, '\\$&');
	let text = readFileSync(file, 'utf8');
	// examples/ name the admin cards' connection (admin@example.com with the service account) separately
	if (adminCredential) text = text.replaceAll('__ADMIN_CREDENTIAL_ID__', adminCredential.id).replaceAll('__ADMIN_CREDENTIAL_NAME__', esc(adminCredential.name));
	text = text.replaceAll('__CREDENTIAL_ID__', credential.id).replaceAll('__CREDENTIAL_NAME__', esc(credential.name));
	for (const [k, v] of Object.entries(replacements)) text = text.replaceAll(k, JSON.stringify(String(v)).slice(1, -1));
	const wf = JSON.parse(text);
	// any other credential reference of our type (e.g. an exported example) -> the shared one
	const known = new Set([credential.id, adminCredential?.id].filter(Boolean));
	for (const n of wf.nodes ?? []) {
		const ref = n.credentials?.[CREDENTIAL_TYPE];
		if (ref && !known.has(ref.id)) n.credentials[CREDENTIAL_TYPE] = { id: credential.id, name: credential.name };
	}
	return wf;
}

/** Whether a workflow file runs with the demo's single OAuth2 credential and nothing the suite prepares. */
export function usableByDemo(file, log = () => {}, { openAi = false } = {}) {
	const text = readFileSync(file, 'utf8');
	const other = /"gmailWorkspace(?!OAuth2Api")\w+Api"/.exec(text)?.[0];
	const needs = other
		? `credential type ${other}`
		: text.includes('__FILES_DIR__')
			? 'files the e2e suite writes'
			: text.includes('__OPENAI_CREDENTIAL_ID__') && !openAi
				? 'an OpenAI credential: --openai-base-url'
				: undefined;
	if (needs) log(`skipping ${file.split('/').pop()} (needs ${needs})`);
	return !needs;
}

/**
 * @param {object} o
 * @param {N8n} o.n8n  logged-in client
 * @param {{port:number, ca:string}} o.google  the stand-in's TLS port and CA (to walk the consent page)
 */
export async function createConnectedCredential({ n8n, google, user, name = 'Gmail Workspace (stand-in)', data = {}, log = () => {} }) {
	const client = standinClient();
	// `data`: further credential fields (scopeSet, customScopes, serviceAccountEmail), on top of the stand-in's client
	const created = await n8n.createCredential(name, CREDENTIAL_TYPE, { ...client, ...data });
	log(`credential "${name}" created (id ${created.id}); connecting it as ${user}`);
	await connectOAuth2(n8n, created.id, { ...google, user, log });
	return { id: created.id, name };
}

/** Creates each workflow; one whose file says `"active": true` (the trigger examples) is then activated, as a user publishes it. */
export async function importWorkflows({ n8n, credential, adminCredential, files, replacements = {}, log = () => {} }) {
	const out = [];
	for (const file of files) {
		const wf = loadWorkflow(file, credential, replacements, adminCredential);
		const saved = await n8n.createWorkflow(wf);
		let active = false;
		if (wf.active === true) active = (await n8n.activateWorkflow(saved.id, saved.versionId)).active === true;
		out.push({ id: saved.id, name: saved.name, file, ...(active ? { active } : {}) });
		log(`workflow "${saved.name}" imported (id ${saved.id})${active ? ' and activated' : ''}`);
	}
	return out;
}

// CLI for demo.sh: node lib/setup.mjs --n8n-url URL --standin-port P --ca CA --user U --out state.json [--workflows DIR]...
if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({
		options: {
			'n8n-url': { type: 'string' },
			'standin-port': { type: 'string' },
			ca: { type: 'string' },
			user: { type: 'string', default: 'alice@example.com' },
			email: { type: 'string' },
			password: { type: 'string' },
			'api-key': { type: 'string' },
			workflows: { type: 'string', multiple: true, default: [] },
			'credential-name': { type: 'string', default: 'Gmail Workspace (stand-in)' },
			'admin-user': { type: 'string' },
			'scope-set': { type: 'string' },
			'service-account': { type: 'string' },
			out: { type: 'string' },
			// the AI example's model: n8n's OpenAI credential with this Base URL (the scripted model, or a real one)
			'openai-base-url': { type: 'string' },
			'openai-api-key': { type: 'string' },
			// an invoice email for the AI triage example to find (examples/70-ai-triage.json)
			'deliver-invoice': { type: 'boolean', default: false },
		},
	});
	const log = (m) => console.log(`>> ${m}`);
	const n8n = new N8n(values['n8n-url']);
	await n8n.ownerLogin(values.email, values.password);
	const credential = await createConnectedCredential({
		n8n,
		google: { port: Number(values['standin-port']), ca: values.ca },
		user: values.user,
		name: values['credential-name'],
		data: values['scope-set'] ? { scopeSet: values['scope-set'] } : {},
		log,
	});
	// the demo has only the one OAuth2 credential: leave out the suite's workflows that need another credential type
	// (the service-account key) or files the suite writes first
	// the admin cards' examples use a second connection: a Workspace admin with the service account
	const adminCredential = values['admin-user']
		? await createConnectedCredential({
				n8n,
				google: { port: Number(values['standin-port']), ca: values.ca },
				user: values['admin-user'],
				name: `Gmail Workspace admin (${values['admin-user']})`,
				data: { serviceAccountEmail: values['service-account'] ?? '' },
				log,
			})
		: undefined;
	const openAi = values['openai-base-url']
		? await n8n.createCredential(OPENAI_CREDENTIAL_NAME, 'openAiApi', { apiKey: values['openai-api-key'] ?? SCRIPTED_API_KEY, url: values['openai-base-url'], header: false })
		: undefined;
	if (openAi) log(`credential "${OPENAI_CREDENTIAL_NAME}" (OpenAI, Base URL ${values['openai-base-url']}) created (id ${openAi.id})`);
	if (values['deliver-invoice']) {
		const standin = new Standin({ port: Number(values['standin-port']), ca: values.ca });
		const r = await standin.call('POST', 'deliver', { to: values.user, raw: Buffer.from(invoiceEmail(values.user)).toString('base64') });
		log(`invoice email ${r.delivered[0].id} delivered to ${values.user} (for the AI triage example)`);
	}
	const replacements = openAi ? { __OPENAI_CREDENTIAL_ID__: openAi.id, __OPENAI_CREDENTIAL_NAME__: OPENAI_CREDENTIAL_NAME } : {};
	const files = workflowFiles(values.workflows.length ? values.workflows : [join(E2E_DIR, 'workflows')]).filter((f) => usableByDemo(f, log, { openAi: !!openAi }));
	const workflows = await importWorkflows({ n8n, credential, adminCredential, files, replacements, log });
	if (values.out) writeFileSync(values.out, JSON.stringify({ user: values.user, credential, adminCredential, openAiBaseUrl: values['openai-base-url'], workflows }, null, 2));
}
