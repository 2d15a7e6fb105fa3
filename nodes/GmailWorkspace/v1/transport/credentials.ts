import type {
	IExecuteFunctions,
	ILoadOptionsFunctions,
	IPollFunctions,
	ITriggerFunctions,
} from 'n8n-workflow';

/** The node's Authentication choices (parameter `authentication`). */
export type Authentication = 'oAuth2' | 'serviceAccount' | 'refreshToken';
export type Context =
	| IExecuteFunctions
	| ILoadOptionsFunctions
	| IPollFunctions
	| ITriggerFunctions;

export function authentication(ctx: Context): Authentication {
	// dropdowns (loadOptions) read the node's current parameters; executions read item 0's; a poll or
	// a trigger has no items
	const value =
		'getCurrentNodeParameter' in ctx
			? (ctx.getCurrentNodeParameter('authentication') as string | undefined)
			: 'getInputData' in ctx
				? (ctx.getNodeParameter('authentication', 0, 'oAuth2') as string)
				: (ctx.getNodeParameter('authentication', 'oAuth2') as string);
	return value === 'serviceAccount' || value === 'refreshToken' ? value : 'oAuth2';
}

/** The credential type an Authentication choice uses. */
export function credentialTypeOf(auth: Authentication): string {
	switch (auth) {
		case 'serviceAccount':
			return 'gmailWorkspaceServiceAccountApi';
		case 'refreshToken':
			return 'gmailWorkspaceRefreshTokenApi';
		default:
			return 'gmailWorkspaceOAuth2Api';
	}
}

export function credentialType(ctx: Context): string {
	return credentialTypeOf(authentication(ctx));
}

/** Id of the credential in use (quota and token caches are kept per credential). */
export function credentialId(ctx: Context): string {
	return ctx.getNode().credentials?.[credentialType(ctx)]?.id ?? 'unsaved';
}
