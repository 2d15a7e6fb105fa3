import { asText, paramError, rawParam, type ParamContext } from './read';

const WALL_TIME =
	/^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3})\d*)?)?)?$/;
const HAS_ZONE = /(?:Z|[+-]\d{2}:?\d{2})$/i;

/** How far `timeZone` is ahead of UTC at instant `t` (ms). */
function offsetMs(t: number, timeZone: string): number {
	const parts = new Intl.DateTimeFormat('en-US', {
		timeZone,
		hourCycle: 'h23',
		year: 'numeric',
		month: '2-digit',
		day: '2-digit',
		hour: '2-digit',
		minute: '2-digit',
		second: '2-digit',
	}).formatToParts(new Date(t));
	const n = (type: string) => Number(parts.find((p) => p.type === type)?.value);
	const wall = Date.UTC(n('year'), n('month') - 1, n('day'), n('hour'), n('minute'), n('second'));
	return wall - Math.floor(t / 1000) * 1000;
}

/** The instant a wall-clock time in `timeZone` denotes (the earlier one in a DST overlap). */
export function wallTimeToEpochMs(fields: number[], timeZone: string): number {
	const [y, mo, d, h = 0, mi = 0, s = 0, ms = 0] = fields;
	const asUtc = Date.UTC(y, mo - 1, d, h, mi, s, ms);
	const first = asUtc - offsetMs(asUtc, timeZone);
	const second = asUtc - offsetMs(first, timeZone);
	return Math.min(first, second);
}

/**
 * A date text as epoch milliseconds, NaN when it is not one: without a zone ("2025-07-01",
 * "2025-07-01T09:00:00") it is read in `timeZone`; ISO text with a zone and epoch digits as they are.
 */
export function textToEpochMs(value: string, timeZone: string): number {
	const text = value.trim();
	const wall = WALL_TIME.exec(text);
	if (wall) {
		const fields = wall
			.slice(1)
			.map((p, k) => (p === undefined ? 0 : k === 6 ? Number(p.padEnd(3, '0')) : Number(p)));
		const [y, mo, d, h, mi, s] = fields;
		const calendar = new Date(Date.UTC(y, mo - 1, d));
		if (
			calendar.getUTCMonth() !== mo - 1 ||
			calendar.getUTCDate() !== d ||
			h > 23 ||
			mi > 59 ||
			s > 59
		)
			return NaN;
		return wallTimeToEpochMs(fields, timeZone);
	}
	if (/^\d{10,}$/.test(text)) return Number(text);
	return HAS_ZONE.test(text) ? Date.parse(text) : NaN;
}

/**
 * A date parameter as epoch milliseconds, undefined when empty. Dates without a zone ("2025-07-01" or
 * "2025-07-01T09:00:00", as n8n's date picker gives them) are read in the workflow's timezone; ISO strings
 * with a zone, epoch numbers, Date and Luxon DateTime values (from expressions) are taken as they are.
 */
export function readDate(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
): number | undefined {
	const value = rawParam(ctx, name, itemIndex, '');
	if (value === undefined || value === null || value === '') return undefined;
	const bad = () => paramError(ctx, label, 'is not a date', itemIndex, value);
	if (typeof value === 'number') {
		if (!Number.isFinite(value)) throw bad();
		return value;
	}
	if (value instanceof Date) {
		if (Number.isNaN(value.getTime())) throw bad();
		return value.getTime();
	}
	if (
		typeof value === 'object' &&
		typeof (value as { toMillis?: unknown }).toMillis === 'function'
	) {
		const ms = (value as { toMillis: () => number }).toMillis();
		if (!Number.isFinite(ms)) throw bad();
		return ms;
	}
	const ms = textToEpochMs(asText(ctx, label, value, itemIndex), ctx.getTimezone());
	if (Number.isFinite(ms)) return ms;
	throw bad();
}
