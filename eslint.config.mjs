// Lint what n8n lints: eslint-plugin-n8n-nodes-base (community rules on package.json, credential rules,
// node rules) and @n8n/eslint-plugin-community-nodes' recommended config (the n8n Cloud rule set).
import tsParser from '@typescript-eslint/parser';
import { n8nCommunityNodesPlugin } from '@n8n/eslint-plugin-community-nodes';
import n8nNodesBase from 'eslint-plugin-n8n-nodes-base';

export default [
	{ ignores: ['dist/**', 'node_modules/**', 'test/**', 'coverage/**', '*.js', '*.mjs', '.ci/**'] },
	{ files: ['**/*.ts', '**/*.json'], languageOptions: { parser: tsParser } },
	{ ...n8nCommunityNodesPlugin.configs.recommended, files: ['package.json', 'credentials/**/*.ts', 'nodes/**/*.ts'] },
	{ plugins: { 'n8n-nodes-base': n8nNodesBase } },
	{ files: ['package.json'], rules: { ...n8nNodesBase.configs.community.rules } },
	{
		files: ['credentials/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.credentials.rules,
			// community packages document themselves outside docs.n8n.io
			'n8n-nodes-base/cred-class-field-documentation-url-miscased': 'off',
		},
	},
	{
		files: ['nodes/**/*.ts'],
		rules: {
			...n8nNodesBase.configs.nodes.rules,
			// inputs/outputs use NodeConnectionTypes, not the string "main"
			'n8n-nodes-base/node-class-description-inputs-wrong-regular-node': 'off',
			'n8n-nodes-base/node-class-description-outputs-wrong': 'off',
			// Google's APIs do have hard maximums (maxResults 500), so maxValue is right
			'n8n-nodes-base/node-param-type-options-max-value-present': 'off',
		},
	},
];
