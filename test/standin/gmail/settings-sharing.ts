import { GoogleError, badRequest, failedPrecondition, notFound } from '../core/errors';
import type { Route, Standin } from '../core/standin';
import {
	checkBool, checkEnum, isEmail, mailboxOf, noContent, requireDwd, sanitizeHtml, settingsOf, settingsRoute, SETTINGS_SLICE,
	type Delegate, type SendAs, type SmtpMsa, type UserSettings,
} from './settings-common';

/**
 * gmail.users.settings.delegates / forwardingAddresses / sendAs. Google's rules:
 * - delegates.*, forwardingAddresses.create/delete, sendAs.create/delete/verify (and updating a non-primary send-as)
 *   need a domain-wide-delegated service account token (kind 'dwd'), else 403 "Access restricted to service accounts…";
 * - a delegate is a primary address in the same Workspace domain; up to 25 delegates per user, 10 delegators per delegate;
 * - a forwarding address / send-as in the user's own domain is `accepted` at once, any other starts `pending`
 *   (confirm with POST /__standin/forwarding/confirm or /__standin/send-as/confirm).
 * Quota units: https://developers.google.com/gmail/api/reference/quota
 */

export const MAX_DELEGATES = 25;
export const MAX_DELEGATORS = 10;

const alreadyExists = (what: string) => new GoogleError(409, `${what} already exists`, 'alreadyExists', 'global', {}, 'ALREADY_EXISTS');
const domainOf = (email: string) => email.split('@')[1]?.toLowerCase();

function delegatorsOf(s: Standin, delegate: string): number {
	let n = 0;
	for (const us of s.slice<Map<string, UserSettings>>(SETTINGS_SLICE).values()) if (us.delegates.has(delegate)) n++;
	return n;
}

function delegateRoutes(): Route[] {
	const base = 'delegates';
	return [
		settingsRoute('gmail.users.settings.delegates.list', 'GET', base, 1, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const list = [...mb.settings.delegates.values()];
			return { body: list.length ? { delegates: list } : {} };
		}),
		settingsRoute('gmail.users.settings.delegates.get', 'GET', `${base}/{delegateEmail}`, 1, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const d = mb.settings.delegates.get(ctx.params.delegateEmail.toLowerCase());
			if (!d) throw notFound();
			return { body: d };
		}),
		settingsRoute('gmail.users.settings.delegates.create', 'POST', base, 100, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const raw = ctx.json<{ delegateEmail?: unknown }>().delegateEmail;
			if (!isEmail(raw)) throw badRequest('Invalid delegate');
			const email = raw.toLowerCase();
			const target = ctx.standin.directory.user(email);
			if (email === mb.email) throw badRequest('Invalid delegate: a user cannot delegate to themselves');
			if (domainOf(email) !== mb.domain) throw badRequest('Invalid delegate: the delegate must be a member of the same Google Workspace organization');
			if (!target) throw notFound('Invalid delegate: no such user (delegates must be referred to by their primary email address)');
			if (mb.settings.delegates.has(email)) throw alreadyExists('Delegate');
			if (mb.settings.delegates.size >= MAX_DELEGATES) throw failedPrecondition(`Too many delegates: a user can have at most ${MAX_DELEGATES}`);
			if (delegatorsOf(ctx.standin, email) >= MAX_DELEGATORS) throw failedPrecondition(`Too many delegators: a user can be the delegate of at most ${MAX_DELEGATORS}`);
			const d: Delegate = { delegateEmail: email, verificationStatus: 'accepted' };
			mb.settings.delegates.set(email, d);
			return { body: d };
		}),
		settingsRoute('gmail.users.settings.delegates.delete', 'DELETE', `${base}/{delegateEmail}`, 5, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			if (!mb.settings.delegates.delete(ctx.params.delegateEmail.toLowerCase())) throw notFound();
			return noContent();
		}),
	];
}

function forwardingRoutes(): Route[] {
	const base = 'forwardingAddresses';
	return [
		settingsRoute('gmail.users.settings.forwardingAddresses.list', 'GET', base, 1, (ctx) => {
			const list = [...mailboxOf(ctx).settings.forwardingAddresses.values()];
			return { body: list.length ? { forwardingAddresses: list } : {} };
		}),
		settingsRoute('gmail.users.settings.forwardingAddresses.get', 'GET', `${base}/{forwardingEmail}`, 1, (ctx) => {
			const f = mailboxOf(ctx).settings.forwardingAddresses.get(ctx.params.forwardingEmail.toLowerCase());
			if (!f) throw notFound();
			return { body: f };
		}),
		settingsRoute('gmail.users.settings.forwardingAddresses.create', 'POST', base, 100, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const raw = ctx.json<{ forwardingEmail?: unknown }>().forwardingEmail;
			if (!isEmail(raw)) throw badRequest('Invalid forwarding address');
			const email = raw.toLowerCase();
			if (email === mb.email) throw badRequest('Invalid forwarding address: cannot forward to the primary address');
			if (mb.settings.forwardingAddresses.has(email)) throw alreadyExists('Forwarding address');
			const f = { forwardingEmail: email, verificationStatus: domainOf(email) === mb.domain ? 'accepted' : 'pending' } as const;
			mb.settings.forwardingAddresses.set(email, { ...f });
			return { body: f };
		}),
		settingsRoute('gmail.users.settings.forwardingAddresses.delete', 'DELETE', `${base}/{forwardingEmail}`, 5, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const email = ctx.params.forwardingEmail.toLowerCase();
			if (!mb.settings.forwardingAddresses.delete(email)) throw notFound();
			// Removing the target address turns auto-forwarding off.
			if (mb.settings.autoForwarding.emailAddress === email) mb.settings.autoForwarding = { enabled: false };
			return noContent();
		}),
	];
}

const SECURITY_MODES = ['none', 'ssl', 'starttls'];

function parseSmtpMsa(v: unknown): SmtpMsa | undefined {
	if (v === undefined || v === null) return undefined;
	const m = v as Record<string, unknown>;
	checkEnum('send_as.smtp_msa.security_mode', m.securityMode, ['securityModeUnspecified', ...SECURITY_MODES]);
	if (typeof m.host !== 'string' || !m.host) throw badRequest('smtpMsa.host is required.');
	const port = Number(m.port);
	if (!Number.isInteger(port) || port <= 0 || port > 65535) throw badRequest('smtpMsa.port is required.');
	if (!m.securityMode || m.securityMode === 'securityModeUnspecified') throw badRequest('smtpMsa.securityMode is required.');
	if (m.securityMode === 'none' && port !== 25) throw badRequest('smtpMsa.securityMode none requires port 25.');
	return { host: m.host, port, securityMode: String(m.securityMode), username: m.username as string | undefined, password: m.password as string | undefined };
}

/** What Gmail returns for a send-as: smtpMsa without its write-only username/password. */
function view(sa: SendAs): SendAs {
	const { smtpMsa, ...rest } = sa;
	return smtpMsa ? { ...rest, smtpMsa: { host: smtpMsa.host, port: smtpMsa.port, securityMode: smtpMsa.securityMode } } : rest;
}

function makeDefault(us: UserSettings, email: string) {
	for (const x of us.sendAs.values()) x.isDefault = x.sendAsEmail === email;
}

/** Apply the writable SendAs fields; `replace` (update/PUT) resets the ones left out. */
function applySendAs(us: UserSettings, cur: SendAs, body: Record<string, unknown>, replace: boolean) {
	checkBool('send_as.is_default', body.isDefault);
	checkBool('send_as.treat_as_alias', body.treatAsAlias);
	const set = <K extends 'displayName' | 'replyToAddress' | 'signature'>(k: K, map: (v: string) => string = (v) => v) => {
		if (body[k] !== undefined) cur[k] = map(String(body[k]));
		else if (replace) cur[k] = '';
	};
	set('displayName');
	set('replyToAddress');
	set('signature', sanitizeHtml);
	if (!cur.isPrimary) {
		if (body.treatAsAlias !== undefined) cur.treatAsAlias = body.treatAsAlias as boolean;
		else if (replace) cur.treatAsAlias = false;
		if (body.smtpMsa !== undefined || replace) cur.smtpMsa = parseSmtpMsa(body.smtpMsa);
	}
	// "the only legal value that clients may write to this field is true"; false leaves the default where it is.
	if (body.isDefault === true) {
		if (cur.verificationStatus === 'pending') throw failedPrecondition('A send-as alias awaiting verification cannot be the default.');
		makeDefault(us, cur.sendAsEmail);
	}
}

function sendAsRoutes(): Route[] {
	const base = 'sendAs';
	const one = (us: UserSettings, email: string) => {
		const sa = us.sendAs.get(email.toLowerCase());
		if (!sa) throw notFound();
		return sa;
	};
	const write = (replace: boolean): Route['handler'] => (ctx) => {
		const mb = mailboxOf(ctx);
		const cur = one(mb.settings, ctx.params.sendAsEmail);
		if (!cur.isPrimary) requireDwd(ctx);
		applySendAs(mb.settings, cur, ctx.json(), replace);
		return { body: view(cur) };
	};
	return [
		settingsRoute('gmail.users.settings.sendAs.list', 'GET', base, 1, (ctx) => ({
			body: { sendAs: [...mailboxOf(ctx).settings.sendAs.values()].map(view) },
		})),
		settingsRoute('gmail.users.settings.sendAs.get', 'GET', `${base}/{sendAsEmail}`, 1, (ctx) => ({
			body: view(one(mailboxOf(ctx).settings, ctx.params.sendAsEmail)),
		})),
		settingsRoute('gmail.users.settings.sendAs.create', 'POST', base, 100, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const body = ctx.json<Record<string, unknown>>();
			if (!isEmail(body.sendAsEmail)) throw badRequest('Invalid sendAsEmail');
			const email = body.sendAsEmail.toLowerCase();
			if (mb.settings.sendAs.has(email)) throw alreadyExists('Send-as alias');
			// Addresses of the user's own domain that are not someone else's mailbox count as the user's aliases.
			const own = domainOf(email) === mb.domain && !ctx.standin.directory.user(email);
			const sa: SendAs = { sendAsEmail: email, displayName: '', replyToAddress: '', signature: '', isPrimary: false, isDefault: false, treatAsAlias: false, verificationStatus: own ? 'accepted' : 'pending' };
			applySendAs(mb.settings, sa, { ...body, isDefault: own ? body.isDefault : undefined }, true);
			mb.settings.sendAs.set(email, sa);
			return { body: view(sa) };
		}),
		settingsRoute('gmail.users.settings.sendAs.update', 'PUT', `${base}/{sendAsEmail}`, 100, write(true)),
		settingsRoute('gmail.users.settings.sendAs.patch', 'PATCH', `${base}/{sendAsEmail}`, 100, write(false)),
		settingsRoute('gmail.users.settings.sendAs.delete', 'DELETE', `${base}/{sendAsEmail}`, 5, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const sa = one(mb.settings, ctx.params.sendAsEmail);
			if (sa.isPrimary) throw new GoogleError(400, 'Cannot delete the primary send-as address', 'cannotDeletePrimarySendAs');
			mb.settings.sendAs.delete(sa.sendAsEmail);
			if (sa.isDefault) makeDefault(mb.settings, mb.email);
			return noContent();
		}),
		settingsRoute('gmail.users.settings.sendAs.verify', 'POST', `${base}/{sendAsEmail}/verify`, 100, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const sa = one(mb.settings, ctx.params.sendAsEmail);
			if (sa.verificationStatus !== 'pending') throw failedPrecondition('The send-as alias is not pending verification');
			return noContent();
		}),
	];
}

export function sharingRoutes(): Route[] {
	return [...delegateRoutes(), ...forwardingRoutes(), ...sendAsRoutes()];
}

/** Knobs: the owner of an external address clicks the verification link. */
export function settingsKnobRoutes(s: Standin): Route[] {
	const confirm = (id: string, path: string, pick: (us: UserSettings) => Map<string, { verificationStatus?: string }>): Route => ({
		id: `standin.${id}`,
		host: '*',
		method: 'POST',
		paths: [`/__standin/${path}`],
		auth: 'none',
		handler(ctx) {
			const { user, address } = ctx.json<{ user?: string; address?: string }>();
			if (!user || !s.directory.user(user) || !address) throw badRequest('give user (a directory user) and address');
			const item = pick(settingsOf(s, user)).get(address.toLowerCase());
			if (!item) throw notFound(`${address} is not configured for ${user}`);
			item.verificationStatus = 'accepted';
			return { body: item };
		},
	});
	return [
		confirm('forwarding.confirm', 'forwarding/confirm', (us) => us.forwardingAddresses),
		confirm('send-as.confirm', 'send-as/confirm', (us) => us.sendAs),
	];
}
