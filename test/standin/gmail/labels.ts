import { GoogleError, badRequest, notFound } from '../core/errors';
import { gmailDiscovery } from '../core/discovery';
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

/**
 * Gmail's label colour palette, read from the discovery document's LabelColor schema (Google's Label reference:
 * "Only the following predefined set of color values are allowed", the same list for backgroundColor and
 * textColor; "This field is required in order to set the color of a label", i.e. both together).
 */
export function labelPalette(): Set<string> {
	const props = (gmailDiscovery().doc.schemas.LabelColor as { properties: Record<string, { description: string }> }).properties;
	return new Set(props.backgroundColor.description.match(/#[0-9a-fA-F]{6}/g)!.map((c) => c.toLowerCase()));
}

/**
 * A label colour as Gmail takes it: both fields, each on the palette. Gmail's answer to an off-palette value is a bare
 * 400 that does not name the field (taylorwilsdon/google_workspace_mcp#1083); the wording here is ours.
 */
function checkColor(color: unknown): Label['color'] {
	if (color === null) return undefined;
	const c = color as { textColor?: unknown; backgroundColor?: unknown };
	if (typeof c !== 'object' || typeof c.textColor !== 'string' || typeof c.backgroundColor !== 'string') throw badRequest('Invalid label color');
	const palette = labelPalette();
	for (const v of [c.textColor, c.backgroundColor]) if (!palette.has(v.toLowerCase())) throw badRequest(`Label color ${v} is not on the allowed color palette`);
	return { textColor: c.textColor.toLowerCase(), backgroundColor: c.backgroundColor.toLowerCase() };
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
	if (body.color !== undefined) label.color = checkColor(body.color);
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
