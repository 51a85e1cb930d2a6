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
