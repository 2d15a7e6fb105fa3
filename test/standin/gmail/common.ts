import { GoogleError, badRequest, failedPrecondition, notFound } from '../core/errors';
import type { Ctx, Route, Standin } from '../core/standin';
import { GmailState, Mailbox, type StoredMessage } from './store';

export const GMAIL_SLICE = 'gmail';
export const API = '/gmail/v1/users/{userId}';
export const UPLOAD = '/upload/gmail/v1/users/{userId}';
export const RESUMABLE = '/resumable/upload/gmail/v1/users/{userId}';

export const gmailState = (s: Standin) => s.slice<GmailState>(GMAIL_SLICE);
export const now = (s: Standin) => s.tokens.now();

/**
 * The mailbox a call addresses: userId "me" or the token user's own address. Another user's address is
 * "Delegation denied" (403); a plain service-account token (no domain-wide delegation subject) gets Gmail's
 * 400 "Precondition check failed."
 */
export function mailboxFor(ctx: Ctx): Mailbox {
	const token = ctx.token;
	if (!token) throw new GoogleError(401, 'Login Required.', 'required');
	if (token.kind === 'service-account') throw failedPrecondition('Precondition check failed.');
	const userId = ctx.params.userId ?? 'me';
	if (userId !== 'me' && userId.toLowerCase() !== token.email.toLowerCase()) {
		throw new GoogleError(403, `Delegation denied for ${token.email}`, 'forbidden');
	}
	const mb = ensureMailbox(ctx.standin, token.email);
	if (!mb) throw new GoogleError(400, 'Mail service not enabled', 'failedPrecondition', 'global', {}, 'FAILED_PRECONDITION');
	return mb;
}

/** A directory user's mailbox; users added after the seed (POST /__standin/directory/users) get an empty one. */
export function ensureMailbox(s: Standin, email: string): Mailbox | undefined {
	const g = gmailState(s);
	return g.mailbox(email) ?? (s.directory.user(email) ? g.addMailbox(email) : undefined);
}

export function getMessage(mb: Mailbox, id: string): StoredMessage {
	const m = mb.messages.get(id);
	if (!m) throw notFound();
	return m;
}

/** maxResults: default 100, at most 500 (larger values are clamped, as Gmail does). */
export function pageSize(ctx: Ctx, def = 100, max = 500): number {
	const v = ctx.query.get('maxResults');
	if (v === null || v === '') return def;
	const n = Number(v);
	if (!Number.isInteger(n) || n < 0) throw badRequest(`Invalid value at 'max_results' (TYPE_UINT32), "${v}"`);
	return Math.min(n || def, max);
}

/** Page tokens are opaque decimal strings (like Gmail's); they encode the offset. */
export function page<T>(ctx: Ctx, items: T[], def = 100, max = 500): { items: T[]; nextPageToken?: string } {
	const size = pageSize(ctx, def, max);
	const tok = ctx.query.get('pageToken');
	let offset = 0;
	if (tok) {
		if (!/^\d{20}$/.test(tok)) throw badRequest('Invalid pageToken');
		offset = Number(tok.slice(4));
	}
	const slice = items.slice(offset, offset + size);
	const next = offset + size < items.length ? '0917' + String(offset + size).padStart(16, '0') : undefined;
	return { items: slice, ...(next ? { nextPageToken: next } : {}) };
}

export const bool = (v: string | null) => v === 'true' || v === '1';

const METADATA = 'https://www.googleapis.com/auth/gmail.metadata';
/** True when the token reaches this method only through gmail.metadata (no body access). */
export function metadataOnly(ctx: Ctx): boolean {
	const scopes = ctx.token?.scopes ?? [];
	const others = (ctx.route.scopes ?? []).filter((sc) => sc !== METADATA);
	return scopes.includes(METADATA) && !others.some((sc) => scopes.includes(sc));
}

/** Gmail's 403s for a metadata-only token: no `q`, and no format that exposes the body. */
export function checkMetadataScope(ctx: Ctx, what: { q?: string | null; format?: string }) {
	if (!metadataOnly(ctx)) return;
	if (what.q) throw new GoogleError(403, "Metadata scope does not support 'q' parameter", 'forbidden');
	if (what.format === 'full' || what.format === 'raw') {
		throw new GoogleError(403, `Metadata scope doesn't allow format ${what.format.toUpperCase()}`, 'forbidden');
	}
}

export function route(
	id: string,
	method: string,
	paths: string[],
	cost: number,
	handler: Route['handler'],
	extra: Partial<Route> = {},
): Route {
	return { id, host: '*', method, paths, cost, handler, ...extra };
}
