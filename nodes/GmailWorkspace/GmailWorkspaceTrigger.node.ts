import type {
	INodeExecutionData,
	INodeType,
	INodeTypeDescription,
	IPollFunctions,
	ITriggerFunctions,
	ITriggerResponse,
} from 'n8n-workflow';
import { NodeConnectionTypes } from 'n8n-workflow';

import { authenticationProperty } from './v1/actions/message/fields';
import { searchCloudProjects } from './v1/methods/cloudProjects';
import { getLabels } from './v1/methods/loadOptions';
import { triggerProperties } from './v1/trigger/description';
import { startInstant } from './v1/trigger/instant';
import { pollTrigger } from './v1/trigger/poll';

/**
 * Gmail Workspace Trigger: starts a workflow on new mail or on a label change, from Gmail's history
 * (a cursor in the workflow's static data), so no message is missed or emitted twice. n8n starts both
 * poll() and trigger() of an active workflow; the Delivery parameter decides which of them does the work.
 */
export class GmailWorkspaceTrigger implements INodeType {
	description: INodeTypeDescription = {
		displayName: 'Gmail Workspace Trigger',
		name: 'gmailWorkspaceTrigger',
		icon: { light: 'file:gmailWorkspace.svg', dark: 'file:gmailWorkspace.dark.svg' },
		group: ['trigger'],
		version: 1,
		subtitle:
			'={{ $parameter["event"] === "labelChanged" ? "Label added or removed" : "New email" }}',
		description:
			'Starts the workflow when an email arrives or a label is added to or removed from an email in Gmail',
		defaults: {
			name: 'Gmail Workspace Trigger',
		},
		polling: true,
		inputs: [],
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
		properties: [authenticationProperty, ...triggerProperties],
	};

	methods = { loadOptions: { getLabels }, listSearch: { searchCloudProjects } };

	/** Delivery "Polling": n8n calls this at the Poll Times (and for Fetch Test Event). */
	async poll(this: IPollFunctions): Promise<INodeExecutionData[][] | null> {
		return await pollTrigger(this);
	}

	/** Delivery "Instant (Pub/Sub)": n8n calls this once on activation; it pulls until deactivated. */
	async trigger(this: ITriggerFunctions): Promise<ITriggerResponse> {
		return await startInstant(this);
	}
}
