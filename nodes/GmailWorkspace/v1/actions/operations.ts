import * as autoReply from './autoReply';
import * as connection from './connection';
import * as customApi from './customApi';
import * as delegate from './delegate';
import * as draft from './draft';
import * as forwarding from './forwarding';
import * as label from './label';
import * as message from './message';
import type { OperationMap } from './node.type';
import * as sendAs from './sendAs';
import * as thread from './thread';
import * as userSettings from './userSettings';

/**
 * Every resource and operation the node offers. Each card has its own folder
 * (actions/<resource>/<operation>.operation.ts) and is listed here and in versionDescription.
 */
export const operations: OperationMap = {
	autoReply: { set: autoReply.set },
	connection: { check: connection.check },
	customApi: { call: customApi.call },
	delegate: { add: delegate.add, delete: delegate.delete, list: delegate.list },
	draft: {
		create: draft.create,
		delete: draft.delete,
		get: draft.get,
		list: draft.list,
		send: draft.send,
		update: draft.update,
	},
	forwarding: { forwardEmails: forwarding.forwardEmails },
	label: { create: label.create, delete: label.delete, list: label.list, update: label.update },
	message: {
		read: message.read,
		search: message.search,
		send: message.send,
		sendWithAttachment: message.sendWithAttachment,
		reply: message.reply,
		forward: message.forward,
		addLabels: message.addLabels,
		removeLabels: message.removeLabels,
		markAsRead: message.markAsRead,
		markAsUnread: message.markAsUnread,
		archive: message.archive,
		moveToTrash: message.moveToTrash,
		restoreFromTrash: message.restoreFromTrash,
		deletePermanently: message.deletePermanently,
	},
	sendAs: { add: sendAs.add, delete: sendAs.delete },
	thread: {
		addLabels: thread.addLabels,
		removeLabels: thread.removeLabels,
		trash: thread.trash,
		untrash: thread.untrash,
		get: thread.get,
		search: thread.search,
		reply: thread.reply,
	},
	userSettings: { update: userSettings.update },
};
