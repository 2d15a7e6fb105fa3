import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	INodeExecutionData,
	INodeProperties,
} from 'n8n-workflow';

import { serviceAccountUserScopes, splitScopes } from '../../../../../credentials/scopes';
import { gmailCustomRequest } from '../../transport';
import { authentication, credentialType } from '../../transport/credentials';
import { DEFAULT_RETRY, type RetryPolicy } from '../../transport/retry';
import {
	QUOTA_UNITS_2026,
	QUOTA_UNITS_LEGACY,
	CUSTOM_CALL_DEFAULT_UNITS,
} from '../../transport/quota';
import { paramError, rawParam, readBoolean, readOption, readText } from '../../params';
import { adminFields, adminTarget } from '../helpers/admin';
import { forEachItem } from '../helpers/items';
import {
	fillPath,
	HTTP_METHODS,
	matchPath,
	METHODS_BY_ID,
	narrowestScope,
	normalPath,
	pathProblem,
	scopeRefusal,
	shortId,
	unitsFor,
	type ScopeRoute,
} from './api';
import { API_METHODS, type ApiMethod } from './apiMethods';

const show = { resource: ['customApi'], operation: ['call'] };
const byMethod = { ...show, mode: ['method'] };
const byPath = { ...show, mode: ['path'] };
const units = (id: string) =>
	`${QUOTA_UNITS_2026[id] ?? CUSTOM_CALL_DEFAULT_UNITS} units (earlier projects ${QUOTA_UNITS_LEGACY[id] ?? CUSTOM_CALL_DEFAULT_UNITS})`;

export const description: INodeProperties[] = [
	{
		displayName: 'Call By',
		name: 'mode',
		type: 'options',
		noDataExpression: true,
		default: 'method',
		displayOptions: { show },
		options: [
			{ name: 'Method From List', value: 'method', description: "A method of Google's Gmail API" },
			{ name: 'Path', value: 'path', description: 'Any gmail/v1/… path and an HTTP method' },
		],
	},
	{
		displayName: 'Method',
		name: 'apiMethod',
		type: 'options',
		default: 'gmail.users.labels.list',
		description:
			"Gmail API method (from Google's discovery document), with its HTTP path and quota units",
		displayOptions: { show: byMethod },
		options: API_METHODS.map((m) => ({
			name: shortId(m.id),
			value: m.id,
			description: `${m.httpMethod} ${m.path} · ${units(m.id)} · ${m.description}`,
		})),
	},
	{
		displayName:
			'Google also takes this method as a media upload; here it is sent as JSON only: put the message in the body (e.g. {"raw": "<base64url RFC 822>"}), up to about 5 MB per request',
		name: 'mediaNotice',
		type: 'notice',
		default: '',
		displayOptions: {
			show: { ...byMethod, apiMethod: API_METHODS.filter((m) => m.mediaUpload).map((m) => m.id) },
		},
	},
	{
		displayName: 'HTTP Method',
		name: 'httpMethod',
		type: 'options',
		default: 'GET',
		displayOptions: { show: byPath },
		options: HTTP_METHODS.map((m) => ({ name: m, value: m })),
	},
	{
		displayName: 'Path',
		name: 'path',
		type: 'string',
		default: '',
		placeholder: 'gmail/v1/users/me/labels',
		description:
			'A Gmail API path below https://gmail.googleapis.com/, starting with gmail/v1/. Quota units: those of the method whose path it matches, else ' +
			`${CUSTOM_CALL_DEFAULT_UNITS} (the dearest call Google lists).`,
		displayOptions: { show: byPath },
	},
	{
		displayName: 'Path Parameters',
		name: 'pathParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Path Parameter',
		default: {},
		description:
			'Values for the placeholders in the method\'s path (the dropdown shows it), e.g. a message\'s ID. "userId" defaults to the connected account ("me"), or the user acted as.',
		displayOptions: { show: byMethod },
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'userId' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Query Parameters',
		name: 'queryParameters',
		type: 'fixedCollection',
		typeOptions: { multipleValues: true },
		placeholder: 'Add Query Parameter',
		default: {},
		description:
			'Query parameters of the method, e.g. "q" or "maxResults"; add a repeated one (labelIds) once per value',
		displayOptions: { show },
		options: [
			{
				displayName: 'Parameter',
				name: 'parameter',
				values: [
					{ displayName: 'Name', name: 'name', type: 'string', default: '', placeholder: 'q' },
					{ displayName: 'Value', name: 'value', type: 'string', default: '' },
				],
			},
		],
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '{}',
		description: "The request body, as Google's reference for the method describes it",
		displayOptions: {
			show: { ...byMethod, apiMethod: API_METHODS.filter((m) => m.request).map((m) => m.id) },
		},
	},
	{
		displayName: 'Body (JSON)',
		name: 'body',
		type: 'json',
		default: '',
		description: 'The request body, if the call takes one',
		displayOptions: { show: { ...byPath, httpMethod: ['POST', 'PUT', 'PATCH'] } },
	},
	{
		displayName: 'Act as a Workspace User',
		name: 'impersonate',
		type: 'boolean',
		default: false,
		description:
			"Whether to call as another user of the Workspace domain, through the service account with domain-wide delegation (as the admin cards do), instead of as the credential's account",
		displayOptions: { show },
	},
	...adminFields('customApi', ['call'], 'The Workspace user to act as').map((p) => ({
		...p,
		displayOptions: { show: { ...p.displayOptions?.show, impersonate: [true] } },
	})),
	{
		displayName: 'Options',
		name: 'options',
		type: 'collection',
		placeholder: 'Add Option',
		default: {},
		displayOptions: { show },
		options: [
			{
				displayName: 'Scopes to Request',
				name: 'impersonationScopes',
				type: 'string',
				default: '',
				description:
					"When acting as a user: the scopes to ask the service account for (separated by spaces or commas). Default: the narrowest scope that allows the method. They must be authorized for the service account's client ID in the Admin console.",
			},
		],
	},
];

// POSTs that create or send: repeated only when Google refused them for rate (never after a lost answer)
const IDEMPOTENT_POST =
	/\.(modify|batchModify|batchDelete|trash|untrash|stop|watch|enable|disable)$/;
const NO_RETRY_AFTER_LOSS: RetryPolicy = { ...DEFAULT_RETRY, safeToRetry: async () => false };

interface KeyValue {
	name?: unknown;
	value?: unknown;
}

/** Name/value rows of a fixedCollection, names trimmed, empty rows dropped. */
function rows(ctx: IExecuteFunctions, i: number, name: string, label: string) {
	const raw = rawParam(ctx, `${name}.parameter`, i, []);
	if (!Array.isArray(raw))
		throw paramError(ctx, label, 'must be a list of name/value pairs', i, raw);
	return (raw as KeyValue[])
		.map((r) => ({
			name: String(r?.name ?? '').trim(),
			value: typeof r?.value === 'string' ? r.value : r?.value == null ? '' : r.value,
		}))
		.filter((r) => r.name || r.value !== '');
}

/** Query parameters checked against the method's (name, type, repeated, enum), or passed as given. */
function readQuery(ctx: IExecuteFunctions, i: number, method: ApiMethod | undefined): IDataObject {
	const label = 'Query Parameters';
	const qs: Record<string, string | string[]> = {};
	for (const { name, value } of rows(ctx, i, 'queryParameters', label)) {
		if (!name) throw paramError(ctx, label, 'has a value without a name', i, value);
		const text = typeof value === 'string' ? value : JSON.stringify(value);
		const spec = method?.query.find((q) => q.key === name);
		if (method && !spec && name !== 'fields') {
			const known = [...method.query.map((q) => q.key), 'fields'].join(', ');
			throw paramError(
				ctx,
				label,
				`has "${name}", which ${shortId(method.id)} does not take (it takes ${known})`,
				i,
			);
		}
		if (spec?.type === 'integer' && !/^-?\d+$/.test(text.trim()))
			throw paramError(ctx, label, `"${name}" must be a whole number`, i, value);
		if (spec?.type === 'boolean' && !/^(true|false)$/i.test(text.trim()))
			throw paramError(ctx, label, `"${name}" must be true or false`, i, value);
		if (spec?.enum && !spec.enum.includes(text.trim()))
			throw paramError(ctx, label, `"${name}" must be one of ${spec.enum.join(', ')}`, i, value);
		const v = spec && spec.type !== 'string' ? text.trim().toLowerCase() : text;
		if (qs[name] === undefined) qs[name] = spec?.repeated ? [v] : v;
		else if (spec?.repeated || !method) qs[name] = [...[qs[name]].flat(), v];
		else throw paramError(ctx, label, `has "${name}" twice, and it takes one value`, i);
	}
	return qs;
}

/** The JSON body: parsed, an object, and (for a known method) only the fields of its request schema. */
function readBody(
	ctx: IExecuteFunctions,
	i: number,
	method: ApiMethod | undefined,
	httpMethod: string,
): IDataObject | undefined {
	const label = 'Body (JSON)';
	// the field is shown (and n8n reads it) only for calls that take a body
	const shown = method ? !!method.request : ['POST', 'PUT', 'PATCH'].includes(httpMethod);
	if (!shown) return undefined;
	const raw = rawParam(ctx, 'body', i, '');
	let body: unknown = raw;
	if (typeof raw === 'string') {
		if (!raw.trim() || (raw.trim() === '{}' && !method)) return undefined;
		try {
			body = JSON.parse(raw);
		} catch (error) {
			throw paramError(ctx, label, `is not valid JSON (${(error as Error).message})`, i, raw);
		}
	}
	if (body === undefined || body === null) return undefined;
	if (typeof body !== 'object' || Array.isArray(body))
		throw paramError(ctx, label, 'must be a JSON object', i, body);
	if (method?.requestFields) {
		const unknown = Object.keys(body).filter((k) => !method.requestFields!.includes(k));
		if (unknown.length)
			throw paramError(
				ctx,
				label,
				`has ${unknown.map((k) => `"${k}"`).join(', ')}, which Google's ${method.request} does not have (its fields: ${method.requestFields.join(', ')})`,
				i,
			);
	}
	return body as IDataObject;
}

/** What the call is: method, filled path, query, body. */
function planCall(ctx: IExecuteFunctions, i: number, actingAs: string | undefined) {
	const mode = readOption(ctx, i, 'mode', 'Call By', ['method', 'path'] as const, 'method');
	if (mode === 'path') {
		const httpMethod = readOption(ctx, i, 'httpMethod', 'HTTP Method', HTTP_METHODS, 'GET');
		const typed = readText(ctx, i, 'path', 'Path', { singleLine: true });
		const problem = pathProblem(typed);
		if (problem) throw paramError(ctx, 'Path', problem, i, typed);
		const path = normalPath(typed);
		const matched = matchPath(httpMethod, path);
		const userId = matched?.params.userId ?? decodeURIComponent(path.split('/')[3] ?? '');
		return {
			method: matched?.method,
			httpMethod,
			path,
			userId,
			qs: readQuery(ctx, i, matched?.method),
			body: readBody(ctx, i, matched?.method, httpMethod),
		};
	}
	const id = readText(ctx, i, 'apiMethod', 'Method', { required: true });
	const method = METHODS_BY_ID.get(id) ?? METHODS_BY_ID.get(`gmail.users.${id}`);
	if (!method)
		throw paramError(ctx, 'Method', 'is not a Gmail API method (e.g. messages.list)', i, id);
	const label = 'Path Parameters';
	const params: Record<string, string> = {};
	for (const { name, value } of rows(ctx, i, 'pathParameters', label)) {
		if (!method.pathParams.includes(name))
			throw paramError(
				ctx,
				label,
				`has "${name}", which is not in ${method.path} (its parameters: ${method.pathParams.join(', ')})`,
				i,
			);
		params[name] = String(value).trim();
	}
	params.userId ||= actingAs ?? 'me';
	const missing = method.pathParams.filter((p) => !params[p]);
	if (missing.length)
		throw paramError(
			ctx,
			label,
			`needs ${missing.map((p) => `"${p}"`).join(', ')} for ${method.path}`,
			i,
		);
	let path: string;
	try {
		path = fillPath(method, params);
	} catch (error) {
		throw paramError(ctx, label, (error as Error).message, i);
	}
	return {
		method,
		httpMethod: method.httpMethod as IHttpRequestMethods,
		path,
		userId: params.userId,
		qs: readQuery(ctx, i, method),
		body: readBody(ctx, i, method, method.httpMethod),
	};
}

/** The scopes the connection holds (empty = unknown: a refresh-token credential does not say). */
async function grantedScopes(ctx: IExecuteFunctions): Promise<string[]> {
	const creds = await ctx.getCredentials(credentialType(ctx));
	if (authentication(ctx) === 'serviceAccount') return serviceAccountUserScopes(creds);
	const token = (creds.oauthTokenData ?? {}) as IDataObject;
	return splitScopes(String(token.scope ?? creds.scope ?? ''));
}

/** Custom API Call: one Gmail API call per item, through the package's transport. */
export async function execute(
	this: IExecuteFunctions,
	items: INodeExecutionData[],
): Promise<INodeExecutionData[]> {
	let granted: Promise<string[]> | undefined;
	return await forEachItem(this, items, async (i) => {
		const impersonate = readBoolean(this, i, 'impersonate', 'Act as a Workspace User');
		const actingAs = impersonate
			? readText(this, i, 'userEmail', 'User Email', { required: true })
			: undefined;
		const call = planCall(this, i, actingAs);
		const typedScopes = splitScopes(
			readText(this, i, 'options.impersonationScopes', 'Scopes to Request'),
		);
		let scopes: string[];
		let route: ScopeRoute;
		if (impersonate) {
			route = 'impersonation';
			scopes = typedScopes.length ? typedScopes : call.method ? [narrowestScope(call.method)] : [];
			if (!scopes.length)
				throw paramError(
					this,
					'Scopes to Request',
					`is needed to act as a user on a path that matches no Gmail API method (${call.httpMethod} ${call.path})`,
					i,
				);
		} else {
			route = authentication(this) === 'serviceAccount' ? 'serviceAccount' : 'oAuth2';
			scopes = await (granted ??= grantedScopes(this));
		}
		// refused before any request: the scope the method needs and the scope set that grants it
		const refusal = call.method && scopes.length && scopeRefusal(call.method, scopes, route);
		if (refusal) throw paramError(this, 'Method', refusal, i);
		const as = impersonate ? await adminTarget(this, i, scopes) : undefined;
		const unsafe =
			call.httpMethod === 'POST' && !(call.method && IDEMPOTENT_POST.test(call.method.id));
		const answer = await gmailCustomRequest<unknown>(
			this,
			{
				method: call.httpMethod,
				path: call.path,
				userId: call.userId === 'me' && as ? as.user : call.userId,
				units: (plan) => unitsFor(plan, call.method),
			},
			{
				qs: call.qs,
				body: call.body,
				itemIndex: i,
				as,
				retry: unsafe ? NO_RETRY_AFTER_LOSS : undefined,
			},
		);
		if (answer === undefined || answer === null || answer === '') return {};
		if (typeof answer === 'object' && !Array.isArray(answer)) return answer as IDataObject;
		if (typeof answer === 'object') return { data: answer } as IDataObject;
		// not JSON: handed on as a file
		const binary = await this.helpers.prepareBinaryData(
			Buffer.from(String(answer), 'utf8'),
			'response.txt',
			'text/plain',
		);
		return [{ json: {}, binary: { data: binary } }];
	});
}
