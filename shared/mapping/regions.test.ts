import { describe, expect, it } from 'vitest';
import { regionOf } from './regions.ts';

describe('regionOf: an address region as one UK region, never the raw text', () => {
  it.each([
    ['UKC11', { region: 'North East', regionCode: 'UKC11' }],
    ['UKC', { region: 'North East', regionCode: 'UKC' }],
    ['UKE2', { region: 'Yorkshire and the Humber', regionCode: 'UKE2' }],
    ['UKI31', { region: 'London', regionCode: 'UKI31' }],
    ['UKM82', { region: 'Scotland', regionCode: 'UKM82' }],
    ['UKN06', { region: 'Northern Ireland', regionCode: 'UKN06' }],
    ['TLL', { region: 'Wales', regionCode: 'TLL' }],
    ['tli31', { region: 'London', regionCode: 'TLI31' }],
    ['London', { region: 'London' }],
    ['yorkshire and the humber', { region: 'Yorkshire and the Humber' }],
    // No UK region: the whole country, extra-regio, England, a county, a foreign code.
    ['UK', {}],
    ['UKZ', {}],
    ['UKZZZ', {}],
    ['England', {}],
    ['Derbyshire', {}],
    ['FR101', {}],
    ['', {}],
    [null, {}],
  ])('%j', (input, expected) => {
    expect(regionOf(input)).toEqual(expected);
  });
});
