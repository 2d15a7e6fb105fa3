import { GoogleError, badRequest, notFound } from '../core/errors';
import type { Route } from '../core/standin';
import { API, mailboxFor, route } from './common';
import { SYSTEM_LABELS, changeLabels, type Label, type Mailbox } from './store';

const VISIBILITY_MESSAGE = ['show', 'hide'];
const VISIBILITY_LABEL = ['labelShow', 'labelShowIfUnread', 'labelHide'];

/** Gmail's per-label counters (labels.get only; labels.list leaves them out). */
export function labelCounts(mb: Mailbox, id: string) {
	const withLabel = [...mb.messages.values()].filter((m) => m.labelIds.includes(id));
	const unread = withLabel.filter((m) => m.labelIds.includes('UNREAD'));
	return {
		messagesTotal: withLabel.length,
		messagesUnread: unread.length,
		threadsTotal: new Set(withLabel.map((m) => m.threadId)).size,
		threadsUnread: new Set(unread.map((m) => m.threadId)).size,
	};
}

function getLabel(mb: Mailbox, id: string): Label {
	const l = mb.labels.get(id);
	if (!l) throw notFound();
	return l;
}

/** Validate and apply label fields from a create / update / patch body. */
function applyFields(mb: Mailbox, label: Label, body: Partial<Label>, requireName: boolean) {
	if (body.name !== undefined || requireName) {
		const name = String(body.name ?? '').trim();
		if (!name) throw badRequest('Invalid label name');
		if (SYSTEM_LABELS.some((s) => s.id.toLowerCase() === name.toLowerCase())) throw badRequest('Invalid label name');
		const clash = [...mb.labels.values()].find((l) => l.id !== label.id && l.name.toLowerCase() === name.toLowerCase());
		if (clash) throw new GoogleError(409, 'Label name exists or conflicts', 'duplicate', 'global', {}, 'ALREADY_EXISTS');
		label.name = name;
	}
	if (body.messageListVisibility !== undefined) {
		if (!VISIBILITY_MESSAGE.includes(body.messageListVisibility)) throw badRequest(`Invalid value at 'label.message_list_visibility', "${body.messageListVisibility}"`);
		label.messageListVisibility = body.messageListVisibility;
	}
	if (body.labelListVisibility !== undefined) {
		if (!VISIBILITY_LABEL.includes(body.labelListVisibility)) throw badRequest(`Invalid value at 'label.label_list_visibility', "${body.labelListVisibility}"`);
		label.labelListVisibility = body.labelListVisibility;
	}
	if (body.color !== undefined) label.color = body.color;
}

export function labelRoutes(): Route[] {
	return [
		route('gmail.users.labels.list', 'GET', [`${API}/labels`], 1, (ctx) => {
			const mb = mailboxFor(ctx);
			return { body: { labels: [...mb.labels.values()].map((l) => ({ ...l })) } };
		}),
		route('gmail.users.labels.get', 'GET', [`${API}/labels/{id}`], 1, (ctx) => {
			const mb = mailboxFor(ctx);
			const l = getLabel(mb, ctx.params.id);
			return { body: { ...l, ...labelCounts(mb, l.id) } };
		}),
		route('gmail.users.labels.create', 'POST', [`${API}/labels`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const label: Label = { id: `Label_${mb.nextUserLabel}`, name: '', type: 'user' };
			applyFields(mb, label, ctx.json<Partial<Label>>(), true);
			mb.nextUserLabel++;
			mb.labels.set(label.id, label);
			return { body: { ...label } };
		}),
		route('gmail.users.labels.update', 'PUT', [`${API}/labels/{id}`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const l = getLabel(mb, ctx.params.id);
			if (l.type === 'system') throw badRequest('Invalid update request');
			const next: Label = { id: l.id, name: l.name, type: 'user' };
			applyFields(mb, next, ctx.json<Partial<Label>>(), true);
			mb.labels.set(l.id, next);
			return { body: { ...next } };
		}),
		route('gmail.users.labels.patch', 'PATCH', [`${API}/labels/{id}`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const l = getLabel(mb, ctx.params.id);
			if (l.type === 'system') throw badRequest('Invalid update request');
			const next = { ...l };
			applyFields(mb, next, ctx.json<Partial<Label>>(), false);
			mb.labels.set(l.id, next);
			return { body: { ...next } };
		}),
		route('gmail.users.labels.delete', 'DELETE', [`${API}/labels/{id}`], 5, (ctx) => {
			const mb = mailboxFor(ctx);
			const l = getLabel(mb, ctx.params.id);
			if (l.type === 'system') throw badRequest('Invalid delete request');
			for (const m of mb.messages.values()) if (m.labelIds.includes(l.id)) changeLabels(mb, m, [], [l.id]);
			mb.labels.delete(l.id);
			return { status: 204 };
		}),
	];
}
