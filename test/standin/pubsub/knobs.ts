/**
 * Pub/Sub test knobs under /__standin/pubsub (loopback tooling; the package never calls them), and the same
 * operations for in-process tests. README "Pub/Sub".
 */
import { badRequest } from '../core/errors';
import type { Route, Standin } from '../core/standin';
import { pubsubState, type ProjectSettings, type PubsubKnobs } from './state';

const open = (id: string, method: string, path: string, handler: Route['handler']): Route => ({
	id: `standin.pubsub.${id}`,
	host: '*',
	method,
	paths: [`/__standin/pubsub${path}`],
	auth: 'none',
	handler,
});

const num = (v: unknown, name: string, max = Infinity) => {
	if (typeof v !== 'number' || !Number.isFinite(v) || v < 0 || v > max) throw badRequest(`${name} must be a number from 0 to ${max}`);
	return v;
};

/** Change some knobs; returns them all. */
export function setPubsubKnobs(s: Standin, b: Partial<PubsubKnobs>): PubsubKnobs {
	const k = { ...pubsubState(s).knobs };
	if (b.dropShare !== undefined) k.dropShare = num(b.dropShare, 'dropShare', 1);
	if (b.delayMs !== undefined) k.delayMs = num(b.delayMs, 'delayMs');
	if (b.pullWaitMs !== undefined) k.pullWaitMs = num(b.pullWaitMs, 'pullWaitMs', 600_000);
	if (b.ackDeadlineSeconds !== undefined) k.ackDeadlineSeconds = b.ackDeadlineSeconds === null ? null : num(b.ackDeadlineSeconds, 'ackDeadlineSeconds', 600);
	return (pubsubState(s).knobs = k);
}

const FLAGS = ['apiDisabled', 'editorDenied', 'adminDenied', 'orgPolicy'] as const;

/** Per-project setup failures; a project unknown to the directory is added (projectNumber optional). */
export function setProjectSettings(s: Standin, projectId: string, b: ProjectSettings & { projectNumber?: string }): ProjectSettings {
	if (!/^[a-z][a-z0-9-]{4,28}[a-z0-9]$/.test(projectId ?? '')) throw badRequest('projectId must be a Cloud project id');
	if (!s.directory.projects.has(projectId)) {
		const n = b.projectNumber ?? String(100000000000 + s.directory.projects.size * 7919);
		s.directory.projects.set(projectId, { projectId, projectNumber: n, name: projectId, members: [] });
	}
	const st = pubsubState(s);
	const next: ProjectSettings = { ...st.projects.get(projectId) };
	for (const f of FLAGS) {
		if (b[f] === undefined) continue;
		if (typeof b[f] !== 'boolean') throw badRequest(`${f} must be true or false`);
		next[f] = b[f];
	}
	st.projects.set(projectId, next);
	return next;
}

/** Make a user's watch run out now (as if `expiration` had passed). */
export function lapseWatch(s: Standin, user: string): boolean {
	const w = pubsubState(s).watches.get(String(user ?? '').toLowerCase());
	if (w) w.expiration = Math.min(w.expiration, s.tokens.now());
	return !!w;
}

export function pubsubKnobRoutes(): Route[] {
	return [
		open('state', 'GET', '', (ctx) => ({ body: pubsubState(ctx.standin).snapshot() })),
		open('knobs', 'POST', '/knobs', (ctx) => ({ body: setPubsubKnobs(ctx.standin, ctx.json()) })),
		open('projects', 'POST', '/projects', (ctx) => {
			const b = ctx.json<ProjectSettings & { projectId: string; projectNumber?: string }>();
			return { body: { projectId: b.projectId, ...setProjectSettings(ctx.standin, b.projectId, b) } };
		}),
		open('lapse', 'POST', '/lapse', (ctx) => {
			const { user } = ctx.json<{ user?: string }>();
			if (!user) throw badRequest('user is required');
			return { body: { user: user.toLowerCase(), lapsed: lapseWatch(ctx.standin, user) } };
		}),
	];
}
