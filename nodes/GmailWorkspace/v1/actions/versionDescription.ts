import type { INodeProperties } from 'n8n-workflow';

import * as autoReply from './autoReply';
import * as connection from './connection';
import * as delegate from './delegate';
import * as forwarding from './forwarding';
import * as message from './message';
import * as sendAs from './sendAs';
import * as userSettings from './userSettings';
import { requestOptionsField } from '../params';
import { authenticationProperty } from './message/fields';

/**
 * The node's parameters: Authentication, the Resource choice, then each resource's Operation choice
 * (one option per card, with its `action` label for n8n's node panel) and each operation's own parameters.
 */
export const versionProperties: INodeProperties[] = [
	authenticationProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Auto Reply', value: 'autoReply' },
			{ name: 'Connection', value: 'connection' },
			{ name: 'Delegate', value: 'delegate' },
			{ name: 'Forwarding', value: 'forwarding' },
			{ name: 'Message', value: 'message' },
			{ name: 'Send-As Alias', value: 'sendAs' },
			{ name: 'User Setting', value: 'userSettings' },
		],
		default: 'message',
	},
	...autoReply.description,
	...connection.description,
	...delegate.description,
	...forwarding.description,
	...message.description,
	...sendAs.description,
	...userSettings.description,
	requestOptionsField,
];
