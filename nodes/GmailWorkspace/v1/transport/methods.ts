/**
 * The Gmail API v1 methods this package calls, keyed by their id in Google's discovery document.
 * Paths are the discovery templates below https://gmail.googleapis.com/. The stand-in's fidelity
 * test checks every entry against the discovery document and against what the stand-in serves.
 */
export const GMAIL_METHODS = {
	'gmail.users.getProfile': { method: 'GET', path: 'gmail/v1/users/{userId}/profile' },
	'gmail.users.history.list': { method: 'GET', path: 'gmail/v1/users/{userId}/history' },
	'gmail.users.watch': { method: 'POST', path: 'gmail/v1/users/{userId}/watch' },
	'gmail.users.stop': { method: 'POST', path: 'gmail/v1/users/{userId}/stop' },
	'gmail.users.labels.list': { method: 'GET', path: 'gmail/v1/users/{userId}/labels' },
	'gmail.users.messages.list': { method: 'GET', path: 'gmail/v1/users/{userId}/messages' },
	'gmail.users.messages.get': { method: 'GET', path: 'gmail/v1/users/{userId}/messages/{id}' },
	'gmail.users.messages.attachments.get': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/messages/{messageId}/attachments/{id}',
	},
	'gmail.users.messages.send': { method: 'POST', path: 'gmail/v1/users/{userId}/messages/send' },
	'gmail.users.settings.sendAs.list': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/sendAs',
	},
	'gmail.users.settings.sendAs.create': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/settings/sendAs',
	},
	'gmail.users.settings.sendAs.get': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/sendAs/{sendAsEmail}',
	},
	'gmail.users.settings.sendAs.delete': {
		method: 'DELETE',
		path: 'gmail/v1/users/{userId}/settings/sendAs/{sendAsEmail}',
	},
	'gmail.users.settings.sendAs.patch': {
		method: 'PATCH',
		path: 'gmail/v1/users/{userId}/settings/sendAs/{sendAsEmail}',
	},
	'gmail.users.settings.delegates.create': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/settings/delegates',
	},
	'gmail.users.settings.delegates.list': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/delegates',
	},
	'gmail.users.settings.delegates.get': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/delegates/{delegateEmail}',
	},
	'gmail.users.settings.delegates.delete': {
		method: 'DELETE',
		path: 'gmail/v1/users/{userId}/settings/delegates/{delegateEmail}',
	},
	'gmail.users.settings.forwardingAddresses.create': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/settings/forwardingAddresses',
	},
	'gmail.users.settings.forwardingAddresses.get': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/forwardingAddresses/{forwardingEmail}',
	},
	'gmail.users.settings.getAutoForwarding': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/autoForwarding',
	},
	'gmail.users.settings.updateAutoForwarding': {
		method: 'PUT',
		path: 'gmail/v1/users/{userId}/settings/autoForwarding',
	},
	'gmail.users.settings.getVacation': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/vacation',
	},
	'gmail.users.settings.updateVacation': {
		method: 'PUT',
		path: 'gmail/v1/users/{userId}/settings/vacation',
	},
	'gmail.users.settings.getImap': { method: 'GET', path: 'gmail/v1/users/{userId}/settings/imap' },
	'gmail.users.settings.updateImap': {
		method: 'PUT',
		path: 'gmail/v1/users/{userId}/settings/imap',
	},
	'gmail.users.settings.getPop': { method: 'GET', path: 'gmail/v1/users/{userId}/settings/pop' },
	'gmail.users.settings.updatePop': { method: 'PUT', path: 'gmail/v1/users/{userId}/settings/pop' },
	'gmail.users.settings.getLanguage': {
		method: 'GET',
		path: 'gmail/v1/users/{userId}/settings/language',
	},
	'gmail.users.settings.updateLanguage': {
		method: 'PUT',
		path: 'gmail/v1/users/{userId}/settings/language',
	},
	'gmail.users.drafts.create': { method: 'POST', path: 'gmail/v1/users/{userId}/drafts' },
	'gmail.users.drafts.delete': { method: 'DELETE', path: 'gmail/v1/users/{userId}/drafts/{id}' },
	'gmail.users.drafts.get': { method: 'GET', path: 'gmail/v1/users/{userId}/drafts/{id}' },
	'gmail.users.drafts.list': { method: 'GET', path: 'gmail/v1/users/{userId}/drafts' },
	'gmail.users.drafts.send': { method: 'POST', path: 'gmail/v1/users/{userId}/drafts/send' },
	'gmail.users.drafts.update': { method: 'PUT', path: 'gmail/v1/users/{userId}/drafts/{id}' },
	'gmail.users.labels.create': { method: 'POST', path: 'gmail/v1/users/{userId}/labels' },
	'gmail.users.labels.delete': { method: 'DELETE', path: 'gmail/v1/users/{userId}/labels/{id}' },
	'gmail.users.labels.get': { method: 'GET', path: 'gmail/v1/users/{userId}/labels/{id}' },
	'gmail.users.labels.patch': { method: 'PATCH', path: 'gmail/v1/users/{userId}/labels/{id}' },
	'gmail.users.labels.update': { method: 'PUT', path: 'gmail/v1/users/{userId}/labels/{id}' },
	'gmail.users.messages.batchDelete': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/messages/batchDelete',
	},
	'gmail.users.messages.batchModify': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/messages/batchModify',
	},
	'gmail.users.messages.delete': {
		method: 'DELETE',
		path: 'gmail/v1/users/{userId}/messages/{id}',
	},
	'gmail.users.messages.modify': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/messages/{id}/modify',
	},
	'gmail.users.messages.trash': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/messages/{id}/trash',
	},
	'gmail.users.messages.untrash': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/messages/{id}/untrash',
	},
	'gmail.users.threads.delete': { method: 'DELETE', path: 'gmail/v1/users/{userId}/threads/{id}' },
	'gmail.users.threads.get': { method: 'GET', path: 'gmail/v1/users/{userId}/threads/{id}' },
	'gmail.users.threads.list': { method: 'GET', path: 'gmail/v1/users/{userId}/threads' },
	'gmail.users.threads.modify': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/threads/{id}/modify',
	},
	'gmail.users.threads.trash': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/threads/{id}/trash',
	},
	'gmail.users.threads.untrash': {
		method: 'POST',
		path: 'gmail/v1/users/{userId}/threads/{id}/untrash',
	},
} as const;

export type GmailMethodId = keyof typeof GMAIL_METHODS;

/**
 * Fill a discovery path template; every parameter is URL-encoded as one path segment ("/", "?", "#" and
 * "%" included). "." and ".." cannot be one segment (URL parsers resolve them, encoded or not): refused.
 */
export function gmailPath(id: GmailMethodId, params: Record<string, string>): string {
	return GMAIL_METHODS[id].path.replace(/\{(\w+)\}/g, (_, name: string) => {
		const value = params[name];
		if (value === undefined || value === '')
			throw new Error(`Missing path parameter "${name}" for ${id}`);
		if (value === '.' || value === '..') throw new Error(`"${value}" is not a valid ${name}`);
		return encodeURIComponent(value);
	});
}
