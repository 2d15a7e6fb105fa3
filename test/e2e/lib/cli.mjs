// n8n's CLI against one instance's database: `n8n execute --id`, `n8n export:credentials --decrypted`.
// The instance's environment comes from its env file (written by env.sh's write_instance_env), sourced in a subshell;
// the CLI gets its own task-broker port because the running server holds the instance's.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export function n8nCli(envFile, args, { timeoutMs = 180_000 } = {}) {
	const t0 = Date.now();
	const r = spawnSync(
		'bash',
		['-c', 'source "$0"; export N8N_RUNNERS_BROKER_PORT="$N8N_CLI_BROKER_PORT"; exec n8n "$@"', envFile, ...args],
		{ encoding: 'utf8', timeout: timeoutMs, maxBuffer: 256 * 1024 * 1024 },
	);
	return { status: r.status, signal: r.signal, stdout: r.stdout ?? '', stderr: r.stderr ?? '', ms: Date.now() - t0, error: r.error };
}

/**
 * `n8n execute --id ID --rawOutput`. The logger prints to stdout too: the execution JSON runs from the first line that is
 * exactly "{" to the next line that is exactly "}" (also printed on failure, exit code 1).
 */
export function executeWorkflow(envFile, id, opts) {
	const r = n8nCli(envFile, ['execute', '--id', id, '--rawOutput'], opts);
	const lines = r.stdout.split('\n');
	const start = lines.indexOf('{');
	const end = start >= 0 ? lines.indexOf('}', start) : -1;
	let execution;
	if (start >= 0 && end > start) {
		try {
			execution = JSON.parse(lines.slice(start, end + 1).join('\n'));
		} catch {
			execution = undefined;
		}
	}
	return { ...r, execution, log: r.stdout + r.stderr };
}

/** The credential as stored, decrypted (`n8n export:credentials --decrypted`). */
export function exportCredential(envFile, id) {
	const dir = mkdtempSync(join(tmpdir(), 'gw-cred-'));
	try {
		const out = join(dir, 'c.json');
		const r = n8nCli(envFile, ['export:credentials', `--id=${id}`, '--decrypted', `--output=${out}`]);
		if (r.status !== 0) throw new Error(`export:credentials failed: ${r.stdout}${r.stderr}`);
		const list = JSON.parse(readFileSync(out, 'utf8'));
		return Array.isArray(list) ? list[0] : list;
	} finally {
		rmSync(dir, { recursive: true, force: true });
	}
}

/** Items a node produced in an execution (first run, main output 0). */
export function nodeItems(execution, nodeName, { output = 0, run = 0 } = {}) {
	const runs = execution?.data?.resultData?.runData?.[nodeName];
	if (!runs) throw new Error(`node "${nodeName}" did not run (ran: ${Object.keys(execution?.data?.resultData?.runData ?? {}).join(', ')})`);
	const r = runs[run];
	if (r.error) throw new Error(`node "${nodeName}" failed: ${r.error.message}${r.error.description ? ` (${r.error.description})` : ''}`);
	return (r.data?.main?.[output] ?? []).map((i) => i.json);
}

/** The execution's error, short. */
export function executionError(execution) {
	const e = execution?.data?.resultData?.error;
	if (!e) return undefined;
	return `${e.message}${e.description ? ` (${e.description})` : ''}${e.httpCode ? ` [HTTP ${e.httpCode}]` : ''} in ${execution.data.resultData.lastNodeExecuted ?? '?'}`;
}

/** A variable of an instance's env file (e.g. N8N_USER_FOLDER), as the instance sees it. */
export function instanceEnv(envFile, name) {
	const r = spawnSync('bash', ['-c', 'source "$0"; printf %s "${!1}"', envFile, name], { encoding: 'utf8' });
	return r.status === 0 ? r.stdout : undefined;
}

/** Binary metadata of a node's output items (first run, main output 0): [{property: {fileName, mimeType, id, ...}}]. */
export function nodeBinaries(execution, nodeName, { output = 0, run = 0 } = {}) {
	const r = execution?.data?.resultData?.runData?.[nodeName]?.[run];
	if (!r) throw new Error(`node "${nodeName}" did not run`);
	return (r.data?.main?.[output] ?? []).map((i) => i.binary ?? {});
}

/**
 * The bytes n8n stored for one binary (metadata from nodeBinaries). Filesystem mode (n8n 2.x's default): the id is
 * "filesystem-v2:<relative path>" under the user folder's .n8n/storage (older layouts: .n8n/binaryData); default
 * (memory) mode: the base64 `data` itself.
 */
export function readBinaryData(userFolder, meta) {
	const id = String(meta?.id ?? '');
	const m = /^filesystem(?:-v2)?:(.+)$/.exec(id);
	if (!m) {
		if (meta?.data && !id) return Buffer.from(meta.data, 'base64');
		throw new Error(`binary ${meta?.fileName}: unsupported id "${id}"`);
	}
	for (const root of ['.n8n/storage', '.n8n/binaryData', 'storage', 'binaryData']) {
		const file = join(userFolder, root, m[1]);
		try {
			return readFileSync(file);
		} catch {
			// next layout
		}
	}
	throw new Error(`binary ${meta?.fileName}: ${m[1]} not found under ${userFolder}`);
}
