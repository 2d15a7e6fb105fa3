// npm run demo:deliver -- "Subject" [options]: new mail arrives in the demo mailbox (the running `npm run demo`'s
// stand-in, POST /__standin/deliver), so the active trigger example "New Email" fires at its next poll (within a minute).
//   --from "Name <addr>"   sender (default "Demo Sender <sender@outside.example.net>")
//   --to addr              mailbox (default alice@example.com, the demo's connection)
//   --text "..."           body text
//   --count N              N messages at once (subjects "Subject 1".."Subject N")
//   --starred              the message arrives starred: the "Label Added or Removed" example (STARRED) fires too
//   --star ID / --unstar ID   star or unstar an existing message (Gmail API messages.modify as the mailbox's owner)
// The stand-in's port: DEMO_STANDIN_PORT (default 8443); its CA: $GW_CACHE/standin-ca/ca.crt (made by the demo).
import { randomUUID } from 'node:crypto';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { Standin } from './lib/clients.mjs';

const { values, positionals } = parseArgs({
	allowPositionals: true,
	options: {
		from: { type: 'string', default: 'Demo Sender <sender@outside.example.net>' },
		to: { type: 'string', default: process.env.DEMO_USER || 'alice@example.com' },
		text: { type: 'string' },
		count: { type: 'string', default: '1' },
		starred: { type: 'boolean', default: false },
		star: { type: 'string' },
		unstar: { type: 'string' },
		help: { type: 'boolean', short: 'h', default: false },
	},
});
if (values.help) {
	console.log('usage: npm run demo:deliver -- "Subject" [--from "Name <addr>"] [--to addr] [--text "..."] [--count N] [--starred]\n' +
		'       npm run demo:deliver -- --star MESSAGE_ID | --unstar MESSAGE_ID');
	process.exit(0);
}

const cache = process.env.GW_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'n8n-nodes-gmail-workspace');
const ca = process.env.E2E_CA_DIR ? join(process.env.E2E_CA_DIR, 'ca.crt') : join(cache, 'standin-ca', 'ca.crt');
const port = Number(process.env.DEMO_STANDIN_PORT || 8443);
if (!existsSync(ca)) {
	console.error(`no stand-in CA at ${ca}: start the demo first (npm run demo)`);
	process.exit(1);
}
const standin = new Standin({ port, ca });
const GMAIL = 'https://gmail.googleapis.com/gmail/v1/users/me';

try {
	if (values.star || values.unstar) {
		const id = values.star ?? values.unstar;
		const body = values.star ? { addLabelIds: ['STARRED'] } : { removeLabelIds: ['STARRED'] };
		const m = await standin.api(values.to, 'POST', `${GMAIL}/messages/${encodeURIComponent(id)}/modify`, body);
		console.log(`${values.star ? 'starred' : 'unstarred'} ${m.id} in ${values.to} (labels now ${m.labelIds.join(', ')}); the "Label Added or Removed" example fires at its next poll`);
		process.exit(0);
	}
	const subject = positionals.join(' ') || `Demo mail ${new Date().toISOString()}`;
	const count = Number(values.count);
	const labelIds = values.starred ? ['STARRED'] : [];
	// one message: exactly this subject (the bytes are built here); several: the stand-in numbers the subjects
	const req = count === 1
		? { to: values.to, raw: message({ from: values.from, to: values.to, subject, text: values.text ?? `Sent with npm run demo:deliver at ${new Date().toISOString()}.` }), labelIds }
		: { to: values.to, count, from: values.from, subjectPrefix: subject, text: values.text, labelIds };
	const r = await standin.call('POST', 'deliver', req);
	for (const m of r.delivered) console.log(`delivered ${m.id} to ${r.to} (labels ${m.labelIds.join(', ')})`);
	console.log(`the active "New Email" trigger example${values.starred ? ' and the "Label Added or Removed" one (STARRED)' : ''} emit${values.starred ? '' : 's'} it at the next poll (within a minute): see the workflow's Executions tab in n8n`);
} catch (e) {
	const down = /ECONNREFUSED/.test(String(e?.code ?? e?.message ?? e));
	console.error(down ? `no stand-in on 127.0.0.1:${port}: is npm run demo running?` : String(e?.message ?? e));
	process.exit(1);
}

/** A plain-text RFC 5322 message (the subject as an RFC 2047 encoded word when it is not ASCII), base64url. */
function message({ from, to, subject, text }) {
	const word = (s) => (/^[\x20-\x7e]*$/.test(s) ? s : `=?UTF-8?B?${Buffer.from(s, 'utf8').toString('base64')}?=`);
	const lines = [
		`From: ${from}`,
		`To: ${to}`,
		`Subject: ${word(subject.replace(/[\r\n]+/g, ' '))}`,
		`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
		`Message-ID: <demo-${randomUUID()}@outside.example.net>`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=UTF-8',
		'Content-Transfer-Encoding: base64',
		'',
		Buffer.from(text, 'utf8').toString('base64').replace(/.{76}/g, '$&\r\n'),
		'',
	];
	return Buffer.from(lines.join('\r\n'), 'utf8').toString('base64url');
}
