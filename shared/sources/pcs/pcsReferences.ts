import { cleanText } from '../../mapping/text.ts';

/**
 * How a notice names its Public Contracts Scotland original: the ways that join a PCS notice to its
 * Find a Tender twin. Evidence (../UPSTREAM.md): PCS releases end `description` with
 * `(SC Ref:580205)`, and so do the Find a Tender notices PCS sends on (44 of the 48 FTS releases
 * in test/fixtures/real/ that link PCS; the other 4 are tender updates); all 48 link the PCS
 * procurement as `links[rel=canonical]` → `…/v1/Notice?id=ocds-r6ebe6-0000833714`.
 *
 * The SC Ref is the notice's own number, the ocid's number is the procurement's first notice's: they
 * differ whenever a procurement has an earlier notice (7 of the 90 captured 2019 contract notices;
 * 25 of those 44 FTS twins, 23 of them awards). So the SC Ref joins a notice to its twin; the canonical link joins
 * only procurements.
 */

/**
 * The notice's SC Ref: the number in the last `(SC Ref:n)` of the text (FTS `076357-2026` quotes
 * `(SC Ref:817618)` and then its own, `(SC Ref:839896)`, the number its canonical link names). Undefined when there is none.
 */
export function scRefOf(description: unknown): number | undefined {
  const text = cleanText(description);
  if (text === undefined) return undefined;
  const refs = [...text.matchAll(/\(SC Ref:\s*(\d+)\)/g)];
  return refs.length === 0 ? undefined : Number(refs.at(-1)![1]);
}

const PCS_OCID = /^https?:\/\/api\.publiccontractsscotland\.gov\.uk\/v1\/Notice\?id=(ocds-r6ebe6-\d+)$/i;

/** The PCS procurement (`ocds-r6ebe6-…`) a release names as its canonical source, if it names one. */
export function pcsOcidLinkedBy(links: unknown): string | undefined {
  if (!Array.isArray(links)) return undefined;
  for (const link of links as { rel?: unknown; href?: unknown }[]) {
    const href = link?.rel === 'canonical' ? cleanText(link.href) : undefined;
    const match = href === undefined ? null : PCS_OCID.exec(href);
    if (match !== null) return match[1];
  }
  return undefined;
}
