/**
 * Gmail's batch endpoint (POST https://gmail.googleapis.com/batch/gmail/v1): up to 100 API calls in
 * one multipart/mixed request, each part an `application/http` request, answered by a multipart/mixed
 * response whose parts carry `Content-ID: response-<id>` and an HTTP status line.
 */
export const BATCH_PATH = 'batch/gmail/v1';
export const MAX_BATCH_PARTS = 100;

export interface BatchRequestPart {
	method: string;
	/** Path and query below the host, e.g. /gmail/v1/users/me/messages/abc?format=full */
	path: string;
	body?: unknown;
}

export interface BatchResponsePart {
	index: number;
	status: number;
	headers: Record<string, string>;
	body: unknown;
}

export function buildBatchBody(parts: BatchRequestPart[], boundary: string): string {
	if (parts.length > MAX_BATCH_PARTS)
		throw new Error(`A Gmail batch holds at most ${MAX_BATCH_PARTS} calls`);
	const out: string[] = [];
	parts.forEach((p, i) => {
		out.push(`--${boundary}`, 'Content-Type: application/http', `Content-ID: <item${i}>`, '');
		out.push(`${p.method} ${p.path} HTTP/1.1`);
		if (p.body !== undefined) {
			const json = JSON.stringify(p.body);
			out.push(
				'Content-Type: application/json; charset=UTF-8',
				`Content-Length: ${Buffer.byteLength(json)}`,
				'',
				json,
			);
		} else {
			out.push('');
		}
		out.push('');
	});
	out.push(`--${boundary}--`, '');
	return out.join('\r\n');
}

function splitHead(block: string): [string[], string] {
	const m = /\r?\n\r?\n/.exec(block);
	if (!m) return [block.split(/\r?\n/), ''];
	return [block.slice(0, m.index).split(/\r?\n/), block.slice(m.index + m[0].length)];
}

function headerMap(lines: string[]): Record<string, string> {
	const h: Record<string, string> = {};
	for (const line of lines) {
		const i = line.indexOf(':');
		if (i > 0) h[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
	}
	return h;
}

/** Parse the multipart/mixed answer; parts are matched to requests by their Content-ID. */
export function parseBatchResponse(contentType: string, text: string): BatchResponsePart[] {
	const boundary = /boundary="?([^";]+)"?/i.exec(contentType)?.[1];
	if (!boundary)
		throw new Error(`Gmail batch answer without a multipart boundary (${contentType})`);
	const results: BatchResponsePart[] = [];
	const chunks = text.split(`--${boundary}`).slice(1);
	chunks.forEach((chunk, position) => {
		if (chunk.startsWith('--')) return;
		const [outerLines, inner] = splitHead(chunk.replace(/^\r?\n/, ''));
		const outer = headerMap(outerLines);
		const idMatch = /item(\d+)/.exec(outer['content-id'] ?? '');
		const [innerLines, rawBody] = splitHead(inner);
		const status = Number(/^HTTP\/[\d.]+\s+(\d{3})/.exec(innerLines[0] ?? '')?.[1] ?? 0);
		const headers = headerMap(innerLines.slice(1));
		const bodyText = rawBody.replace(/\r?\n$/, '');
		let body: unknown = bodyText;
		if (bodyText.trim().startsWith('{') || bodyText.trim().startsWith('[')) {
			try {
				body = JSON.parse(bodyText);
			} catch {
				body = bodyText;
			}
		}
		results.push({ index: idMatch ? Number(idMatch[1]) : position, status, headers, body });
	});
	return results;
}
