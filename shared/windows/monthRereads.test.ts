import { describe, expect, it } from 'vitest';
import { firstCheckpoint } from './advanceCheckpoint.ts';
import { publicContractsScotland } from '../sources/publicContractsScotland.ts';
import { planMonthRereads } from './monthRereads.ts';

const PCS = 'PUBLIC_CONTRACTS_SCOTLAND';
const MONTH_SLICE_MS = publicContractsScotland.maxSliceMs;
const shown = (now: string) => planMonthRereads(PCS, new Date(now)).map((w) => `${w._id} ${w.from.toISOString()}..${w.to.toISOString()}`);

describe('planMonthRereads: the hourly re-read of a source without an updated filter', () => {
  it('reads the current month up to now', () => {
    expect(shown('2026-12-09T13:00:12Z')).toEqual([`${PCS}:delta:2026-12-09T13:2026-12 2026-12-01T00:00:00.000Z..2026-12-09T13:00:12.000Z`]);
  });

  it('and the whole previous month through the first seven days, across a year end', () => {
    expect(shown('2027-01-07T23:00:00Z')).toEqual([
      `${PCS}:delta:2027-01-07T23:2026-12 2026-12-01T00:00:00.000Z..2027-01-01T00:00:00.000Z`,
      `${PCS}:delta:2027-01-07T23:2027-01 2027-01-01T00:00:00.000Z..2027-01-07T23:00:00.000Z`,
    ]);
    expect(shown('2027-01-08T00:00:00Z')).toHaveLength(1);
  });

  it('names the cron hour, so a second run in the hour plans the same windows', () => {
    expect(planMonthRereads(PCS, new Date('2026-12-09T13:59:00Z')).map((w) => w._id)).toEqual(planMonthRereads(PCS, new Date('2026-12-09T13:00:00Z')).map((w) => w._id));
  });

  it('each is a delta window of one month, one slice, also over the autumn clock change', () => {
    for (const now of ['2026-11-03T10:00:00Z', '2026-10-31T23:00:00Z']) {
      for (const window of planMonthRereads(PCS, new Date(now))) {
        expect(window.span).toBe('delta');
        const checkpoint = firstCheckpoint(window, MONTH_SLICE_MS);
        expect([checkpoint.sliceFrom, checkpoint.sliceTo]).toEqual([window.from, window.to]);
        expect(window.from.toISOString().slice(0, 7)).toBe(new Date(window.to.getTime() - 1).toISOString().slice(0, 7));
      }
    }
  });
});
