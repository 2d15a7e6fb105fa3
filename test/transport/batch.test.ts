import { buildBatchBody, parseBatchResponse } from '../../nodes/GmailWorkspace/v1/transport/batch';

describe('batch wire format', () => {
	it('builds one application/http part per call', () => {
		const body = buildBatchBody(
			[
				{ method: 'GET', path: '/gmail/v1/users/me/messages/a1?format=full' },
				{ method: 'POST', path: '/gmail/v1/users/me/messages/a2/modify', body: { addLabelIds: ['STARRED'] } },
			],
			'b0',
		);
		expect(body.split('\r\n')).toEqual([
			'--b0', 'Content-Type: application/http', 'Content-ID: <item0>', '',
			'GET /gmail/v1/users/me/messages/a1?format=full HTTP/1.1', '', '',
			'--b0', 'Content-Type: application/http', 'Content-ID: <item1>', '',
			'POST /gmail/v1/users/me/messages/a2/modify HTTP/1.1', 'Content-Type: application/json; charset=UTF-8', 'Content-Length: 27', '', '{"addLabelIds":["STARRED"]}', '',
			'--b0--', '',
		]);
	});

	it('refuses more than 100 calls', () => {
		expect(() => buildBatchBody(Array.from({ length: 101 }, () => ({ method: 'GET', path: '/x' })), 'b')).toThrow('at most 100');
	});

	it('parses Google-style answers, matching parts by Content-ID in any order', () => {
		const text = [
			'--batch_Z', 'Content-Type: application/http', 'Content-ID: <response-item1>', '',
			'HTTP/1.1 429 Too Many Requests', 'Content-Type: application/json; charset=UTF-8', 'Retry-After: 2', '',
			'{"error":{"code":429,"message":"slow down","errors":[{"reason":"rateLimitExceeded"}]}}', '',
			'--batch_Z', 'Content-Type: application/http', 'Content-ID: <response-item0>', '',
			'HTTP/1.1 200 OK', 'Content-Type: application/json; charset=UTF-8', '',
			'{"id":"a1","threadId":"t1"}', '',
			'--batch_Z--', '',
		].join('\r\n');
		const parts = parseBatchResponse('multipart/mixed; boundary=batch_Z', text).sort((a, b) => a.index - b.index);
		expect(parts).toEqual([
			{ index: 0, status: 200, headers: { 'content-type': 'application/json; charset=UTF-8' }, body: { id: 'a1', threadId: 't1' } },
			{ index: 1, status: 429, headers: { 'content-type': 'application/json; charset=UTF-8', 'retry-after': '2' }, body: { error: { code: 429, message: 'slow down', errors: [{ reason: 'rateLimitExceeded' }] } } },
		]);
	});
});
