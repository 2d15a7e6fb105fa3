import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';

const root = join(__dirname, '../..');

/** What `npm pack` would publish: the compiled package only, never tests or sources. */
describe('published package contents', () => {
	let files: string[];

	beforeAll(() => {
		if (!existsSync(join(root, 'dist/nodes/GmailWorkspace/GmailWorkspace.node.js'))) {
			execFileSync('npm', ['run', 'build'], { cwd: root, stdio: 'ignore' });
		}
		const out = execFileSync('npm', ['pack', '--dry-run', '--json', '--ignore-scripts'], { cwd: root, encoding: 'utf8' });
		files = (JSON.parse(out)[0].files as { path: string }[]).map((f) => f.path);
	}, 120_000);

	it('ships dist/, index.js, package.json, README and LICENSE only', () => {
		const outside = files.filter((f) => !f.startsWith('dist/') && !['index.js', 'package.json', 'README.md', 'LICENSE'].includes(f));
		expect(outside).toEqual([]);
		expect(files.filter((f) => /(^|\/)test\/|\.test\.|\.ts$/.test(f) && !f.endsWith('.d.ts'))).toEqual([]);
	});

	it('ships every file the n8n attribute names, and the icons', () => {
		const pkg = require(join(root, 'package.json'));
		for (const p of [...pkg.n8n.nodes, ...pkg.n8n.credentials]) expect(files).toContain(p);
		expect(files).toContain('dist/nodes/GmailWorkspace/gmailWorkspace.svg');
		expect(files).toContain('dist/nodes/GmailWorkspace/gmailWorkspace.dark.svg');
		expect(files).toContain('dist/credentials/icons/gmailWorkspace.svg');
	});
});
