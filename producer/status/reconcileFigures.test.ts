import { describe, expect, it } from 'vitest';
import { hasFindings, reconcileFigures, reconciliationLine, type WalkFacts } from './reconcileFigures.ts';

const walk = (month: string, passes: number, verifiedAt: string, found: { missing?: number; newer?: number } = {}): WalkFacts => ({
  from: new Date(`${month}-01`), to: new Date(new Date(`${month}-01`).getTime() + 28 * 86_400_000), state: 'done',
  verification: { passes, verifiedAt: new Date(verifiedAt), missing: found.missing ?? 0, newer: found.newer ?? 0 },
});

describe('reconcileFigures', () => {
  it('before the first walk: pass 1 not started', () => {
    const r = reconcileFigures([], 3, null, false);
    expect(r).toMatchObject({ pass: 1, verifiedInPass: 0, verifiedUpTo: null, lastFullPassAt: null, missing: 0, newer: 0 });
    expect(reconciliationLine(r)).toBe('pass 1 not started (after the backfill), no full pass yet, 0 missing and 0 changed found');
  });

  it('in the first pass: verified up to the last month walked, months never walked counted', () => {
    const r = reconcileFigures([walk('2024-01', 1, '2024-04-01T10:00:00Z', { missing: 2 })], 3, { at: new Date('2024-04-01T09:59:00Z'), kind: 'missing', noticeId: '000123-2024' }, false);
    expect(r).toMatchObject({ pass: 1, verifiedInPass: 1, verifiedUpTo: new Date('2024-01-29'), lastFullPassAt: null, missing: 2 });
    expect(hasFindings(r)).toBe(true);
    expect(reconciliationLine(r)).toBe('history verified up to 2024-01-29 in pass 1 (1 of 3 months), no full pass yet, 2 missing and 0 changed found (last: missing 000123-2024, 2024-04-01T09:59Z)');
  });

  it('in a later pass: the last full pass ended with the latest month still at its walks', () => {
    const walks = [walk('2024-01', 2, '2024-04-05T00:00:00Z'), walk('2024-02', 1, '2024-04-02T00:00:00Z', { newer: 1 }), walk('2024-03', 1, '2024-04-03T00:00:00Z')];
    const r = reconcileFigures(walks, 3, null, false);
    expect(r).toMatchObject({ pass: 2, verifiedInPass: 1, lastFullPassAt: new Date('2024-04-03T00:00:00Z'), missing: 0, newer: 1 });
    expect(reconciliationLine(r)).toMatch(/^history verified up to 2024-01-29 in pass 2 \(1 of 3 months\), last full pass 2024-04-03T00:00Z, 0 missing and 1 changed found$/);
  });

  it('says when it is off', () => {
    expect(reconciliationLine(reconcileFigures([], 3, null, true))).toBe('reconciliation off (RECONCILE=off)');
    expect(reconciliationLine(reconcileFigures([walk('2024-01', 1, '2024-04-01T00:00:00Z')], 1, null, true))).toMatch(/; RECONCILE=off$/);
  });
});
