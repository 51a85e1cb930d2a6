import type { MappedValue, ValueSource } from './values.ts';

/** Rank of each value source (values.ts order); tender.value and minValue are one range. */
const RANK: Readonly<Record<ValueSource, number>> = { final: 1, award: 2, contract: 3, amendment: 4, tender: 5, tenderMin: 5, lot: 6, budget: 7 };

export interface ValueRange {
  valueMin?: number;
  valueMax?: number;
  currency?: string;
  /** Every amount behind the range includes VAT (the source gave only gross amounts). */
  valueIncludesVat?: true;
}

/**
 * The search range, from the values of the first source (in values.ts order: final values, awards,
 * contracts, contract changes, tender value / minValue, lots, budget) that has any: its smallest and largest amount. Currency:
 * the first one that source names; its amounts in another currency stay out (a lot in AED beside
 * GBP ones), and an amount without a currency counts as in it. Net amounts win over gross ones:
 * gross-only amounts make the range only when the source has no net one, and then flag it
 * `valueIncludesVat`, so VAT-inclusive and net amounts are never mixed. `{}` when nothing is left.
 */
export function valueRangeOf(values: readonly MappedValue[]): ValueRange {
  const rank = Math.min(...values.map((value) => RANK[value.source]));
  const ranked = values.filter((value) => RANK[value.source] === rank);
  const currency = ranked.find((value) => value.currency !== undefined)?.currency;
  const sameCurrency = ranked.filter((value) => value.currency === undefined || value.currency === currency);
  const net = sameCurrency.filter((value) => value.vatIncluded !== true);
  const used = net.length > 0 ? net : sameCurrency;
  if (used.length === 0) return {};
  const amounts = used.map((value) => value.amount);
  return {
    valueMin: Math.min(...amounts),
    valueMax: Math.max(...amounts),
    ...(currency !== undefined && { currency }),
    ...(net.length === 0 && { valueIncludesVat: true as const }),
  };
}
