/** Character classes shared by the linear scanners. */

/** The characters String.prototype.trim removes and the regex class \s matches (WhiteSpace and LineTerminator). */
export function isSpace(c: number): boolean {
	return (
		c === 0x20 ||
		(c >= 0x09 && c <= 0x0d) ||
		(c >= 0xa0 &&
			(c === 0xa0 ||
				c === 0x1680 ||
				(c >= 0x2000 && c <= 0x200a) ||
				c === 0x2028 ||
				c === 0x2029 ||
				c === 0x202f ||
				c === 0x205f ||
				c === 0x3000 ||
				c === 0xfeff))
	);
}

/** The regex class \w without the u flag: [A-Za-z0-9_]. */
export function isWordChar(c: number): boolean {
	return (
		(c >= 0x61 && c <= 0x7a) || (c >= 0x41 && c <= 0x5a) || (c >= 0x30 && c <= 0x39) || c === 0x5f
	);
}

export const isHex = (c: number | undefined) =>
	c !== undefined &&
	((c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x46) || (c >= 0x61 && c <= 0x66));
export const hexVal = (c: number) => (c <= 0x39 ? c - 0x30 : (c | 0x20) - 0x61 + 10);
