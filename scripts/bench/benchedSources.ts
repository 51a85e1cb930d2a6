import type { SourceName } from '../../shared/sources/sourceName.ts';

/** The sources the bench runs, by their key in the options (BENCH_FTS_*, BENCH_CF_*, BENCH_PCS_*). */
export const SOURCE_KEY = { FIND_A_TENDER: 'fts', CONTRACTS_FINDER: 'cf', PUBLIC_CONTRACTS_SCOTLAND: 'pcs' } as const satisfies Record<SourceName, string>;
export type BenchedSource = keyof typeof SOURCE_KEY;
export type SourceKey = (typeof SOURCE_KEY)[BenchedSource];
export const BENCHED = Object.keys(SOURCE_KEY) as BenchedSource[];
