/**
 * HTML → plain text for the text/plain alternative of HTML-only mail (and for reading HTML-only mail):
 * tags stripped, entities decoded, whitespace collapsed, line breaks kept for <br>, block elements (<p>,
 * <div>, headings, rows…) and list items ("- item"), links written as "text (url)", script/style/head dropped.
 * Also the reverse for mailparser-style concatenation: plain text → minimal HTML.
 *
 * Both run in time linear in their input, whatever it holds (issue #18): one forward pass driven by indexOf
 * and bounded regexes (no regex that backtracks over unbounded input), output collected as pieces (never
 * re-read: what the output ends with, the label of an open link and its first visible character are tracked
 * in variables), then one line pass. Each is a generator (see slices.ts): htmlToText / textToHtml run it
 * synchronously, htmlToTextAsync / textToHtmlAsync in time slices with an injected yield between them.
 */
import { isSpace } from './chars';
import {
	BLOCK_CHARS,
	rope,
	runAsync,
	runSync,
	STEP,
	StringJoiner,
	trimPieces,
	type SliceOptions,
	type Steps,
} from './slices';

const NAMED: Record<string, string> = {
	amp: '&',
	lt: '<',
	gt: '>',
	quot: '"',
	apos: "'",
	nbsp: '\u00a0',
	ensp: '\u2002',
	emsp: '\u2003',
	thinsp: '\u2009',
	zwnj: '\u200c',
	zwj: '\u200d',
	lrm: '\u200e',
	rlm: '\u200f',
	shy: '\u00ad',
	copy: '©',
	reg: '®',
	trade: '™',
	hellip: '…',
	mdash: '—',
	ndash: '–',
	minus: '−',
	lsquo: '‘',
	rsquo: '’',
	sbquo: '‚',
	ldquo: '“',
	rdquo: '”',
	bdquo: '„',
	laquo: '«',
	raquo: '»',
	lsaquo: '‹',
	rsaquo: '›',
	bull: '•',
	middot: '·',
	para: '¶',
	sect: '§',
	deg: '°',
	plusmn: '±',
	times: '×',
	divide: '÷',
	frac12: '½',
	frac14: '¼',
	frac34: '¾',
	sup1: '¹',
	sup2: '²',
	sup3: '³',
	micro: 'µ',
	euro: '€',
	pound: '£',
	yen: '¥',
	cent: '¢',
	curren: '¤',
	iexcl: '¡',
	iquest: '¿',
	dagger: '†',
	Dagger: '‡',
	permil: '‰',
	prime: '′',
	Prime: '″',
	larr: '←',
	rarr: '→',
	uarr: '↑',
	darr: '↓',
	harr: '↔',
	rArr: '⇒',
	hearts: '♥',
	check: '✓',
	star: '☆',
	ordf: 'ª',
	ordm: 'º',
	not: '¬',
	macr: '¯',
	acute: '´',
	cedil: '¸',
	uml: '¨',
	brvbar: '¦',
	szlig: 'ß',
	Agrave: 'À',
	Aacute: 'Á',
	Acirc: 'Â',
	Atilde: 'Ã',
	Auml: 'Ä',
	Aring: 'Å',
	AElig: 'Æ',
	Ccedil: 'Ç',
	Egrave: 'È',
	Eacute: 'É',
	Ecirc: 'Ê',
	Euml: 'Ë',
	Igrave: 'Ì',
	Iacute: 'Í',
	Icirc: 'Î',
	Iuml: 'Ï',
	ETH: 'Ð',
	Ntilde: 'Ñ',
	Ograve: 'Ò',
	Oacute: 'Ó',
	Ocirc: 'Ô',
	Otilde: 'Õ',
	Ouml: 'Ö',
	Oslash: 'Ø',
	Ugrave: 'Ù',
	Uacute: 'Ú',
	Ucirc: 'Û',
	Uuml: 'Ü',
	Yacute: 'Ý',
	THORN: 'Þ',
	agrave: 'à',
	aacute: 'á',
	acirc: 'â',
	atilde: 'ã',
	auml: 'ä',
	aring: 'å',
	aelig: 'æ',
	ccedil: 'ç',
	egrave: 'è',
	eacute: 'é',
	ecirc: 'ê',
	euml: 'ë',
	igrave: 'ì',
	iacute: 'í',
	icirc: 'î',
	iuml: 'ï',
	eth: 'ð',
	ntilde: 'ñ',
	ograve: 'ò',
	oacute: 'ó',
	ocirc: 'ô',
	otilde: 'õ',
	ouml: 'ö',
	oslash: 'ø',
	ugrave: 'ù',
	uacute: 'ú',
	ucirc: 'û',
	uuml: 'ü',
	yacute: 'ý',
	thorn: 'þ',
	yuml: 'ÿ',
	OElig: 'Œ',
	oelig: 'œ',
	Scaron: 'Š',
	scaron: 'š',
	Yuml: 'Ÿ',
	fnof: 'ƒ',
	circ: 'ˆ',
	tilde: '˜',
	alpha: 'α',
	beta: 'β',
	gamma: 'γ',
	delta: 'δ',
	pi: 'π',
	sigma: 'σ',
	omega: 'ω',
	Omega: 'Ω',
	infin: '∞',
	ne: '≠',
	le: '≤',
	ge: '≥',
	asymp: '≈',
	tab: '\t',
	newline: '\n',
};

const ENTITY = /&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?/g;
/** Named references that browsers also decode without the ";". */
const BARE = new Set(['amp', 'lt', 'gt', 'quot', 'nbsp', 'copy', 'reg']);

/** Decodes named (common set), decimal and hex character references; unknown ones stay as written. */
export function decodeEntities(s: string): string {
	if (s.indexOf('&') < 0) return s;
	return s.replace(ENTITY, (m: string, ref: string) => {
		if (ref.charCodeAt(0) === 0x23) {
			const cp =
				ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
			return String.fromCodePoint(cp);
		}
		// own properties only: "&constructor;" is not a reference to Object.prototype.constructor
		const v = Object.prototype.hasOwnProperty.call(NAMED, ref) ? NAMED[ref] : undefined;
		return v !== undefined && (m.endsWith(';') || BARE.has(ref)) ? v : m;
	});
}

const SKIP_CONTENT = new Set([
	'script',
	'style',
	'head',
	'title',
	'noscript',
	'template',
	'xml',
	'o:p',
]);
const BLOCK = new Set([
	'div',
	'tr',
	'table',
	'tbody',
	'thead',
	'tfoot',
	'ul',
	'ol',
	'dl',
	'dd',
	'dt',
	'section',
	'article',
	'header',
	'footer',
	'nav',
	'aside',
	'main',
	'address',
	'figure',
	'figcaption',
	'form',
	'fieldset',
	'center',
	'caption',
]);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr']);

interface Tag {
	name: string;
	closing: boolean;
	attrs: string;
	end: number;
}

const isAsciiLetter = (c: number) => (c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a);
const isTagNameChar = (c: number) => isAsciiLetter(c) || (c >= 0x30 && c <= 0x3a) || c === 0x2d;
const HAS_UPPER = /[A-Z]/;
const TAG_SPECIAL = /[>"']/g;

/** Reads the tag starting at s[i] === '<' (quotes in attributes respected); undefined when it is not a tag. */
function readTag(s: string, i: number): Tag | undefined {
	let j = i + 1;
	const closing = s.charCodeAt(j) === 0x2f;
	if (closing) j++;
	// the name: /[A-Za-z][A-Za-z0-9:-]{0,40}/
	if (!isAsciiLetter(s.charCodeAt(j))) return undefined;
	let k = j + 1;
	while (k < j + 41 && isTagNameChar(s.charCodeAt(k))) k++;
	let name = s.slice(j, k);
	if (HAS_UPPER.test(name)) name = name.toLowerCase();
	const attrStart = k;
	// to the first '>' outside quotes; a quoted value is skipped with one native search, and past the first
	// 64 characters unquoted text too
	for (let n = s.length, stop = k + 64; k < n; k++) {
		if (k >= stop) {
			TAG_SPECIAL.lastIndex = k;
			const hit = TAG_SPECIAL.exec(s);
			if (!hit) break;
			k = hit.index;
		}
		const c = s.charCodeAt(k);
		if (c === 0x3e) return { name, closing, attrs: s.slice(attrStart, k), end: k + 1 };
		if (c === 0x22 || c === 0x27) {
			const close = s.indexOf(c === 0x22 ? '"' : "'", k + 1);
			if (close < 0) break;
			k = close;
		}
	}
	return { name, closing, attrs: s.slice(attrStart), end: s.length };
}

const ATTR_RE = new Map<string, RegExp>();
function attr(attrs: string, name: string): string | undefined {
	let re = ATTR_RE.get(name);
	if (!re)
		ATTR_RE.set(
			name,
			(re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i')),
		);
	const m = re.exec(attrs);
	return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

/** Where "</name" (ASCII case-insensitive) starts at or after `from`; -1 when nowhere. */
function* findCloseTag(s: string, name: string, from: number): Steps<number> {
	let check = from + STEP;
	for (let p = s.indexOf('</', from); p >= 0; p = s.indexOf('</', p + 2)) {
		if (p >= check) {
			check = p + STEP;
			yield;
		}
		let k = 0;
		for (; k < name.length; k++) {
			let c = s.charCodeAt(p + 2 + k);
			if (c >= 0x41 && c <= 0x5a) c |= 0x20;
			if (c !== name.charCodeAt(k)) break;
		}
		if (k === name.length) return p;
	}
	return -1;
}

/**
 * The output as pieces, joined into chunks every few hundred pieces; short ranges (link labels) can be read
 * back by offset without ever flattening the whole output.
 */
class Output {
	private chunks: string[] = [];
	private starts: number[] = [];
	private pending: string[] = [];
	private pendingStart = 0;
	length = 0;

	push(t: string): void {
		this.pending.push(t);
		this.length += t.length;
		if (this.pending.length >= 256 || this.length - this.pendingStart >= BLOCK_CHARS)
			this.compact();
	}

	private compact(): void {
		if (!this.pending.length) return;
		this.starts.push(this.pendingStart);
		this.chunks.push(this.pending.length === 1 ? this.pending[0] : this.pending.join(''));
		this.pending = [];
		this.pendingStart = this.length;
	}

	/** The output between offsets a and b (0 ≤ a < b ≤ length). */
	slice(a: number, b: number): string {
		this.compact();
		let lo = 0;
		let hi = this.starts.length - 1;
		while (lo < hi) {
			const mid = (lo + hi + 1) >> 1;
			if (this.starts[mid] <= a) lo = mid;
			else hi = mid - 1;
		}
		let out = '';
		for (let k = lo; k < this.chunks.length && this.starts[k] < b; k++) {
			const c = this.chunks[k];
			const s0 = this.starts[k];
			out += c.slice(Math.max(0, a - s0), Math.min(c.length, b - s0));
		}
		return out;
	}

	all(): string[] {
		this.compact();
		return this.chunks;
	}
}

interface Link {
	href: string;
	/** Output offset of the first non-blank character after the <a> (-1 while there is none). */
	first: number;
}

const WS_RUN = /[ \t\r\n\f]+/g;
const SKIP_HREF = /^(?:javascript|data|cid):|^#/i;
const MAILTO = /^mailto:/i;
const NBSP = /\u00a0/g;

/** htmlToText as steps (see slices.ts). */
export function* htmlToTextSteps(html: string): Steps<string> {
	return rope(yield* htmlToTextPiecesSteps(html));
}

/** htmlToText as steps, the text left in pieces (see rope() in slices.ts): no step copies the whole output. */
export function* htmlToTextPiecesSteps(html: string): Steps<string[]> {
	const s = html;
	const out = new Output();
	let pre = 0;
	let pendingSpace = false;
	let sawPre = false;
	// what the output ends with, tracked instead of re-read
	let last = 0;
	let trailingNewlines = 0;
	let visibleEnd = 0; // offset just after the output's last non-blank character
	const links: Link[] = [];
	let unresolved = 0; // links[unresolved…] have no non-blank character after them yet

	const append = (t: string) => {
		const n = t.length;
		if (!n) return;
		const at = out.length;
		let f = 0;
		while (f < n && isSpace(t.charCodeAt(f))) f++;
		if (f < n) {
			for (let k = unresolved; k < links.length; k++) links[k].first = at + f;
			unresolved = links.length;
			let l = n - 1;
			while (isSpace(t.charCodeAt(l))) l--;
			visibleEnd = at + l + 1;
		}
		let nl = 0;
		while (nl < n && t.charCodeAt(n - 1 - nl) === 0x0a) nl++;
		trailingNewlines = nl === n ? trailingNewlines + nl : nl;
		last = t.charCodeAt(n - 1);
		out.push(t);
	};
	const newline = (n: number) => {
		pendingSpace = false;
		if (!out.length) return;
		if (trailingNewlines < n) append(n - trailingNewlines === 1 ? '\n' : '\n\n');
	};
	const text = (t: string) => {
		if (pre) {
			append(t);
			return;
		}
		// whitespace runs collapse to one space; a space is written only between words on one line
		const c = t.replace(WS_RUN, ' ');
		const n = c.length;
		if (!n) return;
		const lead = c.charCodeAt(0) === 0x20;
		if (lead && n === 1) {
			pendingSpace = true;
			return;
		}
		const trail = c.charCodeAt(n - 1) === 0x20;
		if (lead) pendingSpace = true;
		if (pendingSpace && out.length && last !== 0x0a && last !== 0x20) append(' ');
		pendingSpace = false;
		append(lead || trail ? c.slice(lead ? 1 : 0, trail ? n - 1 : n) : c);
		if (trail) pendingSpace = true;
	};
	// a long text run is handled in slices, cut before an "&" so that no character reference is split
	function* longText(from: number, to: number): Steps<void> {
		while (to - from > STEP) {
			let cut = from + STEP;
			const amp = s.lastIndexOf('&', cut);
			if (amp > cut - 40) cut = amp;
			text(decodeEntities(s.slice(from, cut)));
			from = cut;
			yield;
		}
		text(decodeEntities(s.slice(from, to)));
	}

	let i = 0;
	let check = STEP;
	while (i < s.length) {
		if (i >= check) {
			check = i + STEP;
			yield;
		}
		const lt = s.indexOf('<', i);
		const textEnd = lt < 0 ? s.length : lt;
		if (textEnd - i > STEP) yield* longText(i, textEnd);
		else if (textEnd > i) text(decodeEntities(s.slice(i, textEnd)));
		if (lt < 0) break;
		if (s.startsWith('<!--', lt)) {
			const close = s.indexOf('-->', lt + 4);
			i = close < 0 ? s.length : close + 3;
			continue;
		}
		const c1 = s.charCodeAt(lt + 1);
		if (c1 === 0x21 || c1 === 0x3f) {
			const close = s.indexOf('>', lt);
			i = close < 0 ? s.length : close + 1;
			continue;
		}
		const tag = readTag(s, lt);
		if (!tag) {
			text('<');
			i = lt + 1;
			continue;
		}
		i = tag.end;
		const { name } = tag;
		if (SKIP_CONTENT.has(name) && !tag.closing && !tag.attrs.trimEnd().endsWith('/')) {
			const closeAt = yield* findCloseTag(s, name, i);
			if (closeAt < 0) {
				i = s.length;
				continue;
			}
			const close = s.indexOf('>', closeAt);
			i = close < 0 ? s.length : close + 1;
			continue;
		}
		if (name === 'br') {
			append('\n');
			pendingSpace = false;
		} else if (PARAGRAPH.has(name)) {
			newline(2);
			if (name === 'pre') {
				pre += tag.closing ? -1 : 1;
				sawPre = true;
			}
			if (pre < 0) pre = 0;
		} else if (name === 'li') {
			newline(1);
			if (!tag.closing) append('- ');
		} else if (BLOCK.has(name)) {
			newline(1);
		} else if (name === 'td' || name === 'th') {
			if (!tag.closing) pendingSpace = true;
		} else if (name === 'img' && !tag.closing) {
			const alt = attr(tag.attrs, 'alt');
			if (alt) text(alt);
		} else if (name === 'a') {
			if (!tag.closing) links.push({ href: attr(tag.attrs, 'href') ?? '', first: -1 });
			else {
				const link = links.pop();
				if (unresolved > links.length) unresolved = links.length;
				if (link) {
					const href = link.href.trim();
					if (href && !SKIP_HREF.test(href)) {
						// the label (output since the <a>, trimmed) runs from its first non-blank character to the
						// output's last one; it is read back only when it could equal the href
						const labelLength = link.first < 0 ? 0 : visibleEnd - link.first;
						const bare = href.replace(MAILTO, '');
						let same = false;
						if (labelLength === href.length || labelLength === bare.length) {
							const label = labelLength ? out.slice(link.first, visibleEnd) : '';
							same = bare === label || href === label;
						}
						if (!same) append(labelLength ? ` (${href})` : href);
					}
				}
			}
		}
	}
	return yield* finishText(out.all(), sawPre);
}

/**
 * The line pass: no-break spaces become spaces, blanks at line ends go (and at line starts unless the HTML
 * had a <pre>), at most one empty line in a row, and the whole is trimmed. A line is handled as the pieces
 * it came in (never joined into one string: a 25 MB paragraph is a single line).
 */
function* finishText(chunks: string[], sawPre: boolean): Steps<string[]> {
	const res = new StringJoiner();
	let line: string[] = [];
	let gap = 0; // line breaks since the last non-empty line
	let started = false;
	let work = 0;
	const endLine = () => {
		let a = 0;
		let b = line.length;
		// blanks off the end, then (without <pre>) off the start, across pieces
		while (b > a) {
			const t = trimTrailingBlanks(noNbsp(line[b - 1]));
			if (t) {
				line[b - 1] = t;
				break;
			}
			b--;
		}
		if (!sawPre) {
			while (a < b) {
				const t = trimLeadingBlanks(noNbsp(line[a]));
				if (t) {
					line[a] = t;
					break;
				}
				a++;
			}
		}
		if (a < b) {
			if (started) res.push(gap === 1 ? '\n' : '\n\n');
			for (let k = a; k < b; k++) res.push(noNbsp(line[k]));
			started = true;
			gap = 0;
		}
		line = [];
	};
	for (const chunk of chunks) {
		let p = 0;
		for (;;) {
			const nl = chunk.indexOf('\n', p);
			if (nl < 0) {
				if (p < chunk.length) line.push(p ? chunk.slice(p) : chunk);
				work += chunk.length - p;
				break;
			}
			if (nl > p) line.push(chunk.slice(p, nl));
			endLine();
			gap++;
			work += nl + 1 - p;
			p = nl + 1;
			if (work >= STEP) {
				work = 0;
				yield;
			}
		}
		if (work >= STEP) {
			work = 0;
			yield;
		}
	}
	endLine();
	return trimPieces(res.pieces());
}

const noNbsp = (s: string) => (s.indexOf('\u00a0') < 0 ? s : s.replace(NBSP, ' '));

/** Converts HTML to readable plain text (see the module comment). */
export function htmlToText(html: string): string {
	return runSync(htmlToTextSteps(html));
}

/**
 * htmlToText in time slices: the same result, with `options.yieldFn` awaited whenever about
 * `options.sliceMs` (default 20 ms) of work has been done, so a 25 MB body does not block the event loop.
 */
export async function htmlToTextAsync(html: string, options?: SliceOptions): Promise<string> {
	return rope(await runAsync(htmlToTextPiecesSteps(html), options));
}

/** Drops blanks (space, tab) at the end of a line; a loop, since /[ \t]+$/ is quadratic on long blank runs. */
export function trimTrailingBlanks(line: string): string {
	let e = line.length;
	while (e > 0 && (line.charCodeAt(e - 1) === 0x20 || line.charCodeAt(e - 1) === 0x09)) e--;
	return e === line.length ? line : line.slice(0, e);
}

/** Drops blanks (space, tab) at the start of a line. */
function trimLeadingBlanks(line: string): string {
	let s = 0;
	while (s < line.length && (line.charCodeAt(s) === 0x20 || line.charCodeAt(s) === 0x09)) s++;
	return s ? line.slice(s) : line;
}

const HTML_ESCAPES: Record<string, string> = {
	'&': '&amp;',
	'<': '&lt;',
	'>': '&gt;',
	'"': '&quot;',
	"'": '&apos;',
};
const escapeHtml = (s: string) => s.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]);

const URL_START = /\b(?:https?:\/\/|www\.)/g;
const isUrlPunct = (c: number) =>
	c === 0x2e || c === 0x2c || c === 0x3b || c === 0x3a || c === 0x21 || c === 0x3f || c === 0x29;

/**
 * Links in one escaped line, exactly what
 * /\b(?:https?:\/\/|www\.)[^\s<>"]{1,2048}?(?=[.,;:!?)]*(?:\s|$|&lt;|&gt;|&quot;))/g matches, without its
 * cost: that regex retries up to 2048 lengths per start, each lookahead rescanning a run of punctuation
 * (quadratic on "http://a" followed by a long run of dots). Here the positions where the lookahead holds and
 * where URL characters stop are found by two forward scans that never go back.
 */
function linkify(line: string): string {
	if (line.indexOf('http') < 0 && line.indexOf('www.') < 0) return line;
	const n = line.length;
	const endOk = (e: number) =>
		e >= n ||
		isSpace(line.charCodeAt(e)) ||
		line.startsWith('&lt;', e) ||
		line.startsWith('&gt;', e) ||
		line.startsWith('&quot;', e);
	// smallest position ≥ y where the lookahead holds; valid for any later query y ≤ okAt
	let okFrom = 0;
	let okAt = -1;
	const nextOk = (y: number): number => {
		if (y >= okFrom && y <= okAt) return okAt;
		okFrom = y;
		let x = y;
		for (;;) {
			if (x < n && isUrlPunct(line.charCodeAt(x))) {
				let e = x + 1;
				while (e < n && isUrlPunct(line.charCodeAt(e))) e++;
				if (endOk(e)) return (okAt = x);
				x = e;
			} else if (endOk(x)) return (okAt = x);
			else x++;
		}
	};
	// first position ≥ u that cannot be in a URL ([\s<>"]); valid for any later query u ≤ stopAt
	let stopFrom = 0;
	let stopAt = -1;
	const urlStop = (u: number): number => {
		if (u >= stopFrom && u <= stopAt) return stopAt;
		stopFrom = u;
		let x = u;
		for (; x < n; x++) {
			const c = line.charCodeAt(x);
			if (c === 0x3c || c === 0x3e || c === 0x22 || isSpace(c)) break;
		}
		return (stopAt = x);
	};
	const parts: string[] = [];
	let done = 0;
	URL_START.lastIndex = 0;
	for (let m = URL_START.exec(line); m; m = URL_START.exec(line)) {
		const start = m.index;
		const body = start + m[0].length;
		const max = Math.min(body + 2048, urlStop(body));
		const end = max > body ? nextOk(body + 1) : -1;
		if (end < 0 || end > max) {
			URL_START.lastIndex = start + 1;
			continue;
		}
		const url = line.slice(start, end);
		parts.push(
			line.slice(done, start),
			`<a href="${url.startsWith('www.') ? 'http://' + url : url}">${url}</a>`,
		);
		done = end;
		URL_START.lastIndex = end;
	}
	if (!parts.length) return line;
	parts.push(line.slice(done));
	return parts.join('');
}

/** Where a long line may be cut for escaping and linking: before a blank, '<', '>' or '"' (no link spans it). */
const LINE_CUT = /[\s<>"]/g;

/** textToHtml as steps (see slices.ts): one pass over the lines. */
export function* textToHtmlSteps(text: string): Steps<string> {
	// the same as escaping and linking the whole text, then: CRLF → LF, trim, blanks off line ends, trim,
	// two or more line breaks → a new paragraph, one → <br/>
	const t = text.trim();
	const out = new StringJoiner();
	out.push('<p>');
	let gap = 0;
	let started = false;
	let work = 0;
	for (let p = 0; ; ) {
		const nl = t.indexOf('\n', p);
		const end = nl < 0 ? t.length : nl;
		const lineEnd = nl >= 0 && end > p && t.charCodeAt(end - 1) === 0x0d ? end - 1 : end;
		// trailing blanks can go first: escaping and linking neither add nor remove any
		const line = trimTrailingBlanks(t.slice(p, lineEnd));
		if (line) {
			if (started) out.push(gap === 1 ? '<br/>' : '</p><p>');
			if (line.length <= STEP) out.push(linkify(escapeHtml(line)));
			else {
				// a long line in pieces of about STEP characters, cut where no link can span the cut
				for (let a = 0; a < line.length; ) {
					LINE_CUT.lastIndex = a + STEP;
					const cut = a + STEP < line.length ? LINE_CUT.exec(line) : null;
					const b = cut ? cut.index : line.length;
					out.push(linkify(escapeHtml(line.slice(a, b))));
					a = b;
					yield;
				}
			}
			started = true;
			gap = 0;
		}
		if (nl < 0) break;
		gap++;
		work += nl + 1 - p;
		p = nl + 1;
		if (work >= STEP) {
			work = 0;
			yield;
		}
	}
	out.push('</p>');
	return rope(out.pieces());
}

/** Plain text → HTML paragraphs the way mailparser lays them out (links made clickable). */
export function textToHtml(text: string): string {
	return runSync(textToHtmlSteps(text));
}

/** textToHtml in time slices (see htmlToTextAsync). */
export function textToHtmlAsync(text: string, options?: SliceOptions): Promise<string> {
	return runAsync(textToHtmlSteps(text), options);
}
