import type { IDataObject } from 'n8n-workflow';

import { asText, paramError, rawParam, type ParamContext } from './read';

/** RFC 5322 field-name: printable US-ASCII except the colon. */
const FIELD_NAME = /^[\x21-\x39\x3b-\x7e]{1,76}$/;

/**
 * Custom headers from a fixed collection of { name, value } rows. A row with neither is skipped; a value
 * without a name, a name that is not an RFC 5322 field name, or a line break in either is refused.
 */
export function readHeaders(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
): Array<{ name: string; value: string }> {
	const raw = rawParam(ctx, name, itemIndex, {}) as IDataObject | undefined;
	const rows = (raw?.header ?? []) as unknown;
	if (!Array.isArray(rows))
		throw paramError(ctx, label, 'must be a list of headers', itemIndex, rows);
	const out: Array<{ name: string; value: string }> = [];
	rows.forEach((row: IDataObject, n) => {
		const field = `${label} ${n + 1}`;
		const headerName = asText(ctx, `${field} name`, row?.name, itemIndex).trim();
		const value = asText(ctx, `${field} value`, row?.value, itemIndex);
		if (!headerName && !value.trim()) return;
		if (!headerName)
			throw paramError(
				ctx,
				`${field} name`,
				'is empty (the header has a value but no name)',
				itemIndex,
			);
		if (!FIELD_NAME.test(headerName)) {
			throw paramError(
				ctx,
				`${field} name`,
				'must be a header name of printable ASCII without spaces or ":"',
				itemIndex,
				headerName,
			);
		}
		if (/[\r\n\u0000]/.test(value))
			throw paramError(
				ctx,
				`${field} value`,
				'must be one line (no line breaks or NUL)',
				itemIndex,
				value,
			);
		out.push({ name: headerName, value });
	});
	return out;
}
