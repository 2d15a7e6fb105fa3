import type { ICredentialType, INodeProperties, Icon } from 'n8n-workflow';

/** Scopes that cover every card of the Gmail Workspace node (read, send, admin settings through impersonation). */
export const DEFAULT_SCOPES = [
	'https://www.googleapis.com/auth/gmail.modify',
	'https://www.googleapis.com/auth/gmail.send',
	'https://www.googleapis.com/auth/gmail.settings.basic',
	'https://www.googleapis.com/auth/gmail.settings.sharing',
	'https://www.googleapis.com/auth/cloud-platform',
	'openid',
	'email',
	'profile',
];

/**
 * Gmail OAuth2 for Google Workspace: one stored connection reused by every workflow.
 * n8n runs the authorization-code flow and refreshes the access token for all workflows that share it.
 */
export class GmailWorkspaceOAuth2Api implements ICredentialType {
	name = 'gmailWorkspaceOAuth2Api';

	extends = ['oAuth2Api'];

	displayName = 'Gmail Workspace OAuth2 API';

	icon: Icon = { light: 'file:icons/gmailWorkspace.svg', dark: 'file:icons/gmailWorkspace.dark.svg' };

	documentationUrl = 'https://github.com/n8n-nodes-gmail-workspace/n8n-nodes-gmail-workspace#connect-a-google-workspace';

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
			displayName: 'Scope',
			name: 'scope',
			type: 'hidden',
			default: DEFAULT_SCOPES.join(' '),
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
	];
}
