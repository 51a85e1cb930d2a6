import type { Release } from '../ocds/releaseSchema.ts';
import { cleanText } from './text.ts';

/** The `(SC Ref:n)` lines a Public Contracts Scotland notice, and its Find a Tender twin, end with. */
const SC_REF_TAIL = /(?:\s*\(SC Ref:\s*\d+\))+\s*$/;

/**
 * `description`: the tender's, else the first lot's that has one, else the release's own. FTS
 * Provider Selection Regime notices and contract modifications leave `tender.description` out and
 * describe the procurement in a lot or in `release.description` (7 of 1,632 real releases).
 * Without the trailing `(SC Ref:n)`: a reference for machines, kept as `scRef`, not text a reader
 * searches or reads (the FTS awards PCS sends on describe the procurement in `release.description`).
 */
export function descriptionOf(release: Release): string | undefined {
  const text =
    cleanText(release.tender?.description) ??
    (release.tender?.lots ?? []).map((lot) => cleanText(lot.description)).find((text) => text !== undefined) ??
    cleanText(release.description);
  return cleanText(text?.replace(SC_REF_TAIL, ''));
}
