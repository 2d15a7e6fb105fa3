import { textToEpochMs } from './dates';

/** A date text as epoch ms, read in `timeZone` when it has no zone of its own; NaN when it is not a date. */
export function zonedToEpochMs(value: string, timeZone: string): number {
	return textToEpochMs(value, timeZone);
}
