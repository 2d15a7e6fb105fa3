import { readFileSync } from 'node:fs';
import { sharedDir } from './paths';

export interface DiscoveryMethod {
	id: string;
	httpMethod: string;
	/** Path template relative to rootUrl + servicePath, e.g. "gmail/v1/users/{userId}/messages/{id}". */
	path: string;
	scopes: string[];
	parameters: Record<string, { location: 'path' | 'query'; type: string; required?: boolean; repeated?: boolean; enum?: string[] }>;
	mediaUpload?: { maxSize: string; accept: string[]; protocols: Record<string, { multipart: boolean; path: string }> };
	request?: { $ref: string };
	response?: { $ref: string };
}

export interface DiscoveryDoc {
	rootUrl: string;
	servicePath: string;
	batchPath: string;
	auth: { oauth2: { scopes: Record<string, { description: string }> } };
	schemas: Record<string, unknown>;
	resources: Record<string, unknown>;
}

let cached: { doc: DiscoveryDoc; methods: Map<string, DiscoveryMethod> } | undefined;

function walk(node: any, out: Map<string, DiscoveryMethod>) {
	for (const m of Object.values<any>(node.methods ?? {})) out.set(m.id, { ...m, scopes: m.scopes ?? [], parameters: m.parameters ?? {} });
	for (const r of Object.values<any>(node.resources ?? {})) walk(r, out);
}

/** Google's Gmail v1 discovery document from ../shared/corpus (the stand-in's source of truth for scopes and paths). */
export function gmailDiscovery() {
	if (!cached) {
		const doc = JSON.parse(readFileSync(`${sharedDir()}/corpus/gmail-v1-discovery.json`, 'utf8')) as DiscoveryDoc;
		const methods = new Map<string, DiscoveryMethod>();
		walk(doc, methods);
		cached = { doc, methods };
	}
	return cached;
}

export function discoveryMethod(id: string): DiscoveryMethod | undefined {
	return gmailDiscovery().methods.get(id);
}
