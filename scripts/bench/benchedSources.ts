import type { SourceName } from '../../shared/sources/sourceName.ts';

/** The sources the bench runs (its stack leaves Public Contracts Scotland off), by their key in the options. */
export const SOURCE_KEY = { FIND_A_TENDER: 'fts', CONTRACTS_FINDER: 'cf' } as const;
export type BenchedSource = keyof typeof SOURCE_KEY;
export const BENCHED = Object.keys(SOURCE_KEY) as BenchedSource[];

export const isBenched = (source: SourceName): source is BenchedSource => Object.hasOwn(SOURCE_KEY, source);
