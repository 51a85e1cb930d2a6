import type { OcdsValue, Release } from '../ocds/releaseSchema.ts';
import { cleanText } from './text.ts';

/**
 * The amount of a value: `amount`, or `amountGross` when that is all there is (real FTS award
 * values carry only `amountGross`). Non-finite numbers (`1e9999` parses to Infinity) count as absent.
 */
export function amountOf(value: OcdsValue | null | undefined): number | undefined {
  if (value == null) return undefined;
  if (isFiniteNumber(value.amount)) return value.amount;
  if (isFiniteNumber(value.amountGross)) return value.amountGross;
  return undefined;
}

function isFiniteNumber(n: unknown): n is number {
  return typeof n === 'number' && Number.isFinite(n);
}

export interface ValueRange {
  valueMin?: number;
  valueMax?: number;
  currency?: string;
}

/**
 * Smallest and largest amount among tender.value, tender.minValue, lots' and awards' values, in the
 * main currency: the tender's, else GBP if any value is in GBP, else the first currency seen.
 * Values in another currency are ignored (real FTS data has an `AED` lot on a GBP tender); a value
 * without a currency is taken to be in the main one. A zero amount is ignored too: CF sends award
 * amounts of 0 when the value is unknown, and 0 would drag every range down to nothing.
 * Everything is left out when no amount remains.
 */
export function valueRangeOf(release: Release): ValueRange {
  const tender = release.tender;
  const values = [
    tender?.value,
    tender?.minValue,
    ...(tender?.lots ?? []).map((lot) => lot.value),
    ...(release.awards ?? []).map((award) => award.value),
  ].filter((value) => value != null);
  const currencies = values.map((value) => cleanText(value.currency)).filter((c) => c !== undefined);
  const currency =
    cleanText(tender?.value?.currency) ??
    cleanText(tender?.minValue?.currency) ??
    (currencies.includes('GBP') ? 'GBP' : currencies[0]);
  const amounts = values
    .filter((value) => {
      const own = cleanText(value.currency);
      return own === undefined || own === currency;
    })
    .map(amountOf)
    .filter((amount): amount is number => amount !== undefined && amount !== 0);
  if (amounts.length === 0) return {};
  return { valueMin: Math.min(...amounts), valueMax: Math.max(...amounts), ...(currency ? { currency } : {}) };
}
