import { OAuth2Client } from 'google-auth-library';
import { google, type gmail_v1 } from 'googleapis';
import { GAXIOS, googleError, knobToken, postJson, startStandin, type Running } from './auth/test-helpers';

const BASIC = 'https://www.googleapis.com/auth/gmail.settings.basic';
const SHARING = 'https://www.googleapis.com/auth/gmail.settings.sharing';
const DWD_ONLY = 'Access restricted to service accounts that have been delegated domain-wide authority';

let run: Running;
beforeAll(async () => {
	run = await startStandin();
});
afterAll(() => run.close());
beforeEach(() => {
	run.standin.reset();
	run.standin.quota.unitsPerSecond = 0; // many 100-unit creates in a row; quota has its own test in settings-basic
});

async function gmailAs(email: string, kind: 'user' | 'dwd', scopes = [BASIC, SHARING]): Promise<gmail_v1.Gmail> {
	const auth = new OAuth2Client({ transporterOptions: GAXIOS });
	auth.setCredentials({ access_token: await knobToken(run.url, email, scopes, kind) });
	return google.gmail({ version: 'v1', auth, rootUrl: `${run.url}/`, retry: false });
}

describe('domain-wide-delegation-only methods refuse user tokens', () => {
	test.each([
		['delegates.list', (g: gmail_v1.Gmail) => g.users.settings.delegates.list({ userId: 'me' })],
		['delegates.get', (g: gmail_v1.Gmail) => g.users.settings.delegates.get({ userId: 'me', delegateEmail: 'bob@example.com' })],
		['delegates.create', (g: gmail_v1.Gmail) => g.users.settings.delegates.create({ userId: 'me', requestBody: { delegateEmail: 'bob@example.com' } })],
		['delegates.delete', (g: gmail_v1.Gmail) => g.users.settings.delegates.delete({ userId: 'me', delegateEmail: 'bob@example.com' })],
		['forwardingAddresses.create', (g: gmail_v1.Gmail) => g.users.settings.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: 'bob@example.com' } })],
		['forwardingAddresses.delete', (g: gmail_v1.Gmail) => g.users.settings.forwardingAddresses.delete({ userId: 'me', forwardingEmail: 'bob@example.com' })],
		['updateAutoForwarding', (g: gmail_v1.Gmail) => g.users.settings.updateAutoForwarding({ userId: 'me', requestBody: { enabled: false } })],
		['sendAs.create', (g: gmail_v1.Gmail) => g.users.settings.sendAs.create({ userId: 'me', requestBody: { sendAsEmail: 'sales@example.com' } })],
		['sendAs.delete', (g: gmail_v1.Gmail) => g.users.settings.sendAs.delete({ userId: 'me', sendAsEmail: 'sales@example.com' })],
	])('%s with a user token (even the super admin\'s) → 403', async (_name, call) => {
		const e = await googleError(call(await gmailAs('admin@example.com', 'user')));
		expect(e).toMatchObject({ status: 403, reason: 'forbidden', message: DWD_ONLY });
	});

	test('consumer carol: delegates are refused the same way (no DWD exists for gmail.com)', async () => {
		const e = await googleError((await gmailAs('carol@gmail.com', 'user')).users.settings.delegates.list({ userId: 'me' }));
		expect(e.message).toBe(DWD_ONLY);
	});

	test('list/get of forwarding addresses and send-as work with a user token', async () => {
		const g = await gmailAs('alice@example.com', 'user', ['https://www.googleapis.com/auth/gmail.readonly']);
		expect((await g.users.settings.forwardingAddresses.list({ userId: 'me' })).data).toEqual({});
		expect((await g.users.settings.sendAs.list({ userId: 'me' })).data.sendAs).toEqual([
			{ sendAsEmail: 'alice@example.com', displayName: 'Alice Example', replyToAddress: '', signature: '', isPrimary: true, isDefault: true },
		]);
	});
});

describe('delegates (dwd)', () => {
	test('create / list / get / delete', async () => {
		const g = await gmailAs('alice@example.com', 'dwd');
		const d = g.users.settings.delegates;
		expect((await d.create({ userId: 'me', requestBody: { delegateEmail: 'Bob@Example.com' } })).data).toEqual({ delegateEmail: 'bob@example.com', verificationStatus: 'accepted' });
		await d.create({ userId: 'alice@example.com', requestBody: { delegateEmail: 'dave@example.com' } });
		expect((await d.list({ userId: 'me' })).data.delegates!.map((x) => x.delegateEmail)).toEqual(['bob@example.com', 'dave@example.com']);
		expect((await d.get({ userId: 'me', delegateEmail: 'dave@example.com' })).data.verificationStatus).toBe('accepted');
		expect((await d.delete({ userId: 'me', delegateEmail: 'dave@example.com' })).status).toBe(204);
		expect((await googleError(d.get({ userId: 'me', delegateEmail: 'dave@example.com' }))).status).toBe(404);
		expect((await googleError(d.delete({ userId: 'me', delegateEmail: 'dave@example.com' }))).status).toBe(404);
	});

	test('refusals: existing → 409, outside the domain → 400, unknown mailbox → 404, self → 400', async () => {
		const d = (await gmailAs('alice@example.com', 'dwd')).users.settings.delegates;
		await d.create({ userId: 'me', requestBody: { delegateEmail: 'bob@example.com' } });
		expect(await googleError(d.create({ userId: 'me', requestBody: { delegateEmail: 'bob@example.com' } }))).toMatchObject({ status: 409, reason: 'alreadyExists' });
		expect((await googleError(d.create({ userId: 'me', requestBody: { delegateEmail: 'carol@gmail.com' } }))).status).toBe(400);
		expect((await googleError(d.create({ userId: 'me', requestBody: { delegateEmail: 'alias-of-bob@example.com' } }))).status).toBe(404);
		expect((await googleError(d.create({ userId: 'me', requestBody: { delegateEmail: 'alice@example.com' } }))).status).toBe(400);
		expect((await googleError(d.create({ userId: 'me', requestBody: {} }))).status).toBe(400);
	});

	test('at most 25 delegates: the 26th → 400 failedPrecondition', async () => {
		for (let i = 1; i <= 26; i++) await postJson(`${run.url}/__standin/directory/users`, { email: `user${i}@example.com` });
		const d = (await gmailAs('alice@example.com', 'dwd')).users.settings.delegates;
		for (let i = 1; i <= 25; i++) await d.create({ userId: 'me', requestBody: { delegateEmail: `user${i}@example.com` } });
		const e = await googleError(d.create({ userId: 'me', requestBody: { delegateEmail: 'user26@example.com' } }));
		expect(e).toMatchObject({ status: 400, reason: 'failedPrecondition' });
		expect((await d.list({ userId: 'me' })).data.delegates).toHaveLength(25);
	});

	test('a dwd token acts only as its subject: another userId → Delegation denied', async () => {
		const g = await gmailAs('alice@example.com', 'dwd');
		const e = await googleError(g.users.settings.delegates.list({ userId: 'bob@example.com' }));
		expect(e).toMatchObject({ status: 403, message: 'Delegation denied for alice@example.com' });
	});
});

describe('forwarding addresses and auto-forwarding (dwd)', () => {
	test('same-domain address is accepted at once and can be used for auto-forwarding', async () => {
		const s = (await gmailAs('alice@example.com', 'dwd')).users.settings;
		expect((await s.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: 'bob@example.com' } })).data).toEqual({ forwardingEmail: 'bob@example.com', verificationStatus: 'accepted' });
		const { data } = await s.updateAutoForwarding({ userId: 'me', requestBody: { enabled: true, emailAddress: 'bob@example.com', disposition: 'archive' } });
		expect(data).toEqual({ enabled: true, emailAddress: 'bob@example.com', disposition: 'archive' });
		expect((await s.getAutoForwarding({ userId: 'me' })).data).toEqual(data);
	});

	test('external address: pending → updateAutoForwarding 400 failedPrecondition → confirmed → accepted', async () => {
		const s = (await gmailAs('alice@example.com', 'dwd')).users.settings;
		expect((await s.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: 'archive@partner.example.org' } })).data.verificationStatus).toBe('pending');
		const body = { enabled: true, emailAddress: 'archive@partner.example.org', disposition: 'leaveInInbox' };
		const e = await googleError(s.updateAutoForwarding({ userId: 'me', requestBody: body }));
		expect(e).toMatchObject({ status: 400, reason: 'failedPrecondition', message: 'Invalid forwarding address' });
		const conf = await postJson(`${run.url}/__standin/forwarding/confirm`, { user: 'alice@example.com', address: 'archive@partner.example.org' });
		expect(conf.body.verificationStatus).toBe('accepted');
		expect((await s.forwardingAddresses.get({ userId: 'me', forwardingEmail: 'archive@partner.example.org' })).data.verificationStatus).toBe('accepted');
		expect((await s.updateAutoForwarding({ userId: 'me', requestBody: body })).data.enabled).toBe(true);
	});

	test('unknown address, missing disposition, duplicates, delete turns auto-forwarding off', async () => {
		const s = (await gmailAs('alice@example.com', 'dwd')).users.settings;
		expect((await googleError(s.updateAutoForwarding({ userId: 'me', requestBody: { enabled: true, emailAddress: 'nobody@example.com', disposition: 'trash' } }))).reason).toBe('failedPrecondition');
		await s.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: 'bob@example.com' } });
		expect((await googleError(s.forwardingAddresses.create({ userId: 'me', requestBody: { forwardingEmail: 'bob@example.com' } }))).status).toBe(409);
		expect((await googleError(s.updateAutoForwarding({ userId: 'me', requestBody: { enabled: true, emailAddress: 'bob@example.com' } }))).status).toBe(400);
		await s.updateAutoForwarding({ userId: 'me', requestBody: { enabled: true, emailAddress: 'bob@example.com', disposition: 'markRead' } });
		expect((await s.forwardingAddresses.delete({ userId: 'me', forwardingEmail: 'bob@example.com' })).status).toBe(204);
		expect((await s.getAutoForwarding({ userId: 'me' })).data).toEqual({ enabled: false });
		expect((await s.forwardingAddresses.list({ userId: 'me' })).data).toEqual({});
	});
});

describe('sendAs', () => {
	test('dwd: an alias in the domain is accepted; an external one is pending until confirmed; verify only while pending', async () => {
		const s = (await gmailAs('alice@example.com', 'dwd')).users.settings.sendAs;
		const alias = await s.create({ userId: 'me', requestBody: { sendAsEmail: 'sales@example.com', displayName: 'Sales', treatAsAlias: true, signature: '<b>Sales</b><script>x</script>' } });
		expect(alias.data).toEqual({ sendAsEmail: 'sales@example.com', displayName: 'Sales', replyToAddress: '', signature: '<b>Sales</b>', isPrimary: false, isDefault: false, treatAsAlias: true, verificationStatus: 'accepted' });
		const ext = await s.create({
			userId: 'me',
			requestBody: { sendAsEmail: 'alice@partner.example.org', smtpMsa: { host: 'smtp.partner.example.org', port: 587, securityMode: 'starttls', username: 'u', password: 'p' } },
		});
		expect(ext.data.verificationStatus).toBe('pending');
		expect(ext.data.smtpMsa).toEqual({ host: 'smtp.partner.example.org', port: 587, securityMode: 'starttls' });
		expect((await s.verify({ userId: 'me', sendAsEmail: 'alice@partner.example.org' })).status).toBe(204);
		expect((await googleError(s.verify({ userId: 'me', sendAsEmail: 'sales@example.com' }))).status).toBe(400);
		await postJson(`${run.url}/__standin/send-as/confirm`, { user: 'alice@example.com', address: 'alice@partner.example.org' });
		expect((await s.get({ userId: 'me', sendAsEmail: 'alice@partner.example.org' })).data.verificationStatus).toBe('accepted');
		expect((await googleError(s.create({ userId: 'me', requestBody: { sendAsEmail: 'sales@example.com' } }))).status).toBe(409);
		expect((await s.list({ userId: 'me' })).data.sendAs!.map((x) => x.sendAsEmail)).toEqual(['alice@example.com', 'sales@example.com', 'alice@partner.example.org']);
	});

	test('isDefault moves the default; deleting the default falls back to the primary; the primary cannot be deleted', async () => {
		const s = (await gmailAs('alice@example.com', 'dwd')).users.settings.sendAs;
		await s.create({ userId: 'me', requestBody: { sendAsEmail: 'sales@example.com' } });
		await s.patch({ userId: 'me', sendAsEmail: 'sales@example.com', requestBody: { isDefault: true } });
		const list = (await s.list({ userId: 'me' })).data.sendAs!;
		expect(list.filter((x) => x.isDefault).map((x) => x.sendAsEmail)).toEqual(['sales@example.com']);
		expect((await s.delete({ userId: 'me', sendAsEmail: 'sales@example.com' })).status).toBe(204);
		expect((await s.get({ userId: 'me', sendAsEmail: 'alice@example.com' })).data.isDefault).toBe(true);
		expect(await googleError(s.delete({ userId: 'me', sendAsEmail: 'alice@example.com' }))).toMatchObject({ status: 400, reason: 'cannotDeletePrimarySendAs' });
		expect((await googleError(s.get({ userId: 'me', sendAsEmail: 'nope@example.com' }))).status).toBe(404);
	});

	test('update (PUT) replaces, patch merges; a user token may update only the primary address', async () => {
		const dwd = (await gmailAs('alice@example.com', 'dwd')).users.settings.sendAs;
		await dwd.create({ userId: 'me', requestBody: { sendAsEmail: 'sales@example.com', displayName: 'Sales', replyToAddress: 'desk@example.com' } });
		const user = (await gmailAs('alice@example.com', 'user', [BASIC])).users.settings.sendAs;
		const sig = await user.patch({ userId: 'me', sendAsEmail: 'alice@example.com', requestBody: { signature: 'Alice' } });
		expect(sig.data).toMatchObject({ displayName: 'Alice Example', signature: 'Alice', isPrimary: true });
		const put = await user.update({ userId: 'me', sendAsEmail: 'alice@example.com', requestBody: { displayName: 'A. Example' } });
		expect(put.data).toMatchObject({ displayName: 'A. Example', signature: '', isPrimary: true, isDefault: true });
		expect((await googleError(user.patch({ userId: 'me', sendAsEmail: 'sales@example.com', requestBody: { displayName: 'x' } }))).message).toBe(DWD_ONLY);
		const merged = await dwd.patch({ userId: 'me', sendAsEmail: 'sales@example.com', requestBody: { displayName: 'Sales Team' } });
		expect(merged.data).toMatchObject({ displayName: 'Sales Team', replyToAddress: 'desk@example.com' });
		const replaced = await dwd.update({ userId: 'me', sendAsEmail: 'sales@example.com', requestBody: { displayName: 'Only' } });
		expect(replaced.data).toMatchObject({ displayName: 'Only', replyToAddress: '' });
	});

	test('a bad smtpMsa is refused', async () => {
		const s = (await gmailAs('alice@example.com', 'dwd')).users.settings.sendAs;
		const e = await googleError(s.create({ userId: 'me', requestBody: { sendAsEmail: 'x@partner.example.org', smtpMsa: { host: 'smtp.partner.example.org', port: 465, securityMode: 'none' } } }));
		expect(e.status).toBe(400);
	});
});
