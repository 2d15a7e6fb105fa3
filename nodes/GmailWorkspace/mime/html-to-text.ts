/**
 * HTML → plain text for the text/plain alternative of HTML-only mail (and for reading HTML-only mail):
 * tags stripped, entities decoded, whitespace collapsed, line breaks kept for <br>, block elements (<p>,
 * <div>, headings, rows…) and list items ("- item"), links written as "text (url)", script/style/head dropped.
 * A single linear pass (indexOf-driven, no backtracking regexes), so hostile HTML cannot make it hang.
 * Also the reverse for mailparser-style concatenation: plain text → minimal HTML.
 */

const NAMED: Record<string, string> = {
	amp: '&', lt: '<', gt: '>', quot: '"', apos: "'", nbsp: '\u00a0', ensp: '\u2002', emsp: '\u2003', thinsp: '\u2009',
	zwnj: '\u200c', zwj: '\u200d', lrm: '\u200e', rlm: '\u200f', shy: '\u00ad',
	copy: '©', reg: '®', trade: '™', hellip: '…', mdash: '—', ndash: '–', minus: '−', lsquo: '‘', rsquo: '’',
	sbquo: '‚', ldquo: '“', rdquo: '”', bdquo: '„', laquo: '«', raquo: '»', lsaquo: '‹', rsaquo: '›', bull: '•',
	middot: '·', para: '¶', sect: '§', deg: '°', plusmn: '±', times: '×', divide: '÷', frac12: '½', frac14: '¼',
	frac34: '¾', sup1: '¹', sup2: '²', sup3: '³', micro: 'µ', euro: '€', pound: '£', yen: '¥', cent: '¢',
	curren: '¤', iexcl: '¡', iquest: '¿', dagger: '†', Dagger: '‡', permil: '‰', prime: '′', Prime: '″',
	larr: '←', rarr: '→', uarr: '↑', darr: '↓', harr: '↔', rArr: '⇒', hearts: '♥', check: '✓', star: '☆',
	ordf: 'ª', ordm: 'º', not: '¬', macr: '¯', acute: '´', cedil: '¸', uml: '¨', brvbar: '¦', szlig: 'ß',
	Agrave: 'À', Aacute: 'Á', Acirc: 'Â', Atilde: 'Ã', Auml: 'Ä', Aring: 'Å', AElig: 'Æ', Ccedil: 'Ç',
	Egrave: 'È', Eacute: 'É', Ecirc: 'Ê', Euml: 'Ë', Igrave: 'Ì', Iacute: 'Í', Icirc: 'Î', Iuml: 'Ï',
	ETH: 'Ð', Ntilde: 'Ñ', Ograve: 'Ò', Oacute: 'Ó', Ocirc: 'Ô', Otilde: 'Õ', Ouml: 'Ö', Oslash: 'Ø',
	Ugrave: 'Ù', Uacute: 'Ú', Ucirc: 'Û', Uuml: 'Ü', Yacute: 'Ý', THORN: 'Þ', agrave: 'à', aacute: 'á',
	acirc: 'â', atilde: 'ã', auml: 'ä', aring: 'å', aelig: 'æ', ccedil: 'ç', egrave: 'è', eacute: 'é',
	ecirc: 'ê', euml: 'ë', igrave: 'ì', iacute: 'í', icirc: 'î', iuml: 'ï', eth: 'ð', ntilde: 'ñ',
	ograve: 'ò', oacute: 'ó', ocirc: 'ô', otilde: 'õ', ouml: 'ö', oslash: 'ø', ugrave: 'ù', uacute: 'ú',
	ucirc: 'û', uuml: 'ü', yacute: 'ý', thorn: 'þ', yuml: 'ÿ', OElig: 'Œ', oelig: 'œ', Scaron: 'Š',
	scaron: 'š', Yuml: 'Ÿ', fnof: 'ƒ', circ: 'ˆ', tilde: '˜', alpha: 'α', beta: 'β', gamma: 'γ', delta: 'δ',
	pi: 'π', sigma: 'σ', omega: 'ω', Omega: 'Ω', infin: '∞', ne: '≠', le: '≤', ge: '≥', asymp: '≈',
	tab: '\t', newline: '\n',
};

/** Decodes named (common set), decimal and hex character references; unknown ones stay as written. */
export function decodeEntities(s: string): string {
	if (s.indexOf('&') < 0) return s;
	return s.replace(/&(#[xX][0-9a-fA-F]{1,6}|#[0-9]{1,7}|[A-Za-z][A-Za-z0-9]{1,31});?/g, (m: string, ref: string) => {
		if (ref[0] === '#') {
			const cp = ref[1] === 'x' || ref[1] === 'X' ? parseInt(ref.slice(2), 16) : parseInt(ref.slice(1), 10);
			if (cp === 0 || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff)) return '\ufffd';
			return String.fromCodePoint(cp);
		}
		const v = NAMED[ref];
		return v !== undefined && (m.endsWith(';') || /^(amp|lt|gt|quot|nbsp|copy|reg)$/.test(ref)) ? v : m;
	});
}

const SKIP_CONTENT = new Set(['script', 'style', 'head', 'title', 'noscript', 'template', 'xml', 'o:p']);
const BLOCK = new Set([
	'div', 'tr', 'table', 'tbody', 'thead', 'tfoot', 'ul', 'ol', 'dl', 'dd', 'dt', 'section', 'article', 'header',
	'footer', 'nav', 'aside', 'main', 'address', 'figure', 'figcaption', 'form', 'fieldset', 'center', 'caption',
]);
const PARAGRAPH = new Set(['p', 'h1', 'h2', 'h3', 'h4', 'h5', 'h6', 'blockquote', 'pre', 'hr']);

interface Tag {
	name: string;
	closing: boolean;
	attrs: string;
	end: number;
}

/** Reads the tag starting at s[i] === '<' (quotes in attributes respected); undefined when it is not a tag. */
function readTag(s: string, i: number): Tag | undefined {
	let j = i + 1;
	const closing = s[j] === '/';
	if (closing) j++;
	const m = /^[A-Za-z][A-Za-z0-9:-]{0,40}/.exec(s.slice(j, j + 42));
	if (!m) return undefined;
	const name = m[0].toLowerCase();
	j += m[0].length;
	const attrStart = j;
	let quote = '';
	for (; j < s.length; j++) {
		const c = s[j];
		if (quote) {
			if (c === quote) quote = '';
		} else if (c === '"' || c === "'") quote = c;
		else if (c === '>') return { name, closing, attrs: s.slice(attrStart, j), end: j + 1 };
	}
	return { name, closing, attrs: s.slice(attrStart), end: s.length };
}

function attr(attrs: string, name: string): string | undefined {
	const re = new RegExp(`(?:^|\\s)${name}\\s*=\\s*(?:"([^"]*)"|'([^']*)'|([^\\s>]+))`, 'i');
	const m = re.exec(attrs);
	return m ? decodeEntities(m[1] ?? m[2] ?? m[3] ?? '') : undefined;
}

/** Converts HTML to readable plain text (see the module comment). */
export function htmlToText(html: string): string {
	const s = html;
	let out = '';
	let pre = 0;
	let pendingSpace = false;
	let sawPre = false;
	let lower: string | undefined;
	const links: Array<{ href: string; start: number }> = [];
	const newline = (n: number) => {
		pendingSpace = false;
		let have = 0;
		for (let k = out.length - 1; k >= 0 && out[k] === '\n'; k--) have++;
		if (!out.length) return;
		while (have < n) {
			out += '\n';
			have++;
		}
	};
	const text = (t: string) => {
		if (pre) {
			out += t;
			return;
		}
		const collapsed = t.replace(/[ \t\r\n\f]+/g, ' ');
		for (const part of collapsed.split(/( )/)) {
			if (part === ' ') pendingSpace = true;
			else if (part) {
				if (pendingSpace && out.length && !out.endsWith('\n') && !out.endsWith(' ')) out += ' ';
				pendingSpace = false;
				out += part;
			}
		}
	};
	let i = 0;
	while (i < s.length) {
		const lt = s.indexOf('<', i);
		if (lt < 0) {
			text(decodeEntities(s.slice(i)));
			break;
		}
		if (lt > i) text(decodeEntities(s.slice(i, lt)));
		if (s.startsWith('<!--', lt)) {
			const close = s.indexOf('-->', lt + 4);
			i = close < 0 ? s.length : close + 3;
			continue;
		}
		if (s[lt + 1] === '!' || s[lt + 1] === '?') {
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
			lower ??= s.toLowerCase();
			const closeAt = lower.indexOf(`</${name}`, i);
			if (closeAt < 0) {
				i = s.length;
				continue;
			}
			const close = s.indexOf('>', closeAt);
			i = close < 0 ? s.length : close + 1;
			continue;
		}
		if (name === 'br') {
			out += '\n';
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
			if (!tag.closing) out += '- ';
		} else if (BLOCK.has(name)) {
			newline(1);
		} else if (name === 'td' || name === 'th') {
			if (!tag.closing) pendingSpace = true;
		} else if (name === 'img' && !tag.closing) {
			const alt = attr(tag.attrs, 'alt');
			if (alt) text(alt);
		} else if (name === 'a') {
			if (!tag.closing) links.push({ href: attr(tag.attrs, 'href') ?? '', start: out.length });
			else {
				const link = links.pop();
				if (link) {
					const label = out.slice(link.start).trim();
					const href = link.href.trim();
					const bare = href.replace(/^mailto:/i, '');
					if (href && !/^(?:javascript|data|cid):|^#/i.test(href) && bare !== label && href !== label) {
						out += label ? ` (${href})` : href;
					}
				}
			}
		}
	}
	return out
		.replace(/\u00a0/g, ' ')
		.split('\n')
		.map((l) => {
			const t = trimTrailingBlanks(l);
			return sawPre ? t : t.replace(/^[ \t]+/, '');
		})
		.join('\n')
		.replace(/\n{3,}/g, '\n\n')
		.trim();
}

/** Drops blanks (space, tab) at the end of a line; a loop, since /[ \t]+$/ is quadratic on long blank runs. */
export function trimTrailingBlanks(line: string): string {
	let e = line.length;
	while (e > 0 && (line.charCodeAt(e - 1) === 0x20 || line.charCodeAt(e - 1) === 0x09)) e--;
	return e === line.length ? line : line.slice(0, e);
}

const escapeHtml = (s: string) =>
	s.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!);

/** Plain text → HTML paragraphs the way mailparser lays them out (links made clickable). */
export function textToHtml(text: string): string {
	const linked = escapeHtml(text).replace(
		/\b(?:https?:\/\/|www\.)[^\s<>"]{1,2048}?(?=[.,;:!?)]*(?:\s|$|&lt;|&gt;|&quot;))/g,
		(url) => `<a href="${/^www\./i.test(url) ? 'http://' + url : url}">${url}</a>`,
	);
	return (
		'<p>' +
		linked
			.replace(/\r?\n/g, '\n')
			.trim()
			.split('\n')
			.map(trimTrailingBlanks)
			.join('\n')
			.trim()
			.replace(/\n\n+/g, '</p><p>')
			.trim()
			.replace(/\n/g, '<br/>') +
		'</p>'
	);
}
