// Runs n8n's community-package scanner (@n8n/scan-community-package) on our package, offline.
//
// The scanner CLI (0.32.0, the only published version) first checks npm provenance and downloads the
// source commit the provenance names from GitHub; neither exists for a package published to a local
// registry with no network. So we call the scanner's own exported analysis, with its own ESLint config
// (buildScanConfig), on the same two legs its CLI lints: the source tree (SOURCE_FILE_PATTERNS) and the
// package tarball as the registry serves it (compiled .js and the published package.json).
import { execFileSync } from 'node:child_process';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { SOURCE_FILE_PATTERNS, analyzePackage } from '@n8n/scan-community-package/scanner/scanner.mjs';

const [spec, sourceDir, workDir] = process.argv.slice(2);
const pkgDir = join(workDir, 'package');
mkdirSync(pkgDir, { recursive: true });
// `npm pack <name>@<version>` downloads the tarball from the configured registry (our verdaccio)
execFileSync('npm', ['-q', 'pack', spec], { cwd: workDir, stdio: 'pipe' });
const tarball = readdirSync(workDir).find((f) => f.endsWith('.tgz'));
execFileSync('tar', ['-xzf', tarball, '-C', pkgDir, '--strip-components=1'], { cwd: workDir });
console.log(`>> downloaded ${spec} from ${process.env.npm_config_registry} (${tarball})`);

const legs = [
	['source', await analyzePackage(sourceDir, SOURCE_FILE_PATTERNS)],
	['tarball', await analyzePackage(pkgDir, ['**/*.js', 'package.json'])],
];
let ok = true;
for (const [name, result] of legs) {
	console.log(`${result.passed ? '✅' : '❌'} ${name}: ${result.passed ? 'passed all checks' : result.message}`);
	if (result.details) console.log(result.details);
	ok &&= result.passed;
}
console.log('   provenance: not checkable offline (needs the public registry\'s attestations and GitHub)');
console.log(ok ? `✅ Package ${spec} has passed all security checks` : `❌ Package ${spec} has failed security checks`);
process.exit(ok ? 0 : 1);
