import { describe, expect, it } from 'vitest';
import { regionOfPostcode } from './postcodeRegions.ts';

describe('regionOfPostcode: area, or district where an area straddles a border', () => {
  it.each([
    // Real CF buyer postcodes (spacing as published).
    ['W1B1PZ', 'London'],
    ['TS176FB', 'North East'],
    ['BN11  1LD', 'South East'],
    ['DE13QT', 'East Midlands'],
    ['B4 7DJ', 'West Midlands'],
    ['BS34 7QH', 'South West'],
    ['TW3 3EB', 'London'],
    ['SW1W 0BD', 'London'],
    ['LS1 4PL', 'Yorkshire and the Humber'],
    ['M22 9TA', 'North West'],
    ['CF10 1EP', 'Wales'],
    ['EH1 1YZ', 'Scotland'],
    ['BT1 5GS', 'Northern Ireland'],
    ['sg17 5tq', 'East of England'],
    // District overrides: most of EN is Hertfordshire, EN2 is Enfield; TW18 Staines is Surrey.
    ['EN2 9HG', 'London'],
    ['EN8 7AA', 'East of England'],
    ['TW18 1AA', 'South East'],
    ['CH5 1AA', 'Wales'],
    ['S41 7TD', 'East Midlands'],
    // Outward code only.
    ['EN2', 'London'],
    // Not a UK region: crown dependencies, foreign or malformed codes, nothing.
    ['JE2 4WE', undefined],
    ['IM1 1AA', undefined],
    ['75001', undefined],
    ['D02 X285', undefined],
    ['', undefined],
    [null, undefined],
  ])('%j → %s', (postcode, expected) => {
    expect(regionOfPostcode(postcode)).toBe(expected);
  });
});
