import { describe, expect, it } from 'vitest';
import { buyerCounts } from './buyerCounts.ts';

describe('buyerCounts', () => {
  it.each([
    { case: 'counts the links pointing at a buyer now', groups: [{ buyers: ['A'], buyer: 'A', v: 1, links: 3 }], want: [{ orgId: 'A', contractCount: 3, stamp: 3 }] },
    {
      case: 'a link that moved away still raises the old buyer\'s stamp, not its count',
      groups: [
        { buyers: ['A'], buyer: 'A', v: 1, links: 2 },
        { buyers: ['A', 'B'], buyer: 'B', v: 2, links: 1 },
      ],
      want: [
        { orgId: 'A', contractCount: 2, stamp: 4 },
        { orgId: 'B', contractCount: 1, stamp: 2 },
      ],
    },
    { case: 'a link pointing at nobody now', groups: [{ buyers: ['A'], buyer: null, v: 2, links: 1 }], want: [{ orgId: 'A', contractCount: 0, stamp: 2 }] },
    { case: 'buyers not asked for are left out, and so are buyers no link ever pointed at', groups: [{ buyers: ['A', 'Z'], buyer: 'Z', v: 2, links: 1 }], want: [{ orgId: 'A', contractCount: 0, stamp: 2 }] },
  ])('$case', ({ groups, want }) => {
    expect(buyerCounts(groups, ['A', 'B', 'C'])).toEqual(want);
  });

  it('gives a later count a higher stamp: a link moving from A to B raises both', () => {
    const before = buyerCounts([{ buyers: ['A'], buyer: 'A', v: 1, links: 1 }, { buyers: ['B'], buyer: 'B', v: 1, links: 1 }], ['A', 'B']);
    const after = buyerCounts([{ buyers: ['A', 'B'], buyer: 'B', v: 2, links: 1 }, { buyers: ['B'], buyer: 'B', v: 1, links: 1 }], ['A', 'B']);
    for (const [i, count] of after.entries()) expect(count.stamp).toBeGreaterThan(before[i].stamp);
    expect(after.map((c) => c.contractCount)).toEqual([0, 2]);
  });
});
