import { generateKeyPairSync, type KeyObject } from 'node:crypto';

/** Identities the stand-in knows: Workspace domain, consumer accounts, Cloud project, service accounts, OAuth clients. */
export interface DirectoryUser {
	email: string;
	name: string;
	/** Hosted domain for Workspace users (Google's `hd` claim); undefined for consumer accounts. */
	hostedDomain?: string;
	/** Google Workspace super admin. */
	admin?: boolean;
}

export interface ServiceAccount {
	email: string;
	projectId: string;
	uniqueId: string;
	displayName: string;
	/** Domains for which an admin granted domain-wide delegation, with the scopes granted. */
	domainWideDelegation: { domain: string; scopes: string[] }[];
	/** Users holding roles/iam.serviceAccountUser (grants iam.serviceAccounts.actAs) on this service account. */
	serviceAccountUsers: string[];
	/** Users holding roles/iam.serviceAccountTokenCreator (grants signJwt / getAccessToken). */
	tokenCreators: string[];
	privateKey: KeyObject;
	publicKey: KeyObject;
	privateKeyId: string;
}

export interface OAuthClient {
	clientId: string;
	clientSecret: string;
	/** Exact redirect URIs, or patterns ending in `*` for any port/path below the prefix. */
	redirectUris: string[];
	/** Cloud project the client belongs to (its tokens spend that project's Gmail quota); unset: the client id keys the budget. */
	projectId?: string;
}

export interface Project {
	projectId: string;
	projectNumber: string;
	name: string;
	/** Users who can see the project (resourcemanager.projects.get). */
	members: string[];
}

export const DOMAIN = 'example.com';
export const SERVICE_ACCOUNT_EMAIL = 'gmail-admin@demo-project.iam.gserviceaccount.com';
export const STANDIN_CLIENT_ID = 'standin-client.apps.googleusercontent.com';
export const STANDIN_CLIENT_SECRET = 'standin-client-secret';

/** Every Gmail scope plus what keyless impersonation and the connection test need. */
export const DWD_SCOPES = [
	'https://mail.google.com/',
	'https://www.googleapis.com/auth/gmail.modify',
	'https://www.googleapis.com/auth/gmail.readonly',
	'https://www.googleapis.com/auth/gmail.send',
	'https://www.googleapis.com/auth/gmail.compose',
	'https://www.googleapis.com/auth/gmail.insert',
	'https://www.googleapis.com/auth/gmail.labels',
	'https://www.googleapis.com/auth/gmail.metadata',
	'https://www.googleapis.com/auth/gmail.settings.basic',
	'https://www.googleapis.com/auth/gmail.settings.sharing',
];

// One RSA key per process: generating is slow-ish (~50 ms) and reset() must keep issued keys valid.
let saKeys: { privateKey: KeyObject; publicKey: KeyObject } | undefined;
function serviceAccountKeys() {
	saKeys ??= generateKeyPairSync('rsa', { modulusLength: 2048 });
	return saKeys;
}

export class Directory {
	users = new Map<string, DirectoryUser>();
	serviceAccounts = new Map<string, ServiceAccount>();
	projects = new Map<string, Project>();
	clients = new Map<string, OAuthClient>();

	constructor() {
		this.seed();
	}

	seed() {
		this.users.clear();
		this.serviceAccounts.clear();
		this.projects.clear();
		this.clients.clear();
		const ws = (local: string, name: string, admin = false) =>
			this.users.set(`${local}@${DOMAIN}`, { email: `${local}@${DOMAIN}`, name, hostedDomain: DOMAIN, admin });
		ws('admin', 'Ada Admin', true);
		ws('alice', 'Alice Example');
		ws('bob', 'Bob Example');
		ws('dave', 'Dave Example');
		this.users.set('carol@gmail.com', { email: 'carol@gmail.com', name: 'Carol Consumer' });

		this.projects.set('demo-project', {
			projectId: 'demo-project',
			projectNumber: '123456789012',
			name: 'Demo Project',
			members: [`admin@${DOMAIN}`, `dave@${DOMAIN}`],
		});
		const { privateKey, publicKey } = serviceAccountKeys();
		this.serviceAccounts.set(SERVICE_ACCOUNT_EMAIL, {
			email: SERVICE_ACCOUNT_EMAIL,
			projectId: 'demo-project',
			uniqueId: '104200000000000000001',
			displayName: 'Gmail admin cards',
			domainWideDelegation: [{ domain: DOMAIN, scopes: DWD_SCOPES }],
			serviceAccountUsers: [`admin@${DOMAIN}`],
			tokenCreators: [`admin@${DOMAIN}`],
			privateKey,
			publicKey,
			privateKeyId: 'standin-key-1',
		});
		this.clients.set(STANDIN_CLIENT_ID, {
			clientId: STANDIN_CLIENT_ID,
			clientSecret: STANDIN_CLIENT_SECRET,
			redirectUris: ['http://127.0.0.1:*', 'http://localhost:*', 'https://127.0.0.1:*'],
			projectId: 'demo-project',
		});
	}

	user(email: string) {
		return this.users.get(email.toLowerCase());
	}

	isWorkspace(email: string) {
		return !!this.user(email)?.hostedDomain;
	}
}
