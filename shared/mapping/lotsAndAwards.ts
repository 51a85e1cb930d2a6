import { toIsoInstant } from '../ocds/isoInstant.ts';
import type { Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';
import { lotCpvCodes } from './cpvCodes.ts';
import type { MappedAward, MappedLot } from './mappedRelease.ts';
import { lotValue } from './lotCurrency.ts';
import { cleanText, idText } from './text.ts';
import { amountOf } from './values.ts';

function sameCodes(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((code, i) => code === b[i]);
}

/**
 * The tender's lots. A lot's `cpvCodes` (its own classifications and its related items') are left
 * out when they are the contract's codes, as with a single-lot tender: nothing is stored twice. A
 * lot's value keeps its own currency, unless it only repeats the tender's value under an upstream
 * default currency (lotCurrency.ts: the `AED` lots of GBP tenders), and is flagged
 * `valueIncludesVat` when only its gross amount is known (as awards' values). Lots without an
 * id are skipped (OCDS requires one).
 */
export function mapLots(release: Release, contractCpvCodes: readonly string[]): MappedLot[] {
  const items = release.tender?.items ?? [];
  return (release.tender?.lots ?? []).flatMap((lot) => {
    const id = idText(lot.id);
    if (id === undefined) return [];
    const lotAmount = lotValue(lot.value, release.tender?.value);
    const value = amountOf(lotAmount);
    const cpvCodes = lotCpvCodes(lot, items);
    return [
      {
        id,
        ...compact({
          title: cleanText(lot.title),
          description: cleanText(lot.description),
          status: cleanText(lot.status),
          value: value?.amount,
          currency: value === undefined ? undefined : cleanText(lotAmount?.currency),
          valueIncludesVat: value?.vatIncluded,
          cpvCodes: sameCodes(cpvCodes, contractCpvCodes) ? undefined : cpvCodes,
        }),
      },
    ];
  });
}

/**
 * The awards, with their suppliers (id and name as given; CF suppliers may lack a name) and the
 * lots they award (`relatedLots`).
 */
export function mapAwards(release: Release): MappedAward[] {
  return (release.awards ?? []).flatMap((award) => {
    const id = idText(award.id);
    if (id === undefined) return [];
    const value = amountOf(award.value);
    const suppliers = (award.suppliers ?? [])
      .map((supplier) => compact({ id: idText(supplier.id), name: cleanText(supplier.name) }))
      .filter((supplier) => Object.keys(supplier).length > 0);
    return [
      {
        id,
        ...compact({
          status: cleanText(award.status),
          date: toIsoInstant(award.date),
          value: value?.amount,
          currency: value === undefined ? undefined : cleanText(award.value?.currency),
          valueIncludesVat: value?.vatIncluded,
          relatedLots: (award.relatedLots ?? []).map(idText).filter((lot) => lot !== undefined),
        }),
        suppliers,
      },
    ];
  });
}
