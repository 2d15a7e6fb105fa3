import * as ts from 'typescript';

/** Modules node code may import: n8n-workflow and the libraries n8n allows community nodes. */
export const ALLOWED_MODULES = ['n8n-workflow', 'lodash', 'luxon', 'p-limit', 'zod', 'node:crypto', 'crypto'];
/** Globals n8n's verification forbids in node code (environment, timers, module loading). */
export const FORBIDDEN_GLOBALS = ['process', 'require', 'setTimeout', 'setInterval', 'setImmediate', 'eval', 'globalThis', '__dirname', '__filename'];

export interface Violation {
	file: string;
	line: number;
	message: string;
}

function allowedModule(spec: string) {
	if (spec.startsWith('./') || spec.startsWith('../')) return true;
	return ALLOWED_MODULES.some((m) => spec === m || spec.startsWith(`${m}/`));
}

/** Everything in one source file that n8n's community-node rules forbid. */
export function checkSource(file: string, text: string): Violation[] {
	const sf = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, ts.ScriptKind.TS);
	const out: Violation[] = [];
	const report = (node: ts.Node, message: string) =>
		out.push({ file, line: sf.getLineAndCharacterOfPosition(node.getStart()).line + 1, message });

	const visit = (node: ts.Node) => {
		if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
			const spec = (node.moduleSpecifier as ts.StringLiteral).text;
			if (!allowedModule(spec)) report(node, `imports "${spec}", which n8n does not allow community nodes`);
		}
		if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword) {
			report(node, 'uses a dynamic import()');
		}
		if (ts.isIdentifier(node) && FORBIDDEN_GLOBALS.includes(node.text)) {
			const p = node.parent;
			// a property name (obj.process, { process: 1 }) or a declaration of our own is not the global
			const isPropertyName =
				(ts.isPropertyAccessExpression(p) && p.name === node) ||
				(ts.isPropertyAssignment(p) && p.name === node) ||
				(ts.isPropertyDeclaration(p) && p.name === node) ||
				(ts.isMethodDeclaration(p) && p.name === node) ||
				(ts.isPropertySignature(p) && p.name === node);
			if (!isPropertyName) report(node, `uses the global "${node.text}"`);
		}
		ts.forEachChild(node, visit);
	};
	visit(sf);
	return out;
}

/** package.json rules: no runtime dependencies, n8n-workflow only as a peer. */
export function checkPackageJson(pkg: Record<string, any>): string[] {
	const problems: string[] = [];
	for (const field of ['dependencies', 'optionalDependencies', 'bundleDependencies', 'bundledDependencies']) {
		if (pkg[field] && Object.keys(pkg[field]).length) problems.push(`package.json has ${field}: ${Object.keys(pkg[field]).join(', ')}`);
	}
	if (JSON.stringify(pkg.peerDependencies) !== JSON.stringify({ 'n8n-workflow': '*' })) {
		problems.push('peerDependencies must be exactly {"n8n-workflow": "*"}');
	}
	return problems;
}
