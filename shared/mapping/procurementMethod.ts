import type { Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';
import { cleanText } from './text.ts';

export interface ProcurementMethod {
  /** OCDS code: `open`, `selective`, `limited`, `direct`. */
  procurementMethod?: string;
  /** The procedure as the publisher words it: `Call-off from a framework agreement`. */
  procurementMethodDetails?: string;
  /** `goods`, `works` or `services`. */
  mainProcurementCategory?: string;
}

/** From the tender; the category, which FTS award notices carry on the award, else from the first award that has one. */
export function procurementMethodOf(release: Release): ProcurementMethod {
  const tender = release.tender;
  return compact({
    procurementMethod: cleanText(tender?.procurementMethod),
    procurementMethodDetails: cleanText(tender?.procurementMethodDetails),
    mainProcurementCategory:
      cleanText(tender?.mainProcurementCategory) ??
      (release.awards ?? []).map((award) => cleanText(award.mainProcurementCategory)).find((c) => c !== undefined),
  });
}
