import { createStandin } from '../standin/server';
import type { Standin } from '../standin/core/standin';
import { checkReadiness, formatReadiness, type Http } from '../../nodes/GmailWorkspace/v1/readiness/readiness';
import { SCOPE_PRESETS } from '../../credentials/scopes';

const SA = 'gmail-admin@demo-project.iam.gserviceaccount.com';

/** The readiness checks' HTTP, answered by the stand-in in-process; signed calls carry `token`. */
function standinHttp(s: Standin, token: string): Http {
	return async (req) => {
		const url = new URL(req.url);
		const body = req.form ? new URLSearchParams(req.form).toString() : req.json ? JSON.stringify(req.json) : '';
		const res = await s.dispatch({
			method: req.method,
			host: url.host,
			url: url.pathname + url.search,
			headers: {
				...(req.signed ? { authorization: `Bearer ${token}` } : {}),
				'content-type': req.form ? 'application/x-www-form-urlencoded' : 'application/json',
			},
			body: Buffer.from(body),
		});
		const text = res.body.toString('utf8');
		return { status: res.status, body: text ? JSON.parse(text) : undefined };
	};
}

function tokenFor(s: Standin, email: string, scopes: readonly string[] = SCOPE_PRESETS.all) {
	return s.tokens.issueAccess({ email, scopes: [...scopes], kind: 'user', clientId: 'standin-client.apps.googleusercontent.com' }).accessToken;
}

const card = (r: Awaited<ReturnType<typeof checkReadiness>>, name: string) => r.cards.find((c) => c.card === name)!;

describe('connection readiness against the stand-in', () => {
	let s: Standin;
	beforeEach(() => (s = createStandin({ noCorpus: true })));

	it('a Workspace admin with the roles and domain-wide delegation: every card is ready', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'admin@example.com')), {
			grantedScopes: [...SCOPE_PRESETS.all],
			configuredScopes: [...SCOPE_PRESETS.all],
			serviceAccount: SA,
		});
		expect(r.ok).toBe(true);
		expect(r.account).toEqual({ email: 'admin@example.com', workspace: true, domain: 'example.com' });
		// All Cards holds gmail.modify: every card but Delete Permanently, which names the set that allows it
		expect(r.cards.filter((c) => !c.ready).map((c) => [c.card, c.fix])).toEqual([
			['Delete Permanently', 'needs a scope that allows permanent deletion (https://mail.google.com/, the "All Cards and Permanent Delete" set): choose a scope set that includes it and reconnect'],
		]);
		expect(r.cards.map((c) => c.card)).toEqual([
			'Read Email', 'Send Email', 'Send Email with Attachment', 'Labels, Read State, Archive and Trash', 'Drafts', 'Delete Permanently',
			'Add Delegate', 'Forward Emails', 'Set Auto Reply', 'Update User Gmail Settings',
		]);
		// the delegation was proven by a real token exchange at the stand-in
		expect(s.log.filter((e) => e.routeId?.includes('token')).map((e) => e.status)).toContain(200);
	});

	it('a user without the Service Account User role gets the exact gcloud command', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'dave@example.com')), {
			grantedScopes: [...SCOPE_PRESETS.all], configuredScopes: [...SCOPE_PRESETS.all], serviceAccount: SA,
		});
		expect(card(r, 'Read Email').ready).toBe(true);
		expect(card(r, 'Add Delegate')).toEqual({
			card: 'Add Delegate',
			ready: false,
			fix: `dave@example.com needs the Service Account User role on ${SA} — grant it with \`gcloud iam service-accounts add-iam-policy-binding ${SA} --member=user:dave@example.com --role=roles/iam.serviceAccountUser\``,
		});
		expect(formatReadiness(r)).toContain('Add Delegate: dave@example.com needs the Service Account User role');
	});

	it('a consumer Gmail account cannot use the admin cards', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'carol@gmail.com')), {
			grantedScopes: [...SCOPE_PRESETS.all], configuredScopes: [...SCOPE_PRESETS.all], serviceAccount: SA,
		});
		expect(r.account?.workspace).toBe(false);
		expect(card(r, 'Set Auto Reply').fix).toMatch(/^The admin cards need a Google Workspace account: carol@gmail.com is a consumer Gmail account/);
		expect(card(r, 'Send Email').ready).toBe(true);
	});

	it('a read-only connection: send and admin cards say which scope set to choose', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'admin@example.com', SCOPE_PRESETS.read)), {
			grantedScopes: [...SCOPE_PRESETS.read], configuredScopes: [...SCOPE_PRESETS.read], serviceAccount: SA,
		});
		expect(card(r, 'Read Email').ready).toBe(true);
		expect(card(r, 'Send Email').fix).toContain('gmail.send');
		expect(card(r, 'Add Delegate').fix).toContain('cloud-platform');
	});

	it('no service account configured', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'admin@example.com')), {
			grantedScopes: [...SCOPE_PRESETS.all], configuredScopes: [...SCOPE_PRESETS.all],
		});
		expect(card(r, 'Forward Emails').fix).toContain('fill "Service Account for Admin Cards" in the credential');
	});

	it('an unknown service account', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'admin@example.com')), {
			grantedScopes: [...SCOPE_PRESETS.all], configuredScopes: [...SCOPE_PRESETS.all], serviceAccount: 'nobody@demo-project.iam.gserviceaccount.com',
		});
		expect(card(r, 'Add Delegate').ready).toBe(false);
		expect(card(r, 'Add Delegate').fix).toMatch(/nobody@demo-project.iam.gserviceaccount.com/);
	});

	it('unknown custom scopes fail the check and are named', async () => {
		const r = await checkReadiness(standinHttp(s, tokenFor(s, 'admin@example.com')), {
			grantedScopes: [...SCOPE_PRESETS.read],
			configuredScopes: ['openid', 'https://www.googleapis.com/auth/gmail.readonly', 'https://www.googleapis.com/auth/gmail.everything'],
		});
		expect(r.ok).toBe(false);
		expect(r.problems).toEqual([
			'Unknown scope "https://www.googleapis.com/auth/gmail.everything": Google defines no such scope. Fix the custom scope list and reconnect.',
		]);
	});

	it('an expired token is reported as such', async () => {
		const token = tokenFor(s, 'admin@example.com');
		s.tokens.expireAll();
		const r = await checkReadiness(standinHttp(s, token), { grantedScopes: [], configuredScopes: [] });
		expect(r.ok).toBe(false);
		expect(r.problems[0]).toMatch(/did not accept the connection's token \(HTTP 401\)/);
	});
});
