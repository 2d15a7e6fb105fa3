/**
 * Address lists: parsing (a port of nodemailer's addressparser, the parser mailparser uses, so both agree on
 * odd input: unquoted commas in names, missing angle brackets, comments, groups), RFC 2047 decoding of
 * display names, punycode domains shown in Unicode; and, for building, normalising every accepted input form
 * to validated { name, address } pairs and formatting them for a header.
 */
import { decodeWords } from './encoded-words';
import { MimeError } from './errors';
import { punycodeToUnicode, domainToAscii } from './punycode';

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

const OPERATORS: Record<string, string> = { '"': '"', '(': ')', '<': '>', ',': '', ':': ';', ';': '' };

function tokenize(str: string): Token[] {
	const list: Token[] = [];
	let node: Token | null = null;
	let expecting = '';
	let escaped = false;
	for (let i = 0; i < str.length; i++) {
		let chr = str.charAt(i);
		const next = i < str.length - 1 ? str.charAt(i + 1) : null;
		if (!escaped) {
			if (chr === expecting) {
				const op: Token = { type: 'operator', value: chr };
				if (next && ![' ', '\t', '\r', '\n', ',', ';'].includes(next)) op.noBreak = true;
				list.push(op);
				node = null;
				expecting = '';
				continue;
			} else if (!expecting && chr in OPERATORS) {
				list.push({ type: 'operator', value: chr });
				node = null;
				expecting = OPERATORS[chr];
				continue;
			} else if ((expecting === '"' || expecting === "'") && chr === '\\') {
				escaped = true;
				continue;
			}
		}
		if (!node) {
			node = { type: 'text', value: '' };
			list.push(node);
		}
		if (chr === '\n') chr = ' ';
		if (chr.charCodeAt(0) >= 0x21 || chr === ' ' || chr === '\t') node.value += chr;
		escaped = false;
	}
	return list.map((t) => ({ ...t, value: t.value.trim() })).filter((t) => t.value);
}

function handleAddress(tokens: Token[], depth: number): ParsedEntry[] {
	let isGroup = false;
	let state: 'text' | 'address' | 'comment' | 'group' = 'text';
	const data: Record<'address' | 'comment' | 'group' | 'text', string[]> = { address: [], comment: [], group: [], text: [] };
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
	if (isGroup) {
		const members: ParsedEntry[] = [];
		if (data.group.length) {
			for (const m of parseEntries(data.group.join(','), depth + 1)) {
				if (m.group) members.push(...m.group);
				else members.push(m);
			}
		}
		return [{ name: data.text.join(' '), group: members }];
	}
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
					data.text[i] = data.text[i]
						.replace(/\s*\b[^@\s]+@[^\s]+\b\s*/, (found: string) => {
							if (!data.address.length) {
								data.address = [found.trim()];
								return ' ';
							}
							return found;
						})
						.trim();
					if (data.address.length) break;
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
	const entry: ParsedEntry = { address: address || text || '', name: text || address || '', delimited: bracketed || nameFromComment };
	if (entry.address === entry.name) {
		if (/@/.test(entry.address)) entry.name = '';
		else entry.address = '';
	}
	return [entry];
}

function parseEntries(str: string, depth = 0): ParsedEntry[] {
	if (depth > 50) return [];
	const tokens = tokenize(str);
	const groups: Token[][] = [];
	let current: Token[] = [];
	for (const t of tokens) {
		if (t.type === 'operator' && (t.value === ',' || t.value === ';')) {
			if (current.length) groups.push(current);
			current = [];
		} else current.push(t);
	}
	if (current.length) groups.push(current);
	const parsed: ParsedEntry[] = [];
	for (const g of groups) for (const e of handleAddress(g, depth)) parsed.push(e);
	// "Joe Foo, PhD <joe@example.com>" split on the comma: join the name fragments back
	for (let i = parsed.length - 2; i >= 0; i--) {
		const cur = parsed[i];
		const next = parsed[i + 1];
		if (cur.address === '' && cur.name && !cur.group && next.address && next.name && !next.group) {
			next.name = cur.name + ', ' + next.name;
			parsed.splice(i, 1);
		}
	}
	return parsed;
}

/** Decodes names (RFC 2047), re-parses a fully B-encoded "Name <addr>" like mailparser, shows IDN domains in Unicode. */
function decodeEntries(list: ParsedEntry[]): ParsedEntry[] {
	const out: ParsedEntry[] = [];
	for (const entry of list) {
		entry.name = (entry.name || '').trim();
		if (!entry.address && !entry.group && /^(=\?([^?]+)\?[Bb]\?[^?]*\?=)(\s*=\?([^?]+)\?[Bb]\?[^?]*\?=)*$/.test(entry.name)) {
			const decoded = decodeWords(entry.name);
			if (/<[^<>]+@[^<>]+>/.test(decoded)) {
				for (const e of parseEntries(decoded)) {
					e.name = (e.name || '').trim();
					out.push(e);
				}
			} else {
				entry.name = decoded;
				out.push(entry);
			}
			continue;
		}
		if (entry.name) entry.name = decodeWords(entry.name);
		if (entry.address && /=\?[^?]+\?[BbQq]\?[^?]*\?=/.test(entry.address)) {
			const decoded = decodeWords(entry.address);
			entry.address = /^[^\s@]+@[^\s@]+$/.test(decoded) && !/=\?/.test(decoded) ? decoded : '';
		}
		if (entry.address && /@xn--/.test(entry.address)) {
			const at = entry.address.lastIndexOf('@');
			entry.address = entry.address.slice(0, at + 1) + punycodeToUnicode(entry.address.slice(at + 1));
		}
		if (entry.group) entry.group = decodeEntries(entry.group);
		out.push(entry);
	}
	return out;
}

/** Parses an address header value (unicode, encoded words not yet decoded); groups are flattened. */
export function parseAddressList(value: string): Address[] {
	const flat: Address[] = [];
	const walk = (list: ParsedEntry[]) => {
		for (const e of list) {
			if (e.group) walk(e.group);
			else flat.push({ name: e.name || '', address: e.address || '' });
		}
	};
	walk(decodeEntries(parseEntries(value)));
	return flat;
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
	if (/^\[(?:\d{1,3}\.){3}\d{1,3}\]$/.test(domain)) return domain.slice(1, -1).split('.').every((n) => Number(n) <= 255);
	const ascii = domainToAscii(domain);
	if (ascii === undefined || ascii.length > 253) return false;
	const labels = ascii.split('.');
	if (labels.length < 2) return false;
	if (!labels.every((l) => ASCII_LABEL.test(l))) return false;
	return /[A-Za-z]/.test(labels[labels.length - 1]) || /^xn--/.test(labels[labels.length - 1]);
}

/** Normalises every accepted form to validated addresses; throws a MimeError naming the field and value. */
export function normalizeAddresses(input: AddressInput | undefined | null, field: string): Address[] {
	if (input === undefined || input === null || input === '') return [];
	const items = Array.isArray(input) ? input : [input];
	const out: Address[] = [];
	items.forEach((item, i) => {
		const itemField = Array.isArray(input) ? `${field}[${i}]` : field;
		if (typeof item === 'string') {
			assertNoLineBreak(item, itemField);
			if (!item.trim()) return;
			const parsed = parseEntries(item);
			const flat: Array<Address & { delimited?: boolean }> = [];
			const walk = (list: ParsedEntry[]) => {
				for (const e of list) {
					if (e.group) walk(e.group);
					else flat.push({ name: (e.name || '').trim(), address: (e.address || '').trim(), delimited: e.delimited });
				}
			};
			walk(parsed);
			if (!flat.length) throw new MimeError(`Invalid email address in "${field}": "${item}"`, itemField, item);
			for (const a of flat) {
				// "a b@example.com": a name needs angle brackets around the address (or a "(comment)" form)
				if (!isValidAddress(a.address) || (a.name && !a.delimited)) {
					throw new MimeError(`Invalid email address in "${field}": "${a.address || item}"`, itemField, a.address || item);
				}
				out.push({ name: a.name, address: a.address });
			}
		} else if (item && typeof item === 'object' && typeof item.address === 'string') {
			const name = typeof item.name === 'string' ? item.name : '';
			assertNoLineBreak(name, `${itemField}.name`);
			assertNoLineBreak(item.address, `${itemField}.address`);
			const address = item.address.trim();
			if (!isValidAddress(address)) {
				throw new MimeError(`Invalid email address in "${field}": "${item.address}"`, `${itemField}.address`, item.address);
			}
			out.push({ name: name.trim(), address });
		} else {
			throw new MimeError(`Invalid email address in "${field}": expected a string or { name, address }`, itemField, String(item));
		}
	});
	return out;
}

export function assertNoLineBreak(value: string, field: string): void {
	if (/[\r\n]/.test(value)) {
		throw new MimeError(`Line break (CR or LF) in "${field}" refused: header values must be one line`, field, value);
	}
	if (/\u0000/.test(value)) throw new MimeError(`NUL character in "${field}" refused`, field, value);
}

/** The address as it goes into a header: IDN domain in punycode (A-labels). */
export function asciiAddress(address: string): string {
	const at = address.lastIndexOf('@');
	const domain = address.slice(at + 1);
	return address.slice(0, at + 1) + (domainToAscii(domain) ?? domain);
}
