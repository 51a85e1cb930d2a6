import type { Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';

export interface Suitability {
  /** Suitable for small and medium-sized enterprises. */
  suitableForSme?: boolean;
  /** Suitable for voluntary, community and social enterprises. */
  suitableForVcse?: boolean;
}

/** true when any says true, false when all that say say false, undefined when none says. */
function anyOf(flags: (boolean | null | undefined)[]): boolean | undefined {
  const said = flags.filter((flag) => typeof flag === 'boolean');
  return said.length === 0 ? undefined : said.includes(true);
}

/**
 * SME / VCSE suitability: `tender.suitability` (every real CF release has it), else the lots'
 * (`tender.lots[].suitability`, FTS Procurement Act notices): suitable when any lot is.
 */
export function suitabilityOf(release: Release): Suitability {
  const tender = release.tender?.suitability;
  const lots = (release.tender?.lots ?? []).map((lot) => lot.suitability);
  return compact({
    suitableForSme: typeof tender?.sme === 'boolean' ? tender.sme : anyOf(lots.map((s) => s?.sme)),
    suitableForVcse: typeof tender?.vcse === 'boolean' ? tender.vcse : anyOf(lots.map((s) => s?.vcse)),
  });
}
