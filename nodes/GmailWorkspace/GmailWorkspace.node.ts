import type { INodeTypeBaseDescription, IVersionedNodeType } from 'n8n-workflow';
import { VersionedNodeType } from 'n8n-workflow';

import { GmailWorkspaceV1 } from './v1/GmailWorkspaceV1.node';

export class GmailWorkspace extends VersionedNodeType {
	constructor() {
		const baseDescription: INodeTypeBaseDescription = {
			displayName: 'Gmail Workspace',
			name: 'gmailWorkspace',
			icon: { light: 'file:gmailWorkspace.svg', dark: 'file:gmailWorkspace.dark.svg' },
			group: ['transform'],
			subtitle: '={{ $parameter["operation"] + ": " + $parameter["resource"] }}',
			description:
				"Read and send Gmail, and manage Google Workspace users' delegates, forwarding, auto reply and settings",
			defaultVersion: 1,
		};

		const nodeVersions: IVersionedNodeType['nodeVersions'] = {
			1: new GmailWorkspaceV1(baseDescription),
		};

		super(nodeVersions, baseDescription);
	}
}
