/**
 * The one error the MIME module throws. Building refuses bad input (header injection, invalid addresses,
 * structural headers passed as custom headers) with a MimeError that names the offending field; parsing
 * never throws.
 */
export class MimeError extends Error {
	/** The input field at fault, e.g. "subject", "to", "headers[X-Tag]", "attachments[2].filename". */
	readonly field: string;
	/** The offending value (as given), when there is one. */
	readonly value?: string;

	constructor(message: string, field: string, value?: string) {
		super(message);
		this.name = 'MimeError';
		this.field = field;
		if (value !== undefined) this.value = value;
	}
}
