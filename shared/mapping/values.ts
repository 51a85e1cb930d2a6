import type { OcdsValue, Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';
import { lotValue } from './lotCurrency.ts';
import { cleanText, idText } from './text.ts';

/**
 * Where a value comes from, in the ONE order values are listed and ranked (first wins):
 *   1. `final`     contracts[].implementation.finalValue — what was paid in the end (FTS UK11
 *                  contract termination notices)
 *   2. `award`     awards[].value — what was awarded
 *   3. `contract`  contracts[].value — the signed contract (FTS award-stage values mostly sit here)
 *   4. `amendment` contracts[].amendments[] / proposedAmendments[] .value — a contract change's
 *                  value (FTS UK10 contract change notices)
 *   5. `tender`    tender.value — the estimated value, and `tenderMin` tender.minValue beside it
 *   6. `lot`       tender.lots[].value — when the tender gives no total
 *   7. `budget`    planning.budget.amount — the planned budget
 */
export const VALUE_SOURCES = ['final', 'award', 'contract', 'amendment', 'tender', 'tenderMin', 'lot', 'budget'] as const;
export type ValueSource = (typeof VALUE_SOURCES)[number];

/** One amount of the release, with its own currency. */
export interface MappedValue {
  source: ValueSource;
  /** The award's, contract's or lot's id. */
  id?: string;
  /** Net of VAT, unless `vatIncluded`. */
  amount: number;
  currency?: string;
  /** The publisher gave only `amountGross`: this amount includes VAT. */
  vatIncluded?: true;
  /** The gross amount given beside a net `amount`. */
  amountGross?: number;
}

const finite = (n: unknown): n is number => typeof n === 'number' && Number.isFinite(n);

/**
 * A value's amount: `amount` (net), else `amountGross` flagged `vatIncluded` (real FTS award values
 * carry only `amountGross`). Non-finite numbers (`1e9999` parses to Infinity) and 0 (CF sends 0
 * when the amount is unknown) are no amount.
 */
export function amountOf(value: OcdsValue | null | undefined): Omit<MappedValue, 'source' | 'id' | 'currency'> | undefined {
  if (value == null) return undefined;
  const gross = finite(value.amountGross) && value.amountGross !== 0 ? value.amountGross : undefined;
  if (finite(value.amount) && value.amount !== 0) return compact({ amount: value.amount, amountGross: gross });
  return gross === undefined ? undefined : { amount: gross, vatIncluded: true };
}

function valueOf(source: ValueSource, id: unknown, value: OcdsValue | null | undefined): MappedValue[] {
  const amount = amountOf(value);
  if (amount === undefined) return [];
  return [{ source, ...compact({ id: idText(id) }), ...amount, ...compact({ currency: cleanText(value?.currency) }) }];
}

/**
 * Every amount the release carries, in the order of VALUE_SOURCES; each keeps its own currency,
 * except a lot's upstream default currency (lotCurrency.ts).
 */
export function valuesOf(release: Release): MappedValue[] {
  const tender = release.tender;
  const contracts = release.contracts ?? [];
  return [
    ...contracts.flatMap((contract) => valueOf('final', contract.id, contract.implementation?.finalValue)),
    ...(release.awards ?? []).flatMap((award) => valueOf('award', award.id, award.value)),
    ...contracts.flatMap((contract) => valueOf('contract', contract.id, contract.value)),
    ...contracts.flatMap((contract) =>
      [...(contract.amendments ?? []), ...(contract.proposedAmendments ?? [])].flatMap((change) => valueOf('amendment', change.id, change.value)),
    ),
    ...valueOf('tender', undefined, tender?.value),
    ...valueOf('tenderMin', undefined, tender?.minValue),
    ...(tender?.lots ?? []).flatMap((lot) => valueOf('lot', lot.id, lotValue(lot.value, tender?.value))),
    ...valueOf('budget', undefined, release.planning?.budget?.amount),
  ];
}
