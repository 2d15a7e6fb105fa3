import type { IExecuteFunctions } from 'n8n-workflow';
import { NodeOperationError } from 'n8n-workflow';

/**
 * Typed parameter readers: every card (and the trigger) reads its fields through these, so a value of the
 * wrong kind is refused once, at the boundary, with an error that names the field, the value and the item.
 * `name` is the parameter's path ("subject", "options.cc", "filters.sender"), as n8n's getNodeParameter takes it.
 */
export type ParamContext = Pick<IExecuteFunctions, 'getNodeParameter' | 'getNode' | 'getTimezone'>;

const SHOWN = 60;

/** A value as an error message shows it: quoted text or a short JSON rendering, cut at 60 characters. */
export function showValue(value: unknown): string {
	let s: string;
	if (typeof value === 'string')
		s = JSON.stringify(value.length > SHOWN ? value.slice(0, SHOWN) : value);
	else if (Array.isArray(value)) s = `a list ${safeJson(value)}`;
	else if (value && typeof value === 'object') s = `an object ${safeJson(value)}`;
	else s = String(value);
	return s.length > SHOWN + 20 ? `${s.slice(0, SHOWN + 16)}…` : s;
}

function safeJson(value: unknown): string {
	try {
		const s = JSON.stringify(value) ?? String(value);
		return s.length > SHOWN ? `${s.slice(0, SHOWN)}…` : s;
	} catch {
		return '[unprintable]';
	}
}

/** The one error of a bad parameter: `"Label" <why>, got <value> [item N]`. */
export function paramError(
	ctx: Pick<ParamContext, 'getNode'>,
	label: string,
	why: string,
	itemIndex: number,
	value?: unknown,
	description?: string,
) {
	const got = value === undefined ? '' : `, got ${showValue(value)}`;
	return new NodeOperationError(ctx.getNode(), `"${label}" ${why}${got} [item ${itemIndex}]`, {
		itemIndex,
		description,
	});
}

// n8n's getNodeParameter throws for an unset parameter without a fallback: this one stands for "unset"
const UNSET = '\u0000unset';

/** The raw value of a parameter (expressions resolved), `fallback` when it is not set. */
export function rawParam(
	ctx: ParamContext,
	name: string,
	itemIndex: number,
	fallback: unknown = undefined,
): unknown {
	const fb = (fallback ?? UNSET) as never;
	let value = ctx.getNodeParameter(name, itemIndex, fb) as unknown;
	// a resource locator's value (extractValue applies the mode's regex); asked for only then, since n8n's
	// extractValue fails ("Could not find property") on a parameter hidden by displayOptions: Limit while
	// Return All is '' or an expression, as on an AI tool, which then has its fallback
	if (typeof value === 'object' && value !== null && '__rl' in value)
		value = ctx.getNodeParameter(name, itemIndex, fb, { extractValue: true }) as unknown;
	return value === UNSET ? fallback : value;
}

/** Luxon DateTime and similar values an expression may give. */
const isDateLike = (v: unknown): v is { toISO: () => string } =>
	typeof v === 'object' && v !== null && typeof (v as { toISO?: unknown }).toISO === 'function';

/**
 * A value as text: numbers, booleans and dates become their text, null/undefined become ''; objects and
 * lists are refused (they would otherwise turn into "[object Object]").
 */
export function asText(
	ctx: ParamContext,
	label: string,
	value: unknown,
	itemIndex: number,
): string {
	if (value === undefined || value === null) return '';
	if (typeof value === 'string') return value;
	if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint') {
		if (typeof value === 'number' && !Number.isFinite(value))
			throw paramError(ctx, label, 'must be text', itemIndex, value);
		return String(value);
	}
	if (value instanceof Date && !Number.isNaN(value.getTime())) return value.toISOString();
	if (isDateLike(value)) return value.toISO();
	throw paramError(ctx, label, 'must be text', itemIndex, value);
}

export interface TextOptions {
	/** Refuse an empty (or blank) value. */
	required?: boolean;
	/** Trim surrounding white space (default true). */
	trim?: boolean;
	/** Refuse line breaks and NUL (a value that goes into one header or one URL segment). */
	singleLine?: boolean;
	fallback?: string;
}

/** A text parameter. */
export function readText(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	opts: TextOptions = {},
): string {
	const raw = rawParam(ctx, name, itemIndex, opts.fallback ?? '');
	const text = asText(ctx, label, raw, itemIndex);
	const value = opts.trim === false ? text : text.trim();
	if (opts.required && !value.trim()) throw paramError(ctx, label, 'is empty', itemIndex);
	if (opts.singleLine && /[\r\n\u0000]/.test(value))
		throw paramError(ctx, label, 'must be one line (no line breaks or NUL)', itemIndex, value);
	return value;
}

/** A yes/no parameter; "true"/"false" text and 1/0 from expressions are accepted. */
export function readBoolean(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	fallback = false,
): boolean {
	const raw = rawParam(ctx, name, itemIndex, fallback);
	if (raw === undefined || raw === null || raw === '') return fallback;
	if (typeof raw === 'boolean') return raw;
	if (raw === 1 || raw === 0) return raw === 1;
	if (typeof raw === 'string' && /^(true|false)$/i.test(raw.trim()))
		return raw.trim().toLowerCase() === 'true';
	throw paramError(ctx, label, 'must be true or false', itemIndex, raw);
}

/** A number parameter; numeric text from expressions is accepted. */
function readNumber(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	fallback: number,
): number {
	const raw = rawParam(ctx, name, itemIndex, fallback);
	if (raw === undefined || raw === null || raw === '') return fallback;
	const n =
		typeof raw === 'number'
			? raw
			: typeof raw === 'string' && raw.trim() !== ''
				? Number(raw.trim())
				: NaN;
	if (!Number.isFinite(n)) throw paramError(ctx, label, 'must be a number', itemIndex, raw);
	return n;
}

/** A whole number of at least `min` (default 1), at most `max` when given. */
export function readPositiveInt(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	opts: { fallback: number; min?: number; max?: number },
): number {
	const min = opts.min ?? 1;
	const n = readNumber(ctx, itemIndex, name, label, opts.fallback);
	const range = opts.max === undefined ? `of ${min} or more` : `from ${min} to ${opts.max}`;
	if (!Number.isInteger(n) || n < min || (opts.max !== undefined && n > opts.max)) {
		throw paramError(ctx, label, `must be a whole number ${range}`, itemIndex, n);
	}
	return n;
}

/** A positive number (fractions allowed), above 0, capped at `max` (larger values are clamped). */
export function readPositiveNumber(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	opts: { fallback: number; max: number },
): number {
	const n = readNumber(ctx, itemIndex, name, label, opts.fallback);
	if (n <= 0) throw paramError(ctx, label, 'must be a number above 0', itemIndex, n);
	return Math.min(n, opts.max);
}

/** One of a fixed list of values (an expression may set any text: it is checked against the list). */
export function readOption<T extends string>(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	values: readonly T[],
	fallback: T,
): T {
	const raw = rawParam(ctx, name, itemIndex, fallback);
	if (raw === undefined || raw === null || raw === '') return fallback;
	const text = asText(ctx, label, raw, itemIndex).trim();
	if ((values as readonly string[]).includes(text)) return text as T;
	throw paramError(
		ctx,
		label,
		`must be one of ${values.map((v) => `"${v}"`).join(', ')}`,
		itemIndex,
		raw,
	);
}

/** A list of values from a multi-select (or an expression giving a list or comma-separated text). */
export function readList(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
): string[] {
	const raw = rawParam(ctx, name, itemIndex, []);
	if (raw === undefined || raw === null || raw === '') return [];
	const list = Array.isArray(raw)
		? raw
		: typeof raw === 'string'
			? (jsonList(raw) ?? raw.split(','))
			: [raw];
	return list.map((v) => asText(ctx, label, v, itemIndex).trim()).filter(Boolean);
}

/** A list written as JSON text ('["INBOX","Work"]', '[]'), as an AI model or an expression may give it. */
function jsonList(text: string): unknown[] | undefined {
	const t = text.trim();
	if (!t.startsWith('[') || !t.endsWith(']')) return undefined;
	try {
		const parsed: unknown = JSON.parse(t);
		return Array.isArray(parsed) ? parsed : undefined;
	} catch {
		return undefined;
	}
}

/** How one field of a settings collection is read. */
export type SettingKind = 'boolean' | 'text' | readonly string[] | readonly number[];

/**
 * The fields a user added to a settings collection (only those: the others keep Google's current value),
 * each read as its kind; fields the card does not know are dropped.
 */
export function readSettings(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	fields: Record<string, { label: string; kind: SettingKind }>,
): Record<string, string | number | boolean> {
	const raw = rawParam(ctx, name, itemIndex, {});
	if (raw === undefined || raw === null) return {};
	if (typeof raw !== 'object' || Array.isArray(raw))
		throw paramError(ctx, name, 'must be a collection of settings', itemIndex, raw);
	const out: Record<string, string | number | boolean> = {};
	for (const [key, { label, kind }] of Object.entries(fields)) {
		if (!(key in raw)) continue;
		const path = `${name}.${key}`;
		if (kind === 'boolean') out[key] = readBoolean(ctx, itemIndex, path, label);
		else if (kind === 'text') out[key] = readText(ctx, itemIndex, path, label, { trim: false });
		else if (typeof kind[0] === 'number') {
			const value = Number(rawParam(ctx, path, itemIndex));
			if (!(kind as readonly number[]).includes(value)) {
				throw paramError(
					ctx,
					label,
					`must be one of ${kind.join(', ')}`,
					itemIndex,
					rawParam(ctx, path, itemIndex),
				);
			}
			out[key] = value;
		} else
			out[key] = readOption(
				ctx,
				itemIndex,
				path,
				label,
				kind as readonly string[],
				(kind as readonly string[])[0],
			);
	}
	return out;
}
