import type { OcdsValue } from '../ocds/releaseSchema.ts';

/**
 * A lot's value, with the tender's currency when the lot only repeats the tender's value under
 * another currency. Real FTS UK4 tender notices (20 of 1,632 releases, every one a single lot)
 * give the lot exactly the tender's amounts, `amount` and `amountGross` alike, in `AED` beside a
 * `GBP` tender: a currency the publisher's form defaults to, not one anybody tendered in. Amounts
 * that differ keep their own currency (a lot really priced in euros stays in euros).
 */
export function lotValue(lot: OcdsValue | null | undefined, tender: OcdsValue | null | undefined): OcdsValue | null | undefined {
  if (lot == null || tender == null || !tender.currency || !lot.currency || lot.currency === tender.currency) return lot;
  return repeatsTender(lot, tender) ? { ...lot, currency: tender.currency } : lot;
}

function repeatsTender(lot: OcdsValue, tender: OcdsValue): boolean {
  const same = (a: number | null | undefined, b: number | null | undefined) => (a ?? undefined) === (b ?? undefined);
  const anyAmount = lot.amount != null || lot.amountGross != null;
  return anyAmount && same(lot.amount, tender.amount) && same(lot.amountGross, tender.amountGross);
}
