import { describe, expect, it } from 'vitest';
import type { Address } from '../ocds/releaseSchema.ts';
import { buyerRegionOf } from './buyerRegion.ts';

describe('buyerRegionOf: the buyer address only — code, else postcode, else none', () => {
  it.each<[string, Address | undefined, object]>([
    ['FTS code', { region: 'UKC11', postalCode: 'TS176FB' }, { region: 'North East', regionCode: 'UKC11' }],
    ['the code wins over the postcode', { region: 'UKI', postalCode: 'B4 7DJ' }, { region: 'London', regionCode: 'UKI' }],
    ['region name', { region: 'Wales' }, { region: 'Wales' }],
    ['CF: postcode only', { postalCode: 'W1B1PZ', countryName: 'England' }, { region: 'London' }],
    ['extra-regio code, postcode known: the postcode, no code', { region: 'UKZZZ', postalCode: 'NG5 8PP' }, { region: 'East Midlands' }],
    ['"England" and a postcode: the postcode', { region: 'England', postalCode: 'BS34 7QH' }, { region: 'South West' }],
    ['"England" alone: none', { region: 'England' }, {}],
    ['raw code alone: none', { region: 'UKZZZ' }, {}],
    ['foreign postcode: none', { postalCode: '75001', countryName: 'France' }, {}],
    ['no address', undefined, {}],
  ])('%s', (_, address, expected) => {
    expect(buyerRegionOf(address)).toEqual(expected);
  });
});
