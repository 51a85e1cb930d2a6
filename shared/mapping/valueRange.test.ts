import { describe, expect, it } from 'vitest';
import type { Release } from '../ocds/releaseSchema.ts';
import { amountOf, valueRangeOf } from './valueRange.ts';

const base = { id: 'x', ocid: 'o', date: '2026-01-01T00:00:00Z' };

describe('amountOf', () => {
  it('takes amount, else amountGross, and drops non-finite numbers', () => {
    expect(amountOf({ amount: 33721, amountGross: 40465.2 })).toBe(33721);
    expect(amountOf({ amountGross: 256378.74 })).toBe(256378.74);
    expect(amountOf({ amount: null, amountGross: 5 })).toBe(5);
    expect(amountOf({ amount: Infinity, amountGross: 5 })).toBe(5);
    expect(amountOf({ amount: Infinity })).toBeUndefined();
    expect(amountOf({ currency: 'GBP' })).toBeUndefined();
    expect(amountOf(null)).toBeUndefined();
  });
});

describe('valueRangeOf', () => {
  it('spans tender value, minValue, lots and awards in the tender currency', () => {
    const release: Release = {
      ...base,
      tender: {
        value: { amount: 500, currency: 'GBP' },
        minValue: { amount: 100, currency: 'GBP' },
        lots: [{ value: { amount: 900, currency: 'AED' } }, { value: { amount: 300 } }],
      },
      awards: [{ value: { amountGross: 700, currency: 'GBP' } }, { value: { amount: 0, currency: 'GBP' } }],
    };
    // AED ignored; the lot without currency counts; the 0 award is no amount.
    expect(valueRangeOf(release)).toEqual({ valueMin: 100, valueMax: 700, currency: 'GBP' });
  });

  it('without a tender currency: GBP if present, else the first seen', () => {
    const gbp: Release = {
      ...base,
      awards: [{ value: { amount: 9, currency: 'EUR' } }, { value: { amount: 4, currency: 'GBP' } }],
    };
    expect(valueRangeOf(gbp)).toEqual({ valueMin: 4, valueMax: 4, currency: 'GBP' });
    const eur: Release = {
      ...base,
      awards: [{ value: { amount: 9, currency: 'EUR' } }, { value: { amount: 4, currency: 'USD' } }],
    };
    expect(valueRangeOf(eur)).toEqual({ valueMin: 9, valueMax: 9, currency: 'EUR' });
  });

  it('leaves everything out when no amount remains', () => {
    expect(valueRangeOf({ ...base, tender: { value: { currency: 'GBP' } } })).toEqual({});
    expect(valueRangeOf({ ...base, tender: { value: { amount: Infinity, currency: 'GBP' } } })).toEqual({});
    expect(valueRangeOf(base)).toEqual({});
  });
});
