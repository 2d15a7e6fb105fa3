import type { ICredentialTestRequest, ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

import { SCOPE_PRESETS } from './scopes';
import { quotaProperties } from './quota';

// The hidden `scope` n8n sends to Google: the chosen preset, or the custom list normalised to spaces.
const SCOPE_EXPRESSION = `={{ $self["scopeSet"] === "custom" ? String($self["customScopes"] ?? "").split(/[\\s,]+/).filter(s => s).join(" ") : (${JSON.stringify(
	Object.fromEntries(Object.entries(SCOPE_PRESETS).map(([k, v]) => [k, v.join(' ')])),
)})[$self["scopeSet"] ?? "all"] }}`;

/**
 * Gmail OAuth2 for Google Workspace: one stored connection reused by every workflow.
 * n8n runs the authorization-code flow and refreshes the access token for all workflows that share it.
 */
export class GmailWorkspaceOAuth2Api implements ICredentialType {
	name = 'gmailWorkspaceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Gmail Workspace OAuth2 API';

	icon: Icon = {
		light: 'file:icons/gmailWorkspace.svg',
		dark: 'file:icons/gmailWorkspace.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-gmail-workspace/n8n-nodes-gmail-workspace#connect-a-google-workspace';

	properties: INodeProperties[] = [
		{
			displayName: 'Grant Type',
			name: 'grantType',
			type: 'hidden',
			default: 'authorizationCode',
		},
		{
			displayName: 'Authorization URL',
			name: 'authUrl',
			type: 'hidden',
			default: 'https://accounts.google.com/o/oauth2/v2/auth',
		},
		{
			displayName: 'Access Token URL',
			name: 'accessTokenUrl',
			type: 'hidden',
			default: 'https://oauth2.googleapis.com/token',
		},
		{
			displayName: 'Scope Set',
			name: 'scopeSet',
			type: 'options',
			default: 'all',
			description:
				'What this connection may do. Reconnect the account after changing it so Google grants the new scopes.',
			options: [
				{
					name: 'All Cards',
					value: 'all',
					description:
						'Read, send, labels, archive, trash, drafts and the admin cards (gmail.modify): all but Delete Permanently',
				},
				{
					name: 'All Cards and Permanent Delete',
					value: 'full',
					description:
						"Every card, including Delete Permanently (Gmail's full-access scope https://mail.google.com/)",
				},
				{ name: 'Read Only', value: 'read', description: 'Read and search email' },
				{
					name: 'Send Only',
					value: 'send',
					description: 'Send email, with or without attachments',
				},
				{
					name: 'Read and Send',
					value: 'readSend',
					description: 'Read, search, send, reply, forward and drafts (no labels or trash)',
				},
				{
					name: 'Admin Settings',
					value: 'admin',
					description:
						'Delegates, forwarding, auto reply and user settings through the service account',
				},
				{ name: 'Custom', value: 'custom', description: 'Choose the Google scopes yourself' },
			],
		},
		{
			displayName: 'Custom Scopes',
			name: 'customScopes',
			type: 'string',
			default: 'https://www.googleapis.com/auth/gmail.readonly openid email',
			displayOptions: { show: { scopeSet: ['custom'] } },
			description:
				"Google OAuth scopes separated by spaces, commas or new lines. Unknown scopes are refused by the connection test and by Google's consent screen.",
			typeOptions: { rows: 3 },
		},
		{
			displayName: 'Service Account for Admin Cards',
			name: 'serviceAccountEmail',
			type: 'string',
			default: '',
			placeholder: 'gmail-admin@my-project.iam.gserviceaccount.com',
			description:
				'Service account with domain-wide delegation that the admin cards (delegates, forwarding, auto reply, user settings) impersonate users through. Each card can override it. The connected account needs the Service Account User and Service Account Token Creator roles on it.',
		},
		{
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: SCOPE_EXPRESSION,
		},
		{
			displayName: 'Auth URI Query Parameters',
			name: 'authQueryParameters',
			type: 'hidden',
			// offline access returns a refresh token; consent makes Google return it again on reconnect
			default: 'access_type=offline&prompt=consent',
		},
		{
			displayName: 'Authentication',
			name: 'authentication',
			type: 'hidden',
			default: 'body',
		},
		...quotaProperties,
	];

	// Validates the stored token (n8n signs the request and refreshes the token when needed). The
	// per-card readiness check runs in the node: n8n's credential-test context offers no HTTP helper
	// that n8n Cloud's rules allow.
	test: ICredentialTestRequest = {
		request: {
			baseURL: 'https://www.googleapis.com',
			url: '/oauth2/v3/userinfo',
		},
	};
}
