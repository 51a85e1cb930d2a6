import { describe, expect, it } from 'vitest';
import type { Release } from '../ocds/releaseSchema.ts';
import { findBuyerParty, mapBuyer, mapContacts, mapJointBuyers } from './buyer.ts';

const base = { id: 'x', ocid: 'o', date: '2026-01-01T00:00:00Z' };

describe('findBuyerParty', () => {
  it('takes the party release.buyer points at, else the first with role buyer', () => {
    const parties = [
      { id: 'A', name: 'Supplier', roles: ['supplier'] },
      { id: 'B', name: 'First buyer', roles: ['buyer'] },
      { id: 'C', name: 'Named buyer', roles: ['buyer'] },
    ];
    expect(findBuyerParty({ ...base, parties, buyer: { id: 'C' } })?.id).toBe('C');
    expect(findBuyerParty({ ...base, parties })?.id).toBe('B');
    expect(findBuyerParty({ ...base, parties: [parties[0]!] })).toBeUndefined();
  });
});

describe('mapContacts', () => {
  it('skips the REDACTED placeholder and empty contact points', () => {
    expect(mapContacts({ name: 'REDACTED', email: 'REDACTED', telephone: 'REDACTED' })).toEqual([]);
    expect(mapContacts({ email: 'REDACTED', url: 'https://x.example/' })).toEqual([{ url: 'https://x.example/' }]);
    expect(mapContacts({ name: ' ', email: null })).toEqual([]);
    expect(mapContacts(undefined)).toEqual([]);
  });
});

describe('mapBuyer', () => {
  it('is null when the release names no buyer', () => {
    expect(mapBuyer(base, undefined, undefined)).toBeNull();
  });

  it('uses release.buyer alone when there is no party', () => {
    const release: Release = { ...base, buyer: { name: 'Harrogate Town Council' } };
    expect(mapBuyer(release, undefined, 'Construction work')).toEqual({
      orgId: 'name-harrogate-town-council',
      name: 'Harrogate Town Council',
      sector: 'Construction work',
      contacts: [],
    });
  });

  it('takes the website from contactPoint.url when details has none', () => {
    const party = { name: 'B', roles: ['buyer'], contactPoint: { url: 'https://b.example/' } };
    expect(mapBuyer({ ...base, parties: [party] }, party, undefined)).toMatchObject({
      website: 'https://b.example/',
      contacts: [{ url: 'https://b.example/' }],
    });
  });
});

describe('mapBuyer identifiers', () => {
  it('keeps the party\'s additionalIdentifiers as scheme-qualified ids besides its orgId, none when there are none', () => {
    const party = {
      id: 'GB-COH-08522643',
      name: 'Helping Hands',
      roles: ['buyer'],
      identifier: { scheme: 'GB-COH', id: '08522643' },
      additionalIdentifiers: [{ scheme: 'GB-CHC', id: '1000001' }, { scheme: 'GB-COH', id: '08522643' }, { id: 'no-scheme' }, { scheme: 'GB-PPON', id: 'GB-PPON-PNXT-9936-XCTQ' }],
    };
    expect(mapBuyer({ ...base, parties: [party] }, party, undefined)?.identifiers).toEqual(['GB-CHC-1000001', 'GB-PPON-PNXT-9936-XCTQ']);
    const { additionalIdentifiers: _none, ...plain } = party;
    expect(mapBuyer({ ...base, parties: [plain] }, plain, undefined)).not.toHaveProperty('identifiers');
  });
});

describe('mapJointBuyers', () => {
  const supplier = { id: 'GB-COH-1', name: 'Supplier Ltd', roles: ['supplier'] };
  const lead = { id: 'GB-PPON-LEAD-1', name: 'Lead Council', roles: ['buyer'] };
  const second = { id: 'GB-COH-03527628', name: 'HAFREN DYFRDWY CYFYNGEDIG', roles: ['buyer'], identifier: { scheme: 'GB-COH', id: '03527628' } };
  const third = { id: 'GB-FTS-148803', name: 'NHS Birmingham and Solihull Integrated Care Board', roles: ['buyer', 'centralPurchasingBody'] };
  const joint = (parties: Record<string, unknown>[], buyerId?: string) => {
    const release: Release = { ...base, parties: parties as Release['parties'], ...(buyerId !== undefined && { buyer: { id: buyerId } }) };
    const party = findBuyerParty(release);
    const buyer = mapBuyer(release, party, 'Water');
    return { lead: buyer?.orgId, joint: mapJointBuyers(release, party, buyer?.orgId, 'Water').map((b) => [b.orgId, b.name, b.sector]) };
  };

  it.each([
    { what: 'one buyer party: none', parties: [lead, supplier], buyerId: lead.id, lead: lead.id, joint: [] },
    { what: 'two buyer parties, the lead named by release.buyer', parties: [second, lead, supplier], buyerId: lead.id, lead: lead.id, joint: [['GB-COH-03527628', 'HAFREN DYFRDWY CYFYNGEDIG', 'Water']] },
    { what: 'three, no release.buyer: the first is the lead, the others in order, a record number keyed by name', parties: [lead, supplier, second, third], buyerId: undefined, lead: lead.id, joint: [['GB-COH-03527628', 'HAFREN DYFRDWY CYFYNGEDIG', 'Water'], ['name-nhs-birmingham-and-solihull-integrated-care-board', 'NHS Birmingham and Solihull Integrated Care Board', 'Water']] },
    { what: 'a party listed twice, and one under the lead\'s orgId: once, never the lead', parties: [lead, second, { ...second }, { ...lead, id: 'GB-PPON-LEAD-1', name: 'Lead Council (again)' }], buyerId: lead.id, lead: lead.id, joint: [['GB-COH-03527628', 'HAFREN DYFRDWY CYFYNGEDIG', 'Water']] },
    { what: 'a buyer party without a name or identifier is no buyer', parties: [lead, { id: 'x-1', roles: ['buyer'] }], buyerId: lead.id, lead: lead.id, joint: [] },
    { what: 'no lead (release.buyer names nobody): none', parties: [{ id: 'x-1', roles: ['buyer'] }, second], buyerId: 'x-1', lead: undefined, joint: [] },
  ])('$what', ({ parties, buyerId, lead: leadOrgId, joint: expected }) => {
    expect(joint(parties, buyerId)).toEqual({ lead: leadOrgId, joint: expected });
  });
});
