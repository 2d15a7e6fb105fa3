/** Unit tests for the stand-in's Gmail search (`q`) parser and matcher. */
import { containsWords, labelSearchName, matches, parseQuery, parseSearchDate, queryReaches, type SearchDoc } from './gmail/search';

const NOW = Date.UTC(2024, 6, 1, 12);
const env = { now: NOW, me: 'alice@example.com' };

function doc(over: Partial<Omit<SearchDoc, 'headers'>> & { headers?: Record<string, string[]> } = {}): SearchDoc {
	const h: Record<string, string[]> = {
		from: ['Bob Example <bob@example.com>'],
		to: ['Alice Example <alice@example.com>'],
		cc: ['dave@example.com'],
		subject: ['Quarterly report for Q2'],
		'message-id': ['<abc123@mail.example.com>'],
		...over.headers,
	};
	return {
		labelIds: ['INBOX', 'UNREAD'],
		labelNames: ['INBOX', 'UNREAD'],
		internalDate: Date.UTC(2024, 5, 3, 9, 30),
		sizeEstimate: 20_000,
		text: 'Hi Alice, the numbers look good. See the attached spreadsheet.',
		filenames: ['Q2-report.pdf'],
		hasAttachment: true,
		...over,
		headers: (name: string) => h[name.toLowerCase()] ?? [],
	};
}

const q = (query: string, d: SearchDoc = doc()) => matches(d, parseQuery(query), env);

describe('address and subject operators', () => {
	it('from: / to: / cc: / bcc: match names and addresses by word', () => {
		expect(q('from:bob')).toBe(true);
		expect(q('from:bob@example.com')).toBe(true);
		expect(q('from:example.com')).toBe(true);
		expect(q('from:"Bob Example"')).toBe(true);
		expect(q('from:bobby')).toBe(false);
		expect(q('from:alice')).toBe(false);
		expect(q('to:me')).toBe(true);
		expect(q('to:alice')).toBe(true);
		expect(q('cc:dave')).toBe(true);
		expect(q('bcc:dave')).toBe(false);
		expect(q('bcc:carol', doc({ headers: { bcc: ['carol@gmail.com'] } }))).toBe(true);
	});

	it('subject: takes words, phrases and (groups)', () => {
		expect(q('subject:quarterly')).toBe(true);
		expect(q('subject:"quarterly report"')).toBe(true);
		expect(q('subject:"report quarterly"')).toBe(false);
		expect(q('subject:(report q2)')).toBe(true);
		expect(q('subject:(report budget)')).toBe(false);
		expect(q('subject:numbers')).toBe(false); // body word, not subject
	});

	it('rfc822msgid: matches the Message-ID with or without brackets', () => {
		expect(q('rfc822msgid:<abc123@mail.example.com>')).toBe(true);
		expect(q('rfc822msgid:abc123@mail.example.com')).toBe(true);
		expect(q('rfc822msgid:abc123')).toBe(false);
	});
});

describe('labels and states', () => {
	it('is: unread / read / starred / important', () => {
		expect(q('is:unread')).toBe(true);
		expect(q('is:read')).toBe(false);
		expect(q('is:starred')).toBe(false);
		expect(q('is:starred', doc({ labelIds: ['STARRED'] }))).toBe(true);
		expect(q('is:important', doc({ labelIds: ['IMPORTANT'] }))).toBe(true);
		expect(q('is:read', doc({ labelIds: ['INBOX'] }))).toBe(true);
	});

	it('label: takes system names, user label names (Gmail-normalised) and ids', () => {
		const d = doc({ labelIds: ['INBOX', 'Label_7'], labelNames: ['INBOX', 'Projects/Alpha Team'] });
		expect(q('label:inbox', d)).toBe(true);
		expect(q('label:projects-alpha-team', d)).toBe(true);
		expect(q('label:"Projects/Alpha Team"', d)).toBe(true);
		expect(q('label:Label_7', d)).toBe(true);
		expect(q('label:receipts', d)).toBe(false);
		expect(labelSearchName('Work/Q3 Plans')).toBe('work-q3-plans');
	});

	it('in: inbox / sent / spam / trash / anywhere, category:', () => {
		expect(q('in:inbox')).toBe(true);
		expect(q('in:sent')).toBe(false);
		expect(q('in:anywhere')).toBe(true);
		expect(q('in:spam', doc({ labelIds: ['SPAM'] }))).toBe(true);
		expect(q('in:trash', doc({ labelIds: ['TRASH'] }))).toBe(true);
		expect(q('category:primary', doc({ labelIds: ['CATEGORY_PERSONAL'] }))).toBe(true);
		expect(q('category:social', doc({ labelIds: ['CATEGORY_PERSONAL'] }))).toBe(false);
	});

	it('only positive in:/label: spam|trash|anywhere reach spam and trash', () => {
		expect(queryReaches(parseQuery('in:spam'))).toEqual({ spam: true, trash: false });
		expect(queryReaches(parseQuery('label:trash from:bob'))).toEqual({ spam: false, trash: true });
		expect(queryReaches(parseQuery('in:anywhere'))).toEqual({ spam: true, trash: true });
		expect(queryReaches(parseQuery('-in:spam'))).toEqual({ spam: false, trash: false });
		expect(queryReaches(parseQuery('from:bob'))).toEqual({ spam: false, trash: false });
	});
});

describe('attachments and size', () => {
	it('has:attachment and filename: (name, extension, part)', () => {
		expect(q('has:attachment')).toBe(true);
		expect(q('has:attachment', doc({ hasAttachment: false, filenames: [] }))).toBe(false);
		expect(q('filename:pdf')).toBe(true);
		expect(q('filename:Q2-report.pdf')).toBe(true);
		expect(q('filename:docx')).toBe(false);
	});

	it('larger: / smaller: / size:', () => {
		expect(q('larger:10K')).toBe(true);
		expect(q('larger:1M')).toBe(false);
		expect(q('smaller:1M')).toBe(true);
		expect(q('size:20000')).toBe(true);
	});
});

describe('dates', () => {
	it('after: / before: take YYYY/MM/DD (midnight PST) and epoch seconds', () => {
		expect(parseSearchDate('2024/06/03')).toBe(Date.UTC(2024, 5, 3, 8));
		expect(parseSearchDate('2024-06-03')).toBe(Date.UTC(2024, 5, 3, 8));
		expect(parseSearchDate('1717405200')).toBe(1717405200000);
		expect(parseSearchDate('yesterday')).toBeUndefined();
		expect(q('after:2024/06/03')).toBe(true);
		expect(q('after:2024/06/04')).toBe(false);
		expect(q('before:2024/06/04')).toBe(true);
		expect(q('before:2024/06/03')).toBe(false);
		expect(q(`after:${Date.UTC(2024, 5, 3, 9, 29) / 1000} before:${Date.UTC(2024, 5, 3, 9, 31) / 1000}`)).toBe(true);
		expect(q(`after:${Date.UTC(2024, 5, 3, 9, 31) / 1000}`)).toBe(false);
	});

	it('older_than: / newer_than: with d / m / y against the stand-in clock', () => {
		expect(q('older_than:7d')).toBe(true); // 28 days before NOW
		expect(q('newer_than:7d')).toBe(false);
		expect(q('newer_than:2m')).toBe(true);
		expect(q('older_than:1y')).toBe(false);
		expect(q('newer_than:1y')).toBe(true);
		expect(q('older_than:soon')).toBe(false);
	});
});

describe('words, phrases and boolean structure', () => {
	it('plain words and "phrases" search subject, body, addresses and file names', () => {
		expect(q('spreadsheet')).toBe(true);
		expect(q('SPREADSHEET')).toBe(true);
		expect(q('spread')).toBe(false); // whole words
		expect(q('"numbers look good"')).toBe(true);
		expect(q('"good numbers"')).toBe(false);
		expect(q('quarterly spreadsheet')).toBe(true); // implicit AND across fields
		expect(q('quarterly budget')).toBe(false);
		expect(q('bob')).toBe(true);
		expect(q('report')).toBe(true);
	});

	it('negation, OR, { } and ( )', () => {
		expect(q('-from:carol')).toBe(true);
		expect(q('-from:bob')).toBe(false);
		expect(q('from:carol OR from:bob')).toBe(true);
		expect(q('from:carol OR from:dave')).toBe(false);
		expect(q('{from:carol from:bob}')).toBe(true);
		expect(q('{from:carol to:carol}')).toBe(false);
		expect(q('(from:carol OR subject:quarterly) is:unread')).toBe(true);
		expect(q('(from:carol OR subject:quarterly) -is:unread')).toBe(false);
		expect(q('-(from:carol OR from:bob)')).toBe(false);
		expect(q('from:bob -has:attachment')).toBe(false);
	});

	it('parses without throwing on odd input', () => {
		for (const s of ['(', ')', '"unterminated', 'from:', '-', 'OR', '{a', 'a OR']) expect(() => parseQuery(s)).not.toThrow();
		expect(parseQuery('from:bob subject:(a b)')).toEqual({
			kind: 'and',
			items: [
				{ kind: 'term', op: 'from', value: 'bob', phrase: false },
				{
					kind: 'and',
					items: [
						{ kind: 'term', op: 'subject', value: 'a', phrase: false },
						{ kind: 'term', op: 'subject', value: 'b', phrase: false },
					],
				},
			],
		});
	});

	it('containsWords is word-bounded and Unicode-aware', () => {
		expect(containsWords('Привет, мир', 'мир')).toBe(true);
		expect(containsWords('Привет, мир', 'ми')).toBe(false);
		expect(containsWords('a\n\tb', 'a b')).toBe(true);
	});
});
