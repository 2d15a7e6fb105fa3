/** The stand-in CLI: starts, prints its URL, serves Gmail over HTTP and HTTPS (throwaway CA), stops on SIGTERM. */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(__dirname, '../..');
const tsx = join(root, 'node_modules/.bin/tsx');

function start(args: string[]): Promise<{ child: ChildProcess; lines: string[] }> {
	const child = spawn(tsx, ['test/standin/cli.ts', ...args], { cwd: root, stdio: ['ignore', 'pipe', 'pipe'] });
	const lines: string[] = [];
	return new Promise((res, rej) => {
		let buf = '';
		let err = '';
		child.stderr!.on('data', (d) => (err += d));
		child.stdout!.on('data', (d) => {
			buf += d;
			const parts = buf.split('\n');
			buf = parts.pop()!;
			lines.push(...parts);
			const wanted = args.includes('--tls') ? lines.some((l) => l.startsWith('test CA:')) : lines.length > 0;
			if (wanted) res({ child, lines });
		});
		child.on('exit', (code) => rej(new Error(`cli exited ${code}: ${err}`)));
	});
}

const stop = (child: ChildProcess) =>
	new Promise<number | null>((res) => {
		child.removeAllListeners('exit');
		child.on('exit', (code) => res(code));
		child.kill('SIGTERM');
	});

async function aliceToken(base: string, init: (url: string, i: RequestInit) => Promise<{ status: number; json(): Promise<any> }>) {
	const r = await init(`${base}/__standin/token`, { method: 'POST', body: JSON.stringify({ email: 'alice@example.com', scopes: ['https://mail.google.com/'] }) });
	return (await r.json()).access_token as string;
}

describe('stand-in CLI', () => {
	it('serves plain HTTP, prints exactly its URL, and stops cleanly on SIGTERM', async () => {
		const { child, lines } = await start(['--port', '0', '--no-corpus', '--messages', '3']);
		try {
			expect(lines[0]).toMatch(/^stand-in listening on http:\/\/127\.0\.0\.1:\d+$/);
			const base = lines[0].slice('stand-in listening on '.length);
			const token = await aliceToken(base, (u, i) => fetch(u, i));
			const profile = (await (await fetch(`${base}/gmail/v1/users/me/profile`, { headers: { authorization: `Bearer ${token}` } })).json()) as any;
			expect(profile.emailAddress).toBe('alice@example.com');
			expect(profile.messagesTotal).toBe(3 + 8); // generated + the seeded conversation, spam, trash and draft
		} finally {
			expect(await stop(child)).toBe(0);
		}
	});

	const hasOpenssl = spawnSync('openssl', ['version']).status === 0;
	(hasOpenssl ? it : it.skip)('--tls makes a test CA (kept on re-run) and serves HTTPS for the Google host names', async () => {
		const dir = mkdtempSync(join(tmpdir(), 'standin-ca-'));
		try {
			const first = await start(['--port', '0', '--no-corpus', '--tls', '--ca-dir', dir]);
			const base = first.lines[0].slice('stand-in listening on '.length);
			expect(base).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
			expect(first.lines[1]).toBe(`test CA: ${join(dir, 'ca.crt')} (trust it with NODE_EXTRA_CA_CERTS=${join(dir, 'ca.crt')})`);
			const ca = readFileSync(join(dir, 'ca.crt'));
			const port = Number(new URL(base).port);
			// Speak to 127.0.0.1 but verify the certificate as gmail.googleapis.com (SNI + Host), as a redirected client would.
			const status = await new Promise<number>((res, rej) => {
				const req = request({ host: '127.0.0.1', port, path: '/gmail/v1/users/me/profile', servername: 'gmail.googleapis.com', headers: { host: 'gmail.googleapis.com' }, ca }, (r) => {
					r.resume();
					res(r.statusCode!);
				});
				req.on('error', rej);
				req.end();
			});
			expect(status).toBe(401); // TLS verified; no token
			expect(await stop(first.child)).toBe(0);
			const caMtime = statSync(join(dir, 'ca.crt')).mtimeMs;
			const second = await start(['--port', '0', '--no-corpus', '--tls', '--ca-dir', dir]);
			expect(statSync(join(dir, 'ca.crt')).mtimeMs).toBe(caMtime);
			expect(readFileSync(join(dir, 'ca.crt')).equals(ca)).toBe(true);
			expect(await stop(second.child)).toBe(0);
		} finally {
			rmSync(dir, { recursive: true, force: true });
		}
	}, 60_000);
});
