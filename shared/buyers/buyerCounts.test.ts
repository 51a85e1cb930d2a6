import { describe, expect, it } from 'vitest';
import { buyerCounts } from './buyerCounts.ts';

describe('buyerCounts', () => {
  it.each([
    { case: 'counts the links pointing at a buyer now', groups: [{ buyers: ['A'], buyer: 'A', v: 1, links: 3 }], want: [{ orgId: 'A', contractCount: 3, stamp: 3, sectors: [], regions: [] }] },
    {
      case: 'a link that moved away still raises the old buyer\'s stamp, not its count',
      groups: [
        { buyers: ['A'], buyer: 'A', v: 1, links: 2 },
        { buyers: ['A', 'B'], buyer: 'B', v: 2, links: 1 },
      ],
      want: [
        { orgId: 'A', contractCount: 2, stamp: 4, sectors: [], regions: [] },
        { orgId: 'B', contractCount: 1, stamp: 2, sectors: [], regions: [] },
      ],
    },
    { case: 'a link pointing at nobody now', groups: [{ buyers: ['A'], buyer: null, v: 2, links: 1 }], want: [{ orgId: 'A', contractCount: 0, stamp: 2, sectors: [], regions: [] }] },
    { case: 'buyers not asked for are left out, and so are buyers no link ever pointed at', groups: [{ buyers: ['A', 'Z'], buyer: 'Z', v: 2, links: 1 }], want: [{ orgId: 'A', contractCount: 0, stamp: 2, sectors: [], regions: [] }] },
  ])('$case', ({ groups, want }) => {
    expect(buyerCounts(groups, ['A', 'B', 'C'])).toEqual(want);
  });

  it.each([
    {
      case: 'a joint procurement counts for its lead and every co-buyer',
      groups: [{ buyers: ['A', 'B', 'C'], buyer: 'A', joint: ['B', 'C'], v: 1, sector: 'Water', region: 'West Midlands', links: 2 }],
      want: [
        { orgId: 'A', contractCount: 2, stamp: 2, sectors: [{ value: 'Water', count: 2 }], regions: [{ value: 'West Midlands', count: 2 }] },
        // The link's region is the lead's address: not a co-buyer's.
        { orgId: 'B', contractCount: 2, stamp: 2, sectors: [{ value: 'Water', count: 2 }], regions: [] },
        { orgId: 'C', contractCount: 2, stamp: 2, sectors: [{ value: 'Water', count: 2 }], regions: [] },
      ],
    },
    {
      case: 'a buyer that leads some notices and co-buys others counts both, its region from those it leads',
      groups: [
        { buyers: ['B'], buyer: 'B', v: 1, sector: 'Water', region: 'Wales', links: 3 },
        { buyers: ['A', 'B'], buyer: 'A', joint: ['B'], v: 1, sector: 'IT', region: 'West Midlands', links: 1 },
      ],
      want: [
        { orgId: 'A', contractCount: 1, stamp: 1, sectors: [{ value: 'IT', count: 1 }], regions: [{ value: 'West Midlands', count: 1 }] },
        { orgId: 'B', contractCount: 4, stamp: 4, sectors: [{ value: 'Water', count: 3 }, { value: 'IT', count: 1 }], regions: [{ value: 'Wales', count: 3 }] },
      ],
    },
    {
      case: 'a co-buyer a newer release dropped: still in buyers (its stamp), no longer counted',
      groups: [{ buyers: ['A', 'B', 'C'], buyer: 'A', joint: ['C'], v: 2, sector: 'Water', region: null, links: 1 }],
      want: [
        { orgId: 'A', contractCount: 1, stamp: 2, sectors: [{ value: 'Water', count: 1 }], regions: [] },
        { orgId: 'B', contractCount: 0, stamp: 2, sectors: [], regions: [] },
        { orgId: 'C', contractCount: 1, stamp: 2, sectors: [{ value: 'Water', count: 1 }], regions: [] },
      ],
    },
    {
      case: 'a co-buyer that became the lead counts once',
      groups: [{ buyers: ['A', 'B'], buyer: 'B', joint: ['A'], v: 2, links: 1 }],
      want: [
        { orgId: 'A', contractCount: 1, stamp: 2, sectors: [], regions: [] },
        { orgId: 'B', contractCount: 1, stamp: 2, sectors: [], regions: [] },
      ],
    },
  ])('joint: $case', ({ groups, want }) => {
    expect(buyerCounts(groups, ['A', 'B', 'C'])).toEqual(want);
  });

  it('gives a later count a higher stamp: a link moving from A to B raises both', () => {
    const before = buyerCounts([{ buyers: ['A'], buyer: 'A', v: 1, links: 1 }, { buyers: ['B'], buyer: 'B', v: 1, links: 1 }], ['A', 'B']);
    const after = buyerCounts([{ buyers: ['A', 'B'], buyer: 'B', v: 2, links: 1 }, { buyers: ['B'], buyer: 'B', v: 1, links: 1 }], ['A', 'B']);
    for (const [i, count] of after.entries()) expect(count.stamp).toBeGreaterThan(before[i].stamp);
    expect(after.map((c) => c.contractCount)).toEqual([0, 2]);
  });

  it('tallies the contracts a buyer has now per sector and region, most frequent first, ties by value', () => {
    const [a] = buyerCounts(
      [
        { buyers: ['A'], buyer: 'A', v: 1, sector: 'Health', region: 'North East', links: 2 },
        { buyers: ['A'], buyer: 'A', v: 1, sector: 'Construction', region: 'London', links: 3 },
        { buyers: ['A'], buyer: 'A', v: 2, sector: 'Health', region: null, links: 1 },
        { buyers: ['A'], buyer: 'A', v: 1, sector: 'Education', region: 'Wales', links: 3 },
        // Moved away: its sector no longer counts for A.
        { buyers: ['A', 'B'], buyer: 'B', v: 2, sector: 'Defence', region: 'Wales', links: 5 },
      ],
      ['A'],
    );
    expect(a.sectors).toEqual([
      { value: 'Construction', count: 3 },
      { value: 'Education', count: 3 },
      { value: 'Health', count: 3 },
    ]);
    expect(a.regions).toEqual([
      { value: 'London', count: 3 },
      { value: 'Wales', count: 3 },
      { value: 'North East', count: 2 },
    ]);
  });
});
