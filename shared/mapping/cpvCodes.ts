import type { Classification, Item, Lot, Release } from '../ocds/releaseSchema.ts';
import { idText } from './text.ts';

/**
 * The 8-digit code of a CPV classification, or undefined for another scheme or a malformed id.
 * Tolerates the check digit some publishers append (`48000000-8`).
 */
export function cpvCode(classification: Classification | null | undefined): string | undefined {
  if (classification == null) return undefined;
  if (classification.scheme?.trim().toUpperCase() !== 'CPV') return undefined;
  const match = CPV_ID.exec(idText(classification.id) ?? '');
  return match === null ? undefined : match[1];
}

const CPV_ID = /^(\d{8})(?:-\d)?$/;

function codesOf(holder: {
  classification?: Classification | null | undefined;
  additionalClassifications?: Classification[] | null | undefined;
}): (string | undefined)[] {
  return [cpvCode(holder.classification), ...(holder.additionalClassifications ?? []).map(cpvCode)];
}

function distinct(codes: (string | undefined)[]): string[] {
  return [...new Set(codes.filter((code) => code !== undefined))];
}

/**
 * Distinct CPV codes of a release, main code first: tender.classification, tender.items'
 * classifications, lots' classifications, then awards' items. The last source is needed: real FTS
 * award notices (UK6) have no tender items and classify only `awards[].items`.
 */
export function cpvCodesOf(release: Release): string[] {
  const tender = release.tender;
  return distinct([
    ...(tender ? codesOf(tender) : []),
    ...(tender?.items ?? []).flatMap(codesOf),
    ...(tender?.lots ?? []).flatMap(codesOf),
    ...(release.awards ?? []).flatMap((award) => (award.items ?? []).flatMap(codesOf)),
  ]);
}

/** A lot's own CPV codes plus those of the items related to it (`relatedLot`). */
export function lotCpvCodes(lot: Lot, items: readonly Item[]): string[] {
  const lotId = idText(lot.id);
  const related = items.filter((item) => lotId !== undefined && idText(item.relatedLot) === lotId);
  return distinct([...codesOf(lot), ...related.flatMap(codesOf)]);
}
