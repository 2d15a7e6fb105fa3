import { readdirSync, readFileSync } from 'node:fs';
import * as path from 'node:path';

export const CORPUS_DIR = path.resolve(__dirname, '../../../shared/corpus/eml');

export function corpusFiles(): string[] {
	return readdirSync(CORPUS_DIR)
		.filter((f) => f.endsWith('.eml'))
		.sort();
}

export const readCorpus = (file: string) => readFileSync(path.join(CORPUS_DIR, file));

export interface Addr {
	name: string;
	address: string;
}

/** mailparser's address object ({ value: [...] }, groups nested) → a flat { name, address } list. */
export function flatAddresses(v: unknown): Addr[] {
	const out: Addr[] = [];
	const walk = (list: any[]) =>
		list.forEach((a) => (a.group ? walk(a.group) : out.push({ name: a.name || '', address: a.address || '' })));
	if (v) walk(([] as any[]).concat(v).flatMap((x: any) => x.value));
	return out;
}

/** Only trailing whitespace / newlines are normalised; absent bodies compare as ''. */
export const normBody = (s: unknown) => (s === undefined || s === false || s === null ? '' : String(s)).replace(/\s+$/, '');
