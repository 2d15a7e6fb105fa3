import * as autoReply from './autoReply';
import * as connection from './connection';
import * as delegate from './delegate';
import * as forwarding from './forwarding';
import * as message from './message';
import type { OperationMap } from './node.type';
import * as sendAs from './sendAs';
import * as userSettings from './userSettings';

/**
 * Every resource and operation the node offers. Each card has its own folder
 * (actions/<resource>/<operation>.operation.ts) and is listed here and in versionDescription.
 */
export const operations: OperationMap = {
	autoReply: { set: autoReply.set },
	connection: { check: connection.check },
	delegate: { add: delegate.add, delete: delegate.delete, list: delegate.list },
	forwarding: { forwardEmails: forwarding.forwardEmails },
	message: {
		read: message.read,
		search: message.search,
		send: message.send,
		sendWithAttachment: message.sendWithAttachment,
	},
	sendAs: { add: sendAs.add, delete: sendAs.delete },
	userSettings: { update: userSettings.update },
};
