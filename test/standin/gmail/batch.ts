/**
 * Google's batch endpoint (POST /batch/gmail/v1, legacy POST /batch): a multipart/mixed body of application/http
 * parts, each one HTTP request (request line, headers, blank line, body). Each part is dispatched through the
 * stand-in like a request of its own (own auth, scope check, quota units), with the outer request's headers
 * except Content-* inherited. The answer is multipart/mixed with one application/http part per request, its
 * Content-ID `<response-…>` echoing the request part's.
 */
import { randomBytes } from 'node:crypto';
import { STATUS_CODES, type IncomingHttpHeaders } from 'node:http';
import { badRequest } from '../core/errors';
import type { Route } from '../core/standin';
import { fromBin, parseParams, splitHeaderBlock, splitMultipart, toBin } from './mime';

export const MAX_BATCH_PARTS = 100;

interface InnerPart {
	contentId?: string;
	method: string;
	url: string;
	headers: IncomingHttpHeaders;
	body: Buffer;
}

function parsePart(bin: string): InnerPart {
	const outer = splitHeaderBlock(bin);
	const contentId = outer.fields.find((f) => f.name.toLowerCase() === 'content-id')?.value.trim();
	let rest = bin.slice(outer.bodyStart).replace(/^(\r?\n)+/, '');
	const nl = rest.indexOf('\n');
	const requestLine = (nl < 0 ? rest : rest.slice(0, nl)).trim();
	rest = nl < 0 ? '' : rest.slice(nl + 1);
	const m = /^([A-Z]+)\s+(\S+)(\s+HTTP\/\d(\.\d)?)?$/.exec(requestLine);
	if (!m) throw badRequest(`Invalid batch part request line: ${requestLine.slice(0, 80)}`);
	const inner = splitHeaderBlock(rest);
	const headers: IncomingHttpHeaders = {};
	for (const f of inner.fields) headers[f.name.toLowerCase()] = f.value.replace(/\r?\n[ \t]*/g, ' ').trim();
	const url = new URL(m[2], 'http://x');
	return { contentId, method: m[1], url: url.pathname + url.search, headers, body: fromBin(rest.slice(inner.bodyStart)) };
}

export function batchRoute(): Route {
	return {
		id: 'standin.gmail.batch',
		host: '*',
		method: 'POST',
		paths: ['/batch/gmail/v1', '/batch'],
		auth: 'none',
		async handler(ctx) {
			const ct = parseParams(String(ctx.headers['content-type'] ?? ''));
			if (ct.value.toLowerCase() !== 'multipart/mixed' || !ct.params.boundary) {
				throw badRequest('Batch requests must have Content-Type multipart/mixed with a boundary.');
			}
			const parts = splitMultipart(toBin(ctx.body), ct.params.boundary).parts;
			if (!parts.length) throw badRequest('A batch request must contain at least one part.');
			if (parts.length > MAX_BATCH_PARTS) {
				throw badRequest(`A batch request cannot contain more than ${MAX_BATCH_PARTS} requests; this one has ${parts.length}.`);
			}
			const inherited: IncomingHttpHeaders = {};
			for (const [k, v] of Object.entries(ctx.headers)) if (!k.startsWith('content-') && k !== 'host') inherited[k] = v;
			const boundary = 'batch_' + randomBytes(12).toString('base64url');
			let out = '';
			for (let i = 0; i < parts.length; i++) {
				const p = parsePart(parts[i]);
				const id = p.contentId ? p.contentId.replace(/^<|>$/g, '') : String(i + 1);
				let status: number;
				let headers: Record<string, string>;
				let body: Buffer;
				if (p.url.startsWith('/upload/') || p.url.startsWith('/resumable/') || p.url.startsWith('/batch')) {
					const e = badRequest('Media uploads and nested batches are not supported in a batch request.').body();
					status = 400;
					headers = { 'content-type': 'application/json; charset=UTF-8' };
					body = Buffer.from(JSON.stringify(e, null, 2));
				} else {
					const r = await ctx.standin.dispatch({
						method: p.method,
						host: ctx.host,
						url: p.url,
						headers: { ...inherited, ...p.headers },
						body: p.body,
						inBatch: true,
						scheme: ctx.scheme,
					});
					({ status, headers, body } = r);
				}
				out += `--${boundary}\r\nContent-Type: application/http\r\nContent-ID: <response-${id}>\r\n\r\n`;
				out += `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? ''}\r\n`;
				for (const [k, v] of Object.entries(headers)) out += `${k}: ${v}\r\n`;
				out += `Content-Length: ${body.length}\r\n\r\n`;
				out += toBin(body) + '\r\n';
			}
			out += `--${boundary}--\r\n`;
			return { status: 200, headers: { 'content-type': `multipart/mixed; boundary=${boundary}` }, body: fromBin(out) };
		},
	};
}
