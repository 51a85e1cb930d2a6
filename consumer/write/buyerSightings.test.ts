import { describe, expect, it } from 'vitest';
import { makeMappedRelease } from '../../test/factories.ts';
import { buyerSightings } from './buyerSightings.ts';

describe('buyerSightings', () => {
  it('gives one sighting per buyer: first fields, every source, the widest dates; none for a release without buyer', () => {
    const sightings = buyerSightings(
      [
      makeMappedRelease({ contract: { noticeId: '1', buyerOrg: 'A', releaseDate: '2024-03-05T00:00:00.000Z' }, buyer: { name: 'First name' } }),
      makeMappedRelease({ contract: { noticeId: '2', buyerOrg: 'A', releaseDate: '2024-03-01T00:00:00.000Z', source: 'CONTRACTS_FINDER' }, buyer: { name: 'Other name' } }),
      makeMappedRelease({ contract: { noticeId: '3', buyerOrg: 'A', releaseDate: '2024-03-09T00:00:00.000Z' } }),
      makeMappedRelease({ contract: { noticeId: '4', buyerOrg: 'B' } }),
      makeMappedRelease({ contract: { noticeId: '5' }, buyer: null }),
      ],
      new Map(),
    );
    expect(sightings.map((s) => [s.buyer.orgId, s.buyer.name, s.sources, s.firstSeen.toISOString(), s.lastSeen.toISOString()])).toEqual([
      ['A', 'First name', ['FIND_A_TENDER', 'CONTRACTS_FINDER'], '2024-03-01T00:00:00.000Z', '2024-03-09T00:00:00.000Z'],
      ['B', 'Leeds City Council', ['FIND_A_TENDER'], '2024-03-01T10:00:00.000Z', '2024-03-01T10:00:00.000Z'],
    ]);
  });

  it('gives one sighting per registry entry, under its id, with every name and source id it was seen under', () => {
    const sightings = buyerSightings(
      [
        makeMappedRelease({ contract: { noticeId: '1', buyerOrg: 'GB-LAE-DUR' }, buyer: { name: 'Durham County Council', identifiers: ['GB-PPON-DUR1'] } }),
        makeMappedRelease({ contract: { noticeId: '2', buyerOrg: 'name-durham-county-council', source: 'CONTRACTS_FINDER' }, buyer: { name: 'DURHAM COUNTY COUNCIL' } }),
        makeMappedRelease({ contract: { noticeId: '3', buyerOrg: 'GB-OTHER' }, buyer: { name: 'Other' } }),
      ],
      new Map([['name-durham-county-council', 'GB-LAE-DUR']]),
    );
    expect(sightings.map((s) => [s.buyer.orgId, s.buyer.name, s.aliases, s.sourceIds, s.sources, 'identifiers' in s.buyer])).toEqual([
      ['GB-LAE-DUR', 'Durham County Council', ['Durham County Council', 'DURHAM COUNTY COUNCIL'], ['GB-LAE-DUR', 'GB-PPON-DUR1', 'name-durham-county-council'], ['FIND_A_TENDER', 'CONTRACTS_FINDER'], false],
      ['GB-OTHER', 'Other', ['Other'], ['GB-OTHER'], ['FIND_A_TENDER'], false],
    ]);
  });
});
