import { badRequest, failedPrecondition } from '../core/errors';
import type { Route, Standin, StandinModule } from '../core/standin';
import {
	checkBool, checkEnum, mailboxOf, requireDwd, sanitizeHtml, seedSettings, settingsRoute,
	type AutoForwarding, type ImapSettings, type PopSettings, type VacationSettings,
} from './settings-common';
import { settingsKnobRoutes, sharingRoutes } from './settings-sharing';

/**
 * gmail.users.settings.get/update{Vacation,Imap,Pop,Language,AutoForwarding}. update* replace the whole object
 * (PUT), fields left out fall back to their defaults. Quota units from
 * https://developers.google.com/gmail/api/reference/quota (getLanguage/updateLanguage are not listed: 1/5 assumed).
 */

const DISPOSITIONS = ['leaveInInbox', 'archive', 'trash', 'markRead'] as const;
const EXPUNGE = ['archive', 'trash', 'deleteForever'] as const;
const ACCESS_WINDOWS = ['disabled', 'fromNowOn', 'allMail'] as const;
/** Legal ImapSettings.maxFolderSize values (discovery: "Legal values are 0, 1000, 2000, 5000 or 10000"). */
export const IMAP_FOLDER_SIZES = [0, 1000, 2000, 5000, 10000];
/** Display languages Gmail offers (a subset); an unlisted regional variant falls back to its base language. */
export const GMAIL_LANGUAGES = [
	'af', 'ar', 'bg', 'ca', 'cs', 'da', 'de', 'el', 'en', 'en-GB', 'es', 'es-419', 'et', 'fa', 'fi', 'fil', 'fr', 'fr-CA',
	'he', 'hi', 'hr', 'hu', 'id', 'is', 'it', 'ja', 'ko', 'lt', 'lv', 'ms', 'nl', 'no', 'pl', 'pt-BR', 'pt-PT', 'ro', 'ru',
	'sk', 'sl', 'sr', 'sv', 'th', 'tr', 'uk', 'vi', 'zh-CN', 'zh-HK', 'zh-TW',
];

function epochMs(field: string, v: unknown): string | undefined {
	if (v === undefined || v === null || v === '') return undefined;
	const s = String(v);
	if (!/^\d+$/.test(s)) throw badRequest(`Invalid value at 'vacation_settings.${field}' (TYPE_INT64), ${JSON.stringify(v)}`, 'invalid');
	return s;
}

export function parseVacation(body: Record<string, unknown>, workspace: boolean): VacationSettings {
	checkBool('vacation_settings.enable_auto_reply', body.enableAutoReply);
	checkBool('vacation_settings.restrict_to_contacts', body.restrictToContacts);
	checkBool('vacation_settings.restrict_to_domain', body.restrictToDomain);
	const str = (k: string) => (body[k] === undefined || body[k] === null ? undefined : String(body[k]));
	const v: VacationSettings = {
		enableAutoReply: body.enableAutoReply === true,
		responseSubject: str('responseSubject'),
		responseBodyPlainText: str('responseBodyPlainText'),
		responseBodyHtml: body.responseBodyHtml === undefined ? undefined : sanitizeHtml(String(body.responseBodyHtml)),
		restrictToContacts: body.restrictToContacts === true,
		restrictToDomain: body.restrictToDomain === true,
		startTime: epochMs('start_time', body.startTime),
		endTime: epochMs('end_time', body.endTime),
	};
	if (v.startTime && v.endTime && BigInt(v.startTime) >= BigInt(v.endTime)) {
		throw badRequest('Invalid vacation settings: startTime must precede endTime.');
	}
	if (v.enableAutoReply && !v.responseSubject && !v.responseBodyPlainText && !v.responseBodyHtml) {
		throw badRequest('Invalid vacation settings: either the response subject or the response body must be nonempty to enable auto-replies.');
	}
	if (v.restrictToDomain && !workspace) throw failedPrecondition('restrictToDomain is only available for Google Workspace users.');
	for (const k of Object.keys(v) as (keyof VacationSettings)[]) if (v[k] === undefined) delete v[k];
	return v;
}

export function parseImap(body: Record<string, unknown>): ImapSettings {
	checkBool('imap_settings.enabled', body.enabled);
	checkBool('imap_settings.auto_expunge', body.autoExpunge);
	checkEnum('imap_settings.expunge_behavior', body.expungeBehavior, ['expungeBehaviorUnspecified', ...EXPUNGE]);
	const size = body.maxFolderSize === undefined ? 0 : Number(body.maxFolderSize);
	if (!IMAP_FOLDER_SIZES.includes(size)) {
		throw badRequest(`Invalid maxFolderSize ${JSON.stringify(body.maxFolderSize)}: legal values are ${IMAP_FOLDER_SIZES.join(', ')}.`);
	}
	const expunge = body.expungeBehavior === undefined || body.expungeBehavior === 'expungeBehaviorUnspecified' ? 'archive' : String(body.expungeBehavior);
	return { enabled: body.enabled === true, autoExpunge: body.autoExpunge === true, expungeBehavior: expunge, maxFolderSize: size };
}

export function parsePop(body: Record<string, unknown>): PopSettings {
	checkEnum('pop_settings.access_window', body.accessWindow, ACCESS_WINDOWS);
	checkEnum('pop_settings.disposition', body.disposition, DISPOSITIONS);
	return { accessWindow: (body.accessWindow as string) ?? 'disabled', disposition: (body.disposition as string) ?? 'leaveInInbox' };
}

/** Gmail saves the closest supported variant ("the return object contains the displayLanguage that was saved"). */
export function resolveLanguage(tag: unknown): string {
	if (typeof tag !== 'string' || !tag.trim()) throw badRequest('displayLanguage is required.');
	const norm = tag.trim().replace('_', '-');
	const exact = GMAIL_LANGUAGES.find((l) => l.toLowerCase() === norm.toLowerCase());
	if (exact) return exact;
	const base = norm.split('-')[0].toLowerCase();
	if (GMAIL_LANGUAGES.includes(base)) return base;
	throw badRequest(`Unsupported displayLanguage: ${tag}`);
}

export function basicSettingsRoutes(): Route[] {
	const get = (name: string, path: string, pick: (us: ReturnType<typeof mailboxOf>['settings']) => unknown) =>
		settingsRoute(`gmail.users.settings.get${name}`, 'GET', path, 1, (ctx) => ({ body: pick(mailboxOf(ctx).settings) }));
	return [
		get('Vacation', 'vacation', (us) => us.vacation),
		get('Imap', 'imap', (us) => us.imap),
		get('Pop', 'pop', (us) => us.pop),
		get('Language', 'language', (us) => us.language),
		get('AutoForwarding', 'autoForwarding', (us) => us.autoForwarding),
		settingsRoute('gmail.users.settings.updateVacation', 'PUT', 'vacation', 5, (ctx) => {
			const mb = mailboxOf(ctx);
			mb.settings.vacation = parseVacation(ctx.json(), mb.workspace);
			return { body: mb.settings.vacation };
		}),
		settingsRoute('gmail.users.settings.updateImap', 'PUT', 'imap', 5, (ctx) => {
			const mb = mailboxOf(ctx);
			mb.settings.imap = parseImap(ctx.json());
			return { body: mb.settings.imap };
		}),
		settingsRoute('gmail.users.settings.updatePop', 'PUT', 'pop', 100, (ctx) => {
			const mb = mailboxOf(ctx);
			mb.settings.pop = parsePop(ctx.json());
			return { body: mb.settings.pop };
		}),
		settingsRoute('gmail.users.settings.updateLanguage', 'PUT', 'language', 5, (ctx) => {
			const mb = mailboxOf(ctx);
			mb.settings.language = { displayLanguage: resolveLanguage(ctx.json().displayLanguage) };
			return { body: mb.settings.language };
		}),
		settingsRoute('gmail.users.settings.updateAutoForwarding', 'PUT', 'autoForwarding', 5, (ctx) => {
			const mb = mailboxOf(ctx);
			requireDwd(ctx);
			const body = ctx.json<Record<string, unknown>>();
			checkBool('auto_forwarding.enabled', body.enabled);
			checkEnum('auto_forwarding.disposition', body.disposition, ['dispositionUnspecified', ...DISPOSITIONS]);
			const next: AutoForwarding = { enabled: body.enabled === true };
			if (body.emailAddress !== undefined) next.emailAddress = String(body.emailAddress).toLowerCase();
			if (body.disposition !== undefined) next.disposition = String(body.disposition);
			if (next.enabled) {
				const fwd = next.emailAddress ? mb.settings.forwardingAddresses.get(next.emailAddress) : undefined;
				if (!fwd || fwd.verificationStatus !== 'accepted') throw failedPrecondition('Invalid forwarding address');
				if (!next.disposition || next.disposition === 'dispositionUnspecified') {
					throw badRequest('A disposition is required when auto-forwarding is enabled.');
				}
			}
			mb.settings.autoForwarding = next;
			return { body: next };
		}),
	];
}

/** Gmail settings (basic + sharing) with per-user state; registered in modules.ts. */
export const gmailSettingsModule: StandinModule = {
	name: 'gmail-settings',
	seed: seedSettings,
	routes: (s: Standin) => [...basicSettingsRoutes(), ...sharingRoutes(), ...settingsKnobRoutes(s)],
};
