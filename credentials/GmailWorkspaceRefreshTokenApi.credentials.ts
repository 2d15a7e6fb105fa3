import type {
	IAuthenticateGeneric,
	ICredentialDataDecryptedObject,
	ICredentialTestRequest,
	ICredentialType,
	IHttpRequestHelper,
	INodeProperties,
	Icon,
} from 'n8n-workflow';

import { explainTokenRefusal } from '../nodes/GmailWorkspace/v1/readiness/explain';
import { requestGoogleToken } from './googleJwt';
import { quotaProperties } from './quota';

/**
 * For headless servers where nobody can click "Connect my account": an OAuth client and a refresh
 * token obtained once elsewhere. n8n mints the access token through preAuthentication and renews it
 * when Google answers 401.
 */
export class GmailWorkspaceRefreshTokenApi implements ICredentialType {
	name = 'gmailWorkspaceRefreshTokenApi';

	displayName = 'Gmail Workspace Refresh Token API';

	icon: Icon = {
		light: 'file:icons/gmailWorkspace.svg',
		dark: 'file:icons/gmailWorkspace.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-gmail-workspace/n8n-nodes-gmail-workspace#headless-servers';

	properties: INodeProperties[] = [
		{ displayName: 'Client ID', name: 'clientId', type: 'string', default: '', required: true },
		{
			displayName: 'Client Secret',
			name: 'clientSecret',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
		},
		{
			displayName: 'Refresh Token',
			name: 'refreshToken',
			type: 'string',
			typeOptions: { password: true },
			default: '',
			required: true,
			description: 'A refresh token issued to this client with offline access',
		},
		{
			displayName: 'Service Account for Admin Cards',
			name: 'serviceAccountEmail',
			type: 'string',
			default: '',
			placeholder: 'gmail-admin@my-project.iam.gserviceaccount.com',
			description:
				'Service account with domain-wide delegation that the admin cards impersonate users through',
		},
		{
			displayName: 'Access Token',
			name: 'accessToken',
			type: 'hidden',
			typeOptions: { expirable: true, password: true },
			default: '',
		},
		...quotaProperties,
	];

	// A refusal names the field to fix (Client ID, Client Secret or Refresh Token); 5xx and timeouts are retried.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const field = (name: string) => String(credentials[name] ?? '').trim();
		const token = await requestGoogleToken(
			this,
			{
				grant_type: 'refresh_token',
				client_id: field('clientId'),
				client_secret: field('clientSecret'),
				refresh_token: field('refreshToken'),
			},
			(refusal) => explainTokenRefusal({ credential: 'refreshToken' }, refusal),
		);
		return { accessToken: token.access_token };
	}

	authenticate: IAuthenticateGeneric = {
		type: 'generic',
		properties: {
			headers: { Authorization: '=Bearer {{$credentials.accessToken}}' },
		},
	};

	test: ICredentialTestRequest = {
		request: {
			baseURL: 'https://www.googleapis.com',
			url: '/oauth2/v3/userinfo',
		},
	};
}
