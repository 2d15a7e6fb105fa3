import { GoogleError } from '../core/errors';

/**
 * Cloud Pub/Sub v1's JSON errors: `{"error": {"code", "message", "status", "details"?}}`, without the `errors`
 * array the older Gmail-style envelope carries. README "Pub/Sub" lists each message and where it comes from.
 */
export class PubsubError extends GoogleError {
	constructor(
		code: number,
		message: string,
		status: string,
		reason: string,
		readonly details: Record<string, unknown>[] = [],
		headers: Record<string, string> = {},
	) {
		super(code, message, reason, 'global', headers, status);
	}

	/** Typed as the base envelope (dispatch only serialises it); there is no `errors` array. */
	override body(): ReturnType<GoogleError['body']> {
		const error = { code: this.code, message: this.message, status: this.status, ...(this.details.length ? { details: this.details } : {}) };
		return { error } as unknown as ReturnType<GoogleError['body']>;
	}
}

const errorInfo = (reason: string, domain: string, metadata: Record<string, string>) => ({
	'@type': 'type.googleapis.com/google.rpc.ErrorInfo',
	reason,
	domain,
	metadata,
});

/** The last segment of a resource name: Pub/Sub's messages name the resource by its id. */
const shortName = (name: string) => name.slice(name.lastIndexOf('/') + 1);

export const resourceNotFound = (name: string) => new PubsubError(404, `Resource not found (resource=${shortName(name)}).`, 'NOT_FOUND', 'notFound');

export const resourceExists = (name: string) =>
	new PubsubError(409, `Resource already exists in the project (resource=${shortName(name)}).`, 'ALREADY_EXISTS', 'alreadyExists');

export const notAuthorized = () => new PubsubError(403, 'User not authorized to perform this action.', 'PERMISSION_DENIED', 'forbidden');

export const invalidArgument = (message: string) => new PubsubError(400, message, 'INVALID_ARGUMENT', 'badRequest');

export const projectNotFound = (projectId: string) =>
	new PubsubError(
		404,
		`Requested project not found or user does not have access to it (project=${projectId}). Make sure to specify the unique project identifier and not the Google Cloud Console display name.`,
		'NOT_FOUND',
		'notFound',
	);

/** setIamPolicy with an etag that is no longer the policy's. */
export const concurrentPolicyChange = () =>
	new PubsubError(409, 'There were concurrent policy changes. Please retry the whole read-modify-write with exponential backoff.', 'ABORTED', 'aborted');

/** Domain restricted sharing (constraints/iam.allowedPolicyMemberDomains) refusing a member in setIamPolicy. */
export const orgPolicyViolation = () =>
	new PubsubError(
		400,
		'One or more users named in the policy do not belong to a permitted customer, perhaps due to an organization policy.',
		'FAILED_PRECONDITION',
		'failedPrecondition',
	);

/** The API is not enabled in the calling (consumer) project. */
export function serviceDisabled(projectNumber: string) {
	const url = `https://console.developers.google.com/apis/api/pubsub.googleapis.com/overview?project=${projectNumber}`;
	const message =
		`Cloud Pub/Sub API has not been used in project ${projectNumber} before or it is disabled. Enable it by visiting ${url} then retry. ` +
		'If you enabled this API recently, wait a few minutes for the action to propagate to our systems and retry.';
	return new PubsubError(403, message, 'PERMISSION_DENIED', 'SERVICE_DISABLED', [
		errorInfo('SERVICE_DISABLED', 'googleapis.com', {
			consumer: `projects/${projectNumber}`,
			service: 'pubsub.googleapis.com',
			activationUrl: url,
			serviceTitle: 'Cloud Pub/Sub API',
			containerInfo: projectNumber,
		}),
		{ '@type': 'type.googleapis.com/google.rpc.LocalizedMessage', locale: 'en-US', message },
		{ '@type': 'type.googleapis.com/google.rpc.Help', links: [{ description: 'Google developers console API activation', url }] },
	]);
}

/** A token without the pubsub or cloud-platform scope. */
export const pubsubInsufficientScope = (method: string, scopes: string[]) =>
	new PubsubError(
		403,
		'Request had insufficient authentication scopes.',
		'PERMISSION_DENIED',
		'ACCESS_TOKEN_SCOPE_INSUFFICIENT',
		[errorInfo('ACCESS_TOKEN_SCOPE_INSUFFICIENT', 'googleapis.com', { service: 'pubsub.googleapis.com', method })],
		{ 'www-authenticate': `Bearer realm="https://accounts.google.com/", error="insufficient_scope", scope="${scopes.join(' ')}"` },
	);
