import { badRequest, notFound } from '../core/errors';
import type { Route, Standin } from '../core/standin';
import { serviceAccountKeyFile } from './service-account-key';

/** Auth test knobs under /__standin/ (loopback tooling; the package never calls them). See README "Auth, IAM and settings". */
export function authKnobRoutes(s: Standin): Route[] {
	const open = (id: string, method: string, path: string, handler: Route['handler']): Route => ({
		id: `standin.${id}`, host: '*', method, paths: [`/__standin/${path}`], auth: 'none', handler,
	});
	return [
		open('service-account-key', 'GET', 'service-account-key', (ctx) => ({
			body: serviceAccountKeyFile(s, { email: ctx.query.get('email') ?? undefined, tokenUri: ctx.query.get('token_uri') ?? undefined }),
		})),
		open('refresh-token', 'POST', 'refresh-token', (ctx) => {
			const { refresh_token, email, state } = ctx.json<{ refresh_token?: string; email?: string; state?: 'revoked' | 'rapt' | 'valid' }>();
			if (!state || !['revoked', 'rapt', 'valid'].includes(state)) throw badRequest('state must be revoked, rapt or valid');
			if (!refresh_token && !email) throw badRequest('give refresh_token or email');
			const hits = [...s.tokens.refresh.values()].filter((r) => r.refreshToken === refresh_token || (email && r.email === email.toLowerCase()));
			if (!hits.length) throw notFound('no such refresh token');
			for (const r of hits) r.revoked = state === 'valid' ? undefined : state;
			return { body: { updated: hits.length, state } };
		}),
		open('directory.users', 'POST', 'directory/users', (ctx) => {
			const { email, name, admin } = ctx.json<{ email?: string; name?: string; admin?: boolean }>();
			if (!email || !/^[^@\s]+@[^@\s]+$/.test(email)) throw badRequest('email required');
			const lower = email.toLowerCase();
			const domain = lower.split('@')[1];
			const hostedDomain = domain === 'gmail.com' || domain === 'googlemail.com' ? undefined : domain;
			s.directory.users.set(lower, { email: lower, name: name ?? lower.split('@')[0], hostedDomain, admin: !!admin });
			return { body: s.directory.users.get(lower) };
		}),
	];
}
