import { NodeOperationError } from 'n8n-workflow';

import type { Address } from '../../mime';
import { isValidAddress, normalizeAddresses } from '../../mime/address';
import { MimeError } from '../../mime/errors';
import { paramError, rawParam, readText, type ParamContext } from './read';

/** The one e-mail address rule of the package (RFC 5322 addr-spec, IDN domains allowed). */
export const isEmailAddress = isValidAddress;

/** A parameter that holds one e-mail address (lower-cased unless `keepCase`); '' when empty and not required. */
export function readEmail(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	opts: { required?: boolean; keepCase?: boolean; what?: string } = {},
): string {
	const value = readText(ctx, itemIndex, name, label, { singleLine: true });
	const what = opts.what ?? 'an email address';
	if (!value) {
		if (opts.required) throw paramError(ctx, label, `is empty: give ${what}`, itemIndex);
		return '';
	}
	if (!isValidAddress(value))
		throw paramError(
			ctx,
			label,
			`must be ${what === 'an email address' ? 'one email address' : what}`,
			itemIndex,
			value,
		);
	return opts.keepCase ? value : value.toLowerCase();
}

/**
 * A recipient list: comma-separated text ("a@x.com, Jane <j@x.com>") or, from an expression, a list of
 * addresses or { name, address } objects. Every entry is checked; the first bad one is named.
 */
export function readAddressList(
	ctx: ParamContext,
	itemIndex: number,
	name: string,
	label: string,
	opts: { required?: boolean } = {},
): Address[] {
	const raw = rawParam(ctx, name, itemIndex, '');
	const input = typeof raw === 'number' || typeof raw === 'boolean' ? String(raw) : raw;
	if (
		input !== undefined &&
		input !== null &&
		typeof input !== 'string' &&
		!Array.isArray(input) &&
		typeof input !== 'object'
	) {
		throw paramError(ctx, label, 'must be addresses separated by commas', itemIndex, raw);
	}
	let list: Address[];
	try {
		list = normalizeAddresses(input as Parameters<typeof normalizeAddresses>[0], label);
	} catch (error) {
		if (!(error instanceof MimeError))
			throw new NodeOperationError(ctx.getNode(), error as Error, { itemIndex });
		const why = /Line break|NUL/.test(error.message)
			? 'must be one line (no line breaks or NUL)'
			: 'holds an invalid email address';
		throw paramError(ctx, label, why, itemIndex, error.value ?? raw);
	}
	if (opts.required && !list.length)
		throw paramError(ctx, label, 'is empty: give at least one email address', itemIndex);
	return list;
}
