import type {
	IExecuteFunctions,
	INodeExecutionData,
	INodeType,
	INodeTypeBaseDescription,
	INodeTypeDescription,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { router } from './actions/router';
import { versionProperties } from './actions/versionDescription';
import { methods } from './methods';

export class GmailWorkspaceV1 implements INodeType {
	// n8n resolves a version's icon next to the main node file; v1/ links the same icons for the linter.
	description: INodeTypeDescription = {
		displayName: 'Gmail Workspace',
		name: 'gmailWorkspace',
		icon: { light: 'file:gmailWorkspace.svg', dark: 'file:gmailWorkspace.dark.svg' },
		group: ['transform'],
		version: 1,
		subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
		description:
			"Read and send Gmail, and manage Google Workspace users' delegates, forwarding, auto reply and settings",
		defaults: {
			name: 'Gmail Workspace',
		},
		usableAsTool: true,
		inputs: [NodeConnectionTypes.Main],
		outputs: [NodeConnectionTypes.Main],
		credentials: [
			{
				name: 'gmailWorkspaceOAuth2Api',
				required: true,
				displayOptions: { show: { authentication: ['oAuth2'] } },
			},
			{
				name: 'gmailWorkspaceServiceAccountApi',
				required: true,
				displayOptions: { show: { authentication: ['serviceAccount'] } },
			},
			{
				name: 'gmailWorkspaceRefreshTokenApi',
				required: true,
				displayOptions: { show: { authentication: ['refreshToken'] } },
			},
		],
		properties: versionProperties,
	};

	methods = methods;

	constructor(baseDescription: INodeTypeBaseDescription) {
		this.description = { ...baseDescription, ...this.description };
	}

	async execute(this: IExecuteFunctions): Promise<INodeExecutionData[][]> {
		return await router.call(this);
	}
}
