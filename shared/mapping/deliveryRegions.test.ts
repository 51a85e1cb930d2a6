import { describe, expect, it } from 'vitest';
import type { Address, Release } from '../ocds/releaseSchema.ts';
import { deliveryRegionsOf } from './deliveryRegions.ts';
import { ENGLISH_REGIONS, UK_REGIONS } from './regions.ts';

const release = (tender: Address[][], awards: Address[][] = []): Release => ({
  id: 'x',
  ocid: 'o',
  date: '2026-01-01T00:00:00Z',
  tender: { items: tender.map((deliveryAddresses) => ({ deliveryAddresses })) },
  awards: [{ items: awards.map((deliveryAddresses) => ({ deliveryAddresses })) }],
});

describe('deliveryRegionsOf: every region delivered in, in UK order', () => {
  it.each<[string, Release, readonly string[]]>([
    ['FTS codes, one region', release([[{ region: 'UKF14' }, { region: 'UKF16' }]]), ['East Midlands']],
    ['award items too', release([], [[{ region: 'UKC' }]]), ['North East']],
    ['CF names, sorted, no repeats', release([[{ region: 'London' }], [{ region: 'East of England' }, { region: 'London' }]]), ['East of England', 'London']],
    ['a postcode', release([[{ postalCode: 'B4 7DJ' }]]), ['West Midlands']],
    ['CF "England": the nine English regions', release([[{ region: 'England', countryName: 'United Kingdom' }]]), ENGLISH_REGIONS],
    ['CF "United Kingdom" alone: all twelve, not the first', release([[{ countryName: 'United Kingdom' }, { countryName: 'Isle of Man' }]]), UK_REGIONS],
    ['NUTS "UK": all twelve', release([[{ region: 'UK', country: 'GB' }]]), UK_REGIONS],
    ['a UK country beside a region: that region only', release([[{ region: 'Wales', countryName: 'United Kingdom' }]]), ['Wales']],
    ['other countries and extra-regio: none', release([[{ countryName: 'Europe' }, { region: 'UKZZZ', country: 'GB' }]]), []],
    ['no items', { id: 'x', ocid: 'o', date: '2026-01-01T00:00:00Z' }, []],
  ])('%s', (_, input, expected) => {
    expect(deliveryRegionsOf(input)).toEqual(expected);
  });
});
