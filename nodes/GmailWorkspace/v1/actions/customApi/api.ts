import type { IHttpRequestMethods } from 'n8n-workflow';

import {
	SCOPE_PRESETS,
	SCOPE_SET_NAMES,
	SERVICE_ACCOUNT_SCOPE_SETS,
} from '../../../../../credentials/scopes';
import { CUSTOM_CALL_DEFAULT_UNITS, type QuotaPlan } from '../../transport/quota';
import { API_METHODS, type ApiMethod } from './apiMethods';

/**
 * The Custom API Call's pure parts: the method table by id, Path mode's path check and template match, the
 * units a call is charged, the scope check. No I/O here.
 */

export const METHODS_BY_ID = new Map(API_METHODS.map((m) => [m.id, m]));

/** The dropdown name of a method: its id without "gmail.users." ("messages.list", "getProfile"). */
export const shortId = (id: string) => id.replace(/^gmail\.users\./, '');

/** Units of a call in the credential's tier: Google's figure (transport/quota.ts), else the safe default. */
export function unitsFor(plan: QuotaPlan, method: ApiMethod | undefined): number {
	return (method && plan.units[method.id]) || CUSTOM_CALL_DEFAULT_UNITS;
}

export const HTTP_METHODS: IHttpRequestMethods[] = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE'];

/** Why a Path-mode path is refused, or undefined; `path` as typed (a leading "/" is allowed). */
export function pathProblem(path: string): string | undefined {
	if (!path) return 'is empty';
	if (/^[a-z][a-z0-9+.-]*:/i.test(path) || path.startsWith('//'))
		return 'must be a path below https://gmail.googleapis.com/ (no scheme or host), e.g. gmail/v1/users/me/labels';
	if (path.includes('\\')) return 'must not contain "\\"';
	if (/[?#]/.test(path))
		return 'must not contain "?" or "#": put query parameters in "Query Parameters"';
	if (/[^A-Za-z0-9\-._~!$&'()*+,;=:@%/]/.test(path))
		return 'may contain only URL path characters (encode others as %XX)';
	if (/%(?![0-9A-Fa-f]{2})/.test(path)) return 'has a "%" that is not a %XX escape';
	const rel = path.replace(/^\//, '');
	const segments = rel.split('/');
	// "." and ".." (also written %2E) would move the request outside gmail/v1
	if (segments.some((s) => /^(\.|%2e){1,2}$/i.test(s)))
		return 'must not contain "." or ".." segments';
	if (segments.some((s) => /%2f|%5c/i.test(s))) return 'must not contain an encoded "/" or "\\"';
	if (segments[0] !== 'gmail' || segments[1] !== 'v1' || segments.length < 3 || !segments[2])
		return 'must start with gmail/v1/ (a Gmail API path on gmail.googleapis.com)';
	if (segments.some((s, i) => !s && i < segments.length - 1)) return 'must not contain "//"';
	return undefined;
}

/** The path without a leading "/". */
export const normalPath = (path: string) => path.replace(/^\//, '');

const templates = API_METHODS.map((m) => {
	const names: string[] = [];
	const source = m.path
		.split(/(\{[^}]+\})/)
		.map((part) => {
			const name = /^\{\+?([^}]+)\}$/.exec(part)?.[1];
			if (!name) return part.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
			names.push(name);
			return '([^/]+)';
		})
		.join('');
	return { method: m, names, regex: new RegExp(`^${source}$`) };
});

/**
 * The discovery method a Path-mode call is, by its HTTP method and the table's path templates (a literal
 * segment beats a parameter: POST messages/send is messages.send, not a message id), with its path parameters.
 */
export function matchPath(
	httpMethod: string,
	path: string,
): { method: ApiMethod; params: Record<string, string> } | undefined {
	let best: { method: ApiMethod; params: Record<string, string> } | undefined;
	let bestVars = Infinity;
	for (const t of templates) {
		if (t.method.httpMethod !== httpMethod) continue;
		const m = t.regex.exec(path);
		if (!m || t.names.length >= bestVars) continue;
		const params: Record<string, string> = {};
		t.names.forEach((n, k) => (params[n] = safeDecode(m[k + 1])));
		best = { method: t.method, params };
		bestVars = t.names.length;
	}
	return best;
}

function safeDecode(s: string): string {
	try {
		return decodeURIComponent(s);
	} catch {
		return s;
	}
}

/** Fill a template with every value encoded as one path segment; "." and ".." refused. */
export function fillPath(method: ApiMethod, params: Record<string, string>): string {
	return method.path.replace(/\{\+?(\w+)\}/g, (_, name: string) => {
		const value = params[name];
		if (value === '.' || value === '..') throw new Error(`"${value}" is not a valid ${name}`);
		return encodeURIComponent(value);
	});
}

/** The narrowest scope to ask a service account for on a user's behalf, among those allowing the method. */
const NARROW_FIRST = [
	'https://www.googleapis.com/auth/gmail.labels',
	'https://www.googleapis.com/auth/gmail.send',
	'https://www.googleapis.com/auth/gmail.settings.basic',
	'https://www.googleapis.com/auth/gmail.settings.sharing',
	'https://www.googleapis.com/auth/gmail.readonly',
	'https://www.googleapis.com/auth/gmail.insert',
	'https://www.googleapis.com/auth/gmail.compose',
	'https://www.googleapis.com/auth/gmail.modify',
	'https://mail.google.com/',
];

export function narrowestScope(method: ApiMethod): string {
	return NARROW_FIRST.find((s) => method.scopes.includes(s)) ?? method.scopes[0];
}

// the order a refusal suggests scope sets in: the narrowest first
const PRESET_ORDER: Array<keyof typeof SCOPE_PRESETS> = [
	'read',
	'send',
	'readSend',
	'all',
	'full',
	'admin',
];
const SA_SET_NAMES: Record<keyof typeof SERVICE_ACCOUNT_SCOPE_SETS, string> = {
	readSend: 'Read and Send',
	all: 'All Cards',
	full: 'All Cards and Permanent Delete',
};

/** How the call is authorized, for the scope check and its words. */
export type ScopeRoute = 'oAuth2' | 'serviceAccount' | 'impersonation';

/**
 * Why the granted scopes cannot call `method` (naming the scope it needs and the scope set that grants it),
 * or undefined when one of them allows it.
 */
export function scopeRefusal(
	method: ApiMethod,
	granted: readonly string[],
	route: ScopeRoute,
): string | undefined {
	if (method.scopes.some((s) => granted.includes(s))) return undefined;
	const head = `${shortId(method.id)} needs one of the scopes ${method.scopes.join(', ')}, and this ${route === 'impersonation' ? 'impersonation asks for' : 'credential was granted'} only ${granted.join(', ') || 'none'}`;
	if (route === 'impersonation')
		return `${head}: set "Scopes to Request" to ${narrowestScope(method)} (authorized for the service account in the Admin console), or leave it empty`;
	if (route === 'serviceAccount') {
		const set = (
			Object.keys(SERVICE_ACCOUNT_SCOPE_SETS) as Array<keyof typeof SERVICE_ACCOUNT_SCOPE_SETS>
		).find((k) => SERVICE_ACCOUNT_SCOPE_SETS[k].some((s) => method.scopes.includes(s)));
		const scope = set
			? SERVICE_ACCOUNT_SCOPE_SETS[set].find((s) => method.scopes.includes(s))
			: narrowestScope(method);
		return set
			? `${head}. The "${SA_SET_NAMES[set]}" set of "Scopes for the Default User" grants ${scope}: choose it in the credential (and authorize it in the Admin console's domain-wide delegation)`
			: `${head}. Add ${scope} to the credential's custom "Scopes for the Default User" (and authorize it in the Admin console's domain-wide delegation)`;
	}
	const preset = PRESET_ORDER.find((k) =>
		(SCOPE_PRESETS[k] as readonly string[]).some((s) => method.scopes.includes(s)),
	);
	if (!preset)
		return `${head}. No scope set grants it: add ${narrowestScope(method)} to the credential's custom scopes and reconnect`;
	const scope = (SCOPE_PRESETS[preset] as readonly string[]).find((s) => method.scopes.includes(s));
	return `${head}. The "${SCOPE_SET_NAMES[preset]}" scope set grants ${scope}: choose it in the credential (or add the scope to a custom list) and reconnect`;
}
