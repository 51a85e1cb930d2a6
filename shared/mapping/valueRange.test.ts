import { describe, expect, it } from 'vitest';
import { valueRangeOf } from './valueRange.ts';
import type { MappedValue } from './values.ts';

const v = (source: MappedValue['source'], amount: number, extra: Partial<MappedValue> = {}): MappedValue => ({ source, amount, currency: 'GBP', ...extra });

describe('valueRangeOf: the first source with an amount makes the range', () => {
  it.each<[string, MappedValue[], object]>([
    ['awards rank first', [v('award', 700), v('award', 800), v('tender', 500), v('budget', 50)], { valueMin: 700, valueMax: 800, currency: 'GBP' }],
    ['then contracts', [v('contract', 650), v('tender', 500), v('lot', 10)], { valueMin: 650, valueMax: 650, currency: 'GBP' }],
    ['tender value and minValue are one range', [v('tender', 500), v('tenderMin', 100), v('lot', 900)], { valueMin: 100, valueMax: 500, currency: 'GBP' }],
    ['lots when the tender has no value', [v('lot', 300), v('lot', 200), v('budget', 900)], { valueMin: 200, valueMax: 300, currency: 'GBP' }],
    ['the budget last', [v('budget', 900)], { valueMin: 900, valueMax: 900, currency: 'GBP' }],
    // VAT: gross-only amounts never sit unflagged beside net ones.
    ['gross only: flagged', [v('award', 256378.74, { vatIncluded: true })], { valueMin: 256378.74, valueMax: 256378.74, currency: 'GBP', valueIncludesVat: true }],
    ['a net amount beside a gross-only one: the net one, unflagged', [v('award', 1200, { vatIncluded: true }), v('award', 900)], { valueMin: 900, valueMax: 900, currency: 'GBP' }],
    ['the gross given beside a net amount is not a second amount', [v('award', 31715, { amountGross: 38058 })], { valueMin: 31715, valueMax: 31715, currency: 'GBP' }],
    // Currency: the first the source names; others stay out; none counts as that one.
    ['a lot in AED beside GBP lots', [v('lot', 100), v('lot', 2772000, { currency: 'AED' })], { valueMin: 100, valueMax: 100, currency: 'GBP' }],
    ['an amount without currency counts in', [v('tender', 500, { currency: 'EUR' }), { source: 'tenderMin', amount: 100 }], { valueMin: 100, valueMax: 500, currency: 'EUR' }],
    ['no currency at all', [{ source: 'tender', amount: 500 }], { valueMin: 500, valueMax: 500 }],
    ['no amount', [], {}],
  ])('%s', (_, values, expected) => {
    expect(valueRangeOf(values)).toEqual(expected);
  });
});
