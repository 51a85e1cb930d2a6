import { describe, expect, it } from 'vitest';
import type { Release } from '../ocds/releaseSchema.ts';
import { contractRegion, regionOf } from './regions.ts';

describe('regionOf', () => {
  it.each([
    ['UKC11', { region: 'North East', regionCode: 'UKC11' }],
    ['UKC', { region: 'North East', regionCode: 'UKC' }],
    ['UKE2', { region: 'Yorkshire and the Humber', regionCode: 'UKE2' }],
    ['UKI31', { region: 'London', regionCode: 'UKI31' }],
    ['UKM82', { region: 'Scotland', regionCode: 'UKM82' }],
    ['UKN06', { region: 'Northern Ireland', regionCode: 'UKN06' }],
    ['TLL', { region: 'Wales', regionCode: 'TLL' }],
    ['UK', { regionCode: 'UK' }],
    ['UKZ', { regionCode: 'UKZ' }],
    ['London', { region: 'London' }],
    ['England', { region: 'England' }],
    ['', {}],
    [null, {}],
  ])('%j', (input, expected) => {
    expect(regionOf(input)).toEqual(expected);
  });
});

describe('contractRegion', () => {
  const base = { id: 'x', ocid: 'o', date: '2026-01-01T00:00:00Z' };
  it('prefers the buyer address, then the first delivery address naming a region', () => {
    const release: Release = {
      ...base,
      tender: { items: [{ deliveryAddresses: [{ postalCode: 'B4 7DJ' }, { region: 'West Midlands' }] }] },
    };
    expect(contractRegion(release, { region: 'UKI' })).toEqual({ region: 'London', regionCode: 'UKI' });
    expect(contractRegion(release, { locality: 'Birmingham' })).toEqual({ region: 'West Midlands' });
    expect(contractRegion(release, { region: 'UKZ' })).toEqual({ region: 'West Midlands' });
    expect(contractRegion({ ...base }, { region: 'UKZ' })).toEqual({ regionCode: 'UKZ' });
  });

  it('looks at award items too (FTS award notices)', () => {
    const release: Release = { ...base, awards: [{ items: [{ deliveryAddresses: [{ region: 'UKF14' }] }] }] };
    expect(contractRegion(release, undefined)).toEqual({ region: 'East Midlands', regionCode: 'UKF14' });
  });
});
