import { randomBytes } from 'node:crypto';

import { setupBench } from '../bench';
import { sendMessage } from '../standin/gmail/send';
import { compose } from '../standin/gmail/seed';
import { ALICE, subjects, TriggerKit } from './kit';

/** Issue #13, event New Email: every filter and default exclusion, output as Read Email's, first run. */
const bench = setupBench();

const newEmail = (filters: Record<string, unknown> = {}, options: Record<string, unknown> = {}, output = 'simple') => ({
	event: 'newEmail',
	filters,
	options,
	output,
});

/** A kit whose trigger is active (first poll done, nothing emitted). */
async function active(params = newEmail()) {
	const kit = await TriggerKit.create(bench);
	const first = await kit.poll(params);
	expect(first.error).toBeUndefined();
	expect(first.items).toBeNull();
	return kit;
}

describe('Gmail Workspace Trigger: New Email', () => {
	it('starts from now, then emits each delivered message once, oldest first, as Read Email builds it', async () => {
		const kit = await TriggerKit.create(bench);
		await kit.deliver({ subjectPrefix: 'Before activation', count: 2 });

		const first = await kit.poll(newEmail());
		expect(first.error).toBeUndefined();
		expect(first.items).toBeNull();
		expect(kit.staticData).toMatchObject({ 'node:Gmail Workspace Trigger': { historyId: expect.stringMatching(/^\d+$/), queue: [] } });

		const delivered = await kit.deliver({ subjectPrefix: 'Hello', count: 3 });
		const second = await kit.poll(newEmail());
		expect(second.error).toBeUndefined();
		expect(subjects(second.json)).toEqual(['Hello 1', 'Hello 2', 'Hello 3']);
		expect(second.json[0]).toMatchObject({
			id: delivered[0].id,
			event: 'messageAdded',
			labelsAdded: [],
			labelsRemoved: [],
			historyId: expect.stringMatching(/^\d+$/),
			from: { address: 'sender@outside.example.net' },
			to: [{ address: ALICE }],
			labels: expect.arrayContaining([{ id: 'INBOX', name: 'INBOX' }]),
			textBody: '',
			snippet: 'Message 1 of 3.',
		});
		expect(second.items!.every((i) => i.pairedItem === undefined && i.binary === undefined)).toBe(true);

		const third = await kit.poll(newEmail());
		expect(third.items).toBeNull();
	});

	it('an idle poll is one history.list call (2 quota units)', async () => {
		const kit = await active();
		const idle = await kit.poll(newEmail());
		expect(idle.items).toBeNull();
		expect(idle.exchanges.map((e) => `${e.method} ${new URL(e.url).pathname}`)).toEqual(['GET /gmail/v1/users/me/history']);
		expect(new URL(idle.exchanges[0].url).searchParams.getAll('historyTypes')).toEqual(['messageAdded', 'labelAdded']);
	});

	it('Full output: bodies and attachments; Download Attachments puts them into binary attachment_N', async () => {
		const kit = await active(newEmail({}, {}, 'full'));
		const bytes = randomBytes(3000);
		kit.add(['INBOX', 'UNREAD'], 'With file', 'Bob <bob@example.com>', {
			html: '<p>Hi <b>there</b></p>',
			attachments: [{ filename: 'data.bin', mimeType: 'application/octet-stream', data: bytes }],
		});
		const full = await kit.poll(newEmail({}, {}, 'full'));
		expect(full.json).toEqual([
			expect.objectContaining({
				subject: 'With file',
				textBody: expect.stringContaining('With file'),
				htmlBody: expect.stringContaining('<b>there</b>'),
				attachments: [expect.objectContaining({ filename: 'data.bin', mimeType: 'application/octet-stream' })],
			}),
		]);
		expect(full.items![0].binary).toBeUndefined();

		kit.add(['INBOX'], 'With file again', 'Bob <bob@example.com>', { attachments: [{ filename: 'data.bin', mimeType: 'application/octet-stream', data: bytes }] });
		const withBinary = await kit.poll(newEmail({}, { downloadAttachments: true }, 'full'));
		const binary = withBinary.items![0].binary!.attachment_0;
		expect(binary).toMatchObject({ fileName: 'data.bin', mimeType: 'application/octet-stream' });
		expect(Buffer.from(binary.data, 'base64').equals(bytes)).toBe(true);
	});

	it('by default never fires on drafts, on mail the user sent (unless it also lands in the inbox), on scheduled sends, spam or trash', async () => {
		const kit = await active();
		kit.add(['DRAFT'], 'A draft');
		kit.add(['SENT'], 'Sent to someone else');
		kit.add(['SENT', 'INBOX'], 'Sent to myself');
		await kit.knob('POST', 'schedule', { user: ALICE, to: 'bob@example.com', subject: 'Scheduled for later', inSeconds: 3600 });
		kit.add(['SPAM'], 'Spam');
		kit.add(['TRASH'], 'Trashed');
		await kit.deliver({ subjectPrefix: 'Real mail' });
		const r = await kit.poll(newEmail());
		expect(subjects(r.json)).toEqual(['Sent to myself', 'Real mail 1']);
	});

	it('each exclusion has its option: Include Drafts, Include Sent Mail, Include Scheduled, Include Spam and Trash', async () => {
		const all = newEmail({ includeSpamTrash: true }, { includeDrafts: true, includeSent: true, includeScheduled: true });
		const kit = await active(all);
		kit.add(['DRAFT'], 'A draft');
		kit.add(['SENT'], 'Sent to someone else');
		await kit.knob('POST', 'schedule', { user: ALICE, to: 'bob@example.com', subject: 'Scheduled for later', inSeconds: 3600 });
		kit.add(['SPAM'], 'Spam');
		kit.add(['TRASH'], 'Trashed');
		const r = await kit.poll(all);
		expect(subjects(r.json)).toEqual(['A draft', 'Sent to someone else', 'Scheduled for later', 'Spam', 'Trashed']);
	});

	it('filters: labels (any / all), sender, read status, search query', async () => {
		const kit = await TriggerKit.create(bench);
		const work = kit.userLabel('Work');
		const urgent = kit.userLabel('Urgent');
		const cases: Array<[string, Record<string, unknown>, string[]]> = [
			['labels any', { labelIds: [work, urgent] }, ['Work', 'Urgent', 'Work urgent']],
			['labels all', { labelIds: [work, urgent], labelMatch: 'all' }, ['Work urgent']],
			['sender', { sender: 'carol@example.org' }, ['From Carol']],
			['sender name', { sender: 'Carol' }, ['From Carol']],
			['unread only', { readStatus: 'unread' }, ['Work', 'Urgent', 'Work urgent', 'From Carol', 'Invoice 42']],
			['read only', { readStatus: 'read' }, ['Already read']],
			['query', { query: 'subject:invoice' }, ['Invoice 42']],
			['query and sender', { query: 'invoice OR carol', sender: 'carol@example.org' }, ['From Carol']],
		];
		for (const [name, filters, expected] of cases) {
			kit.staticData = {};
			await kit.poll(newEmail(filters));
			kit.add(['INBOX', 'UNREAD', work], 'Work');
			kit.add(['INBOX', 'UNREAD', urgent], 'Urgent');
			kit.add(['INBOX', 'UNREAD', work, urgent], 'Work urgent');
			kit.add(['INBOX', 'UNREAD'], 'From Carol', 'Carol Client <carol@example.org>');
			kit.add(['INBOX'], 'Already read');
			kit.add(['INBOX', 'UNREAD'], 'Invoice 42');
			const r = await kit.poll(newEmail(filters));
			expect(r.error).toBeUndefined();
			expect([name, subjects(r.json)]).toEqual([name, expected]);
		}
	});

	it('a label a Gmail filter sets at delivery counts for the label filter', async () => {
		const kit = await TriggerKit.create(bench);
		const billing = kit.userLabel('Billing');
		await kit.addFilter({ subjectContains: 'invoice', addLabelIds: [billing] });
		const params = newEmail({ labelIds: [billing] });
		await kit.poll(params);
		await kit.deliver({ subjectPrefix: 'Newsletter' });
		await kit.deliver({ subjectPrefix: 'Your invoice' });
		const r = await kit.poll(params);
		expect(subjects(r.json)).toEqual(['Your invoice 1']);
		expect(r.json[0].labels).toEqual(expect.arrayContaining([{ id: billing, name: 'Billing' }]));
	});

	it('On First Run Also Emit the Last N Messages: the newest N matching, oldest first, then only new mail', async () => {
		const kit = await TriggerKit.create(bench);
		await kit.deliver({ subjectPrefix: 'Old', count: 5 });
		kit.add(['DRAFT'], 'Old draft');
		const params = newEmail({}, { firstRunCount: 3 });
		const first = await kit.poll(params);
		expect(subjects(first.json)).toEqual(['Old 3', 'Old 4', 'Old 5']);
		await kit.deliver({ subjectPrefix: 'New' });
		const second = await kit.poll(params);
		expect(subjects(second.json)).toEqual(['New 1']);
	});

	it('first run and manual test with labels (any of them): one search per label, newest first', async () => {
		const kit = await TriggerKit.create(bench);
		const a = kit.userLabel('A');
		const b = kit.userLabel('B');
		await kit.deliver({ subjectPrefix: 'A mail', labelIds: [a] });
		await kit.deliver({ subjectPrefix: 'B mail', labelIds: [b] });
		await kit.deliver({ subjectPrefix: 'Plain', count: 12 });
		const params = newEmail({ labelIds: [a, b] }, { firstRunCount: 5 });
		const test = await kit.poll(params, { mode: 'manual' });
		expect(subjects(test.json)).toEqual(['B mail 1']);
		const first = await kit.poll(params);
		expect(subjects(first.json)).toEqual(['A mail 1', 'B mail 1']);
	});

	it('a draft that is sent: to someone else only with Include Sent Mail, to oneself (it lands in the inbox) by default', async () => {
		for (const [to, options, expected] of [
			['bob@example.com', {}, []],
			['bob@example.com', { includeSent: true }, ['Draft sent']],
			[ALICE, {}, ['Draft sent']],
		] as const) {
			const kit = await active(newEmail({}, options));
			const draft = kit.add(['DRAFT'], 'Draft sent', ALICE);
			expect((await kit.poll(newEmail({}, options))).items).toBeNull();
			sendMessage(kit.standin, kit.mailbox, compose({ from: ALICE, to, subject: 'Draft sent', date: Date.now(), text: 'x' }), { reuse: draft });
			const r = await kit.poll(newEmail({}, options));
			expect([to, options, subjects(r.json)]).toEqual([to, options, expected]);
			if (expected.length) expect(r.json[0].id).toBe(draft.id);
		}
	});
});
