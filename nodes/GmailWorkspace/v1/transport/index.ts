import type {
	IDataObject,
	IExecuteFunctions,
	IHttpRequestMethods,
	IHttpRequestOptions,
	ILoadOptionsFunctions,
	JsonObject,
} from 'n8n-workflow';
import { NodeApiError } from 'n8n-workflow';

import { GMAIL_METHODS, gmailPath, type GmailMethodId } from './methods';

export const CREDENTIAL_TYPE = 'gmailWorkspaceOAuth2Api';
export const GMAIL_ROOT = 'https://gmail.googleapis.com/';

type Context = IExecuteFunctions | ILoadOptionsFunctions;

export interface GmailCall {
	/** Path parameters; userId defaults to "me" (the connected account). */
	params?: Record<string, string>;
	qs?: IDataObject;
	body?: IDataObject;
	itemIndex?: number;
}

/**
 * Call one Gmail API method through n8n's authenticated helper, so n8n attaches the stored
 * OAuth2 token and refreshes it (for every workflow sharing the credential) when Google answers 401.
 */
export async function gmailApiRequest<T = IDataObject>(
	this: Context,
	id: GmailMethodId,
	call: GmailCall = {},
): Promise<T> {
	const options: IHttpRequestOptions = {
		method: GMAIL_METHODS[id].method as IHttpRequestMethods,
		url: GMAIL_ROOT + gmailPath(id, { userId: 'me', ...call.params }),
		qs: call.qs,
		body: call.body,
		json: true,
	};
	try {
		return (await this.helpers.httpRequestWithAuthentication.call(this, CREDENTIAL_TYPE, options)) as T;
	} catch (error) {
		throw new NodeApiError(this.getNode(), error as JsonObject, {
			message: googleErrorMessage(error) ?? `Gmail API call ${id} failed`,
			itemIndex: call.itemIndex,
		});
	}
}

/** Google's own message from an error body {error:{code,message,errors:[…]}} when there is one. */
export function googleErrorMessage(error: unknown): string | undefined {
	const e = error as { response?: { data?: unknown }; cause?: { response?: { data?: unknown } } };
	const data = (e?.response?.data ?? e?.cause?.response?.data) as { error?: { message?: string } } | undefined;
	return typeof data?.error?.message === 'string' ? data.error.message : undefined;
}
