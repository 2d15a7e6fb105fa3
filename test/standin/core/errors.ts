/**
 * Google's JSON error envelope, as every googleapis.com API returns it:
 * {"error":{"code":404,"message":"...","errors":[{"domain":"global","reason":"notFound","message":"..."}],"status":"NOT_FOUND"}}
 */
const STATUS_BY_CODE: Record<number, string> = {
	400: 'INVALID_ARGUMENT',
	401: 'UNAUTHENTICATED',
	403: 'PERMISSION_DENIED',
	404: 'NOT_FOUND',
	409: 'ALREADY_EXISTS',
	412: 'FAILED_PRECONDITION',
	413: 'INVALID_ARGUMENT',
	429: 'RESOURCE_EXHAUSTED',
	500: 'INTERNAL',
	503: 'UNAVAILABLE',
};

export class GoogleError extends Error {
	constructor(
		readonly code: number,
		message: string,
		readonly reason: string,
		readonly domain = 'global',
		readonly headers: Record<string, string> = {},
		readonly status = STATUS_BY_CODE[code] ?? 'UNKNOWN',
	) {
		super(message);
	}

	body() {
		return {
			error: {
				code: this.code,
				message: this.message,
				errors: [{ message: this.message, domain: this.domain, reason: this.reason }],
				status: this.status,
			},
		};
	}
}

export const badRequest = (message: string, reason = 'invalidArgument') =>
	new GoogleError(400, message, reason);
export const notFound = (message = 'Requested entity was not found.') =>
	new GoogleError(404, message, 'notFound');
export const forbidden = (message: string, reason = 'forbidden') => new GoogleError(403, message, reason);
export const failedPrecondition = (message: string) =>
	new GoogleError(400, message, 'failedPrecondition', 'global', {}, 'FAILED_PRECONDITION');
export const alreadyExists = (message: string) => new GoogleError(409, message, 'duplicate');

export const unauthenticated = () =>
	new GoogleError(
		401,
		'Request had invalid authentication credentials. Expected OAuth 2 access token, login cookie or other valid authentication credential. See https://developers.google.com/identity/sign-in/web/devconsole-project.',
		'authError',
		'global',
		{ 'www-authenticate': 'Bearer realm="https://accounts.google.com/", error="invalid_token"' },
	);

export const insufficientScope = (required: string[]) =>
	new GoogleError(
		403,
		'Request had insufficient authentication scopes.',
		'insufficientPermissions',
		'global',
		{
			'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${required.join(' ')}"`,
		},
	);

/** OAuth2 token-endpoint errors have their own flat shape: {"error":"invalid_grant","error_description":"..."} */
export class OAuthError extends Error {
	constructor(
		readonly httpStatus: number,
		readonly error: string,
		readonly description: string,
		readonly subtype?: string,
	) {
		super(description);
	}
	body() {
		return {
			error: this.error,
			error_description: this.description,
			...(this.subtype ? { error_subtype: this.subtype } : {}),
		};
	}
}
