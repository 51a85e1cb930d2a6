import { sources } from './sources.ts';

/** The upstream services, by the names the search application stores in `contracts.source`. */
export type SourceName = keyof typeof sources;
export const SOURCE_NAMES = Object.keys(sources) as SourceName[];
