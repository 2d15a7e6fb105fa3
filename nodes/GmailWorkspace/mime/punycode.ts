/** RFC 3492 punycode for IDN domains (labels only; no full UTS #46 mapping beyond NFC + lower-casing). */

const BASE = 36;
const TMIN = 1;
const TMAX = 26;
const SKEW = 38;
const DAMP = 700;
const INITIAL_BIAS = 72;
const INITIAL_N = 128;

function adapt(delta: number, numPoints: number, firstTime: boolean): number {
	delta = firstTime ? Math.floor(delta / DAMP) : delta >> 1;
	delta += Math.floor(delta / numPoints);
	let k = 0;
	while (delta > ((BASE - TMIN) * TMAX) >> 1) {
		delta = Math.floor(delta / (BASE - TMIN));
		k += BASE;
	}
	return k + Math.floor(((BASE - TMIN + 1) * delta) / (delta + SKEW));
}

const digitToChar = (d: number) => String.fromCharCode(d < 26 ? d + 97 : d + 22);
function charToDigit(c: number): number {
	if (c >= 48 && c <= 57) return c - 22;
	if (c >= 65 && c <= 90) return c - 65;
	if (c >= 97 && c <= 122) return c - 97;
	return BASE;
}

/** Decodes one label's punycode part (without "xn--"); undefined when malformed. */
export function decodeLabel(input: string): string | undefined {
	if (input.length > 63) return undefined; // DNS labels are at most 63 characters
	const output: number[] = [];
	let basic = input.lastIndexOf('-');
	if (basic < 0) basic = 0;
	for (let j = 0; j < basic; j++) {
		if (input.charCodeAt(j) >= 0x80) return undefined;
		output.push(input.charCodeAt(j));
	}
	let n = INITIAL_N;
	let bias = INITIAL_BIAS;
	let i = 0;
	for (let index = basic > 0 ? basic + 1 : 0; index < input.length; ) {
		const oldi = i;
		for (let w = 1, k = BASE; ; k += BASE) {
			if (index >= input.length) return undefined;
			const digit = charToDigit(input.charCodeAt(index++));
			if (digit >= BASE) return undefined;
			i += digit * w;
			if (i > 0x10ffff * 64) return undefined;
			const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
			if (digit < t) break;
			w *= BASE - t;
		}
		const out = output.length + 1;
		bias = adapt(i - oldi, out, oldi === 0);
		n += Math.floor(i / out);
		i %= out;
		if (n > 0x10ffff) return undefined;
		output.splice(i++, 0, n);
	}
	return String.fromCodePoint(...output);
}

/** Encodes one Unicode label's code points as punycode (without "xn--"). */
export function encodeLabel(label: string): string {
	const input = Array.from(label, (c) => c.codePointAt(0)!);
	let output = '';
	for (const c of input) if (c < 0x80) output += String.fromCharCode(c);
	const basicLength = output.length;
	let handled = basicLength;
	if (basicLength) output += '-';
	let n = INITIAL_N;
	let delta = 0;
	let bias = INITIAL_BIAS;
	while (handled < input.length) {
		let m = 0x7fffffff;
		for (const c of input) if (c >= n && c < m) m = c;
		delta += (m - n) * (handled + 1);
		n = m;
		for (const c of input) {
			if (c < n) delta++;
			if (c === n) {
				let q = delta;
				for (let k = BASE; ; k += BASE) {
					const t = k <= bias ? TMIN : k >= bias + TMAX ? TMAX : k - bias;
					if (q < t) break;
					output += digitToChar(t + ((q - t) % (BASE - t)));
					q = Math.floor((q - t) / (BASE - t));
				}
				output += digitToChar(q);
				bias = adapt(delta, handled + 1, handled === basicLength);
				delta = 0;
				handled++;
			}
		}
		delta++;
		n++;
	}
	return output;
}

/** "xn--" labels shown in Unicode; malformed ones kept as they are. */
export function punycodeToUnicode(domain: string): string {
	return domain
		.split('.')
		.map((label) => {
			if (!/^xn--/i.test(label)) return label;
			const decoded = decodeLabel(label.slice(4).toLowerCase());
			return decoded === undefined ? label : decoded;
		})
		.join('.');
}

/** A domain in A-labels ("bücher.de" → "xn--bcher-kva.de"); undefined when a label cannot be encoded. */
export function domainToAscii(domain: string): string | undefined {
	const labels = domain.split(/[.\u3002\uff0e\uff61]/);
	const out: string[] = [];
	for (const label of labels) {
		if (/^[\x20-\x7e]*$/.test(label)) out.push(label);
		else if (/[\s\u0000-\u001f\u007f]/.test(label)) return undefined;
		else out.push('xn--' + encodeLabel(label.normalize('NFC').toLowerCase()));
	}
	return out.join('.');
}
