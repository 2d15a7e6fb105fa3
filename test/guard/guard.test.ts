import { readFileSync, readdirSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { checkPackageJson, checkSource } from './rules';

const root = join(__dirname, '../..');

function sourceFiles(dir: string): string[] {
	return readdirSync(dir).flatMap((name) => {
		const p = join(dir, name);
		if (statSync(p).isDirectory()) return sourceFiles(p);
		return /\.ts$/.test(name) && !/\.test\.ts$/.test(name) ? [p] : [];
	});
}

describe('n8n community-node rules (guard)', () => {
	const files = [...sourceFiles(join(root, 'nodes')), ...sourceFiles(join(root, 'credentials'))];

	it('finds the node and credential sources', () => {
		const names = files.map((f) => relative(root, f));
		expect(names).toContain('credentials/GmailWorkspaceOAuth2Api.credentials.ts');
		expect(names).toContain('nodes/GmailWorkspace/GmailWorkspace.node.ts');
	});

	it('node and credential code uses no env, files, timers or disallowed imports', () => {
		const violations = files.flatMap((f) => checkSource(relative(root, f), readFileSync(f, 'utf8')));
		expect(violations).toEqual([]);
	});

	it('package.json has no runtime dependencies and only n8n-workflow as peer', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		expect(checkPackageJson(pkg)).toEqual([]);
	});

	it('package.json points n8n at the compiled node and credential of every source file', () => {
		const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8'));
		const toSource = (p: string) => p.replace(/^dist\//, '').replace(/\.js$/, '.ts');
		const listed = [...pkg.n8n.nodes, ...pkg.n8n.credentials].map(toSource).sort();
		const onDisk = files
			.map((f) => relative(root, f))
			.filter((f) => /\.credentials\.ts$/.test(f) || /^nodes\/[^/]+\/[^/]+\.node\.ts$/.test(f))
			.sort();
		expect(listed).toEqual(onDisk);
		expect(pkg.n8n.n8nNodesApiVersion).toBe(1);
		expect(pkg.keywords).toContain('n8n-community-node-package');
		expect(pkg.license).toBe('MIT');
	});
});

describe('the guard itself catches violations', () => {
	const flagged = (code: string) => checkSource('x.ts', code).map((v) => v.message);

	it.each([
		["const k = process.env.KEY;", 'uses the global "process"'],
		["import { readFileSync } from 'fs';", 'imports "fs"'],
		["import { readFile } from 'node:fs/promises';", 'imports "node:fs/promises"'],
		["setTimeout(() => 1, 10);", 'uses the global "setTimeout"'],
		["const x = require('axios');", 'uses the global "require"'],
		["import axios from 'axios';", 'imports "axios"'],
		["export { a } from 'node:child_process';", 'imports "node:child_process"'],
		["const m = await import('lodash');", 'uses a dynamic import()'],
	])('%s', (code, expected) => {
		expect(flagged(code).join('\n')).toContain(expected);
	});

	it('allows n8n-workflow, the allowed libraries, node:crypto, relative imports and property names', () => {
		const ok = [
			"import { NodeApiError } from 'n8n-workflow';",
			"import { DateTime } from 'luxon';",
			"import pLimit from 'p-limit';",
			"import { createSign } from 'node:crypto';",
			"import get from 'lodash/get';",
			"import { x } from './y';",
			"const o = { process: 1 }; o.process; class A { setTimeout = 1 }",
		].join('\n');
		expect(checkSource('ok.ts', ok)).toEqual([]);
	});

	it('flags runtime dependencies in package.json', () => {
		expect(checkPackageJson({ dependencies: { axios: '1' }, peerDependencies: { 'n8n-workflow': '*' } })).toEqual([
			'package.json has dependencies: axios',
		]);
		expect(checkPackageJson({ peerDependencies: { 'n8n-workflow': '*', lodash: '*' } })).toHaveLength(1);
	});
});
