import type { ICredentialDataDecryptedObject, INodeCredentialsDetails } from 'n8n-workflow';

import { SCOPE_PRESETS } from '../../credentials/scopes';
import { STANDIN_CLIENT_ID, STANDIN_CLIENT_SECRET } from '../standin/core/directory';
import type { Standin } from '../standin/core/standin';
import type { CredentialStore } from './credentials';

export interface Connection {
	/** The node's credential reference ({ id, name }) for workflow JSON. */
	reference: INodeCredentialsDetails & { id: string };
	accessToken: string;
	refreshToken: string;
	/** oauthTokenData as n8n stored it after the consent (Google's token response). */
	oauthTokenData: ICredentialDataDecryptedObject;
}

export interface ConnectOptions {
	email?: string;
	/** Granted scopes; default: the credential's "All Cards" preset (its default scope set). */
	scopes?: readonly string[];
	id?: string;
	name?: string;
	/** More credential fields, e.g. { quotaTier: 'from2026' }. Default tier: the stand-in's quota profile. */
	data?: Record<string, unknown>;
}

/**
 * A connected Gmail Workspace OAuth2 credential, as n8n holds it after the user consented: the
 * stand-in's OAuth client id/secret and Google's token response (from the stand-in's
 * POST /__standin/token knob, which mints tokens without the consent screen).
 */
export async function connectGmail(standin: Standin, store: CredentialStore, options: ConnectOptions = {}): Promise<Connection> {
	const email = options.email ?? 'alice@example.com';
	const reply = await standin.dispatch({
		method: 'POST',
		host: 'oauth2.googleapis.com',
		url: '/__standin/token',
		headers: { 'content-type': 'application/json' },
		body: Buffer.from(JSON.stringify({ email, scopes: options.scopes ?? SCOPE_PRESETS.all })),
	});
	if (reply.status !== 200) throw new Error(`bench: stand-in token knob answered ${reply.status}: ${reply.body.toString()}`);
	const oauthTokenData = JSON.parse(reply.body.toString()) as ICredentialDataDecryptedObject & {
		access_token: string;
		refresh_token: string;
	};
	const reference = { id: options.id ?? `cred-${email}`, name: options.name ?? `Gmail ${email}` };
	await store.add({
		...reference,
		type: 'gmailWorkspaceOAuth2Api',
		data: {
			clientId: STANDIN_CLIENT_ID,
			clientSecret: STANDIN_CLIENT_SECRET,
			oauthTokenData,
			quotaTier: standin.quota.profile === '2026' ? 'from2026' : 'legacy',
			...(options.data ?? {}),
		} as ICredentialDataDecryptedObject,
	});
	return { reference, accessToken: oauthTokenData.access_token, refreshToken: oauthTokenData.refresh_token, oauthTokenData };
}
