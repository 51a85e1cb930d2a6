import { describe, expect, it } from 'vitest';
import { buyerKeys, normalisedName, schemeOf } from './buyerKeys.ts';

describe('normalisedName', () => {
  it.each([
    ['Durham County Council', 'durham-county-council'],
    ['DURHAM COUNTY COUNCIL', 'durham-county-council'],
    ['Durham  County Council.', 'durham-county-council'],
    ['The Durham County Council', 'durham-county-council'],
    ['UK RESEARCH & INNOVATION', 'uk-research-and-innovation'],
    ['UK Research and Innovation', 'uk-research-and-innovation'],
    ['Acme Ltd', 'acme'],
    ['ACME LIMITED', 'acme'],
    ['Acme Ltd.', 'acme'],
    ['The Acme Company Limited', 'acme-company'],
    // Only a leading "The" and a trailing legal form go: inside a name they tell organisations apart.
    ['Theatre Royal', 'theatre-royal'],
    ['Limited Editions Trust', 'limited-editions-trust'],
    ['Friends of The Earth', 'friends-of-the-earth'],
    // A name that is nothing but those words keeps them.
    ['The', 'the'],
    ['Limited', 'limited'],
    ["St Mary's C of E School", 'st-marys-c-of-e-school'],
  ])('%s → %s', (name, expected) => {
    expect(normalisedName(name)).toBe(expected);
  });
});

describe('schemeOf', () => {
  it.each([
    ['GB-LAE-DUR', 'GB-LAE'],
    ['GB-SRS-sid4gov.cabinetoffice.gov.uk/Zj5uFppq', 'GB-SRS'],
    ['GB-PPON-PVNH-1137-QJBX', 'GB-PPON'],
    ['GB-COH-08522643', 'GB-COH'],
    ['name-durham-county-council', undefined],
    ['no-scheme-here', undefined],
  ])('%s → %s', (key, expected) => {
    expect(schemeOf(key)).toBe(expected);
  });
});

describe('buyerKeys', () => {
  it('gives the orgId and the other identifiers exactly, and the normalised name', () => {
    expect(buyerKeys({ orgId: 'GB-LAE-DUR', identifiers: ['GB-PPON-ABCD-1234-EFGH'], name: 'The Durham County Council' })).toEqual({
      exact: ['GB-LAE-DUR', 'GB-PPON-ABCD-1234-EFGH'],
      name: 'name-durham-county-council',
    });
    expect(buyerKeys({ orgId: 'name-acme-ltd', name: 'Acme Ltd' })).toEqual({ exact: ['name-acme-ltd'], name: 'name-acme' });
  });
});
