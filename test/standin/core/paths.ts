import { existsSync } from 'node:fs';
import { resolve } from 'node:path';

/** The repository root (…/test/standin/core → …). */
export const repoRoot = () => resolve(__dirname, '../../..');

/**
 * The shared folder beside the clone (../shared) holds Google's discovery document and the real-mail corpus.
 * STANDIN_SHARED_DIR overrides it; this is test tooling, never package code.
 */
export function sharedDir(): string {
	const dir = process.env.STANDIN_SHARED_DIR ?? resolve(repoRoot(), '../shared');
	if (!existsSync(`${dir}/corpus/gmail-v1-discovery.json`)) {
		throw new Error(`stand-in: Google's discovery document not found under ${dir}/corpus (set STANDIN_SHARED_DIR)`);
	}
	return dir;
}
