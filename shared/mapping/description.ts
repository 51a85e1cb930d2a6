import type { Release } from '../ocds/releaseSchema.ts';
import { cleanText } from './text.ts';

/**
 * `description`: the tender's, else the first lot's that has one, else the release's own. FTS
 * Provider Selection Regime notices and contract modifications leave `tender.description` out and
 * describe the procurement in a lot or in `release.description` (7 of 1,632 real releases).
 */
export function descriptionOf(release: Release): string | undefined {
  return (
    cleanText(release.tender?.description) ??
    (release.tender?.lots ?? []).map((lot) => cleanText(lot.description)).find((text) => text !== undefined) ??
    cleanText(release.description)
  );
}
