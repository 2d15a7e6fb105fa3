/**
 * npm run bench:parse — parser throughput on the real-mail corpus: our parseRawMessage vs mailparser's
 * simpleParser, messages per second over several rounds (a script that prints figures, not a test).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseRawMessage } from '../../nodes/GmailWorkspace/mime';
import { simpleParser } from '../mime/libs';

const dir = resolve(__dirname, '../../../shared/corpus/eml');
const corpus = readdirSync(dir).filter((f) => f.endsWith('.eml')).map((f) => readFileSync(`${dir}/${f}`));
const rounds = Number(process.argv[2] ?? 20);

async function measure(name: string, parse: (raw: Buffer) => unknown) {
	for (const raw of corpus) await parse(raw); // warm up
	const t0 = process.hrtime.bigint();
	for (let r = 0; r < rounds; r++) for (const raw of corpus) await parse(raw);
	const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
	const perSecond = (rounds * corpus.length) / seconds;
	console.log(`${name.padEnd(14)} ${perSecond.toFixed(0).padStart(7)} msg/s  (${rounds} rounds × ${corpus.length} messages in ${seconds.toFixed(2)} s)`);
	return perSecond;
}

(async () => {
	const bytes = corpus.reduce((n, b) => n + b.length, 0);
	console.log(`corpus: ${corpus.length} messages, ${(bytes / 1024).toFixed(0)} KiB; node ${process.version}`);
	const ours = await measure('ours', (raw) => parseRawMessage(raw));
	const theirs = await measure('mailparser', (raw) => simpleParser(raw, { skipTextLinks: true, skipImageLinks: true }));
	console.log(JSON.stringify({ ours_msgs_per_s: Math.round(ours), mailparser_msgs_per_s: Math.round(theirs), ratio: Number((ours / theirs).toFixed(2)) }));
})();
