import {
	assertionClaims,
	GOOGLE_TOKEN_URL,
	JWT_BEARER_GRANT,
} from '../../../../credentials/googleJwt';
import { ADMIN_CARD_SCOPES, CLOUD_PLATFORM, unknownScopes } from '../../../../credentials/scopes';

/**
 * An HTTP call that answers every status (the caller decides what a 4xx means). `signed` requests carry
 * the connected account's token (n8n's authenticated helper); the others carry none.
 */
export type Http = (req: {
	method: 'GET' | 'POST';
	url: string;
	signed: boolean;
	json?: object;
	form?: Record<string, string>;
}) => Promise<{ status: number; body: any }>;

export interface CardReadiness {
	card: string;
	ready: boolean;
	fix?: string;
}

export interface Readiness {
	ok: boolean;
	account?: { email: string; workspace: boolean; domain?: string };
	grantedScopes: string[];
	problems: string[];
	cards: CardReadiness[];
}

const G = 'https://www.googleapis.com/auth/';
const READ_SCOPES = ['https://mail.google.com/', `${G}gmail.modify`, `${G}gmail.readonly`];
const SEND_SCOPES = [
	'https://mail.google.com/',
	`${G}gmail.modify`,
	`${G}gmail.compose`,
	`${G}gmail.send`,
];
/** The mailbox cards of issue 14, by the scopes that allow them (Google's discovery document). */
const MAILBOX_CARDS: Array<{ card: string; scopes: string[]; what: string }> = [
	{
		card: 'Labels, Read State, Archive and Trash',
		scopes: ['https://mail.google.com/', `${G}gmail.modify`],
		what: 'changing labels on mail (gmail.modify)',
	},
	{
		card: 'Drafts',
		scopes: ['https://mail.google.com/', `${G}gmail.modify`, `${G}gmail.compose`],
		what: 'drafts (gmail.compose)',
	},
	{
		card: 'Delete Permanently',
		scopes: ['https://mail.google.com/'],
		what: 'permanent deletion (https://mail.google.com/, the "All Cards and Permanent Delete" set)',
	},
];
const ADMIN_CARDS = [
	'Add Delegate',
	'Forward Emails',
	'Set Auto Reply',
	'Update User Gmail Settings',
];
const ALL_ADMIN_SCOPES = [...new Set(Object.values(ADMIN_CARD_SCOPES).flat())];

const IAM_SCOPE = `${G}iam`;
/** Google's consumer Gmail domains: no Workspace, so no domain-wide delegation and no admin settings. */
export const CONSUMER_DOMAINS = ['gmail.com', 'googlemail.com'];

const grant = (sa: string, email: string, role: string) =>
	`gcloud iam service-accounts add-iam-policy-binding ${sa} --member=user:${email} --role=roles/iam.${role}`;

export interface AdminCheck {
	account: NonNullable<Readiness['account']>;
	/** Scopes Google granted the connection; empty when unknown (then not checked). */
	grantedScopes: string[];
	serviceAccount?: string;
	/** Also prove domain-wide delegation with a real signJwt + token exchange (the connection check does). */
	proveDelegation: boolean;
}

/**
 * Why the admin cards cannot act through the service account (the first missing piece, worded as the fix),
 * or undefined when they can: a Workspace account, the cloud-platform scope, the Service Account User and
 * Token Creator roles on the service account, and (optionally proven) domain-wide delegation.
 */
export async function adminBlocker(http: Http, c: AdminCheck): Promise<string | undefined> {
	const { account, grantedScopes: granted } = c;
	const sa = c.serviceAccount;
	if (!account.workspace) {
		return `The admin cards need a Google Workspace account: ${account.email} is a consumer Gmail account, and Google offers delegates, forwarding and user settings only to Workspace domains. Connect an administrator of your Workspace domain.`;
	}
	if (!sa)
		return 'The admin cards need a service account with domain-wide delegation: fill "Service Account for Admin Cards" in the credential or "Service Account" in the card.';
	if (granted.length && !granted.includes(CLOUD_PLATFORM) && !granted.includes(IAM_SCOPE)) {
		return 'The admin cards need the cloud-platform scope to act through the service account: in the credential choose the "All Cards" or "Admin Settings" scope set and reconnect the account.';
	}
	const perms = await http({
		method: 'POST',
		url: `https://iam.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(sa)}:testIamPermissions`,
		signed: true,
		json: { permissions: ['iam.serviceAccounts.actAs', 'iam.serviceAccounts.signJwt'] },
	});
	if (perms.status === 404)
		return `Service account ${sa} was not found: check the "Service Account" of the card or the credential.`;
	if (perms.status >= 400) {
		return `Could not check ${account.email}'s roles on ${sa} (HTTP ${perms.status}): the connection needs the cloud-platform scope and access to the service account's project.`;
	}
	const held: string[] = perms.body?.permissions ?? [];
	if (!held.includes('iam.serviceAccounts.actAs'))
		return `${account.email} needs the Service Account User role on ${sa} — grant it with \`${grant(sa, account.email, 'serviceAccountUser')}\``;
	if (!held.includes('iam.serviceAccounts.signJwt'))
		return `${account.email} needs the Service Account Token Creator role on ${sa} — grant it with \`${grant(sa, account.email, 'serviceAccountTokenCreator')}\``;
	if (!c.proveDelegation) return undefined;
	// prove domain-wide delegation end to end: sign an assertion for the connected admin and exchange it
	const signed = await http({
		method: 'POST',
		url: `https://iamcredentials.googleapis.com/v1/projects/-/serviceAccounts/${encodeURIComponent(sa)}:signJwt`,
		signed: true,
		json: { payload: JSON.stringify(assertionClaims(sa, account.email, ALL_ADMIN_SCOPES)) },
	});
	if (signed.status >= 400)
		return `Signing for ${sa} failed (HTTP ${signed.status}): ${signed.body?.error?.message ?? ''}`.trim();
	const exchanged = await http({
		method: 'POST',
		url: GOOGLE_TOKEN_URL,
		signed: false,
		form: { grant_type: JWT_BEARER_GRANT, assertion: String(signed.body?.signedJwt) },
	});
	if (exchanged.status >= 400) {
		return `${sa} needs domain-wide delegation: in the Google Admin console (Security → API controls → Domain-wide delegation) authorize its client ID for ${ALL_ADMIN_SCOPES.join(', ')} (Google said: ${exchanged.body?.error_description ?? exchanged.body?.error ?? exchanged.status})`;
	}
	return undefined;
}

/** Why the connected account is unknown: a refused token needs a reconnect; anything else is Google's side. */
export function unknownAccount(status: number): string {
	return status === 401 || status === 403
		? `Google did not accept the connection's token (HTTP ${status}): reconnect the account.`
		: `Google could not say which account is connected (HTTP ${status} from its userinfo endpoint, after retries): try again in a few minutes.`;
}

/** The connected account's email and whether it is a Workspace account (userinfo's hosted domain). */
export async function connectedAccount(
	http: Http,
): Promise<{ status: number; account?: NonNullable<Readiness['account']> }> {
	const me = await http({
		method: 'GET',
		url: 'https://www.googleapis.com/oauth2/v3/userinfo',
		signed: true,
	});
	if (me.status >= 400) return { status: me.status };
	const domain = me.body?.hd ? String(me.body.hd) : undefined;
	return {
		status: me.status,
		account: {
			email: String(me.body?.email ?? ''),
			domain,
			workspace: !!domain && !CONSUMER_DOMAINS.includes(domain),
		},
	};
}

/**
 * What the connection can do: token valid, granted scopes, account type, and for the admin cards the
 * service account roles and domain-wide delegation. Each card gets "ready" or the exact fix.
 * `grantedScopes` are the scopes Google reported when it issued the token (the credential keeps them).
 */
export async function checkReadiness(
	http: Http,
	opts: { grantedScopes: string[]; configuredScopes: string[]; serviceAccount?: string },
): Promise<Readiness> {
	const r: Readiness = { ok: false, grantedScopes: opts.grantedScopes, problems: [], cards: [] };
	const unknown = unknownScopes(opts.configuredScopes);
	if (unknown.length)
		r.problems.push(
			`Unknown scope${unknown.length > 1 ? 's' : ''} ${unknown.map((s) => `"${s}"`).join(', ')}: Google defines no such scope. Fix the custom scope list and reconnect.`,
		);

	const me = await connectedAccount(http);
	if (!me.account) {
		r.problems.push(unknownAccount(me.status));
		return r;
	}
	r.account = me.account;

	const has = (needed: string[]) => needed.some((s) => r.grantedScopes.includes(s));
	const scopeFix = (what: string) =>
		`needs a scope that allows ${what}: choose a scope set that includes it and reconnect`;
	r.cards.push({
		card: 'Read Email',
		ready: has(READ_SCOPES),
		fix: has(READ_SCOPES) ? undefined : scopeFix('reading mail (gmail.readonly)'),
	});
	for (const card of ['Send Email', 'Send Email with Attachment']) {
		r.cards.push({
			card,
			ready: has(SEND_SCOPES),
			fix: has(SEND_SCOPES) ? undefined : scopeFix('sending mail (gmail.send)'),
		});
	}
	for (const { card, scopes, what } of MAILBOX_CARDS)
		r.cards.push({ card, ready: has(scopes), fix: has(scopes) ? undefined : scopeFix(what) });
	const blocker = await adminBlocker(http, {
		account: r.account,
		grantedScopes: r.grantedScopes,
		serviceAccount: opts.serviceAccount,
		proveDelegation: true,
	});
	for (const card of ADMIN_CARDS) r.cards.push({ card, ready: !blocker, fix: blocker });
	r.ok = r.problems.length === 0;
	return r;
}

/** One line per card, for n8n's credential test message. */
export function formatReadiness(r: Readiness): string {
	const head = r.account
		? `Connected as ${r.account.email} (${r.account.workspace ? `Google Workspace, ${r.account.domain}` : 'consumer Gmail account'}).`
		: 'Not connected.';
	const cards = r.cards.map((c) => `${c.card}: ${c.ready ? 'ready' : c.fix}`);
	return [...r.problems, head, ...cards].join(' · ');
}
