import type {
	ICredentialType,
	ICredentialTypes,
	IDataObject,
	INodeType,
	INodeTypes,
	IVersionedNodeType,
} from 'n8n-workflow';
import { NodeHelpers, UnexpectedError } from 'n8n-workflow';

import { basename, join } from 'node:path';

import { GmailProbe } from '../fixtures/gmail-probe.node';
import { ManualTrigger } from './manual-trigger.node';
import { OAuth2Api } from './oauth2-api.credentials';

/** Our package name: n8n names a community node type `<package>.<description.name>`. */
export const PACKAGE = 'n8n-nodes-gmail-workspace';
/** Package of the test-only fixture nodes. */
export const BENCH_PACKAGE = 'n8n-nodes-gmail-workspace-bench';

export const NODE_TYPES = {
	manualTrigger: 'n8n-nodes-base.manualTrigger',
	gmailWorkspace: `${PACKAGE}.gmailWorkspace`,
	gmailWorkspaceTrigger: `${PACKAGE}.gmailWorkspaceTrigger`,
	gmailProbe: `${BENCH_PACKAGE}.gmailProbe`,
} as const;

function baseName(type: INodeType | IVersionedNodeType): string {
	return type.description.name;
}

/** Node types by full type name, as n8n's NodeTypes service resolves them (versioned nodes included). */
export class BenchNodeTypes implements INodeTypes {
	private readonly types = new Map<string, INodeType | IVersionedNodeType>();

	add(packageName: string, type: INodeType | IVersionedNodeType): this {
		this.types.set(`${packageName}.${baseName(type)}`, type);
		return this;
	}

	getByName(nodeType: string): INodeType | IVersionedNodeType {
		const type = this.types.get(nodeType);
		if (!type) throw new UnexpectedError(`bench: unknown node type "${nodeType}"`);
		return type;
	}

	getByNameAndVersion(nodeType: string, version?: number): INodeType {
		return NodeHelpers.getVersionedNodeType(this.getByName(nodeType), version);
	}

	getKnownTypes(): IDataObject {
		return Object.fromEntries([...this.types.keys()].map((name) => [name, { className: name, sourcePath: '' }]));
	}
}

/** Credential types by name with n8n's `extends` chain (CLI CredentialTypes semantics). */
export class BenchCredentialTypes implements ICredentialTypes {
	private readonly types = new Map<string, ICredentialType>();

	add(type: ICredentialType): this {
		this.types.set(type.name, type);
		return this;
	}

	recognizes(type: string): boolean {
		return this.types.has(type);
	}

	getByName(type: string): ICredentialType {
		const found = this.types.get(type);
		if (!found) throw new UnexpectedError(`bench: unknown credential type "${type}"`);
		return found;
	}

	getSupportedNodes(type: string): string[] {
		return this.types.get(type)?.supportedNodes ?? [];
	}

	/** Every ancestor, nearest first, as n8n's CLI computes it (a credential may extend several). */
	getParentTypes(typeName: string): string[] {
		const parents = this.types.get(typeName)?.extends ?? [];
		return parents.flatMap((parent) => [parent, ...this.getParentTypes(parent)]);
	}
}

const ROOT = join(__dirname, '..', '..', '..');

interface PackageJson {
	n8n: { nodes: string[]; credentials: string[] };
}

/**
 * The classes package.json's `n8n` section declares, loaded from the TypeScript sources instead of
 * dist/ (ts-jest compiles them): `dist/credentials/X.credentials.js` → class `X` of
 * `credentials/X.credentials.ts`, the way n8n's loader names classes after their file.
 */
function loadDeclared<T>(paths: string[]): T[] {
	return paths.map((distPath) => {
		const source = join(ROOT, distPath.replace(/^dist\//, '').replace(/\.js$/, ''));
		const className = basename(source).split('.')[0];
		// eslint-disable-next-line @typescript-eslint/no-require-imports
		const exported = (require(source) as Record<string, new () => T>)[className];
		if (typeof exported !== 'function') throw new UnexpectedError(`bench: ${source} exports no class ${className}`);
		return new exported();
	});
}

/** Our package's node and credential types (as package.json declares them), plus the test-only ones. */
export function loadTypes(): { nodeTypes: BenchNodeTypes; credentialTypes: BenchCredentialTypes } {
	// eslint-disable-next-line @typescript-eslint/no-require-imports
	const { n8n } = require(join(ROOT, 'package.json')) as PackageJson;
	const nodeTypes = new BenchNodeTypes().add('n8n-nodes-base', new ManualTrigger()).add(BENCH_PACKAGE, new GmailProbe());
	for (const node of loadDeclared<INodeType | IVersionedNodeType>(n8n.nodes)) nodeTypes.add(PACKAGE, node);
	const credentialTypes = new BenchCredentialTypes().add(new OAuth2Api());
	for (const credential of loadDeclared<ICredentialType>(n8n.credentials)) credentialTypes.add(credential);
	return { nodeTypes, credentialTypes };
}
