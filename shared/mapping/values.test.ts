import { describe, expect, it } from 'vitest';
import type { OcdsValue, Release } from '../ocds/releaseSchema.ts';
import { amountOf, valuesOf } from './values.ts';

describe('amountOf: net amount, else gross flagged vatIncluded', () => {
  it.each<[string, OcdsValue | null, object | undefined]>([
    ['net and gross', { amount: 33721, amountGross: 40465.2 }, { amount: 33721, amountGross: 40465.2 }],
    ['net only', { amount: 5 }, { amount: 5 }],
    ['gross only: flagged', { amountGross: 256378.74 }, { amount: 256378.74, vatIncluded: true }],
    ['net null: gross flagged', { amount: null, amountGross: 5 }, { amount: 5, vatIncluded: true }],
    ['net Infinity (1e9999): gross flagged', { amount: Infinity, amountGross: 5 }, { amount: 5, vatIncluded: true }],
    ['net 0 (CF: unknown): gross flagged', { amount: 0, amountGross: 7 }, { amount: 7, vatIncluded: true }],
    ['0', { amount: 0 }, undefined],
    ['Infinity', { amount: Infinity }, undefined],
    ['currency only', { currency: 'GBP' }, undefined],
    ['null', null, undefined],
  ])('%s', (_, value, expected) => {
    expect(amountOf(value)).toEqual(expected);
  });
});

describe('valuesOf: every amount in the documented order, each with its own currency', () => {
  it('awards, contracts, tender, minValue, lots, budget', () => {
    const release: Release = {
      id: 'x',
      ocid: 'o',
      date: '2026-01-01T00:00:00Z',
      planning: { budget: { amount: { amount: 900, currency: 'GBP' } } },
      tender: {
        lots: [{ id: 'L1', value: { amount: 300, currency: 'EUR' } }, { id: 'L2', value: { amount: 0, currency: 'GBP' } }],
        minValue: { amount: 100, currency: 'GBP' },
        value: { amount: 500, amountGross: 600, currency: 'GBP' },
      },
      contracts: [{ id: 'C1', value: { amountGross: 720, currency: 'GBP' } }],
      awards: [{ id: 'A1', value: { amount: 700, currency: 'GBP' } }, { id: 'A2' }],
    };
    expect(valuesOf(release)).toEqual([
      { source: 'award', id: 'A1', amount: 700, currency: 'GBP' },
      { source: 'contract', id: 'C1', amount: 720, vatIncluded: true, currency: 'GBP' },
      { source: 'tender', amount: 500, amountGross: 600, currency: 'GBP' },
      { source: 'tenderMin', amount: 100, currency: 'GBP' },
      // A lot in another currency keeps its own; the 0 lot is no amount.
      { source: 'lot', id: 'L1', amount: 300, currency: 'EUR' },
      { source: 'budget', amount: 900, currency: 'GBP' },
    ]);
  });
});
