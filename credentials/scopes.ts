/**
 * Google OAuth scopes this package knows: every Gmail scope in Google's Gmail v1 discovery document
 * plus the identity and Cloud scopes the connection test and keyless impersonation use.
 * A test keeps GMAIL_SCOPES equal to the discovery document's list.
 */
const G = 'https://www.googleapis.com/auth/';

export const GMAIL_SCOPES = [
	'https://mail.google.com/',
	`${G}gmail.addons.current.action.compose`,
	`${G}gmail.addons.current.message.action`,
	`${G}gmail.addons.current.message.metadata`,
	`${G}gmail.addons.current.message.readonly`,
	`${G}gmail.compose`,
	`${G}gmail.insert`,
	`${G}gmail.labels`,
	`${G}gmail.metadata`,
	`${G}gmail.modify`,
	`${G}gmail.readonly`,
	`${G}gmail.send`,
	`${G}gmail.settings.basic`,
	`${G}gmail.settings.sharing`,
];

export const IDENTITY_SCOPES = [
	'openid',
	'email',
	'profile',
	`${G}userinfo.email`,
	`${G}userinfo.profile`,
];
export const CLOUD_PLATFORM = `${G}cloud-platform`;
export const KNOWN_SCOPES = [...GMAIL_SCOPES, ...IDENTITY_SCOPES, CLOUD_PLATFORM];

const IDENTITY = ['openid', 'email', 'profile'];
const READ = [`${G}gmail.readonly`];
// Send Email: send; From dropdown (sendAs.list) with settings.basic; reply threading reads headers only
const SEND = [`${G}gmail.send`, `${G}gmail.settings.basic`, `${G}gmail.metadata`];
// Admin cards: the connected admin's token only signs JWTs for the service account (IAM Credentials)
// and checks roles; the Gmail settings scopes are granted to the service account in the Admin console.
const ADMIN = [CLOUD_PLATFORM];

/** The least scopes each preset's cards need (from the discovery document's per-method scopes). */
export const SCOPE_PRESETS = {
	all: [...READ, `${G}gmail.send`, CLOUD_PLATFORM, ...IDENTITY],
	read: [...READ, ...IDENTITY],
	send: [...SEND, ...IDENTITY],
	readSend: [...READ, `${G}gmail.send`, ...IDENTITY],
	admin: [...ADMIN, ...IDENTITY],
} as const;

export type ScopeSet = keyof typeof SCOPE_PRESETS | 'custom';

/** What a service-account credential asks for on behalf of its default user (read and send cards). */
export const SERVICE_ACCOUNT_USER_SCOPES = [...READ, `${G}gmail.send`, `${G}gmail.settings.basic`];

/** Scopes the admin cards ask the service account for, by card. */
export const ADMIN_CARD_SCOPES = {
	delegates: [`${G}gmail.settings.sharing`, `${G}gmail.settings.basic`],
	forwarding: [`${G}gmail.settings.sharing`, `${G}gmail.settings.basic`],
	vacation: [`${G}gmail.settings.basic`],
	settings: [`${G}gmail.settings.basic`, `${G}gmail.settings.sharing`],
	sendAs: [`${G}gmail.settings.sharing`, `${G}gmail.settings.basic`],
} as const;

/** Split a user-typed scope list (spaces, commas or new lines). */
export function splitScopes(text: string): string[] {
	return text.split(/[\s,]+/).filter(Boolean);
}

/** Scopes in `scopes` that Google does not define (as far as this package knows). */
export function unknownScopes(scopes: string[]): string[] {
	return scopes.filter((s) => !KNOWN_SCOPES.includes(s));
}
