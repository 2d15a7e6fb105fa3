/**
 * Gmail's search box syntax (the `q` parameter of messages.list / threads.list / drafts.list), as a parser and a
 * matcher over a small document interface so it can be unit-tested without a mailbox.
 *
 * Supported: from: to: cc: bcc: deliveredto: subject: label: is: has: filename: in: category: list:
 * after: before: older: newer: (YYYY/MM/DD, YYYY-MM-DD or epoch seconds), older_than: newer_than: (Nd / Nm / Ny),
 * rfc822msgid:, larger: smaller: size:, plain words and "quoted phrases" (subject, body, from/to), negation with
 * `-`, OR / { } alternatives, ( ) grouping, op:(a b) groups. Matching is case-insensitive and word-based.
 */

export interface SearchDoc {
	labelIds: string[];
	/** Display names of labelIds (system labels: their ids). */
	labelNames: string[];
	internalDate: number;
	sizeEstimate: number;
	/** Decoded values of a header, all occurrences. */
	headers(name: string): string[];
	/** Main body text. */
	text: string;
	filenames: string[];
	hasAttachment: boolean;
}

export interface SearchEnv {
	/** Stand-in clock (ms) for older_than / newer_than. */
	now: number;
	/** The mailbox owner, for from:me / to:me. */
	me: string;
}

export type Node =
	| { kind: 'and'; items: Node[] }
	| { kind: 'or'; items: Node[] }
	| { kind: 'not'; item: Node }
	| { kind: 'term'; op: string; value: string; phrase: boolean };

const OPERATORS = new Set([
	'from', 'to', 'cc', 'bcc', 'deliveredto', 'subject', 'label', 'is', 'has', 'filename', 'in', 'category', 'list',
	'after', 'before', 'older', 'newer', 'older_than', 'newer_than', 'rfc822msgid', 'larger', 'smaller', 'size',
]);

type Tok = { t: '(' | ')' | '{' | '}' | '-' | 'OR' | 'word' | 'phrase' | 'op'; v: string };

function tokenize(q: string): Tok[] {
	const out: Tok[] = [];
	let i = 0;
	while (i < q.length) {
		const c = q[i];
		if (/\s/.test(c)) {
			i++;
			continue;
		}
		if ('(){}'.includes(c)) {
			out.push({ t: c as Tok['t'], v: c });
			i++;
			continue;
		}
		if (c === '-' && i + 1 < q.length && !/\s/.test(q[i + 1])) {
			out.push({ t: '-', v: '-' });
			i++;
			continue;
		}
		if (c === '"') {
			const end = q.indexOf('"', i + 1);
			const v = q.slice(i + 1, end < 0 ? q.length : end);
			out.push({ t: 'phrase', v });
			i = end < 0 ? q.length : end + 1;
			continue;
		}
		let j = i;
		while (j < q.length && !/[\s(){}"]/.test(q[j])) j++;
		const word = q.slice(i, j);
		const m = /^([A-Za-z_0-9]+):(.*)$/.exec(word);
		if (m && OPERATORS.has(m[1].toLowerCase())) {
			out.push({ t: 'op', v: m[1].toLowerCase() });
			if (m[2]) out.push({ t: 'word', v: m[2] });
		} else if (word === 'OR' || word === '|') out.push({ t: 'OR', v: 'OR' });
		else if (word !== 'AND') out.push({ t: 'word', v: word });
		i = j;
	}
	return out;
}

/** Parse a Gmail query. Never throws: unbalanced brackets are closed at the end. */
export function parseQuery(q: string): Node {
	const toks = tokenize(q);
	let p = 0;
	const peek = () => toks[p];

	const withOp = (op: string, n: Node): Node => {
		if (n.kind === 'term') return op && n.op === '' ? { ...n, op } : n;
		if (n.kind === 'not') return { kind: 'not', item: withOp(op, n.item) };
		return { kind: n.kind, items: n.items.map((i) => withOp(op, i)) };
	};

	function expr(stop: string): Node {
		const items: Node[] = [];
		while (p < toks.length && peek().t !== stop) {
			if (peek().t === ')' || peek().t === '}') {
				p++; // stray closer
				continue;
			}
			items.push(orExpr(stop));
		}
		if (p < toks.length && peek().t === stop) p++;
		return items.length === 1 ? items[0] : { kind: 'and', items };
	}

	function orExpr(stop: string): Node {
		const items = [unary(stop)];
		while (p < toks.length && peek().t === 'OR') {
			p++;
			if (p >= toks.length || peek().t === stop) break;
			items.push(unary(stop));
		}
		return items.length === 1 ? items[0] : { kind: 'or', items };
	}

	function unary(stop: string): Node {
		if (peek()?.t === '-') {
			p++;
			return { kind: 'not', item: unary(stop) };
		}
		return primary(stop);
	}

	function primary(stop: string): Node {
		const tok = toks[p++];
		if (!tok) return { kind: 'and', items: [] };
		switch (tok.t) {
			case '(':
				return expr(')');
			case '{': {
				const items: Node[] = [];
				while (p < toks.length && peek().t !== '}') {
					if (peek().t === 'OR') {
						p++;
						continue;
					}
					items.push(unary('}'));
				}
				p++;
				return { kind: 'or', items };
			}
			case 'op': {
				const next = peek();
				if (!next || next.t === 'OR' || next.t === stop) return { kind: 'term', op: tok.v, value: '', phrase: false };
				if (next.t === '(' || next.t === '{') return withOp(tok.v, primary(stop));
				p++;
				return { kind: 'term', op: tok.v, value: next.v, phrase: next.t === 'phrase' };
			}
			case 'phrase':
				return { kind: 'term', op: '', value: tok.v, phrase: true };
			default:
				return { kind: 'term', op: '', value: tok.v, phrase: false };
		}
	}

	return expr('<end>');
}

const esc = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
/** Word-bounded, case-insensitive containment ("bob" matches "Bob <bob@example.com>", not "bobby"). */
export function containsWords(haystack: string, needle: string): boolean {
	const n = needle.trim().toLowerCase().replace(/\s+/g, ' ');
	if (!n) return true;
	const h = haystack.toLowerCase().replace(/\s+/g, ' ');
	const pattern = n.split(' ').map(esc).join('\\s+');
	return new RegExp(`(^|[^\\p{L}\\p{N}])${pattern}($|[^\\p{L}\\p{N}])`, 'u').test(h);
}

/** Gmail interprets YYYY/MM/DD dates as midnight PST (UTC-8); digits alone are epoch seconds. */
export function parseSearchDate(v: string): number | undefined {
	if (/^\d{9,}$/.test(v)) return Number(v) * 1000;
	const m = /^(\d{4})[/-](\d{1,2})[/-](\d{1,2})$/.exec(v) ?? /^(\d{1,2})\/(\d{1,2})\/(\d{4})$/.exec(v);
	if (!m) return undefined;
	const [y, mo, d] = m[1].length === 4 ? [m[1], m[2], m[3]] : [m[3], m[1], m[2]];
	return Date.UTC(Number(y), Number(mo) - 1, Number(d), 8, 0, 0);
}

export function parseRelative(v: string, now: number): number | undefined {
	const m = /^(\d+)([dmy])$/i.exec(v);
	if (!m) return undefined;
	const n = Number(m[1]);
	const d = new Date(now);
	if (m[2].toLowerCase() === 'd') return now - n * 86400000;
	if (m[2].toLowerCase() === 'm') d.setUTCMonth(d.getUTCMonth() - n);
	else d.setUTCFullYear(d.getUTCFullYear() - n);
	return d.getTime();
}

function parseSize(v: string): number | undefined {
	const m = /^(\d+(?:\.\d+)?)([kmg]?)b?$/i.exec(v);
	if (!m) return undefined;
	const mult = { '': 1, k: 1024, m: 1024 * 1024, g: 1024 * 1024 * 1024 }[m[2].toLowerCase() as '' | 'k' | 'm' | 'g'];
	return Number(m[1]) * mult;
}

/** Gmail's label search name: lower case, spaces, slashes and underscores become dashes. */
export const labelSearchName = (name: string) => name.toLowerCase().replace(/[\s/_&]+/g, '-');

const CATEGORIES: Record<string, string> = {
	primary: 'CATEGORY_PERSONAL',
	personal: 'CATEGORY_PERSONAL',
	social: 'CATEGORY_SOCIAL',
	promotions: 'CATEGORY_PROMOTIONS',
	updates: 'CATEGORY_UPDATES',
	forums: 'CATEGORY_FORUMS',
};
const IN_LABELS: Record<string, string> = {
	inbox: 'INBOX', sent: 'SENT', spam: 'SPAM', trash: 'TRASH', drafts: 'DRAFT', draft: 'DRAFT', starred: 'STARRED',
	important: 'IMPORTANT', unread: 'UNREAD', chats: 'CHAT', chat: 'CHAT',
};

function hasLabel(doc: SearchDoc, v: string): boolean {
	const key = v.toLowerCase();
	const sys = IN_LABELS[key] ?? CATEGORIES[key.replace(/^category[-_]/, '')];
	if (sys && doc.labelIds.includes(sys)) return true;
	const want = labelSearchName(v);
	return doc.labelIds.includes(v) || doc.labelNames.some((n) => labelSearchName(n) === want);
}

function addrMatch(doc: SearchDoc, names: string[], v: string, env: SearchEnv): boolean {
	const needle = v.toLowerCase() === 'me' ? env.me : v;
	return names.some((n) => doc.headers(n).some((h) => containsWords(h, needle)));
}

function matchTerm(doc: SearchDoc, t: Extract<Node, { kind: 'term' }>, env: SearchEnv): boolean {
	const v = t.value;
	switch (t.op) {
		case '':
			return (
				containsWords(doc.headers('subject').join(' '), v) ||
				containsWords(doc.text, v) ||
				addrMatch(doc, ['from', 'to', 'cc'], v, env) ||
				doc.filenames.some((f) => containsWords(f, v))
			);
		case 'from':
			return addrMatch(doc, ['from'], v, env);
		case 'to':
			return addrMatch(doc, ['to'], v, env);
		case 'cc':
			return addrMatch(doc, ['cc'], v, env);
		case 'bcc':
			return addrMatch(doc, ['bcc'], v, env);
		case 'deliveredto':
			return addrMatch(doc, ['delivered-to'], v, env);
		case 'list':
			return addrMatch(doc, ['list-id'], v, env);
		case 'subject':
			return doc.headers('subject').some((s) => containsWords(s, v));
		case 'label':
			return hasLabel(doc, v);
		case 'in':
			return v.toLowerCase() === 'anywhere' || hasLabel(doc, v);
		case 'category':
			return !!CATEGORIES[v.toLowerCase()] && doc.labelIds.includes(CATEGORIES[v.toLowerCase()]);
		case 'is':
			switch (v.toLowerCase()) {
				case 'unread':
					return doc.labelIds.includes('UNREAD');
				case 'read':
					return !doc.labelIds.includes('UNREAD');
				case 'starred':
					return doc.labelIds.includes('STARRED');
				case 'important':
					return doc.labelIds.includes('IMPORTANT');
				case 'sent':
					return doc.labelIds.includes('SENT');
				case 'draft':
					return doc.labelIds.includes('DRAFT');
				default:
					return false;
			}
		case 'has':
			switch (v.toLowerCase()) {
				case 'attachment':
					return doc.hasAttachment;
				case 'userlabels':
					return doc.labelIds.some((l) => l.startsWith('Label_'));
				case 'nouserlabels':
					return !doc.labelIds.some((l) => l.startsWith('Label_'));
				default:
					return false;
			}
		case 'filename': {
			const f = v.toLowerCase();
			return doc.filenames.some((n) => {
				const ln = n.toLowerCase();
				return ln === f || ln.endsWith('.' + f) || ln.includes(f);
			});
		}
		case 'after':
		case 'newer':
		case 'before':
		case 'older': {
			const at = parseSearchDate(v);
			if (at === undefined) return false;
			return t.op === 'after' || t.op === 'newer' ? doc.internalDate >= at : doc.internalDate < at;
		}
		case 'older_than':
		case 'newer_than': {
			const at = parseRelative(v, env.now);
			if (at === undefined) return false;
			return t.op === 'older_than' ? doc.internalDate < at : doc.internalDate >= at;
		}
		case 'rfc822msgid': {
			const want = v.replace(/^<|>$/g, '').toLowerCase();
			return doc.headers('message-id').some((h) => h.trim().replace(/^<|>$/g, '').toLowerCase() === want);
		}
		case 'larger':
		case 'smaller':
		case 'size': {
			const n = parseSize(v);
			if (n === undefined) return false;
			return t.op === 'smaller' ? doc.sizeEstimate < n : doc.sizeEstimate >= n;
		}
		default:
			return false;
	}
}

export function matches(doc: SearchDoc, node: Node, env: SearchEnv): boolean {
	switch (node.kind) {
		case 'and':
			return node.items.every((n) => matches(doc, n, env));
		case 'or':
			return node.items.some((n) => matches(doc, n, env));
		case 'not':
			return !matches(doc, node.item, env);
		case 'term':
			return matchTerm(doc, node, env);
	}
}

/**
 * Spam and trash are left out of results unless includeSpamTrash is set or the query itself asks for them with a
 * positive in:spam / in:trash / in:anywhere / label:spam / label:trash.
 */
export function queryReaches(node: Node): { spam: boolean; trash: boolean } {
	const out = { spam: false, trash: false };
	const visit = (n: Node, negated: boolean) => {
		if (n.kind === 'not') return visit(n.item, !negated);
		if (n.kind !== 'term') return n.items.forEach((i) => visit(i, negated));
		if (negated || (n.op !== 'in' && n.op !== 'label')) return;
		const v = n.value.toLowerCase();
		if (v === 'anywhere' && n.op === 'in') out.spam = out.trash = true;
		if (v === 'spam') out.spam = true;
		if (v === 'trash') out.trash = true;
	};
	visit(node, false);
	return out;
}
