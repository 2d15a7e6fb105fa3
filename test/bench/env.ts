import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/**
 * Process settings n8n-core reads through @n8n/config when its services are first built.
 * Set before anything asks the DI container for them (this module is imported first by the bench).
 *  - N8N_USER_FOLDER: InstanceSettings creates <folder>/.n8n/config on construction; keep that in a
 *    temp dir instead of the developer's home.
 *  - N8N_ENCRYPTION_KEY: the Cipher that encrypts stored credentials (as n8n's database holds them).
 *  - N8N_LOG_LEVEL: n8n's Logger, silent by default (node errors are in the run result);
 *    BENCH_LOG_LEVEL=error|warn|debug shows it (debug: n8n-core's token refresh messages).
 */
export const benchRoot = mkdtempSync(join(tmpdir(), 'gw-bench-'));
process.env.N8N_USER_FOLDER = benchRoot;
process.env.N8N_ENCRYPTION_KEY = 'gmail-workspace-bench-encryption-key';
process.env.N8N_LOG_LEVEL = process.env.BENCH_LOG_LEVEL ?? 'silent';
process.on('exit', () => rmSync(benchRoot, { recursive: true, force: true }));

/** A fresh directory below the bench's temp root (binary data in filesystem mode). */
export function benchDir(name: string): string {
	return mkdtempSync(join(benchRoot, `${name}-`));
}

export function removeBenchRoot(): void {
	rmSync(benchRoot, { recursive: true, force: true });
}
