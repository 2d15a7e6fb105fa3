/**
 * Gmail's three ways of carrying a message: JSON `{raw}` (base64url) on the metadata path, and media upload on
 * /upload/… (uploadType=media: the message/rfc822 bytes; uploadType=multipart: multipart/related with a JSON
 * metadata part and the message part; uploadType=resumable or /resumable/upload/…: a session URL in Location,
 * then PUT of the bytes, optionally in Content-Range chunks, with `bytes *\/N` status queries answered by 308).
 */
import { discoveryMethod } from '../core/discovery';
import { GoogleError, badRequest, notFound } from '../core/errors';
import type { Ctx, Reply, Route } from '../core/standin';
import { RESUMABLE, UPLOAD, gmailState } from './common';
import { fromB64 } from './format';
import { parseParams, splitHeaderBlock, splitMultipart, toBin, fromBin } from './mime';
import type { UploadSession } from './store';

export interface MessageInput {
	/** The JSON metadata: a Message (messages.*) or a Draft (drafts.*). */
	metadata: any;
	/** The message bytes, when the request carried one. */
	raw?: Buffer;
}

export type InputHandler = (ctx: Ctx, input: MessageInput) => Promise<Reply> | Reply;

const UPLOAD_HINT = 'Upload requests must include an uploadType URL parameter and a URL path beginning with /upload/';

export function maxSizeOf(routeId: string): number {
	return Number(discoveryMethod(routeId)?.mediaUpload?.maxSize ?? 36700160);
}

const tooLarge = (max: number, status: 400 | 413) =>
	new GoogleError(status, `Request payload size exceeds the limit: ${max} bytes.`, status === 413 ? 'uploadTooLarge' : 'badRequest');

function checkMediaType(type: string | undefined) {
	const t = (type ?? '').split(';')[0].trim().toLowerCase();
	if (!t.startsWith('message/')) {
		throw badRequest(`Media type '${t || 'application/octet-stream'}' is not supported. Valid media types: [message/*]`, 'badContent');
	}
}

/** Where the message sits in the metadata JSON: Message.raw, or Draft.message.raw for drafts. */
const rawOf = (routeId: string, meta: any): unknown => (routeId.startsWith('gmail.users.drafts.') ? meta?.message?.raw : meta?.raw);

const isUploadPath = (p: string) => p.startsWith('/upload/') || p.startsWith('/resumable/upload/');

function parseJson(buf: Buffer): any {
	if (!buf.length) return {};
	try {
		return JSON.parse(buf.toString('utf8'));
	} catch {
		throw new GoogleError(400, 'Invalid JSON payload received.', 'parseError');
	}
}

/** Read the message of a simple (non-resumable) request. */
export function readInput(ctx: Ctx): MessageInput {
	const max = maxSizeOf(ctx.route.id);
	const uploadType = ctx.query.get('uploadType');
	if (!isUploadPath(ctx.path)) {
		// media bytes sent to the JSON path are refused; a JSON body with a stray uploadType is served, as
		// Gmail does (n8n's built-in Gmail node sends {raw} to messages/send with uploadType=media)
		const json = /json/i.test(String(ctx.headers['content-type'] ?? 'application/json'));
		if (uploadType && uploadType !== 'resumable' && !json) throw badRequest(UPLOAD_HINT, 'badRequest');
		const metadata = ctx.json();
		const rawField = rawOf(ctx.route.id, metadata);
		if (rawField === undefined || rawField === null || rawField === '') return { metadata };
		const raw = fromB64(String(rawField));
		if (raw.length > max) throw tooLarge(max, 400);
		return { metadata, raw };
	}
	if (uploadType === 'media') {
		checkMediaType(String(ctx.headers['content-type'] ?? ''));
		if (ctx.body.length > max) throw tooLarge(max, 413);
		return { metadata: {}, raw: ctx.body };
	}
	if (uploadType === 'multipart') {
		const ct = parseParams(String(ctx.headers['content-type'] ?? ''));
		if (!ct.value.toLowerCase().startsWith('multipart/') || !ct.params.boundary) {
			throw badRequest('Invalid multipart request with 0 mime parts.', 'badContent');
		}
		const parts = splitMultipart(toBin(ctx.body), ct.params.boundary).parts.map((p) => {
			const { fields, bodyStart } = splitHeaderBlock(p);
			const type = fields.find((f) => f.name.toLowerCase() === 'content-type')?.value.trim();
			return { type, body: fromBin(p.slice(bodyStart)) };
		});
		if (parts.length !== 2) throw badRequest(`Invalid multipart request with ${parts.length} mime parts.`, 'badContent');
		checkMediaType(parts[1].type);
		if (parts[1].body.length > max) throw tooLarge(max, 413);
		return { metadata: parseJson(parts[0].body), raw: parts[1].body };
	}
	throw badRequest(UPLOAD_HINT, 'badRequest');
}

function sessionUrl(ctx: Ctx, id: string): string {
	const host = String(ctx.headers.host ?? 'gmail.googleapis.com');
	const q = new URLSearchParams(ctx.query);
	q.set('uploadType', 'resumable');
	q.set('upload_id', id);
	const path = ctx.path.replace(/^\/resumable\/upload\//, '/upload/');
	return `${ctx.scheme}://${host}${path}?${q.toString()}`;
}

function openSession(ctx: Ctx): Reply {
	const max = maxSizeOf(ctx.route.id);
	const type = ctx.headers['x-upload-content-type'];
	if (type) checkMediaType(String(type));
	const len = ctx.headers['x-upload-content-length'];
	if (len !== undefined && Number(len) > max) throw tooLarge(max, 413);
	const g = gmailState(ctx.standin);
	const session: UploadSession = {
		id: g.newUploadId(),
		routeId: ctx.route.id,
		token: ctx.token,
		params: ctx.params,
		query: ctx.query.toString(),
		metadata: parseJson(ctx.body),
		contentType: type ? String(type) : undefined,
		total: len !== undefined ? Number(len) : undefined,
		chunks: [],
		received: 0,
	};
	g.uploads.set(session.id, session);
	return { status: 200, headers: { location: sessionUrl(ctx, session.id), 'x-guploader-uploadid': session.id }, body: '' };
}

const rangeHeader = (s: UploadSession): Record<string, string> => (s.received ? { range: `bytes=0-${s.received - 1}` } : {});

/** Apply one PUT to a session. Returns the finished bytes, or a 308 reply while incomplete. */
function feedSession(ctx: Ctx, s: UploadSession): Buffer | Reply {
	const max = maxSizeOf(s.routeId);
	const cr = String(ctx.headers['content-range'] ?? '').trim();
	if (cr) {
		const status = /^bytes \*\/(\d+|\*)$/.exec(cr);
		const chunk = /^bytes (\d+)-(\d+)\/(\d+|\*)$/.exec(cr);
		if (status) {
			if (status[1] !== '*') s.total = Number(status[1]);
		} else if (chunk) {
			const [from, to] = [Number(chunk[1]), Number(chunk[2])];
			if (chunk[3] !== '*') s.total = Number(chunk[3]);
			if (to - from + 1 !== ctx.body.length) throw badRequest('Content-Range does not match the request body length.');
			if (from > s.received) throw badRequest(`Invalid Content-Range: expected the upload to continue at byte ${s.received}.`);
			const fresh = ctx.body.subarray(s.received - from);
			s.chunks.push(fresh);
			s.received += fresh.length;
		} else throw badRequest(`Invalid Content-Range header: ${cr}`);
	} else {
		s.chunks = [ctx.body];
		s.received = ctx.body.length;
		s.total = ctx.body.length;
	}
	if (s.received > max || (s.total ?? 0) > max) {
		gmailState(ctx.standin).uploads.delete(s.id);
		throw tooLarge(max, 413);
	}
	if (s.total === undefined || s.received < s.total) return { status: 308, headers: rangeHeader(s), body: '' };
	gmailState(ctx.standin).uploads.delete(s.id);
	return Buffer.concat(s.chunks);
}

/** Run an uploaded session's method once its bytes are complete. */
async function finishSession(ctx: Ctx, s: UploadSession, handler: InputHandler): Promise<Reply> {
	const done = feedSession(ctx, s);
	if (!Buffer.isBuffer(done)) return done;
	if (s.contentType) checkMediaType(s.contentType);
	const inner: Ctx = { ...ctx, token: s.token, params: s.params, query: new URLSearchParams(s.query) };
	return handler(inner, { metadata: s.metadata, raw: done });
}

const handlers = new Map<string, InputHandler>();

/**
 * Wrap a method that takes a message: resumable session traffic first (PUT with upload_id), then session opening,
 * then simple JSON / media / multipart input.
 */
export function withMessageInput(routeId: string, handler: InputHandler): Route['handler'] {
	handlers.set(routeId, handler);
	return (ctx) => {
		const uploadId = ctx.query.get('upload_id');
		if (uploadId) {
			const s = gmailState(ctx.standin).uploads.get(uploadId);
			if (!s || s.routeId !== routeId) throw notFound('No upload session found for this upload_id.');
			return finishSession(ctx, s, handler);
		}
		if (ctx.path.startsWith('/resumable/upload/') || (isUploadPath(ctx.path) && ctx.query.get('uploadType') === 'resumable')) {
			return openSession(ctx);
		}
		return handler(ctx, readInput(ctx));
	};
}

/**
 * PUT on a session URL of a POST method (send, insert, import, drafts.create, drafts.send). The session URL is the
 * credential, as with Google's; the token captured when the session was opened is used for the call.
 */
export function sessionRoute(): Route {
	const posts = ['/messages/send', '/messages', '/messages/import', '/drafts', '/drafts/send'];
	return {
		id: 'standin.gmail.uploadSession',
		host: '*',
		method: 'PUT',
		auth: 'none',
		paths: posts.flatMap((p) => [UPLOAD + p, RESUMABLE + p]),
		handler(ctx) {
			const uploadId = ctx.query.get('upload_id');
			const s = uploadId ? gmailState(ctx.standin).uploads.get(uploadId) : undefined;
			if (!s) throw notFound('No upload session found for this upload_id.');
			const h = handlers.get(s.routeId);
			if (!h) throw notFound('No upload session found for this upload_id.');
			return finishSession({ ...ctx, route: { ...ctx.route, id: s.routeId } }, s, h);
		},
	};
}
