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
import {
	assertionClaims,
	GoogleAuthError,
	JWT_BEARER_GRANT,
	readServiceAccountKey,
	requestGoogleToken,
	signJwt,
} from './googleJwt';
import { serviceAccountUserScopes } from './scopes';
import { quotaProperties } from './quota';

/**
 * A service account key with domain-wide delegation. Read/send cards act as the default user below;
 * admin cards impersonate the user each card names. n8n keeps the default user's access token and
 * renews it through preAuthentication when it expires.
 */
export class GmailWorkspaceServiceAccountApi implements ICredentialType {
	name = 'gmailWorkspaceServiceAccountApi';

	displayName = 'Gmail Workspace Service Account API';

	icon: Icon = {
		light: 'file:icons/gmailWorkspace.svg',
		dark: 'file:icons/gmailWorkspace.dark.svg',
	};

	documentationUrl =
		'https://github.com/n8n-nodes-gmail-workspace/n8n-nodes-gmail-workspace#service-account-key';

	properties: INodeProperties[] = [
		{
			displayName: 'Service Account Email',
			name: 'email',
			type: 'string',
			default: '',
			placeholder: 'gmail-admin@my-project.iam.gserviceaccount.com',
			description: 'The "client_email" of the JSON key',
			required: true,
		},
		{
			displayName: 'Private Key',
			name: 'privateKey',
			type: 'string',
			default: '',
			placeholder:
				'-----BEGIN PRIVATE KEY-----\nXIYEvQIBADANBg<...>0IhA==\n-----END PRIVATE KEY-----\n',
			description: 'The "private_key" of the JSON key',
			typeOptions: { password: true, rows: 4 },
			required: true,
		},
		{
			displayName: 'Default User to Impersonate',
			name: 'delegatedEmail',
			type: 'string',
			default: '',
			placeholder: 'someone@example.com',
			description:
				'The Workspace user whose mailbox the read and send cards use. Admin cards act on the user each card names.',
			required: true,
		},
		{
			displayName: 'Scopes for the Default User',
			name: 'userScopeSet',
			type: 'options',
			default: 'readSend',
			description:
				"What the read, send and mailbox cards may do as the default user. Authorize the same scopes for the service account's client ID in the Admin console (domain-wide delegation).",
			options: [
				{
					name: 'Read and Send',
					value: 'readSend',
					description: 'gmail.readonly, gmail.send, gmail.settings.basic',
				},
				{
					name: 'All Cards',
					value: 'all',
					description:
						'gmail.modify: labels, archive, trash and drafts too; not Delete Permanently',
				},
				{
					name: 'All Cards and Permanent Delete',
					value: 'full',
					description: 'https://mail.google.com/ (full access)',
				},
				{ name: 'Custom', value: 'custom', description: 'Choose the Google scopes yourself' },
			],
		},
		{
			displayName: 'Custom Scopes',
			name: 'userCustomScopes',
			type: 'string',
			default: 'https://www.googleapis.com/auth/gmail.readonly',
			displayOptions: { show: { userScopeSet: ['custom'] } },
			description: 'Google OAuth scopes separated by spaces, commas or new lines',
			typeOptions: { rows: 3 },
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

	// An unreadable key, a key of another account, or Google's refusal names the field to fix; 5xx and
	// timeouts are retried.
	async preAuthentication(this: IHttpRequestHelper, credentials: ICredentialDataDecryptedObject) {
		const { key, email } = readServiceAccountKey(credentials);
		const user = String(credentials.delegatedEmail ?? '').trim();
		if (!user) {
			throw new GoogleAuthError(
				'The credential\'s "Default User to Impersonate" is empty: enter the email of the Workspace user whose mailbox the read and send cards use.',
			);
		}
		const scopes = serviceAccountUserScopes(credentials);
		const assertion = signJwt(assertionClaims(email, user, scopes), key);
		const token = await requestGoogleToken(
			this,
			{ grant_type: JWT_BEARER_GRANT, assertion },
			(refusal) =>
				explainTokenRefusal(
					{
						credential: 'serviceAccount',
						signer: 'key',
						serviceAccount: email,
						user,
						userField: 'the credential\'s "Default User to Impersonate"',
						scopes,
					},
					refusal,
				),
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
			baseURL: 'https://gmail.googleapis.com',
			url: '/gmail/v1/users/me/profile',
		},
	};
}
