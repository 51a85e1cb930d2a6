import { contractsFinder } from './contractsFinder.ts';
import { findATender } from './findATender.ts';
import type { SourceAdapter } from './source.ts';
import type { SourceName } from './sourceName.ts';

/** Every source the pipeline copies, by name. Adding a source: one adapter file and one line here. */
export const sources: Record<SourceName, SourceAdapter> = {
  FIND_A_TENDER: findATender,
  CONTRACTS_FINDER: contractsFinder,
};
