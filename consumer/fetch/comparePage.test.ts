import { describe, expect, it } from 'vitest';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { comparePage } from './comparePage.ts';

const release = (notice: string, order: string, over: Record<string, unknown> = {}): MappedRelease =>
  ({
    contract: {
      _id: `CONTRACTS_FINDER:${notice}`, source: 'CONTRACTS_FINDER', noticeId: notice, releaseId: `${notice}-${order.slice(-1)}`, releaseOrder: order,
      releaseDate: '2024-02-01T10:00:00Z', mappingVersion: 5, title: 'Roads', deadlineDate: '2024-03-01T12:00:00+00:00', awards: [{ id: 'a', date: '2024-02-01T10:00:00Z', value: 1 }], ...over,
    },
    buyer: null,
  }) as unknown as MappedRelease;

/** As the write path stores it: dates as BSON dates, award dates moved last, the registry's buyer id, a status from the record. */
const stored = (r: MappedRelease, over: Record<string, unknown> = {}): [string, Record<string, unknown>] => {
  const { contract } = r as unknown as { contract: Record<string, unknown> & { _id: string } };
  const awards = (contract.awards as { date: string }[]).map(({ date, ...rest }) => ({ ...rest, date: new Date(date) }));
  return [contract._id, { ...contract, releaseDate: new Date(contract.releaseDate as string), deadlineDate: new Date(contract.deadlineDate as string), awards, buyerOrg: 'registry-1', status: 'AWARDED', createdAt: new Date(), ...over }];
};

describe('comparePage', () => {
  const a1 = release('a', '2024-02-01T10:00:00.000Z#1');

  it.each([
    { why: 'the same release stored: nothing to write, no finding', page: [a1], copy: [stored(a1)], write: [], findings: [] },
    { why: 'an older release than the stored one: nothing', page: [a1], copy: [stored(release('a', '2024-02-05T10:00:00.000Z#2'))], write: [], findings: [] },
    { why: 'a notice not stored: missing', page: [a1], copy: [], write: ['a-1'], findings: ['missing a (none stored)'] },
    {
      why: 'a newer release: newer, with the fields it changes',
      page: [release('a', '2024-02-05T10:00:00.000Z#2', { title: 'Roads and bridges' })],
      copy: [stored(a1)],
      write: ['a-2'],
      findings: ['newer a (a-1 stored): title'],
    },
    { why: 'the same release under a newer mapping: written, not a loss', page: [a1], copy: [stored(a1, { mappingVersion: 4 })], write: ['a-1'], findings: [] },
    { why: 'stored before release orders existed: newer', page: [a1], copy: [stored(a1, { releaseOrder: undefined })], write: ['a-1'], findings: ['newer a (a-1 stored): '] },
    {
      why: 'a CF page with two versions of a notice, the older one stored',
      page: [release('b', '2024-02-09T10:00:00.000Z#2', { title: 'Amended' }), release('b', '2024-02-01T10:00:00.000Z#1')],
      copy: [stored(release('b', '2024-02-01T10:00:00.000Z#1'))],
      write: ['b-2'],
      findings: ['newer b (b-1 stored): title'],
    },
  ])('$why', ({ page, copy, write, findings }) => {
    const result = comparePage(page, new Map(copy));
    expect(result.write.map((r) => r.contract.releaseId)).toEqual(write);
    expect(result.findings.map((f) => `${f.kind} ${f.noticeId} (${f.storedReleaseId ?? 'none'} stored)${f.kind === 'newer' ? `: ${f.changedFields.join(',')}` : ''}`)).toEqual(findings);
  });
});
