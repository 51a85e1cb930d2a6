/** The two upstream services, by the names the search application stores in `contracts.source`. */
export const SOURCE_NAMES = ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const;
export type SourceName = (typeof SOURCE_NAMES)[number];
