import type { INodeProperties } from 'n8n-workflow';

import * as autoReply from './autoReply';
import * as connection from './connection';
import * as customApi from './customApi';
import * as delegate from './delegate';
import * as draft from './draft';
import * as forwarding from './forwarding';
import * as label from './label';
import * as message from './message';
import * as sendAs from './sendAs';
import * as thread from './thread';
import * as userSettings from './userSettings';
import { requestOptionsField } from '../params';
import { authenticationProperty } from './message/fields';
import { toolDescriptionFields } from './helpers/toolDescriptions';

/**
 * The node's parameters: on the AI tool variant first the tool's Description (per operation), then
 * Authentication, the Resource choice, each resource's Operation choice (one option per card, with its `action`
 * label for n8n's node panel) and each operation's own parameters.
 */
export const versionProperties: INodeProperties[] = [
	...toolDescriptionFields(),
	authenticationProperty,
	{
		displayName: 'Resource',
		name: 'resource',
		type: 'options',
		noDataExpression: true,
		options: [
			{ name: 'Auto Reply', value: 'autoReply' },
			{ name: 'Connection', value: 'connection' },
			{ name: 'Custom API', value: 'customApi' },
			{ name: 'Delegate', value: 'delegate' },
			{ name: 'Draft', value: 'draft' },
			{ name: 'Forwarding', value: 'forwarding' },
			{ name: 'Label', value: 'label' },
			{ name: 'Message', value: 'message' },
			{ name: 'Send-As Alias', value: 'sendAs' },
			{ name: 'Thread', value: 'thread' },
			{ name: 'User Setting', value: 'userSettings' },
		],
		default: 'message',
	},
	...autoReply.description,
	...connection.description,
	...customApi.description,
	...delegate.description,
	...draft.description,
	...forwarding.description,
	...label.description,
	...message.description,
	...sendAs.description,
	...thread.description,
	...userSettings.description,
	requestOptionsField,
];
