/**
 * Run the Gmail stand-in as a local server (test tooling; loopback only).
 *
 *   tsx test/standin/cli.ts [--port 8085] [--messages N] [--no-corpus] [--tls [--ca-dir DIR]]
 *                           [--quota legacy|2026|off|custom:USER_PER_MIN,PROJECT_PER_MIN[,PROJECT_PER_DAY]] [--quota-mode 429|403]
 *
 * Plain HTTP prints `stand-in listening on http://127.0.0.1:8085`. With --tls it makes (or reuses) a throwaway
 * test CA in --ca-dir (default: $GW_CACHE/standin-ca, GW_CACHE as set by .ci/node24.sh) and a leaf certificate for
 * the Google hosts, serves HTTPS, and prints the CA path for NODE_EXTRA_CA_CERTS. --quota picks Gmail's quota
 * model (default legacy; README "Quota"); a `quota: …` line after the URL (and the CA line) names it. Stops on
 * SIGINT / SIGTERM.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync, chmodSync, rmSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseQuotaFlag, type QuotaOption } from './core/quota';
import { createStandin, listen } from './server';

export const TLS_HOSTS = [
	'gmail.googleapis.com',
	'oauth2.googleapis.com',
	'www.googleapis.com',
	'iam.googleapis.com',
	'iamcredentials.googleapis.com',
	'cloudresourcemanager.googleapis.com',
	'*.googleapis.com',
	'accounts.google.com',
	'localhost',
];

interface Args {
	port: number;
	host: string;
	messages?: number;
	noCorpus: boolean;
	tls: boolean;
	caDir: string;
	quota: QuotaOption;
	quotaMode: 429 | 403;
}

const USAGE =
	'usage: tsx test/standin/cli.ts [--port 8085] [--messages N] [--no-corpus] [--tls [--ca-dir DIR]]\n' +
	'                               [--quota legacy|2026|off|custom:USER_PER_MIN,PROJECT_PER_MIN[,PROJECT_PER_DAY]] [--quota-mode 429|403]\n';

export function parseArgs(argv: string[]): Args {
	const cache = process.env.GW_CACHE ?? join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'n8n-nodes-gmail-workspace');
	const a: Args = { port: 8085, host: '127.0.0.1', noCorpus: false, tls: false, caDir: join(cache, 'standin-ca'), quota: 'legacy', quotaMode: 429 };
	for (let i = 0; i < argv.length; i++) {
		const next = () => {
			const v = argv[++i];
			if (v === undefined) throw new Error(`${argv[i - 1]} needs a value`);
			return v;
		};
		switch (argv[i]) {
			case '--port':
				a.port = Number(next());
				break;
			case '--host':
				a.host = next();
				break;
			case '--messages':
				a.messages = Number(next());
				break;
			case '--no-corpus':
				a.noCorpus = true;
				break;
			case '--tls':
				a.tls = true;
				break;
			case '--ca-dir':
				a.caDir = next();
				break;
			case '--quota':
				a.quota = parseQuotaFlag(next());
				break;
			case '--quota-mode': {
				const m = next();
				if (m !== '429' && m !== '403') throw new Error('--quota-mode must be 429 or 403');
				a.quotaMode = Number(m) as 429 | 403;
				break;
			}
			case '--help':
			case '-h':
				process.stdout.write(USAGE);
				process.exit(0);
				break;
			default:
				throw new Error(`unknown argument ${argv[i]}`);
		}
	}
	if (!Number.isInteger(a.port) || a.port < 0 || a.port > 65535) throw new Error('--port must be 0..65535');
	if (a.messages !== undefined && (!Number.isInteger(a.messages) || a.messages < 0)) throw new Error('--messages must be >= 0');
	return a;
}

const openssl = (args: string[], cwd: string) => execFileSync('openssl', args, { cwd, stdio: ['ignore', 'ignore', 'pipe'] });

/**
 * A throwaway test CA (kept across runs so clients that trust it keep working) and a fresh leaf certificate
 * for the Google hosts. The CA key never leaves the directory; never install this CA system-wide.
 */
export function ensureTestCa(dir: string, hosts = TLS_HOSTS): { caCert: string; cert: string; key: string } {
	mkdirSync(dir, { recursive: true, mode: 0o700 });
	const ca = join(dir, 'ca.crt');
	const caKey = join(dir, 'ca.key');
	if (!existsSync(ca) || !existsSync(caKey) || !readFileSync(ca).length) {
		openssl(
			[
				'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-days', '825',
				'-keyout', 'ca.key', '-out', 'ca.crt', '-subj', '/CN=Gmail stand-in test CA (local only)/O=n8n-nodes-gmail-workspace',
				'-addext', 'basicConstraints=critical,CA:TRUE,pathlen:0',
				'-addext', 'keyUsage=critical,keyCertSign,cRLSign',
				'-addext', 'subjectKeyIdentifier=hash',
			],
			dir,
		);
	}
	const san = ['IP:127.0.0.1', ...hosts.map((h) => `DNS:${h}`)].join(',');
	writeFileSync(
		join(dir, 'server.ext'),
		[
			'basicConstraints=critical,CA:FALSE',
			'keyUsage=critical,digitalSignature,keyEncipherment',
			'extendedKeyUsage=serverAuth',
			`subjectAltName=${san}`,
			'subjectKeyIdentifier=hash',
			'authorityKeyIdentifier=keyid',
			'',
		].join('\n'),
	);
	openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-sha256', '-keyout', 'server.key', '-out', 'server.csr', '-subj', `/CN=${hosts[0]}`], dir);
	openssl(
		['x509', '-req', '-in', 'server.csr', '-CA', 'ca.crt', '-CAkey', 'ca.key', '-CAcreateserial', '-days', '397', '-sha256', '-extfile', 'server.ext', '-out', 'server.crt'],
		dir,
	);
	rmSync(join(dir, 'server.csr'), { force: true });
	chmodSync(caKey, 0o600);
	chmodSync(join(dir, 'server.key'), 0o600);
	return { caCert: ca, cert: join(dir, 'server.crt'), key: join(dir, 'server.key') };
}

async function main() {
	const args = parseArgs(process.argv.slice(2));
	const standin = createStandin({ messages: args.messages, noCorpus: args.noCorpus, quota: args.quota, quotaMode: args.quotaMode });
	let tls: { cert: Buffer; key: Buffer } | undefined;
	let caCert: string | undefined;
	if (args.tls) {
		const made = ensureTestCa(args.caDir);
		tls = { cert: readFileSync(made.cert), key: readFileSync(made.key) };
		caCert = made.caCert;
	}
	const { server, url } = await listen(standin, { port: args.port, host: args.host, tls });
	process.stdout.write(`stand-in listening on ${url}\n`);
	if (caCert) process.stdout.write(`test CA: ${caCert} (trust it with NODE_EXTRA_CA_CERTS=${caCert})\n`);
	const q = standin.quota;
	process.stdout.write(
		`quota: ${q.profile} (${q.userPerMinute || 'no limit'} units/user/min, ${q.projectPerMinute || 'no limit'} units/project/min` +
			`${q.projectPerDay ? `, ${q.projectPerDay} units/project/day threshold` : ''}${q.burstPerSecond ? `, ${q.burstPerSecond} units/user/s burst` : ''}; refusals ${q.mode})\n`,
	);
	let stopping = false;
	const stop = (signal: string) => {
		if (stopping) return;
		stopping = true;
		process.stdout.write(`stand-in stopping (${signal})\n`);
		server.close(() => process.exit(0));
		server.closeAllConnections?.();
		setTimeout(() => process.exit(0), 2000).unref();
	};
	process.on('SIGINT', () => stop('SIGINT'));
	process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
	main().catch((e) => {
		process.stderr.write(`stand-in: ${(e as Error).message}\n`);
		process.exit(1);
	});
}
