import { describe, expect, it } from 'vitest';
import { planDeltaFold, type FoldCandidate } from './planDeltaFold.ts';

const now = new Date('2026-11-25T12:07:00Z');
const HOUR = 3_600_000;
/** A delta window ending at `to` (HH:MM today). */
function delta(to: string, state: FoldCandidate['state'], releasesWritten = 1): FoldCandidate {
  return { _id: `FTS:delta:${to}`, span: 'delta', state, to: new Date(`2026-11-25T${to}:00Z`), releasesWritten, quarantined: 0 };
}
const previous = { seq: 7, folded: ['old'], windows: 100, releasesWritten: 500, quarantined: 2, to: new Date('2026-11-25T10:50:00Z') };

describe('planDeltaFold', () => {
  it.each([
    { name: 'nothing done that ended an hour ago', windows: [delta('11:55', 'done'), delta('11:10', 'done')], fold: null },
    { name: 'in flight or failed windows are never folded', windows: [delta('10:55', 'fetching'), delta('10:45', 'failed')], fold: null },
    { name: 'a month window is not a delta', windows: [{ ...delta('10:55', 'done'), span: 'month' as const }], fold: null },
    {
      name: 'every done delta that ended an hour ago, on top of the previous totals',
      windows: [delta('10:55', 'done', 3), delta('11:07', 'done', 4), delta('11:08', 'done'), delta('10:45', 'failed')],
      fold: { seq: 8, folded: ['FTS:delta:10:55', 'FTS:delta:11:07'], windows: 102, releasesWritten: 507, to: new Date('2026-11-25T11:07:00Z') },
    },
  ])('$name', ({ windows, fold }) => {
    const planned = planDeltaFold(previous, windows, now, HOUR);
    if (fold === null) expect(planned).toBeNull();
    else expect(planned).toMatchObject(fold);
  });

  it('starts at fold 1 with no previous fold, and never moves the freshness back', () => {
    expect(planDeltaFold(null, [delta('09:00', 'done', 2)], now, HOUR)).toEqual({ seq: 1, folded: ['FTS:delta:09:00'], windows: 1, releasesWritten: 2, quarantined: 0, to: new Date('2026-11-25T09:00:00Z') });
    // A window recorded late, ending before the previous fold's end.
    expect(planDeltaFold(previous, [delta('09:00', 'done')], now, HOUR)?.to).toEqual(previous.to);
  });
});
