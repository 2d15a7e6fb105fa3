/**
 * The stand-in's label-change, batch and label routes as Google answers them (README "Label changes, batch calls
 * and labels"): the 1,000-ID limit, malformed and unknown IDs, SENT / DRAFT, empty changes, the colour palette,
 * system labels. Each answer is checked on the wire and in the mailbox state.
 */
import { gmailState } from './gmail/common';
import { labelPalette } from './gmail/labels';
import { createStandin } from './server';

const MODIFY = 'https://www.googleapis.com/auth/gmail.modify';
const FULL = 'https://mail.google.com/';

function setup(scopes = [MODIFY]) {
	const standin = createStandin({ noCorpus: true, messages: 5, quota: 'off' });
	const t = standin.tokens.issueAccess({ email: 'alice@example.com', scopes, kind: 'user', clientId: 'x' });
	const call = async (method: string, path: string, body?: unknown) => {
		const r = await standin.dispatch({
			method,
			host: 'gmail.googleapis.com',
			url: `/gmail/v1/users/me${path}`,
			headers: { authorization: `Bearer ${t.accessToken}`, 'content-type': 'application/json' },
			body: body === undefined ? Buffer.alloc(0) : Buffer.from(JSON.stringify(body)),
		});
		const text = r.body.toString();
		return { status: r.status, body: text ? JSON.parse(text) : undefined };
	};
	const mb = gmailState(standin).mailbox('alice@example.com')!;
	const ids = [...mb.messages.keys()];
	return { standin, call, mb, ids };
}

const message = (r: { body?: { error?: { message?: string } } }) => r.body?.error?.message;

describe('batchModify / batchDelete', () => {
	it('unknown well-formed ids are ignored (204); the known ones change; the log notes how many were unknown', async () => {
		const { standin, call, mb, ids } = setup();
		const r = await call('POST', '/messages/batchModify', { ids: [ids[0], 'fffffffffffffff0', ids[1]], addLabelIds: ['STARRED'] });
		expect(r.status).toBe(204);
		expect(mb.messages.get(ids[0])!.labelIds).toContain('STARRED');
		expect(mb.messages.get(ids[1])!.labelIds).toContain('STARRED');
		const entry = standin.log.filter((e) => e.routeId === 'gmail.users.messages.batchModify').pop()!;
		expect(entry.detail).toMatchObject({ ids: 3, unknown: 1 });
		expect(entry.units).toBe(50);
	});

	it('more than 1,000 ids, a malformed id, no ids: 400 for the whole call, nothing changes', async () => {
		const { call, mb, ids } = setup([FULL]);
		const many = [...ids, ...Array.from({ length: 1001 - ids.length }, (_, k) => k.toString(16).padStart(16, '0'))];
		for (const path of ['/messages/batchModify', '/messages/batchDelete']) {
			const over = await call('POST', path, { ids: many, addLabelIds: ['STARRED'] });
			expect([over.status, message(over)]).toEqual([400, 'Number of ids cannot exceed 1000']);
			const bad = await call('POST', path, { ids: [ids[0], 'thread-xyz'], addLabelIds: ['STARRED'] });
			expect([bad.status, message(bad)]).toEqual([400, 'Invalid id value']);
			const none = await call('POST', path, { ids: [], addLabelIds: ['STARRED'] });
			expect(none.status).toBe(400);
		}
		const exactly = await call('POST', '/messages/batchModify', { ids: many.slice(0, 1000), addLabelIds: ['STARRED'] });
		expect(exactly.status).toBe(204);
		expect(mb.messages.size).toBe(ids.length);
	});

	it('batchDelete needs the full scope; unknown ids are ignored', async () => {
		const limited = setup([MODIFY]);
		expect((await limited.call('POST', '/messages/batchDelete', { ids: [limited.ids[0]] })).status).toBe(403);
		const { call, mb, ids } = setup([FULL]);
		expect((await call('POST', '/messages/batchDelete', { ids: [ids[0], 'fffffffffffffff0'] })).status).toBe(204);
		expect(mb.messages.has(ids[0])).toBe(false);
	});

	it('TRASH through batchModify is the same label change as messages.trash; removing it restores', async () => {
		const { call, mb, ids } = setup();
		const before = [...mb.messages.get(ids[0])!.labelIds];
		await call('POST', '/messages/batchModify', { ids: [ids[0]], addLabelIds: ['TRASH'] });
		const viaTrash = await call('POST', `/messages/${ids[1]}/trash`);
		expect(mb.messages.get(ids[0])!.labelIds).toEqual([...before, 'TRASH']);
		expect(viaTrash.body.labelIds).toContain('TRASH');
		await call('POST', '/messages/batchModify', { ids: [ids[0]], removeLabelIds: ['TRASH'] });
		expect(mb.messages.get(ids[0])!.labelIds).toEqual(before);
	});
});

describe('modify / threads.modify', () => {
	it('SENT and DRAFT cannot be added or removed; an empty change is refused', async () => {
		const { call, ids, mb } = setup();
		const sent = await call('POST', `/messages/${ids[0]}/modify`, { removeLabelIds: ['SENT'] });
		expect([sent.status, message(sent)]).toEqual([400, 'Invalid label: SENT']);
		const draft = await call('POST', '/messages/batchModify', { ids: [ids[0]], addLabelIds: ['DRAFT'] });
		expect([draft.status, message(draft)]).toEqual([400, 'Invalid label: DRAFT']);
		const empty = await call('POST', `/messages/${ids[0]}/modify`, {});
		expect([empty.status, message(empty)]).toEqual([400, 'No label add or removes specified']);
		const thread = await call('POST', `/threads/${mb.messages.get(ids[0])!.threadId}/modify`, { addLabelIds: [] });
		expect([thread.status, message(thread)]).toEqual([400, 'No label add or removes specified']);
	});
});

describe('labels', () => {
	it('colours: both fields, each on the palette read from the discovery document', async () => {
		const { call, mb } = setup();
		expect(labelPalette().size).toBe(102);
		const off = await call('POST', '/labels', { name: 'A', color: { backgroundColor: '#ff0000', textColor: '#ffffff' } });
		expect([off.status, message(off)]).toEqual([400, 'Label color #ff0000 is not on the allowed color palette']);
		const half = await call('POST', '/labels', { name: 'A', color: { backgroundColor: '#fb4c2f' } });
		expect(half.status).toBe(400);
		const ok = await call('POST', '/labels', { name: 'A', color: { backgroundColor: '#FB4C2F', textColor: '#ffffff' } });
		expect(ok.status).toBe(200);
		expect(mb.labels.get(ok.body.id)!.color).toEqual({ backgroundColor: '#fb4c2f', textColor: '#ffffff' });
	});

	it('system labels cannot be updated or deleted; names clash without regard to case', async () => {
		const { call } = setup();
		expect((await call('PATCH', '/labels/INBOX', { name: 'x' })).status).toBe(400);
		expect((await call('DELETE', '/labels/STARRED')).status).toBe(400);
		expect((await call('POST', '/labels', { name: 'receipts' })).status).toBe(409);
		expect((await call('DELETE', '/labels/Label_99')).status).toBe(404);
	});
});
