import { describe, expect, it } from 'vitest';
import type { Release } from '../ocds/releaseSchema.ts';
import { findBuyerParty, mapBuyer, mapContacts } from './buyer.ts';

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
