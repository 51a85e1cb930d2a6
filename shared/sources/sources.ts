import { contractsFinder } from './contractsFinder.ts';
import { findATender } from './findATender.ts';
import { publicContractsScotland } from './publicContractsScotland.ts';
import { byOwnName } from './source.ts';

/** Every source the pipeline copies, by name. Adding a source: one adapter file and one line here. */
export const sources = byOwnName({
  FIND_A_TENDER: findATender,
  CONTRACTS_FINDER: contractsFinder,
  PUBLIC_CONTRACTS_SCOTLAND: publicContractsScotland,
});
