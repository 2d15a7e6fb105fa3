import { GoogleError, failedPrecondition, forbidden } from '../core/errors';
import type { Ctx, Reply, Route, Standin } from '../core/standin';

/** Per-user Gmail settings state and the rules every settings route shares (who may call, on whose mailbox). */

export interface VacationSettings {
	enableAutoReply: boolean;
	responseSubject?: string;
	responseBodyPlainText?: string;
	responseBodyHtml?: string;
	restrictToContacts: boolean;
	restrictToDomain: boolean;
	startTime?: string;
	endTime?: string;
}
export interface ImapSettings {
	enabled: boolean;
	autoExpunge: boolean;
	expungeBehavior: string;
	maxFolderSize: number;
}
export interface PopSettings {
	accessWindow: string;
	disposition: string;
}
export interface AutoForwarding {
	enabled: boolean;
	emailAddress?: string;
	disposition?: string;
}
export interface Delegate {
	delegateEmail: string;
	verificationStatus: 'accepted' | 'pending' | 'rejected' | 'expired';
}
export interface ForwardingAddress {
	forwardingEmail: string;
	verificationStatus: 'accepted' | 'pending';
}
export interface SmtpMsa {
	host: string;
	port: number;
	username?: string;
	password?: string;
	securityMode: string;
}
export interface SendAs {
	sendAsEmail: string;
	displayName?: string;
	replyToAddress?: string;
	signature?: string;
	isPrimary?: boolean;
	isDefault?: boolean;
	treatAsAlias?: boolean;
	smtpMsa?: SmtpMsa;
	verificationStatus?: 'accepted' | 'pending';
}

export interface UserSettings {
	vacation: VacationSettings;
	imap: ImapSettings;
	pop: PopSettings;
	language: { displayLanguage: string };
	autoForwarding: AutoForwarding;
	delegates: Map<string, Delegate>;
	forwardingAddresses: Map<string, ForwardingAddress>;
	/** Insertion order = list order; the primary address first. */
	sendAs: Map<string, SendAs>;
}

export const SETTINGS_SLICE = 'gmail.settings';

/** Gmail's defaults for a new account: vacation off, IMAP on, POP off, English, no forwarding, one primary send-as. */
export function defaultSettings(s: Standin, email: string): UserSettings {
	const user = s.directory.user(email);
	return {
		vacation: { enableAutoReply: false, restrictToContacts: false, restrictToDomain: false },
		imap: { enabled: true, autoExpunge: true, expungeBehavior: 'archive', maxFolderSize: 0 },
		pop: { accessWindow: 'disabled', disposition: 'leaveInInbox' },
		language: { displayLanguage: 'en' },
		autoForwarding: { enabled: false },
		delegates: new Map(),
		forwardingAddresses: new Map(),
		sendAs: new Map([
			[email, { sendAsEmail: email, displayName: user?.name ?? '', replyToAddress: '', signature: '', isPrimary: true, isDefault: true }],
		]),
	};
}

export function seedSettings(s: Standin) {
	s.slices.set(SETTINGS_SLICE, new Map<string, UserSettings>());
}

/** A directory user's settings, created with Gmail's defaults on first use. */
export function settingsOf(s: Standin, email: string): UserSettings {
	const all = s.slice<Map<string, UserSettings>>(SETTINGS_SLICE);
	const key = email.toLowerCase();
	let us = all.get(key);
	if (!us) {
		us = defaultSettings(s, key);
		all.set(key, us);
	}
	return us;
}

export const DWD_ONLY = 'Access restricted to service accounts that have been delegated domain-wide authority';

/**
 * The mailbox a settings call acts on. As Gmail: `me` or the token's own address (the impersonated user for a dwd
 * token); another address → 403 "Delegation denied for <caller>"; a service-account token without a subject
 * → 400 failedPrecondition "Precondition check failed.".
 */
export function mailboxOf(ctx: Ctx): { email: string; settings: UserSettings; workspace: boolean; domain?: string } {
	const t = ctx.token!;
	if (t.kind === 'service-account') throw failedPrecondition('Precondition check failed.');
	const userId = ctx.params.userId;
	if (userId !== 'me' && userId.toLowerCase() !== t.email) throw forbidden(`Delegation denied for ${t.email}`);
	const user = ctx.standin.directory.user(t.email);
	if (!user) throw failedPrecondition('Mail service not enabled');
	return { email: user.email, settings: settingsOf(ctx.standin, user.email), workspace: !!user.hostedDomain, domain: user.hostedDomain };
}

/** Methods Google documents as "only available to service account clients that have been delegated domain-wide authority". */
export function requireDwd(ctx: Ctx) {
	if (ctx.token!.kind !== 'dwd') throw forbidden(DWD_ONLY);
}

export const noContent = (): Reply => ({ status: 204 });

/** A bad enum value, worded as Google's request validation words it. */
export function checkEnum(field: string, value: unknown, allowed: readonly string[]) {
	if (value !== undefined && (typeof value !== 'string' || !allowed.includes(value))) {
		throw new GoogleError(400, `Invalid value at '${field}' (TYPE_ENUM), ${JSON.stringify(value)}`, 'invalid');
	}
}

export function checkBool(field: string, value: unknown) {
	if (value !== undefined && typeof value !== 'boolean') {
		throw new GoogleError(400, `Invalid value at '${field}' (TYPE_BOOL), ${JSON.stringify(value)}`, 'invalid');
	}
}

export const isEmail = (v: unknown): v is string => typeof v === 'string' && /^[^@\s]+@[^@\s]+\.[^@\s]+$/.test(v);

/** Gmail sanitizes HTML it stores (signatures, vacation bodies): scripts and event handlers are dropped. */
export function sanitizeHtml(html: string): string {
	return html
		.replace(/<script\b[\s\S]*?<\/script\s*>/gi, '')
		.replace(/\s+on[a-z]+\s*=\s*("[^"]*"|'[^']*'|[^\s>]+)/gi, '')
		.replace(/javascript:/gi, '');
}

/** A settings route: discovery id, Gmail path under /gmail/v1/users/{userId}/settings/, quota units. */
export function settingsRoute(id: string, method: string, subpath: string, cost: number, handler: Route['handler']): Route {
	return { id, host: 'gmail.googleapis.com', method, paths: [`/gmail/v1/users/{userId}/settings/${subpath}`], cost, handler };
}
