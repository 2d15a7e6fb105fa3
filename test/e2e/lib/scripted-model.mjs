// A scripted OpenAI-compatible chat model (test tooling, loopback only): n8n's OpenAI credential points its Base URL
// here, and n8n's OpenAI Chat Model node (Chat Completions, not the Responses API) talks to it like to OpenAI.
// It answers with a fixed script of tool calls, the way a model would triage an invoice email:
//   1. call the Search tool with a query for the invoice number named in the user's prompt ("INV-…"),
//   2. call the Read tool with the message ID found in the Search tool's output,
//   3. call the Reply tool for that message with a short answer,
//   4. call the Add Labels tool for that message with the label named in the prompt ("label …"),
//   5. give a final answer.
// Tools are picked from the `tools` array of each request (by name, else by description); arguments are filled
// from each tool's JSON schema (keys such as query / messageId / message / labels) and from earlier tool results.
// Every request is recorded: the tools offered (name, description, JSON schema), the tool results passed back
// (their sizes and text) and what was answered. GET /__scripted/requests gives the log; POST /__scripted/reset
// clears it.
// CLI: node scripted-model.mjs [--port 0] [--exit-with-stdin]  -> prints "scripted model: http://127.0.0.1:PORT/v1"
import { createServer } from 'node:http';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';

export const SCRIPTED_MODEL = 'gpt-4.1-mini';
/** The throwaway API key the tests give n8n's OpenAI credential (the server checks it is sent; never a real key). */
export const SCRIPTED_API_KEY = 'sk-scripted-model-not-a-secret';

/** The script: which tool each step wants (name first, then description) and how it fills the arguments. */
const STEPS = [
	{ step: 'search', name: /search/i, description: /\bsearch|find\b/i },
	{ step: 'read', name: /^(?!.*search)(?!.*thread).*(read|get)/i, description: /^(?!.*search).*\b(read|get)s?\b/i },
	{ step: 'reply', name: /reply/i, description: /\brepl(y|ies)\b/i },
	{ step: 'label', name: /add.?labels?|label/i, description: /\badds?\b.*\blabels?\b/i },
];

/** The name the tests and the demo give n8n's OpenAI credential pointed at this server. */
export const OPENAI_CREDENTIAL_NAME = 'Scripted model (OpenAI-compatible, loopback)';
/** The invoice the script looks for (the prompt of examples/70-ai-triage.json names it). */
export const INVOICE = 'INV-2026-0412';

/** An invoice from an outside vendor, as raw RFC 822 bytes (the stand-in's deliver knob takes base64). */
export function invoiceEmail(to, tag = Date.now().toString(36)) {
	return [
		'From: Vendor Billing <billing@vendor.example.net>',
		`To: ${to}`,
		`Subject: Invoice ${INVOICE} for November`,
		`Date: ${new Date().toUTCString().replace('GMT', '+0000')}`,
		`Message-ID: <${INVOICE.toLowerCase()}-${tag}@vendor.example.net>`,
		'MIME-Version: 1.0',
		'Content-Type: text/plain; charset=UTF-8',
		'',
		'Hello,',
		'',
		`please find invoice ${INVOICE} for November: 1,250.00 EUR, due on 15 December 2026.`,
		`Bank transfer to IBAN DE00 0000 0000 0000 0000 00, reference ${INVOICE}.`,
		'',
		'Vendor Billing',
		'',
	].join('\r\n');
}

export const REPLY_TEXT = 'Thank you, we received the invoice and will pay it by the due date.';

const text = (m) => (typeof m?.content === 'string' ? m.content : Array.isArray(m?.content) ? m.content.map((p) => p?.text ?? '').join('') : '');

/** The tool a step wants among the offered tools (OpenAI's [{type:'function', function:{name, description, parameters}}]). */
export function pickTool(tools, step) {
	const fns = tools.map((t) => t.function ?? t).filter((f) => f?.name);
	return fns.find((f) => step.name.test(f.name)) ?? fns.find((f) => step.description.test(f.description ?? ''));
}

/** Message IDs in a tool's output (JSON text of items, or anything with "id": "<hex>"), with the subject near each. */
export function messagesIn(output) {
	const found = [];
	const walk = (v) => {
		if (Array.isArray(v)) v.forEach(walk);
		else if (v && typeof v === 'object') {
			if (typeof v.id === 'string' && /^[0-9a-f]{8,}$/i.test(v.id)) found.push({ id: v.id, threadId: v.threadId, subject: String(v.subject ?? '') });
			for (const x of Object.values(v)) if (x && typeof x === 'object') walk(x);
		} else if (typeof v === 'string' && /^\s*[[{]/.test(v)) {
			try {
				walk(JSON.parse(v));
			} catch {
				// not JSON
			}
		}
	};
	walk(output);
	if (!found.length) for (const m of String(output).matchAll(/"id"\s*:\s*"([0-9a-f]{8,})"/gi)) found.push({ id: m[1], subject: '' });
	return found;
}

/** Arguments for a tool from its JSON schema: each property filled by what its key (or description) asks for. */
export function fillArguments(fn, facts) {
	const props = fn.parameters?.properties ?? {};
	const args = {};
	const unknown = [];
	for (const [key, schema] of Object.entries(props)) {
		const k = `${key} ${schema?.description ?? ''}`;
		const type = Array.isArray(schema?.type) ? schema.type[0] : schema?.type;
		let v;
		if (/message.?id|thread.?id|\bid\b/i.test(key)) v = facts.messageId;
		else if (/query|search/i.test(key)) v = facts.query;
		else if (/label/i.test(key)) v = type === 'array' ? [facts.label] : facts.label;
		else if (/limit|max|count/i.test(key)) v = 5;
		else if (/^(message|body|text|reply|content)/i.test(key) || /\b(body|reply text)\b/i.test(k)) v = facts.reply;
		else {
			unknown.push(key);
			v = type === 'number' || type === 'integer' ? 1 : type === 'boolean' ? false : type === 'array' ? [] : type === 'object' ? {} : '';
		}
		if ((type === 'number' || type === 'integer') && typeof v !== 'number') v = Number(v) || 1;
		args[key] = v;
	}
	return { args, unknown };
}

/** What the script answers to one chat-completions request. */
export function scriptedAnswer(body) {
	const messages = Array.isArray(body.messages) ? body.messages : [];
	const tools = Array.isArray(body.tools) ? body.tools : [];
	const prompt = text([...messages].reverse().find((m) => m.role === 'user'));
	const invoice = /INV-[\w-]+/i.exec(prompt)?.[0];
	const label = /\blabel(?:led|ed)?\s+(?:it\s+)?(?:as\s+|with\s+)?"?([\w/ -]+?)"?(?:[.,;]|$)/i.exec(prompt)?.[1]?.trim() ?? 'Receipts';
	// the calls made so far and their results, in order
	const calls = messages.filter((m) => m.role === 'assistant').flatMap((m) => m.tool_calls ?? []);
	const results = messages.filter((m) => m.role === 'tool').map((m) => ({ id: m.tool_call_id, content: text(m) }));
	const nameOf = (id) => calls.find((c) => c.id === id)?.function?.name;
	const last = results.at(-1);
	if (last && /^\s*(error|there was an error)|"error"\s*:/i.test(last.content.slice(0, 400))) {
		return { final: `SCRIPT STOPPED: tool ${nameOf(last.id)} answered an error: ${last.content.slice(0, 300)}`, failed: true };
	}
	const step = STEPS[results.length];
	if (!step) {
		return { final: `Done: found the invoice ${invoice ?? ''} email, read it, replied in its thread and labelled it ${label}.`.replace(/\s+/g, ' ') };
	}
	const fn = pickTool(tools, step);
	if (!fn) return { final: `SCRIPT STOPPED: no tool for step "${step.step}" among ${tools.map((t) => (t.function ?? t).name).join(', ')}`, failed: true };
	// the invoice message: the first search result whose subject names the invoice, else the first result
	const found = results.length ? messagesIn(results[0].content) : [];
	const hit = found.find((m) => invoice && m.subject.toLowerCase().includes(invoice.toLowerCase())) ?? found[0];
	const facts = { query: invoice ? `subject:${invoice}` : 'subject:invoice', messageId: hit?.id ?? '', label, reply: REPLY_TEXT };
	if (step.step !== 'search' && !facts.messageId) return { final: 'SCRIPT STOPPED: the search found no message ID', failed: true };
	const { args, unknown } = fillArguments(fn, facts);
	return { toolCall: { name: fn.name, arguments: args }, step: step.step, unknown };
}

const summarizeTools = (tools) =>
	tools.map((t) => t.function ?? t).map((f) => ({ name: f.name, description: f.description, parameters: f.parameters }));

/**
 * Start the server. Returns {url (the Base URL, …/v1), port, log, close}.
 * @param {{port?: number, host?: string}} o
 */
export async function startScriptedModel({ port = 0, host = '127.0.0.1' } = {}) {
	const log = [];
	let seq = 0;
	let calls = 0;
	const server = createServer((req, res) => {
		const chunks = [];
		req.on('data', (c) => chunks.push(c));
		req.on('end', () => {
			const raw = Buffer.concat(chunks).toString('utf8');
			const send = (status, body, headers = {}) => {
				res.writeHead(status, { 'content-type': 'application/json', ...headers });
				res.end(typeof body === 'string' ? body : JSON.stringify(body));
			};
			const path = (req.url ?? '').split('?')[0];
			if (path === '/__scripted/requests') return send(200, log);
			if (path === '/__scripted/reset' && req.method === 'POST') {
				log.length = 0;
				return send(200, { ok: true });
			}
			const entry = { seq: ++seq, at: new Date().toISOString(), method: req.method, path, apiKeyOk: req.headers.authorization === `Bearer ${SCRIPTED_API_KEY}` };
			log.push(entry);
			if (req.method === 'GET' && /\/models$/.test(path)) {
				return send(200, { object: 'list', data: [{ id: SCRIPTED_MODEL, object: 'model', created: 1_700_000_000, owned_by: 'scripted' }] });
			}
			if (req.method !== 'POST' || !/\/chat\/completions$/.test(path)) {
				entry.status = 404;
				return send(404, { error: { message: `the scripted model serves POST /v1/chat/completions and GET /v1/models, not ${req.method} ${path}`, type: 'invalid_request_error' } });
			}
			let body;
			try {
				body = JSON.parse(raw);
			} catch {
				entry.status = 400;
				return send(400, { error: { message: 'body is not JSON', type: 'invalid_request_error' } });
			}
			const messages = Array.isArray(body.messages) ? body.messages : [];
			const calledNames = new Map(messages.filter((m) => m.role === 'assistant').flatMap((m) => m.tool_calls ?? []).map((c) => [c.id, c.function?.name]));
			entry.model = body.model;
			entry.stream = body.stream === true;
			entry.tools = summarizeTools(Array.isArray(body.tools) ? body.tools : []);
			entry.messageRoles = messages.map((m) => m.role);
			entry.systemPromptChars = text(messages.find((m) => m.role === 'system')).length;
			entry.prompt = text([...messages].reverse().find((m) => m.role === 'user'));
			entry.toolResults = messages
				.filter((m) => m.role === 'tool')
				.map((m) => ({ toolCallId: m.tool_call_id, name: calledNames.get(m.tool_call_id), chars: text(m).length, bytes: Buffer.byteLength(text(m)), content: text(m) }));
			const answer = scriptedAnswer(body);
			entry.answer = answer;
			entry.status = 200;
			const id = `chatcmpl-scripted-${entry.seq}`;
			const created = Math.floor(Date.now() / 1000);
			const toolCalls = answer.toolCall ? [{ id: `call_${++calls}`, type: 'function', function: { name: answer.toolCall.name, arguments: JSON.stringify(answer.toolCall.arguments) } }] : undefined;
			const message = { role: 'assistant', content: toolCalls ? null : answer.final, ...(toolCalls ? { tool_calls: toolCalls } : {}) };
			const finish = toolCalls ? 'tool_calls' : 'stop';
			const usage = { prompt_tokens: Math.ceil(raw.length / 4), completion_tokens: 20, total_tokens: Math.ceil(raw.length / 4) + 20 };
			if (!entry.stream) {
				return send(200, { id, object: 'chat.completion', created, model: body.model ?? SCRIPTED_MODEL, choices: [{ index: 0, message, logprobs: null, finish_reason: finish }], usage });
			}
			// streamed: the same answer as server-sent chunks
			res.writeHead(200, { 'content-type': 'text/event-stream', 'cache-control': 'no-cache' });
			const chunk = (delta, finishReason = null, extra = {}) =>
				res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model ?? SCRIPTED_MODEL, choices: [{ index: 0, delta, logprobs: null, finish_reason: finishReason }], ...extra })}\n\n`);
			if (toolCalls) chunk({ role: 'assistant', content: null, tool_calls: toolCalls.map((c, index) => ({ index, ...c })) });
			else chunk({ role: 'assistant', content: answer.final });
			chunk({}, finish);
			if (body.stream_options?.include_usage) res.write(`data: ${JSON.stringify({ id, object: 'chat.completion.chunk', created, model: body.model ?? SCRIPTED_MODEL, choices: [], usage })}\n\n`);
			res.end('data: [DONE]\n\n');
		});
	});
	await new Promise((resolve, reject) => {
		server.once('error', reject);
		server.listen(port, host, resolve);
	});
	const actual = server.address().port;
	return {
		url: `http://${host}:${actual}/v1`,
		port: actual,
		log,
		close: () => new Promise((r) => server.close(() => r())),
	};
}

/** The log of a scripted model running in another process (GET /__scripted/requests). */
export async function scriptedLog(baseUrl) {
	const r = await fetch(new URL('/__scripted/requests', baseUrl));
	if (!r.ok) throw new Error(`scripted model log -> ${r.status}`);
	return r.json();
}

export async function scriptedReset(baseUrl) {
	await fetch(new URL('/__scripted/reset', baseUrl), { method: 'POST' });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
	const { values } = parseArgs({ options: { port: { type: 'string', default: '0' }, host: { type: 'string', default: '127.0.0.1' }, 'exit-with-stdin': { type: 'boolean', default: false } } });
	const s = await startScriptedModel({ port: Number(values.port), host: values.host });
	console.log(`scripted model: ${s.url}`);
	// started by a test: end with it (its stdin is our lifeline), so no server outlives a crashed suite
	if (values['exit-with-stdin']) {
		process.stdin.resume();
		process.stdin.on('end', () => process.exit(0));
		process.stdin.on('error', () => process.exit(0));
	}
	for (const sig of ['SIGTERM', 'SIGINT']) process.on(sig, () => s.close().then(() => process.exit(0)));
}
