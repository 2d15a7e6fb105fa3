import { SERVICE_ACCOUNT_EMAIL } from '../core/directory';
import type { Standin } from '../core/standin';

/** The JSON key file Cloud Console downloads for a service account (what the package's DWD credential takes). */
export interface ServiceAccountKeyFile {
	type: 'service_account';
	project_id: string;
	private_key_id: string;
	private_key: string;
	client_email: string;
	client_id: string;
	auth_uri: string;
	token_uri: string;
	auth_provider_x509_cert_url: string;
	client_x509_cert_url: string;
	universe_domain: string;
}

export function serviceAccountKeyFile(s: Standin, opts: { email?: string; tokenUri?: string } = {}): ServiceAccountKeyFile {
	const sa = s.directory.serviceAccounts.get((opts.email ?? SERVICE_ACCOUNT_EMAIL).toLowerCase());
	if (!sa) throw new Error(`stand-in: no service account ${opts.email}`);
	return {
		type: 'service_account',
		project_id: sa.projectId,
		private_key_id: sa.privateKeyId,
		private_key: sa.privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(),
		client_email: sa.email,
		client_id: sa.uniqueId,
		auth_uri: 'https://accounts.google.com/o/oauth2/auth',
		token_uri: opts.tokenUri ?? 'https://oauth2.googleapis.com/token',
		auth_provider_x509_cert_url: 'https://www.googleapis.com/oauth2/v1/certs',
		client_x509_cert_url: `https://www.googleapis.com/robot/v1/metadata/x509/${encodeURIComponent(sa.email)}`,
		universe_domain: 'googleapis.com',
	};
}
