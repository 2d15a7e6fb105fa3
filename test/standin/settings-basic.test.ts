import { OAuth2Client } from 'google-auth-library';
import { google, type gmail_v1 } from 'googleapis';
import { GAXIOS, googleError, knobToken, startStandin, type Running } from './auth/test-helpers';

const BASIC = 'https://www.googleapis.com/auth/gmail.settings.basic';
const READONLY = 'https://www.googleapis.com/auth/gmail.readonly';

let run: Running;
beforeAll(async () => {
	run = await startStandin();
});
afterAll(() => run.close());
beforeEach(() => run.standin.reset());

async function gmailAs(email: string, scopes = [BASIC], kind?: 'user' | 'dwd'): Promise<gmail_v1.Gmail> {
	const auth = new OAuth2Client({ transporterOptions: GAXIOS });
	auth.setCredentials({ access_token: await knobToken(run.url, email, scopes, kind) });
	return google.gmail({ version: 'v1', auth, rootUrl: `${run.url}/` });
}

describe('Gmail settings defaults (user token)', () => {
	test('a new account: vacation off, IMAP on, POP off, English, no auto-forwarding', async () => {
		const g = await gmailAs('alice@example.com', [READONLY]);
		const s = g.users.settings;
		expect((await s.getVacation({ userId: 'me' })).data).toEqual({ enableAutoReply: false, restrictToContacts: false, restrictToDomain: false });
		expect((await s.getImap({ userId: 'me' })).data).toEqual({ enabled: true, autoExpunge: true, expungeBehavior: 'archive', maxFolderSize: 0 });
		expect((await s.getPop({ userId: 'alice@example.com' })).data).toEqual({ accessWindow: 'disabled', disposition: 'leaveInInbox' });
		expect((await s.getLanguage({ userId: 'me' })).data).toEqual({ displayLanguage: 'en' });
		expect((await s.getAutoForwarding({ userId: 'me' })).data).toEqual({ enabled: false });
	});

	test('another user\'s mailbox → 403 "Delegation denied for <caller>"', async () => {
		const g = await gmailAs('alice@example.com', [READONLY]);
		const e = await googleError(g.users.settings.getVacation({ userId: 'bob@example.com' }));
		expect(e).toMatchObject({ status: 403, reason: 'forbidden', message: 'Delegation denied for alice@example.com' });
	});

	test('updates need gmail.settings.basic: a readonly token → 403 insufficientPermissions', async () => {
		const g = await gmailAs('alice@example.com', [READONLY]);
		const e = await googleError(g.users.settings.updateImap({ userId: 'me', requestBody: { enabled: false } }));
		expect(e).toMatchObject({ status: 403, reason: 'insufficientPermissions' });
	});
});

describe('updateVacation', () => {
	test('saves and returns the whole object; HTML is sanitized', async () => {
		const g = await gmailAs('alice@example.com');
		const body = { enableAutoReply: true, responseSubject: 'Away', responseBodyHtml: '<p onclick="x()">Back soon</p><script>evil()</script>', restrictToDomain: true, startTime: '1767225600000', endTime: '1767830400000' };
		const { data } = await g.users.settings.updateVacation({ userId: 'me', requestBody: body });
		expect(data).toEqual({ enableAutoReply: true, responseSubject: 'Away', responseBodyHtml: '<p>Back soon</p>', restrictToContacts: false, restrictToDomain: true, startTime: '1767225600000', endTime: '1767830400000' });
		expect((await g.users.settings.getVacation({ userId: 'me' })).data).toEqual(data);
		// PUT: a later update without the subject clears it.
		const next = await g.users.settings.updateVacation({ userId: 'me', requestBody: { enableAutoReply: false } });
		expect(next.data).toEqual({ enableAutoReply: false, restrictToContacts: false, restrictToDomain: false });
	});

	test('endTime before startTime → 400', async () => {
		const g = await gmailAs('alice@example.com');
		const e = await googleError(g.users.settings.updateVacation({ userId: 'me', requestBody: { enableAutoReply: true, responseSubject: 'x', startTime: '2000', endTime: '1000' } }));
		expect(e.status).toBe(400);
		expect(e.message).toMatch(/startTime must precede endTime/);
	});

	test('enabling needs a subject or body; restrictToDomain is Workspace-only (consumer carol → 400)', async () => {
		const g = await gmailAs('alice@example.com');
		expect((await googleError(g.users.settings.updateVacation({ userId: 'me', requestBody: { enableAutoReply: true } }))).status).toBe(400);
		const carol = await gmailAs('carol@gmail.com');
		const e = await googleError(carol.users.settings.updateVacation({ userId: 'me', requestBody: { enableAutoReply: true, responseSubject: 'x', restrictToDomain: true } }));
		expect(e).toMatchObject({ status: 400, reason: 'failedPrecondition' });
		const ok = await carol.users.settings.updateVacation({ userId: 'me', requestBody: { enableAutoReply: true, responseBodyPlainText: 'away' } });
		expect(ok.data.enableAutoReply).toBe(true);
	});
});

describe('updateImap / updatePop / updateLanguage', () => {
	test('IMAP: replace semantics and the legal maxFolderSize values', async () => {
		const g = await gmailAs('bob@example.com');
		const { data } = await g.users.settings.updateImap({ userId: 'me', requestBody: { enabled: true, autoExpunge: false, expungeBehavior: 'trash', maxFolderSize: 5000 } });
		expect(data).toEqual({ enabled: true, autoExpunge: false, expungeBehavior: 'trash', maxFolderSize: 5000 });
		const replaced = await g.users.settings.updateImap({ userId: 'me', requestBody: { enabled: false } });
		expect(replaced.data).toEqual({ enabled: false, autoExpunge: false, expungeBehavior: 'archive', maxFolderSize: 0 });
		const e = await googleError(g.users.settings.updateImap({ userId: 'me', requestBody: { enabled: true, maxFolderSize: 3000 } }));
		expect(e.status).toBe(400);
		expect(e.message).toMatch(/0, 1000, 2000, 5000, 10000/);
		expect((await googleError(g.users.settings.updateImap({ userId: 'me', requestBody: { expungeBehavior: 'shred' } }))).status).toBe(400);
	});

	test('POP: enums checked, unspecified refused', async () => {
		const g = await gmailAs('bob@example.com');
		expect((await g.users.settings.updatePop({ userId: 'me', requestBody: { accessWindow: 'allMail', disposition: 'archive' } })).data).toEqual({ accessWindow: 'allMail', disposition: 'archive' });
		expect((await googleError(g.users.settings.updatePop({ userId: 'me', requestBody: { accessWindow: 'accessWindowUnspecified' } }))).status).toBe(400);
		expect((await googleError(g.users.settings.updatePop({ userId: 'me', requestBody: { disposition: 'burn' } }))).status).toBe(400);
	});

	test('language: exact tags kept, close variants saved instead, unknown refused', async () => {
		const g = await gmailAs('bob@example.com');
		expect((await g.users.settings.updateLanguage({ userId: 'me', requestBody: { displayLanguage: 'en-GB' } })).data).toEqual({ displayLanguage: 'en-GB' });
		expect((await g.users.settings.updateLanguage({ userId: 'me', requestBody: { displayLanguage: 'de-AT' } })).data).toEqual({ displayLanguage: 'de' });
		expect((await googleError(g.users.settings.updateLanguage({ userId: 'me', requestBody: { displayLanguage: 'xx-YY' } }))).status).toBe(400);
		expect((await g.users.settings.getLanguage({ userId: 'me' })).data).toEqual({ displayLanguage: 'de' });
	});

	test('settings are per user and survive until reset', async () => {
		const bob = await gmailAs('bob@example.com');
		await bob.users.settings.updatePop({ userId: 'me', requestBody: { accessWindow: 'fromNowOn', disposition: 'trash' } });
		const alice = await gmailAs('alice@example.com');
		expect((await alice.users.settings.getPop({ userId: 'me' })).data.accessWindow).toBe('disabled');
		run.standin.reset();
		const bob2 = await gmailAs('bob@example.com');
		expect((await bob2.users.settings.getPop({ userId: 'me' })).data.accessWindow).toBe('disabled');
	});

	test('quota: updatePop costs 100 units, so the third call within a second is rate limited', async () => {
		const g = await gmailAs('bob@example.com');
		const body = { userId: 'me', requestBody: { accessWindow: 'allMail', disposition: 'archive' } };
		await g.users.settings.updatePop(body);
		await g.users.settings.updatePop(body);
		const e = await googleError(g.users.settings.updatePop(body, { retry: false }));
		expect(e.status).toBe(429);
	});
});
