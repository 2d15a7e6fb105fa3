import type { INodeProperties } from 'n8n-workflow';

import * as connection from './connection';

/**
 * The node's parameters: Authentication, the Resource choice, then each resource's Operation choice
 * (one option per card, with its `action` label for n8n's node panel) and each operation's own parameters.
 */
export const versionProperties: INodeProperties[] = [
	{
		displayName: 'Authentication',
		name: 'authentication',
		type: 'options',
		options: [
			{ name: 'OAuth2 (Connect My Account)', value: 'oAuth2' },
			{ name: 'Service Account Key', value: 'serviceAccount' },
			{ name: 'OAuth2 Refresh Token (Headless)', value: 'refreshToken' },
		],
		default: 'oAuth2',
	},
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [{ name: 'Connection', value: 'connection' }],
		default: 'connection',
	},
	...connection.description,
];
