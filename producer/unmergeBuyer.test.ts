import { describe, expect, it } from 'vitest';
import type { BuyerKeyDoc } from '../shared/store/buyerKeys.ts';
import { planUnmerge } from './unmergeBuyer.ts';

const key = (k: string, registryId: string, unmergedFrom?: string): BuyerKeyDoc => ({
  _id: `key:${k}`,
  key: k,
  registryId,
  rule: unmergedFrom ? 'unmerged' : 'name',
  name: k,
  schemes: [],
  at: new Date(0),
  ...(unmergedFrom && { unmergedFrom }),
});

const DURHAM = [key('GB-LAE-DUR', 'GB-LAE-DUR'), key('name-durham-county-council', 'GB-LAE-DUR'), key('name-durham-cc', 'GB-LAE-DUR')];

describe('planUnmerge', () => {
  it.each([
    {
      case: 'moves the keys named, to an entry named by the first',
      sourceIds: ['name-durham-cc', 'name-durham-county-council'],
      stored: DURHAM,
      want: { ok: true, to: 'name-durham-cc', moving: ['name-durham-county-council', 'name-durham-cc'], staying: ['GB-LAE-DUR'] },
    },
    {
      case: 'a run cut off after the keys moved plans the same move again',
      sourceIds: ['name-durham-cc'],
      stored: [DURHAM[0], DURHAM[1], key('name-durham-cc', 'name-durham-cc', 'GB-LAE-DUR')],
      want: { ok: true, to: 'name-durham-cc', moving: ['name-durham-cc'], staying: ['GB-LAE-DUR', 'name-durham-county-council'] },
    },
    { case: 'a source id the entry does not have', sourceIds: ['GB-LAE-XYZ'], stored: DURHAM, want: { ok: false, reason: 'not keys of buyer GB-LAE-DUR: GB-LAE-XYZ' } },
    { case: 'the entry\'s own id first', sourceIds: ['GB-LAE-DUR'], stored: DURHAM, want: { ok: false, reason: 'GB-LAE-DUR is the id of buyer GB-LAE-DUR itself: unmerge the other source ids instead' } },
    {
      case: 'every key but the entry\'s own id, which is not stored: nothing would stay',
      sourceIds: ['name-durham-county-council', 'name-durham-cc'],
      stored: DURHAM.slice(1),
      want: { ok: false, reason: 'every key of buyer GB-LAE-DUR would move: nothing to unmerge from' },
    },
  ])('$case', ({ sourceIds, stored, want }) => {
    const plan = planUnmerge({ registryId: 'GB-LAE-DUR', sourceIds }, stored);
    expect(plan.ok ? { ok: true, to: plan.to, moving: plan.moving.map((k) => k.key), staying: plan.staying.map((k) => k.key) } : plan).toEqual(want);
  });
});
