/**
 * Address lists: parsing (a port of nodemailer's addressparser, the parser mailparser uses, so both agree on
 * odd input: unquoted commas in names, missing angle brackets, comments, groups), RFC 2047 decoding of
 * display names, punycode domains shown in Unicode; and, for building, normalising every accepted input form
 * to validated { name, address } pairs and formatting them for a header.
 *
 * Linear in the input (issue #18): the tokenizer copies runs of ordinary characters at once, the regexes
 * that backtracked over long names ("a loose address anywhere in the text", "<…@…>" in a decoded name) are
 * replaced by scans that look at each character a bounded number of times, and split name fragments are
 * joined without splicing an array in a loop. The parsers are steps (see slices.ts), so a To header with
 * 50,000 addresses can be read or validated in slices.
 */
import { isSpace, isWordChar } from './chars';
import { decodeWordsSteps } from './encoded-words';
import { MimeError } from './errors';
import { decodeLabel, punycodeToUnicode, domainToAscii } from './punycode';
import { runSync, STEP, type Steps } from './slices';

export interface Address {
	name: string;
	address: string;
}

interface Token {
	type: 'operator' | 'text';
	value: string;
	noBreak?: boolean;
}

interface ParsedEntry {
	name: string;
	address?: string;
	group?: ParsedEntry[];
	/** The address was written in angle brackets, or the name came from a comment: "Name <a@b>", "a@b (Name)". */
	delimited?: boolean;
}

const OPERATORS: Record<string, string> = {
	'"': '"',
	'(': ')',
	'<': '>',
	',': '',
	':': ';',
	';': '',
};
/** After a closing operator, these characters do not glue the next text to it. */
const BREAKS = new Set([' ', '\t', '\r', '\n', ',', ';']);
const CONTROL = /[\x00-\x1f]/;
const DROPPED_CONTROLS = /[\x00-\x08\x0a-\x1f]/g;

/** Which characters end a run of ordinary text: the operators outside quotes, '"' and '\' inside them. */
const isOperatorChar = (c: number) =>
	c === 0x22 || c === 0x28 || c === 0x3c || c === 0x2c || c === 0x3a || c === 0x3b;

/**
 * Tokenizes an address list and hands each group of tokens between "," / ";" separators to onGroup as soon
 * as it is complete (so tokens die young instead of piling up for a list of 50,000 addresses).
 */
function* tokenizeSteps(str: string, onGroup: (tokens: Token[]) => Steps<void>): Steps<void> {
	let list: Token[] = [];
	let expecting = '';
	// the text token being read: its pieces (in groups, like StringJoiner), made a token when it ends
	let open = false;
	let pieces: string[] = [];
	let blocks: string[] | undefined;
	const addText = (run: string) => {
		open = true;
		if (CONTROL.test(run)) run = run.replace(/\n/g, ' ').replace(DROPPED_CONTROLS, '');
		if (pieces.length >= 1024) {
			(blocks ??= []).push(pieces.join(''));
			pieces = [];
		}
		pieces.push(run);
	};
	// a text token ends at the next operator (and is dropped when only blanks)
	const endText = () => {
		if (!open) return;
		const joined = pieces.length === 1 ? pieces[0] : pieces.join('');
		const value = (blocks ? blocks.join('') + joined : joined).trim();
		if (value) list.push({ type: 'text', value });
		open = false;
		pieces = [];
		blocks = undefined;
	};
	const n = str.length;
	let check = STEP;
	for (let i = 0; i < n; ) {
		if (i >= check) {
			check = i + STEP;
			yield;
		}
		let j = i;
		if (!expecting) while (j < n && !isOperatorChar(str.charCodeAt(j))) j++;
		else if (expecting === '"') {
			for (let c = str.charCodeAt(j); j < n && c !== 0x22 && c !== 0x5c; c = str.charCodeAt(++j));
		} else {
			j = str.indexOf(expecting, i);
			if (j < 0) j = n;
		}
		if (j > i) addText(str.slice(i, j));
		if (j >= n) break;
		const chr = str[j];
		i = j + 1;
		if (expecting && chr === expecting) {
			endText();
			if (chr === ';') {
				if (list.length) yield* onGroup(list);
				list = [];
			} else {
				const op: Token = { type: 'operator', value: chr };
				if (i < n && !BREAKS.has(str[i])) op.noBreak = true;
				list.push(op);
			}
			expecting = '';
		} else if (!expecting) {
			endText();
			if (chr === ',' || chr === ';') {
				if (list.length) yield* onGroup(list);
				list = [];
			} else list.push({ type: 'operator', value: chr });
			expecting = OPERATORS[chr];
		} else if (i < n) {
			// a backslash in a quoted string: the next character is text, whatever it is
			addText(str[i]);
			i++;
		}
	}
	endText();
	if (list.length) yield* onGroup(list);
}

const LOOSE_ADDRESS = /\s*\b[^@\s]+@[^\s]+\b\s*/y;

/**
 * The first match of /\s*\b[^@\s]+@[^\s]+\b\s*\/ in s (what handleAddress takes as the address of a name
 * without brackets), found in linear time. The regex itself retries every start position, each time
 * rescanning the word up to the next blank: quadratic on a long name without "@".
 *
 * A match can only begin where \s* reaches a position q with a word boundary, from which [^@\s]+ runs into
 * an "@". So only the first such q of every [^@\s]+ run that ends in "@" is a candidate (all positions of
 * one run share the rest of the match), tried with the same regex, sticky, from the start of the blanks
 * before it. Each run is looked at once.
 */
export function findLooseAddress(s: string): RegExpExecArray | null {
	let runStart = 0; // start of the current [^@\s]* run
	let blanksStart = 0; // start of the blanks before it
	for (let r = 0; r < s.length; r++) {
		const c = s.charCodeAt(r);
		if (isSpace(c)) {
			if (runStart === r) {
				// still in the blanks
			} else blanksStart = r;
			runStart = r + 1;
			continue;
		}
		if (c !== 0x40) continue;
		for (let q = runStart; q < r; q++) {
			const before = q > 0 && isWordChar(s.charCodeAt(q - 1));
			if (before === isWordChar(s.charCodeAt(q))) continue;
			LOOSE_ADDRESS.lastIndex =
				q === runStart && q > 0 && isSpace(s.charCodeAt(q - 1)) ? blanksStart : q;
			const m = LOOSE_ADDRESS.exec(s);
			if (m) return m;
			break;
		}
		runStart = blanksStart = r + 1;
	}
	return null;
}

/** Whether /<[^<>]+@[^<>]+>/ matches: some "<…>" without brackets inside has an "@" with text on both sides. */
export function hasBracketedAddress(s: string): boolean {
	for (let lt = s.indexOf('<'); lt >= 0; ) {
		let j = lt + 1;
		while (j < s.length && s[j] !== '<' && s[j] !== '>') j++;
		if (j >= s.length) return false;
		if (s[j] === '>') {
			const at = s.indexOf('@', lt + 2);
			if (at >= 0 && at < j - 1) return true;
			lt = s.indexOf('<', j + 1);
		} else lt = j;
	}
	return false;
}

type Handled = { entry: ParsedEntry } | { groupName: string; members: string };

function handleAddress(tokens: Token[]): Handled {
	let isGroup = false;
	let state: 'text' | 'address' | 'comment' | 'group' = 'text';
	const data: Record<'address' | 'comment' | 'group' | 'text', string[]> = {
		address: [],
		comment: [],
		group: [],
		text: [],
	};
	const textWasQuoted: boolean[] = [];
	let insideQuotes = false;
	for (let i = 0; i < tokens.length; i++) {
		const token = tokens[i];
		const prev = i ? tokens[i - 1] : null;
		if (token.type === 'operator') {
			switch (token.value) {
				case '<':
					state = 'address';
					insideQuotes = false;
					break;
				case '(':
					state = 'comment';
					insideQuotes = false;
					break;
				case ':':
					state = 'group';
					isGroup = true;
					insideQuotes = false;
					break;
				case '"':
					insideQuotes = !insideQuotes;
					state = 'text';
					break;
				default:
					state = 'text';
					insideQuotes = false;
			}
		} else if (token.value) {
			let value = token.value;
			if (state === 'address') value = value.replace(/^[^<]*<\s*/, '');
			if (prev && prev.noBreak && data[state].length) {
				data[state][data[state].length - 1] += value;
				if (state === 'text' && insideQuotes) textWasQuoted[textWasQuoted.length - 1] = true;
			} else {
				data[state].push(value);
				if (state === 'text') textWasQuoted.push(insideQuotes);
			}
		}
	}
	let nameFromComment = false;
	if (!data.text.length && data.comment.length) {
		data.text = data.comment;
		data.comment = [];
		nameFromComment = true;
	}
	const bracketed = data.address.length > 0;
	if (isGroup) return { groupName: data.text.join(' '), members: data.group.join(',') };
	if (!data.address.length && data.text.length) {
		for (let i = data.text.length - 1; i >= 0; i--) {
			if (!textWasQuoted[i] && /^[^@\s]+@[^@\s]+$/.test(data.text[i])) {
				data.address = data.text.splice(i, 1);
				textWasQuoted.splice(i, 1);
				break;
			}
		}
		if (!data.address.length) {
			for (let i = data.text.length - 1; i >= 0; i--) {
				if (!textWasQuoted[i]) {
					const t = data.text[i];
					const m = findLooseAddress(t);
					if (m) {
						data.address = [m[0].trim()];
						data.text[i] = (t.slice(0, m.index) + ' ' + t.slice(m.index + m[0].length)).trim();
						break;
					}
					data.text[i] = t.trim();
				}
			}
		}
	}
	if (!data.text.length && data.comment.length) {
		data.text = data.comment;
		data.comment = [];
		nameFromComment = true;
	}
	if (data.address.length > 1) data.text = data.text.concat(data.address.splice(1));
	const text = data.text.join(' ');
	const address = data.address.join(' ');
	const entry: ParsedEntry = {
		address: address || text || '',
		name: text || address || '',
		delimited: bracketed || nameFromComment,
	};
	if (entry.address === entry.name) {
		if (/@/.test(entry.address)) entry.name = '';
		else entry.address = '';
	}
	return { entry };
}

function* parseEntriesSteps(str: string, depth = 0): Steps<ParsedEntry[]> {
	if (depth > 50) return [];
	const parsed: ParsedEntry[] = [];
	yield* tokenizeSteps(str, function* (group) {
		const h = handleAddress(group);
		if ('entry' in h) parsed.push(h.entry);
		else {
			const members: ParsedEntry[] = [];
			if (h.members) {
				for (const m of yield* parseEntriesSteps(h.members, depth + 1)) {
					if (m.group) for (const g of m.group) members.push(g);
					else members.push(m);
				}
			}
			parsed.push({ name: h.groupName, group: members });
		}
	});
	// "Joe Foo, PhD <joe@example.com>" split on the comma: join the name fragments back (from the end, each
	// fragment onto the entry now following it)
	const joined: ParsedEntry[] = [];
	for (let i = parsed.length - 1; i >= 0; i--) {
		if ((i & 4095) === 0) yield;
		const cur = parsed[i];
		const next = joined[joined.length - 1];
		if (
			next &&
			cur.address === '' &&
			cur.name &&
			!cur.group &&
			next.address &&
			next.name &&
			!next.group
		) {
			next.name = cur.name + ', ' + next.name;
		} else joined.push(cur);
	}
	return joined.reverse();
}

const ONLY_B_WORDS = /^(=\?([^?]+)\?[Bb]\?[^?]*\?=)(\s*=\?([^?]+)\?[Bb]\?[^?]*\?=)*$/;

/** Decodes names (RFC 2047), re-parses a fully B-encoded "Name <addr>" like mailparser, shows IDN domains in Unicode. */
function* decodeEntriesSteps(list: ParsedEntry[]): Steps<ParsedEntry[]> {
	const out: ParsedEntry[] = [];
	let n = 0;
	for (const entry of list) {
		if ((++n & 1023) === 0) yield;
		entry.name = (entry.name || '').trim();
		if (!entry.address && !entry.group && ONLY_B_WORDS.test(entry.name)) {
			const decoded = yield* decodeWordsSteps(entry.name);
			if (hasBracketedAddress(decoded)) {
				for (const e of yield* parseEntriesSteps(decoded)) {
					e.name = (e.name || '').trim();
					out.push(e);
				}
			} else {
				entry.name = decoded;
				out.push(entry);
			}
			continue;
		}
		if (entry.name) entry.name = yield* decodeWordsSteps(entry.name);
		if (entry.address && /=\?[^?]+\?[BbQq]\?[^?]*\?=/.test(entry.address)) {
			const decoded = yield* decodeWordsSteps(entry.address);
			entry.address = /^[^\s@]+@[^\s@]+$/.test(decoded) && !/=\?/.test(decoded) ? decoded : '';
		}
		if (entry.address && /@xn--/.test(entry.address)) {
			const at = entry.address.lastIndexOf('@');
			entry.address =
				entry.address.slice(0, at + 1) + punycodeToUnicode(entry.address.slice(at + 1));
		}
		if (entry.group) entry.group = yield* decodeEntriesSteps(entry.group);
		out.push(entry);
	}
	return out;
}

/** Parses an address header value (unicode, encoded words not yet decoded); groups are flattened. */
export function parseAddressList(value: string): Address[] {
	return runSync(parseAddressListSteps(value));
}

export function* parseAddressListSteps(value: string): Steps<Address[]> {
	const flat = flatten(yield* decodeEntriesSteps(yield* parseEntriesSteps(value)));
	const out: Address[] = new Array(flat.length);
	for (let i = 0; i < flat.length; i++) {
		if ((i & 4095) === 4095) yield;
		out[i] = { name: flat[i].name || '', address: flat[i].address || '' };
	}
	return out;
}

/** The entries with every group replaced by its members (recursively), in order. */
function flatten(list: ParsedEntry[]): ParsedEntry[] {
	if (!list.some((e) => e.group)) return list;
	const out: ParsedEntry[] = [];
	const walk = (entries: ParsedEntry[]) => {
		for (const e of entries) {
			if (e.group) walk(e.group);
			else out.push(e);
		}
	};
	walk(list);
	return out;
}

// ---------------------------------------------------------------------------------------------------------
// Building

export type AddressInput = string | Address | Array<string | Address>;

const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);
const ASCII_LABEL = /^(?!-)[A-Za-z0-9-]{1,63}(?<!-)$/;

/** A practical RFC 5322 addr-spec check: dot-atom local part (≤ 64), a domain of ≥ 2 labels (IDN allowed) or an address literal. */
export function isValidAddress(address: string): boolean {
	if (address.length > 254) return false;
	const at = address.lastIndexOf('@');
	if (at <= 0 || at === address.length - 1) return false;
	const local = address.slice(0, at);
	const domain = address.slice(at + 1);
	if (local.length > 64 || !DOT_ATOM.test(local)) return false;
	if (/^\[(?:\d{1,3}\.){3}\d{1,3}\]$/.test(domain))
		return domain
			.slice(1, -1)
			.split('.')
			.every((n) => Number(n) <= 255);
	const ascii = domainToAscii(domain);
	if (ascii === undefined || ascii.length > 253) return false;
	const labels = ascii.split('.');
	if (labels.length < 2) return false;
	if (!labels.every((l) => ASCII_LABEL.test(l))) return false;
	if (labels.some(isMixedScript)) return false;
	return /[A-Za-z]/.test(labels[labels.length - 1]) || /^xn--/.test(labels[labels.length - 1]);
}

const CONFUSABLE_SCRIPTS = [/\p{Script=Latin}/u, /\p{Script=Cyrillic}/u, /\p{Script=Greek}/u];

/**
 * A domain label (A-label) whose letters mix Latin, Cyrillic and Greek, such as "exаmple" with a Cyrillic "а":
 * a homoglyph of another domain (Unicode UTS #39, mixed-script detection), refused. Labels in one script stay valid.
 */
function isMixedScript(label: string): boolean {
	if (!/^xn--/i.test(label)) return false;
	const unicode = decodeLabel(label.slice(4).toLowerCase());
	return unicode !== undefined && CONFUSABLE_SCRIPTS.filter((s) => s.test(unicode)).length > 1;
}

/** Normalises every accepted form to validated addresses; throws a MimeError naming the field and value. */
export function normalizeAddresses(
	input: AddressInput | undefined | null,
	field: string,
): Address[] {
	return runSync(normalizeAddressesSteps(input, field));
}

export function* normalizeAddressesSteps(
	input: AddressInput | undefined | null,
	field: string,
): Steps<Address[]> {
	if (input === undefined || input === null || input === '') return [];
	const items = Array.isArray(input) ? input : [input];
	const out: Address[] = [];
	for (let i = 0; i < items.length; i++) {
		const item = items[i];
		if ((i & 1023) === 1023) yield;
		const itemField = Array.isArray(input) ? `${field}[${i}]` : field;
		if (typeof item === 'string') {
			assertNoLineBreak(item, itemField);
			if (!item.trim()) continue;
			const flat = flatten(yield* parseEntriesSteps(item));
			if (!flat.length)
				throw new MimeError(`Invalid email address in "${field}": "${item}"`, itemField, item);
			for (let k = 0; k < flat.length; k++) {
				const e = flat[k];
				if ((k & 1023) === 1023) yield;
				const name = (e.name || '').trim();
				const address = (e.address || '').trim();
				// "a b@example.com": a name needs angle brackets around the address (or a "(comment)" form)
				if (!isValidAddress(address) || (name && !e.delimited)) {
					throw new MimeError(
						`Invalid email address in "${field}": "${address || item}"`,
						itemField,
						address || item,
					);
				}
				out.push({ name, address });
			}
		} else if (item && typeof item === 'object' && typeof item.address === 'string') {
			const name = typeof item.name === 'string' ? item.name : '';
			assertNoLineBreak(name, `${itemField}.name`);
			assertNoLineBreak(item.address, `${itemField}.address`);
			const address = item.address.trim();
			if (!isValidAddress(address)) {
				throw new MimeError(
					`Invalid email address in "${field}": "${item.address}"`,
					`${itemField}.address`,
					item.address,
				);
			}
			out.push({ name: name.trim(), address });
		} else {
			throw new MimeError(
				`Invalid email address in "${field}": expected a string or { name, address }`,
				itemField,
				// an object has no useful text ("[object Object]"): the caller shows the value itself
				typeof item === 'object' && item !== null ? undefined : String(item),
			);
		}
	}
	return out;
}

export function assertNoLineBreak(value: string, field: string): void {
	if (/[\r\n]/.test(value)) {
		throw new MimeError(
			`Line break (CR or LF) in "${field}" refused: header values must be one line`,
			field,
			value,
		);
	}
	if (/\u0000/.test(value))
		throw new MimeError(`NUL character in "${field}" refused`, field, value);
}

/** The address as it goes into a header: IDN domain in punycode (A-labels). */
export function asciiAddress(address: string): string {
	const at = address.lastIndexOf('@');
	const domain = address.slice(at + 1);
	return address.slice(0, at + 1) + (domainToAscii(domain) ?? domain);
}
