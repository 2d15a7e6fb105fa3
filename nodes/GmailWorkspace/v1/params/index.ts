/**
 * Typed parameter readers, one per kind of value. Cards and the trigger read every parameter through
 * them; the errors name the field, the value (shortened) and the item.
 */
export { isEmailAddress, readAddressList, readEmail } from './address';
export { readDate, textToEpochMs } from './date';
export { readHeaders } from './headers';
export {
	asText,
	paramError,
	rawParam,
	readBoolean,
	readList,
	readOption,
	readPositiveInt,
	readPositiveNumber,
	readSettings,
	readText,
	showValue,
	type ParamContext,
} from './read';
export { readRequestTimeoutMs, requestOptionsField } from './timeout';
