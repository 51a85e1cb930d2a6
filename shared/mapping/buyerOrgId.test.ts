import { describe, expect, it } from 'vitest';
import { additionalIdentifiers, buyerOrgId, nameSlug } from './buyerOrgId.ts';

describe('nameSlug', () => {
  it('is stable across spelling variants of one name', () => {
    const variants = [
      'Department for Business, Energy & Industrial Strategy',
      'DEPARTMENT FOR BUSINESS, ENERGY AND INDUSTRIAL STRATEGY',
      '  Department  for Business – Energy & Industrial Strategy ',
    ];
    for (const name of variants) expect(nameSlug(name)).toBe('department-for-business-energy-and-industrial-strategy');
  });

  it('strips accents and apostrophes', () => {
    expect(nameSlug('Conseil Régional d’Île-de-France')).toBe('conseil-regional-dile-de-france');
    expect(nameSlug("Durham Aged Mineworkers' Homes Association")).toBe('durham-aged-mineworkers-homes-association');
    expect(nameSlug('Durham Aged Mineworkers Homes Association')).toBe('durham-aged-mineworkers-homes-association');
  });

  it('never changes for a given name (stored keys depend on it)', () => {
    expect(nameSlug('NHS Blood and Transplant')).toBe('nhs-blood-and-transplant');
    expect(nameSlug('Ysgol Gyfun Gŵyr')).toBe('ysgol-gyfun-gwyr');
  });
});

describe('buyerOrgId', () => {
  it('uses a scheme-qualified identifier', () => {
    expect(buyerOrgId({ id: 'GB-UKPRN-10006341', identifier: { scheme: 'GB-UKPRN', id: '10006341' } })).toBe(
      'GB-UKPRN-10006341',
    );
    expect(buyerOrgId({ identifier: { scheme: 'GB-COH', id: 8522643 }, name: 'X' })).toBe('GB-COH-8522643');
    // CF GB-SRS ids contain a slash: kept as they are.
    expect(
      buyerOrgId({ identifier: { scheme: 'GB-SRS', id: 'sid4gov.cabinetoffice.gov.uk/FxGd77hQ' }, name: 'NMC' }),
    ).toBe('GB-SRS-sid4gov.cabinetoffice.gov.uk/FxGd77hQ');
  });

  it('uses a party id that is already scheme-qualified', () => {
    expect(buyerOrgId({ id: 'GB-PPON-PVNH-1137-QJBX', name: 'Central Bedfordshire Council' })).toBe(
      'GB-PPON-PVNH-1137-QJBX',
    );
  });

  it('does not key on Contracts Finder record numbers (GB-CFS): one buyer has several', () => {
    expect(buyerOrgId({ id: 'GB-CFS-41105', name: 'Birmingham City Council' })).toBe('name-birmingham-city-council');
    expect(buyerOrgId({ id: 'GB-CFS-43899', name: 'Birmingham City Council' })).toBe('name-birmingham-city-council');
  });

  it('does not key on Find a Tender record numbers (GB-FTS), however they come', () => {
    // 2015-regulation notices (fts-probe-22-window-noZ.json 076394-2026): the party id is FTS's record number.
    expect(buyerOrgId({ id: 'GB-FTS-140786', identifier: {}, name: 'Milton Keynes City Council' })).toBe('name-milton-keynes-city-council');
    expect(buyerOrgId({ identifier: { scheme: 'GB-FTS', id: '148803' }, name: 'NHS Birmingham and Solihull Integrated Care Board' })).toBe('name-nhs-birmingham-and-solihull-integrated-care-board');
    expect(buyerOrgId({ id: 'GB-FTS-3123', identifier: { scheme: 'GB-CFS', id: 'GB-CFS-99' }, name: 'Scottish Borders Council' })).toBe('name-scottish-borders-council');
    expect(buyerOrgId({ identifier: { scheme: 'GB-FTS', id: 148803 } })).toBeUndefined();
  });

  it('never lists a record number among the additional identifiers', () => {
    const party = { additionalIdentifiers: [{ scheme: 'GB-FTS', id: '140786' }, { scheme: 'GB-PPON', id: 'PLDZ-6131-PWZH' }, { scheme: 'GB-CFS', id: '1740' }, { scheme: 'GB-FTS', id: 'GB-FTS-7' }] };
    expect(additionalIdentifiers(party)).toEqual(['GB-PPON-PLDZ-6131-PWZH']);
  });

  it('falls back on the name, and gives up without one', () => {
    expect(buyerOrgId({ id: 'local-7', name: 'Harrogate Town Council' })).toBe('name-harrogate-town-council');
    expect(buyerOrgId({ identifier: { scheme: 'GB-COH' }, name: 'A & B Ltd' })).toBe('name-a-and-b-ltd');
    expect(buyerOrgId({})).toBeUndefined();
    expect(buyerOrgId({ name: '—' })).toBeUndefined();
  });
});
