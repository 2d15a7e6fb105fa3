// An MCP client (the official TypeScript SDK, @modelcontextprotocol/sdk) for n8n's MCP Server Trigger: Streamable
// HTTP first (what MCP Server Trigger v2 serves at /mcp/<path>), SSE as the fallback (v1's /mcp/<path>/sse).
import { Client } from '@modelcontextprotocol/sdk/client/index.js';
import { SSEClientTransport } from '@modelcontextprotocol/sdk/client/sse.js';
import { StreamableHTTPClientTransport } from '@modelcontextprotocol/sdk/client/streamableHttp.js';

/**
 * Connect to an MCP endpoint. Returns {client, transport: 'streamable-http' | 'sse', server, instructions, close}.
 * @param {string} url  e.g. http://127.0.0.1:5678/mcp/gmail-workspace
 */
export async function connectMcp(url, { name = 'gmail-workspace-e2e', version = '1.0.0' } = {}) {
	const errors = [];
	for (const [kind, make] of [
		['streamable-http', () => new StreamableHTTPClientTransport(new URL(url))],
		['sse', () => new SSEClientTransport(new URL(url.replace(/\/?$/, '/sse')))],
	]) {
		const client = new Client({ name, version });
		try {
			await client.connect(make());
			return {
				client,
				transport: kind,
				server: client.getServerVersion(),
				instructions: client.getInstructions(),
				close: () => client.close(),
			};
		} catch (e) {
			errors.push(`${kind}: ${e?.message ?? e}`);
			await client.close().catch(() => {});
		}
	}
	throw new Error(`no MCP transport answered at ${url} (${errors.join('; ')})`);
}

/** tools/list, every page. */
export async function listAllTools(client) {
	const tools = [];
	let cursor;
	do {
		const page = await client.listTools(cursor ? { cursor } : {});
		tools.push(...page.tools);
		cursor = page.nextCursor;
	} while (cursor);
	return tools;
}

/** The text of a tools/call result (its text content parts joined). */
export const resultText = (r) => (r?.content ?? []).filter((c) => c.type === 'text').map((c) => c.text).join('\n');

/** POST an MCP initialize to `url` until it answers `want` (≤ 30 s). Returns {status, ms}. */
export async function waitForEndpoint(url, want, timeoutMs = 30_000) {
	const t0 = Date.now();
	for (;;) {
		const res = await fetch(url, {
			method: 'POST',
			headers: { 'content-type': 'application/json', accept: 'application/json, text/event-stream' },
			body: JSON.stringify({ jsonrpc: '2.0', id: 0, method: 'initialize', params: { protocolVersion: '2025-03-26', capabilities: {}, clientInfo: { name: 'gmail-workspace-e2e-probe', version: '1.0.0' } } }),
		});
		await res.body?.cancel();
		if (res.status === want || Date.now() - t0 > timeoutMs) return { status: res.status, ms: Date.now() - t0 };
		await new Promise((r) => setTimeout(r, 500));
	}
}
