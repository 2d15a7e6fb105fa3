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
/**
 * Cloud Pub/Sub (cloud.google.com/pubsub/docs/reference/rest: "View and manage Pub/Sub topics and
 * subscriptions"): the trigger's Instant delivery creates its topic and subscription and pulls with it.
 * cloud-platform covers it, so the presets that hold cloud-platform need nothing more.
 */
export const PUBSUB = `${G}pubsub`;
export const KNOWN_SCOPES = [...GMAIL_SCOPES, ...IDENTITY_SCOPES, CLOUD_PLATFORM, PUBSUB];

const IDENTITY = ['openid', 'email', 'profile'];
const FULL = 'https://mail.google.com/';
const READ = [`${G}gmail.readonly`];
// Send Email: send; From dropdown (sendAs.list) with settings.basic; reply threading reads headers only
const SEND = [`${G}gmail.send`, `${G}gmail.settings.basic`, `${G}gmail.metadata`];
// Admin cards: the connected admin's token only signs JWTs for the service account (IAM Credentials)
// and checks roles; the Gmail settings scopes are granted to the service account in the Admin console.
const ADMIN = [CLOUD_PLATFORM];

/**
 * The least scopes each preset's cards need, from the discovery document's per-method scopes (the least-scope
 * test in test/credentials/scopes.test.ts checks that each preset allows every method of its cards and holds
 * no scope it could drop). Google's advice (developers.google.com/workspace/gmail/api/auth/scopes): "choose the
 * most narrowly focused scope possible". What that page says of the scopes used here:
 * - gmail.readonly "Read all resources and their metadata—no write operations" (restricted);
 * - gmail.send "Send messages only. No read or modify privileges on mailbox" (sensitive);
 * - gmail.compose "Create, read, update, and delete drafts. Send messages and drafts" (restricted);
 * - gmail.modify "All read/write operations except immediate, permanent deletion of threads and messages,
 *   bypassing Trash" (restricted): labels on messages, read/unread, archive, trash/untrash, drafts, send;
 * - gmail.labels "Create, read, update, and delete labels only" (non-sensitive);
 * - https://mail.google.com/ "Full access to the account, including permanent deletion of threads and
 *   messages" (restricted): the only scope of messages.delete / batchDelete and threads.delete.
 * So "All Cards" holds gmail.modify, which already grants everything gmail.labels, gmail.compose, gmail.send
 * and gmail.readonly grant (listing them too would add nothing); Delete Permanently needs the full-access
 * scope and has a preset of its own; "Read and Send" takes gmail.compose (drafts; it also sends) instead of
 * gmail.send, since it already holds a restricted scope; "Send Only" keeps the sensitive gmail.send without
 * drafts, so a send-only app needs no restricted-scope review. gmail.labels alone (label cards without access
 * to messages) is a Custom list.
 */
export const SCOPE_PRESETS = {
	all: [`${G}gmail.modify`, CLOUD_PLATFORM, ...IDENTITY],
	full: [FULL, CLOUD_PLATFORM, ...IDENTITY],
	read: [...READ, PUBSUB, ...IDENTITY],
	send: [...SEND, ...IDENTITY],
	readSend: [...READ, `${G}gmail.compose`, PUBSUB, ...IDENTITY],
	admin: [...ADMIN, ...IDENTITY],
} as const;

export type ScopeSet = keyof typeof SCOPE_PRESETS | 'custom';

/** The presets' names as the credential shows them. */
export const SCOPE_SET_NAMES: Record<keyof typeof SCOPE_PRESETS, string> = {
	all: 'All Cards',
	full: 'All Cards and Permanent Delete',
	read: 'Read Only',
	send: 'Send Only',
	readSend: 'Read and Send',
	admin: 'Admin Settings',
};

/** What a service-account credential asks for on behalf of its default user (read and send cards). */
export const SERVICE_ACCOUNT_USER_SCOPES = [...READ, `${G}gmail.send`, `${G}gmail.settings.basic`];

/**
 * The scope sets a service-account key credential can ask for on behalf of its default user ("Scopes for the
 * Default User"). Each must be authorized for the service account's client ID in the Admin console
 * (domain-wide delegation); the default is the set the credential always asked for.
 */
export const SERVICE_ACCOUNT_SCOPE_SETS = {
	readSend: SERVICE_ACCOUNT_USER_SCOPES,
	all: [`${G}gmail.modify`],
	full: [FULL],
} as const;

export type ServiceAccountScopeSet = keyof typeof SERVICE_ACCOUNT_SCOPE_SETS | 'custom';

/** The default user's scopes of a service-account credential (its "Scopes for the Default User"). */
export function serviceAccountUserScopes(creds: {
	userScopeSet?: unknown;
	userCustomScopes?: unknown;
}): string[] {
	const set = String(creds.userScopeSet ?? 'readSend');
	if (set === 'custom') return splitScopes(String(creds.userCustomScopes ?? ''));
	return [
		...(SERVICE_ACCOUNT_SCOPE_SETS[set as keyof typeof SERVICE_ACCOUNT_SCOPE_SETS] ??
			SERVICE_ACCOUNT_USER_SCOPES),
	];
}

/** Scopes the admin cards ask the service account for, by card. */
export const ADMIN_CARD_SCOPES = {
	delegates: [`${G}gmail.settings.sharing`, `${G}gmail.settings.basic`],
	forwarding: [`${G}gmail.settings.sharing`, `${G}gmail.settings.basic`],
	vacation: [`${G}gmail.settings.basic`],
	settings: [`${G}gmail.settings.basic`, `${G}gmail.settings.sharing`],
	sendAs: [`${G}gmail.settings.sharing`, `${G}gmail.settings.basic`],
} as const;

/** The presets whose scopes include one of `scopes`, in the order the credential lists them. */
export function presetsGranting(scopes: readonly string[]): Array<keyof typeof SCOPE_PRESETS> {
	return (Object.keys(SCOPE_PRESETS) as Array<keyof typeof SCOPE_PRESETS>).filter((k) =>
		(SCOPE_PRESETS[k] as readonly string[]).some((s) => scopes.includes(s)),
	);
}

/** Split a user-typed scope list (spaces, commas or new lines). */
export function splitScopes(text: string): string[] {
	return text.split(/[\s,]+/).filter(Boolean);
}

/** Scopes in `scopes` that Google does not define (as far as this package knows). */
export function unknownScopes(scopes: string[]): string[] {
	return scopes.filter((s) => !KNOWN_SCOPES.includes(s));
}
