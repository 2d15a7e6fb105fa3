import type { ParamContext } from '../../params';
import { paramError } from '../../params';

/**
 * Gmail's label colour palette: the only values labels.create / update / patch accept for `color.backgroundColor`
 * and `color.textColor` (the same list for both), from Google's Label resource reference
 * (developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels#Color, discovery document
 * revision 20240701, schema LabelColor). Gmail answers any other value with a bare 400.
 */
export const LABEL_COLORS: readonly string[] = [
	'#000000',
	'#434343',
	'#666666',
	'#999999',
	'#cccccc',
	'#efefef',
	'#f3f3f3',
	'#ffffff',
	'#fb4c2f',
	'#ffad47',
	'#fad165',
	'#16a766',
	'#43d692',
	'#4a86e8',
	'#a479e2',
	'#f691b3',
	'#f6c5be',
	'#ffe6c7',
	'#fef1d1',
	'#b9e4d0',
	'#c6f3de',
	'#c9daf8',
	'#e4d7f5',
	'#fcdee8',
	'#efa093',
	'#ffd6a2',
	'#fce8b3',
	'#89d3b2',
	'#a0eac9',
	'#a4c2f4',
	'#d0bcf1',
	'#fbc8d9',
	'#e66550',
	'#ffbc6b',
	'#fcda83',
	'#44b984',
	'#68dfa9',
	'#6d9eeb',
	'#b694e8',
	'#f7a7c0',
	'#cc3a21',
	'#eaa041',
	'#f2c960',
	'#149e60',
	'#3dc789',
	'#3c78d8',
	'#8e63ce',
	'#e07798',
	'#ac2b16',
	'#cf8933',
	'#d5ae49',
	'#0b804b',
	'#2a9c68',
	'#285bac',
	'#653e9b',
	'#b65775',
	'#822111',
	'#a46a21',
	'#aa8831',
	'#076239',
	'#1a764d',
	'#1c4587',
	'#41236d',
	'#83334c',
	'#464646',
	'#e7e7e7',
	'#0d3472',
	'#b6cff5',
	'#0d3b44',
	'#98d7e4',
	'#3d188e',
	'#e3d7ff',
	'#711a36',
	'#fbd3e0',
	'#8a1c0a',
	'#f2b2a8',
	'#7a2e0b',
	'#ffc8af',
	'#7a4706',
	'#ffdeb5',
	'#594c05',
	'#fbe983',
	'#684e07',
	'#fdedc1',
	'#0b4f30',
	'#b3efd3',
	'#04502e',
	'#a2dcc1',
	'#c2c2c2',
	'#4986e7',
	'#2da2bb',
	'#b99aff',
	'#994a64',
	'#f691b2',
	'#ff7537',
	'#ffad46',
	'#662e37',
	'#ebdbde',
	'#cca6ac',
	'#094228',
	'#42d692',
	'#16a765',
];

const rgb = (hex: string) => [1, 3, 5].map((k) => parseInt(hex.slice(k, k + 2), 16));

/** The palette colour nearest to `hex` (plain RGB distance), to suggest in the error. */
export function nearestLabelColor(hex: string): string {
	const [r, g, b] = rgb(hex);
	let best = LABEL_COLORS[0];
	let bestD = Infinity;
	for (const c of LABEL_COLORS) {
		const [r2, g2, b2] = rgb(c);
		const d = (r - r2) ** 2 + (g - g2) ** 2 + (b - b2) ** 2;
		if (d < bestD) {
			bestD = d;
			best = c;
		}
	}
	return best;
}

/** A colour field's value as Gmail takes it (#rrggbb, lower case), refused unless it is on the palette. */
export function checkLabelColor(
	ctx: Pick<ParamContext, 'getNode'>,
	value: string,
	field: string,
	itemIndex: number,
): string {
	const v = value.trim().toLowerCase();
	const hex = /^#?[0-9a-f]{6}$/.test(v) ? (v.startsWith('#') ? v : `#${v}`) : undefined;
	if (!hex)
		throw paramError(
			ctx,
			field,
			"must be a colour written #rrggbb from Gmail's palette",
			itemIndex,
			value,
		);
	if (!LABEL_COLORS.includes(hex))
		throw paramError(
			ctx,
			field,
			`is not on Gmail's label palette (nearest: ${nearestLabelColor(hex)})`,
			itemIndex,
			value,
			'Gmail accepts only its own palette of label colours: see https://developers.google.com/workspace/gmail/api/reference/rest/v1/users.labels#Color',
		);
	return hex;
}
