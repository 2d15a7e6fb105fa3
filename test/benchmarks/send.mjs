// bench:send (issue 7) — run by send.sh after it started the stand-in and n8n (binary data mode filesystem). In ONE
// running n8n process, sends one large attachment with (a) our Send Email with Attachment card and (b) n8n's built-in
// Gmail node (Send, attachments from binary); the file enters each workflow as n8n binary data through the built-in
// "Read/Write Files from Disk" node. Measures success, wall time and the n8n process's peak VmRSS growth; verifies the
// attachment's SHA-256 at the stand-in (bob's copy). Main figure: the largest attachment that fits Gmail's
// 36,700,160-byte message limit after base64 (25 MiB); then the 30 MiB case for both (over the limit).
// The last line is one JSON object.
import { createHash, randomBytes } from 'node:crypto';
import { createWriteStream, existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
	BUILTIN_NODE,
	BUILTIN_VERSION,
	MiB,
	OUR_NODE,
	builtinCredentials,
	chain,
	connect,
	env,
	fmtMiB,
	log,
	nodeRun,
	ourCredentials,
	peak,
	rssBytes,
	runWorkflow,
	sampleRss,
} from './lib.mjs';

const pid = Number(env('N8N_PID'));
const FILES = env('BENCH_FILES');
const MAIN_BYTES = Number(process.env.BENCH_ATTACHMENT_BYTES ?? 25 * MiB);
const OVER_BYTES = Number(process.env.BENCH_OVER_BYTES ?? 30 * MiB);
const RECIPIENT = 'bob@example.com';
const GMAIL_LIMIT = 36_700_160;
// optional in-process probe (memprobe.cjs, BENCH_MEMPROBE=1): memoryUsage every 10 ms and every GC inside n8n
const PROBE = process.env.BENCH_MEMPROBE_FILE;
const PROBE_GC = process.env.BENCH_MEMPROBE_GC === '1';
// Polling the run (GET /rest/executions/:id) makes n8n load and serialize the execution: ~2 MiB of JS heap garbage per
// poll in the very process we measure (a Wait node polled every 200 ms: 10-12 MiB/s of young-generation allocation,
// RSS +17-30 MiB in 4.6 s; every 2 s: 1.8 MiB/s, +0.4 MiB; idle: 0.3 MiB/s). So while a send runs, the bench watches
// the stand-in's log (another process) for the send's final answer and asks n8n only every BENCH_POLL_MS (a send that
// never reaches Google, e.g. refused as too large, is seen at that poll); the node's own start and duration come from
// the execution data. BENCH_POLL_MS=200 BENCH_QUIET=0 is the earlier behaviour (poll n8n every 200 ms).
const POLL_MS = Number(process.env.BENCH_POLL_MS ?? 5000);
const QUIET = process.env.BENCH_QUIET !== '0';
const isUpload = (q) => q.routeId?.startsWith('gmail.users.messages.send') || /\/messages\/send/.test(q.path);
/** The send's last answer: the final chunk's (not 308), a one-request send's, or any refusal. */
const finalAnswer = (q) =>
	isUpload(q) && q.status > 0 && (q.status >= 400 || (q.method === 'PUT' ? q.status !== 308 : !/uploadType=resumable/.test(q.query ?? '')));

const { n8n, standin, credentials } = await connect();

/** Incompressible test file, written in 1 MiB chunks; returns its SHA-256. */
async function makeFile(path, bytes) {
	const hash = createHash('sha256');
	const out = createWriteStream(path);
	for (let left = bytes; left > 0; left -= MiB) {
		const chunk = randomBytes(Math.min(MiB, left));
		hash.update(chunk);
		if (!out.write(chunk)) await new Promise((r) => out.once('drain', r));
	}
	await new Promise((r, j) => out.end((e) => (e ? j(e) : r())));
	return hash.digest('hex');
}

mkdirSync(FILES, { recursive: true });
const files = {};
for (const [key, bytes] of [['main', MAIN_BYTES], ['over', OVER_BYTES]]) {
	const path = join(FILES, `attachment-${bytes}.bin`);
	files[key] = { path, bytes, sha256: await makeFile(path, bytes), name: `attachment-${bytes}.bin` };
	log(`${path}: ${bytes} bytes (${fmtMiB(bytes)}), sha256 ${files[key].sha256.slice(0, 16)}…`);
}

const readNode = (file) => ({
	name: 'Read file',
	type: 'n8n-nodes-base.readWriteFile',
	typeVersion: 1.1,
	parameters: { operation: 'read', fileSelector: file.path, options: {} },
});
const ourSend = (subject) => ({
	name: 'Send',
	type: OUR_NODE,
	typeVersion: 1,
	parameters: {
		resource: 'message',
		operation: 'sendWithAttachment',
		to: RECIPIENT,
		subject,
		emailType: 'text',
		message: 'bench:send — large attachment',
		attachments: { attachment: [{ binaryPropertyName: 'data' }] },
		options: {},
	},
	credentials: ourCredentials(credentials),
});
const builtinSend = (subject) => ({
	name: 'Send',
	type: BUILTIN_NODE,
	typeVersion: BUILTIN_VERSION,
	parameters: {
		resource: 'message',
		operation: 'send',
		sendTo: RECIPIENT,
		subject,
		emailType: 'text',
		message: 'bench:send — large attachment',
		options: { attachmentsUi: { attachmentsBinary: [{ property: 'data' }] }, appendAttribution: false },
	},
	credentials: builtinCredentials(credentials),
});

const maxSeq = async () => (await standin.requests(0)).reduce((m, r) => Math.max(m, r.seq), 0);

/** bob's copy of the message with this subject: the attachment's size and SHA-256 as Gmail serves it. */
async function received(subject) {
	const list = await standin.api(RECIPIENT, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages?q=${encodeURIComponent(`subject:"${subject}"`)}`);
	const id = list.messages?.[0]?.id;
	if (!id) return { found: false };
	const msg = await standin.api(RECIPIENT, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages/${id}?format=full`);
	const parts = [];
	const walk = (p) => {
		if (p.filename && p.body?.attachmentId) parts.push(p);
		for (const c of p.parts ?? []) walk(c);
	};
	walk(msg.payload);
	if (parts.length !== 1) return { found: true, id, attachments: parts.length, sizeEstimate: msg.sizeEstimate };
	const att = await standin.api(RECIPIENT, 'GET', `https://gmail.googleapis.com/gmail/v1/users/me/messages/${id}/attachments/${parts[0].body.attachmentId}`);
	const data = Buffer.from(att.data, 'base64url');
	return {
		found: true,
		id,
		attachments: 1,
		filename: parts[0].filename,
		bytes: data.length,
		sha256: createHash('sha256').update(data).digest('hex'),
		sizeEstimate: msg.sizeEstimate,
	};
}

async function measure(label, kind, file) {
	const subject = `bench:send ${kind} ${file.bytes} ${Date.now()}`;
	const wf = await n8n.createWorkflow(chain(`bench:send ${kind} ${file.bytes}`, [readNode(file), kind === 'ours' ? ourSend(subject) : builtinSend(subject)]));
	await new Promise((r) => setTimeout(r, 2000)); // quiet n8n (and the per-user quota: a send costs 100 units)
	const since = await maxSeq();
	// RSS just before the run: the median of 10 samples over 0.5 s
	const pre = [];
	for (let i = 0; i < 10; i++) {
		pre.push(rssBytes(pid));
		await new Promise((r) => setTimeout(r, 50));
	}
	const rssBefore = pre.sort((a, b) => a - b)[5];
	const sampler = sampleRss(pid, 10);
	const tRun = Date.now();
	const quiet = QUIET
		? { checkMs: 100, slowPollMs: POLL_MS, ended: async () => (await standin.requests(since)).some(finalAnswer) }
		: undefined;
	const run = await runWorkflow(n8n, wf.id, { pollMs: QUIET ? 250 : POLL_MS, quiet });
	const samples = sampler.stop();
	const ex = run.execution;
	const read = nodeRun(ex, 'Read file');
	const send = nodeRun(ex, 'Send');
	const binary = read?.items?.[0]?.binary?.data;
	const requests = (await standin.requests(since)).filter((q) => !q.path.startsWith('/__standin'));
	const uploads = requests.filter(isUpload);
	const ok = ex.status === 'success' && !!send && !send.error;
	const peakRun = peak(samples, tRun);
	const peakSend = send ? peak(samples, send.startTime, send.startTime + send.executionTime + 50) : NaN;
	// RSS when the send node started (the last sample before it): what the send itself added, without the
	// Read/Write Files node that put the file into n8n's binary store just before
	const atSend = send ? samples.filter((s) => s.t <= send.startTime).at(-1)?.rss ?? rssBefore : NaN;
	const r = {
		label,
		ok,
		status: ex.status,
		error: send?.error ?? ex.data?.resultData?.error?.message,
		binaryId: binary?.id,
		binarySize: binary?.fileSize,
		readSeconds: (read?.executionTime ?? NaN) / 1000,
		sendSeconds: (send?.executionTime ?? NaN) / 1000,
		wallSeconds: (Date.parse(ex.stoppedAt) - Date.parse(ex.startedAt)) / 1000,
		rssBefore,
		peakRun,
		growth: peakRun - rssBefore,
		growthSendWindow: peakSend - rssBefore,
		growthSendNode: peakSend - atSend,
		uploads: uploads.map((q) => ({ method: q.method, host: q.host, path: `${q.path}${q.query ?? ''}`, status: q.status, bodySize: q.bodySize, reason: q.reason })),
		googleRequests: requests.length,
	};
	r.ratio = r.growth / file.bytes;
	r.sendNodeRatio = r.growthSendNode / file.bytes;
	if (PROBE && send) r.probe = await probeWindow(send, requests);
	r.received = ok ? await received(subject) : { found: (await received(subject)).found };
	r.shaOk = r.received.sha256 === file.sha256;
	return r;
}

const readProbe = () =>
	existsSync(PROBE)
		? readFileSync(PROBE, 'utf8')
				.split('\n')
				.filter(Boolean)
				.map((l) => JSON.parse(l))
		: [];
const sleep = (ms) => new Promise((res) => setTimeout(res, ms));

/**
 * What the probe saw inside n8n during the send node: memoryUsage at its start, the peaks above it, the garbage
 * collections, arrayBuffers when each upload request reached the stand-in, and (BENCH_MEMPROBE_GC=1) what is left
 * after a full GC forced right after the run.
 */
async function probeWindow(send, requests) {
	const from = send.startTime;
	const to = send.startTime + send.executionTime;
	await sleep(500); // the probe appends every 200 ms
	let forced;
	if (PROBE_GC) {
		process.kill(pid, 'SIGUSR2');
		// a full GC of n8n's heap can take a second or more on a busy machine
		for (let i = 0; i < 50 && !readProbe().some((x) => x.tag === 'after-forced-gc' && x.t > to); i++) await sleep(200);
	}
	const all = readProbe();
	const samples = all.filter((x) => x.rss !== undefined && x.t >= from - 50 && x.t <= to + 50);
	const start = all.filter((x) => x.rss !== undefined && x.t <= from).at(-1) ?? samples[0];
	if (PROBE_GC) {
		const before = all.filter((x) => x.tag === 'before-forced-gc').at(-1);
		const after = all.filter((x) => x.tag === 'after-forced-gc').at(-1);
		if (before && after && after.t > to) forced = { before, after };
	}
	const max = (k) => samples.reduce((m, x) => Math.max(m, x[k]), -Infinity);
	const gcs = all.filter((x) => x.gc && x.t >= from && x.t <= to);
	const after = (t) => all.find((x) => x.rss !== undefined && x.t >= t);
	const drops = gcs.map((g) => {
		const before = all.filter((x) => x.rss !== undefined && x.t <= g.t).at(-1);
		const next = all.find((x) => x.tag === 'after-gc' && x.t >= g.t);
		return { kind: g.gc, ms: g.ms, at: g.t - from, arrayBuffersFreed: before && next ? before.arrayBuffers - next.arrayBuffers : undefined };
	});
	const perRequest = requests
		.filter((q) => q.method === 'PUT' || /uploadType=resumable|uploadType=multipart/.test(q.query ?? ''))
		.map((q) => after(Date.parse(q.time)))
		.filter(Boolean)
		.map((x) => x.arrayBuffers - start.arrayBuffers);
	// allocation during the send, approximated from the 10 ms samples (increases only; a GC's drop is not counted)
	let young = 0;
	let buffers = 0;
	for (let i = 1; i < samples.length; i++) {
		young += Math.max(0, samples[i].newSpace - samples[i - 1].newSpace);
		buffers += Math.max(0, samples[i].arrayBuffers - samples[i - 1].arrayBuffers);
	}
	return {
		start,
		allocated: { young, buffers },
		peak: { rss: max('rss'), heapUsed: max('heapUsed'), external: max('external'), arrayBuffers: max('arrayBuffers'), newSpace: max('newSpace') },
		samples: samples.length,
		gcs: drops,
		perRequest,
		forced,
	};
}

function showProbe(p) {
	if (!p?.start) return console.log('  probe: no samples in the send window');
	const s = p.start;
	const d = (k) => fmtMiB(p.peak[k] - s[k]);
	console.log(
		`  probe (in n8n, ${p.samples} samples): at the send node's start rss ${fmtMiB(s.rss)}, heapUsed ${fmtMiB(s.heapUsed)}, external ${fmtMiB(s.external)} (arrayBuffers ${fmtMiB(s.arrayBuffers)}), new space ${fmtMiB(s.newSpace)}`,
	);
	console.log(`    peaks above that during the send: rss +${d('rss')}, heapUsed +${d('heapUsed')}, external +${d('external')}, arrayBuffers +${d('arrayBuffers')}; new space max ${fmtMiB(p.peak.newSpace)}`);
	console.log(`    allocated during the send (sum of increases between samples): ${fmtMiB(p.allocated.young)} in V8's new space, ${fmtMiB(p.allocated.buffers)} of ArrayBuffers`);
	const kinds = {};
	for (const g of p.gcs) kinds[g.kind] = (kinds[g.kind] ?? 0) + 1;
	console.log(
		`    GCs during the send: ${JSON.stringify(kinds)}; arrayBuffers freed by each: ${p.gcs.map((g) => `${g.kind[0]}@${(g.at / 1000).toFixed(2)}s ${g.arrayBuffersFreed === undefined ? '?' : fmtMiB(g.arrayBuffersFreed)}`).join(', ') || 'none'}`,
	);
	if (p.perRequest.length) console.log(`    arrayBuffers above the start as each upload request reached the stand-in (MiB): ${p.perRequest.map((b) => (b / MiB).toFixed(1)).join(' ')}`);
	if (p.forced) {
		const { before, after } = p.forced;
		console.log(
			`    forced full GC after the run: rss ${fmtMiB(before.rss)} -> ${fmtMiB(after.rss)} (${fmtMiB(after.rss - s.rss)} above the send's start), ` +
				`heapUsed ${fmtMiB(before.heapUsed)} -> ${fmtMiB(after.heapUsed)}, arrayBuffers ${fmtMiB(before.arrayBuffers)} -> ${fmtMiB(after.arrayBuffers)}`,
		);
	}
}

function show(r, file) {
	console.log(`\n${r.label}: ${r.ok ? 'sent' : 'NOT sent'} (${r.status})${r.error ? `\n  error: ${r.error}` : ''}`);
	console.log(`  input binary: ${r.binaryId ?? 'none'} (${r.binarySize ?? '?'})`);
	console.log(`  wall: send node ${r.sendSeconds.toFixed(2)} s, read node ${r.readSeconds.toFixed(2)} s, execution ${r.wallSeconds.toFixed(2)} s`);
	console.log(
		`  n8n RSS: ${fmtMiB(r.rssBefore)} before, peak ${fmtMiB(r.peakRun)}: growth ${fmtMiB(r.growth)} = ${r.ratio.toFixed(2)} x the attachment` +
			` (peak during the send node: ${fmtMiB(r.growthSendWindow)}; above RSS at the send node's start: ${fmtMiB(r.growthSendNode)} = ${r.sendNodeRatio.toFixed(2)} x)`,
	);
	for (const u of r.uploads) console.log(`  stand-in: ${u.method} ${u.host}${u.path} -> ${u.status}${u.reason ? ` ${u.reason}` : ''}, request body ${u.bodySize} bytes`);
	if (!r.uploads.length) console.log(`  stand-in: no send/upload request reached Google (${r.googleRequests} Google requests in all)`);
	if (r.received.sha256) {
		console.log(`  bob received "${r.received.filename}", ${r.received.bytes} bytes, sha256 ${r.shaOk ? 'matches' : `DIFFERS (${r.received.sha256} vs ${file.sha256})`}; message sizeEstimate ${r.received.sizeEstimate} bytes (limit ${GMAIL_LIMIT})`);
	} else console.log(`  bob's mailbox: ${r.received.found ? `message found, ${r.received.attachments} attachment(s)` : 'no such message'}`);
	if (r.probe) showProbe(r.probe);
}

const CASES = {
	ours: [`ours: Send Email with Attachment, ${fmtMiB(files.main.bytes)}`, 'ours', files.main],
	builtin: [`built-in Gmail ${BUILTIN_VERSION} Send (attachments from binary), ${fmtMiB(files.main.bytes)}`, 'builtin', files.main],
	oursOver: [`ours: Send Email with Attachment, ${fmtMiB(files.over.bytes)} (over Gmail's limit)`, 'ours', files.over],
	builtinOver: [`built-in Gmail ${BUILTIN_VERSION} Send, ${fmtMiB(files.over.bytes)} (over Gmail's limit)`, 'builtin', files.over],
};
// BENCH_CASES: which runs, in order (default: all four; ours first, so its baseline is not inflated by the built-in)
const order = (process.env.BENCH_CASES ?? 'ours,builtin,oursOver,builtinOver').split(',').map((s) => s.trim()).filter(Boolean);
const runs = {};
for (const [n, key] of order.entries()) {
	if (!CASES[key]) throw new Error(`BENCH_CASES: unknown case ${key} (${Object.keys(CASES).join(', ')})`);
	const [label, kind, file] = CASES[key];
	log(`${label} ...`);
	const r = await measure(label, kind, file);
	show(r, file);
	runs[key] ??= r; // the first run of a case is the figure; repeats only print
	if (runs[key] !== r) log(`(repeat #${n + 1} of ${key}: growth ${fmtMiB(r.growth)})`);
}
if (!order.every((k) => k in CASES) || !['ours', 'builtin', 'oursOver', 'builtinOver'].every((k) => runs[k])) {
	console.log(
		JSON.stringify(
			Object.fromEntries(
				Object.entries(runs).map(([k, r]) => [
					k,
					{ ok: r.ok, ratio: Number(r.ratio.toFixed(2)), send_node_ratio: Number(r.sendNodeRatio.toFixed(2)), growth_mib: Number((r.growth / MiB).toFixed(1)), seconds: r.sendSeconds },
				]),
			),
		),
	);
	process.exit(0);
}

const o = runs.ours;
const b = runs.builtin;
const result = {
	ours_ok: o.ok && o.shaOk,
	ours_rss_growth_ratio: Number(o.ratio.toFixed(2)),
	builtin_ok: b.ok && b.shaOk,
	builtin_rss_growth_ratio: Number(b.ratio.toFixed(2)),
	...(b.ok ? {} : { builtin_error: `${b.uploads.map((u) => `HTTP ${u.status} ${u.reason ?? ''}`.trim()).join(', ') || 'no request'}: ${String(b.error ?? '').slice(0, 160)}` }),
	attachment_bytes: files.main.bytes,
	ours_seconds: Number(o.sendSeconds.toFixed(2)),
	builtin_seconds: Number(b.sendSeconds.toFixed(2)),
	ours_send_node_rss_growth_ratio: Number(o.sendNodeRatio.toFixed(2)),
	builtin_send_node_rss_growth_ratio: Number(b.sendNodeRatio.toFixed(2)),
	ours_rss_growth_mib: Number((o.growth / MiB).toFixed(1)),
	builtin_rss_growth_mib: Number((b.growth / MiB).toFixed(1)),
	over_bytes: files.over.bytes,
	over_ours_ok: runs.oursOver.ok,
	over_ours_uploads: runs.oursOver.uploads.length,
	over_ours_rss_growth_ratio: Number(runs.oursOver.ratio.toFixed(2)),
	over_builtin_ok: runs.builtinOver.ok,
	over_builtin_status: runs.builtinOver.uploads.map((u) => u.status).join(',') || 'no request',
	over_builtin_rss_growth_ratio: Number(runs.builtinOver.ratio.toFixed(2)),
};
console.log(JSON.stringify(result));
