// The path of Settings -> Community nodes -> Install: n8n's own installer fetches the package from a registry.
// Runs against an ISOLATED n8n started with E2E_TESTS=true (unauthenticated /rest/e2e/* routes: loopback test
// instances only) and N8N_COMMUNITY_PACKAGES_REGISTRY = a local verdaccio holding the packed package.
// usage: node community.mjs --n8n-url URL --email E --password P --results OUT.json
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { N8n } from './lib/clients.mjs';
import { CREDENTIAL_TYPE, E2E_DIR, NODE_TYPE } from './lib/setup.mjs';
import { testRunner } from './lib/runner.mjs';

const { values: args } = parseArgs({
	options: {
		'n8n-url': { type: 'string' },
		email: { type: 'string' },
		password: { type: 'string' },
		results: { type: 'string' },
	},
});
const pkg = JSON.parse(readFileSync(join(E2E_DIR, '..', '..', 'package.json'), 'utf8'));
const n8n = new N8n(args['n8n-url']);
const results = { passed: 0, failed: 0, tests: [] };

const test = testRunner(results);

await n8n.ownerLogin(args.email, args.password);
// the licensed feature that allows a registry other than registry.npmjs.org (n8n's own e2e suite flips it the same way)
await n8n.call('PATCH', '/rest/e2e/feature', { feature: 'feat:communityNodes:customRegistry', enabled: true });

let installed;
await test(`POST /rest/community-packages installs ${pkg.name} from the local registry`, async () => {
	const t0 = Date.now();
	installed = await n8n.call('POST', '/rest/community-packages', { name: pkg.name });
	console.log(`       installed ${installed.packageName}@${installed.installedVersion} in ${((Date.now() - t0) / 1000).toFixed(1)}s: ` +
		`${(installed.installedNodes ?? []).map((n) => n.type).join(', ')}`);
	assert.equal(installed.packageName, pkg.name);
	assert.equal(installed.installedVersion, pkg.version);
	assert.ok((installed.installedNodes ?? []).some((n) => n.type === NODE_TYPE), `${NODE_TYPE} among the installed nodes`);
});

await test('GET /rest/community-packages lists it', async () => {
	const list = await n8n.call('GET', '/rest/community-packages');
	const ours = list.find((p) => p.packageName === pkg.name);
	assert.ok(ours, `listed: ${list.map((p) => p.packageName).join(', ') || 'nothing'}`);
	assert.equal(ours.installedVersion, pkg.version);
});

await test('the node and credential types are loaded without a restart', async () => {
	const types = await n8n.nodeTypes();
	assert.ok(types.some((t) => t.name === NODE_TYPE), `${NODE_TYPE} in /types/nodes.json`);
	const creds = (await n8n.raw('GET', '/types/credentials.json')).json;
	assert.ok(creds.some((c) => c.name === CREDENTIAL_TYPE), `${CREDENTIAL_TYPE} in /types/credentials.json`);
});

if (args.results) writeFileSync(args.results, JSON.stringify(results, null, 2));
console.log(`community: ${results.passed} passed, ${results.failed} failed`);
process.exit(results.failed ? 1 : 0);
