import { describe, expect, it } from 'vitest';
import type { WindowSummaryInput } from '../shared/store/sourceStatus.ts';
import { summarizeSource } from './summarizeSource.ts';

const now = new Date('2026-11-25T12:00:00Z');
const previous = { totalFetched: 10, lastRunAt: new Date('2026-11-25T11:00:00Z'), createdAt: new Date('2026-11-01'), errorLog: [] };
const month = (state: WindowSummaryInput['state'], releasesWritten = 0): WindowSummaryInput => ({ _id: 'CF:2026-10', state, span: 'month', to: new Date('2026-11-01'), releasesWritten, checkpoint: { holes: [] } });
const delta = (state: WindowSummaryInput['state'], to: string, releasesWritten = 0): WindowSummaryInput => ({ _id: `CF:delta:${to}`, state, span: 'delta', to: new Date(to), releasesWritten, checkpoint: { holes: [] } });

describe('summarizeSource', () => {
  it.each([
    { name: 'a month still open', windows: [month('done'), month('fetching')], status: 'backfilling' },
    { name: 'every month done', windows: [month('done'), delta('pending', '2026-11-25T11:55:00Z')], status: 'syncing' },
    { name: 'any window failed', windows: [month('done'), delta('failed', '2026-11-25T11:55:00Z')], status: 'error' },
    { name: 'failed beats backfilling', windows: [month('failed'), month('pending')], status: 'error' },
  ])('is $status when $name', ({ windows, status }) => {
    expect(summarizeSource(windows, null, previous, now).status).toBe(status);
  });

  it('totals releases, counts windows by state and reports what this run added', () => {
    const summary = summarizeSource([month('done', 7), month('done', 5), delta('queued', '2026-11-25T11:55:00Z')], null, previous, now);
    expect(summary).toMatchObject({ totalFetched: 12, lastRunFetched: 2, windows: { done: 2, queued: 1 }, lastRunAt: now });
  });

  it('is as fresh as the newest closed delta window', () => {
    const windows = [delta('done', '2026-11-25T09:55:00Z'), delta('done', '2026-11-25T10:55:00Z'), delta('fetching', '2026-11-25T11:55:00Z')];
    expect(summarizeSource(windows, null, previous, now).lastSyncedDate).toEqual(new Date('2026-11-25T10:55:00Z'));
    expect(summarizeSource([month('done')], null, previous, now).lastSyncedDate).toBeNull();
  });

  it('counts the slices left with a hole and names their windows, in slices: their releases are not known', () => {
    const hole = { sliceFrom: new Date('2026-09-01'), sliceTo: new Date('2026-09-16'), page: 3, pageUrl: 'https://cf/search?cursor=abc', reason: 'Unterminated string in JSON' };
    const windows = [
      { ...month('failed'), _id: 'CF:2026-09', checkpoint: { holes: [hole, { ...hole, page: 9 }] } },
      { ...month('fetching'), _id: 'CF:2026-08', checkpoint: { holes: [hole] } },
      month('done', 5),
    ];
    expect(summarizeSource(windows, null, previous, now).holes).toEqual({ slices: 3, windows: ['CF:2026-09', 'CF:2026-08'] });
    expect(summarizeSource([month('done', 5), month('failed')], null, previous, now).holes).toEqual({ slices: 0, windows: [] });
  });

  it('counts only the errors logged since the previous run', () => {
    const errorLog = [{ at: new Date('2026-11-25T10:30:00Z'), message: 'old' }, { at: new Date('2026-11-25T11:30:00Z'), message: 'new' }];
    expect(summarizeSource([], null, { ...previous, errorLog }, now).lastRunErrors).toBe(1);
  });

  it('counts folded delta windows through the newest fold: as done, their releases, and as fresh as its end', () => {
    const fold = { windows: 40, releasesWritten: 30, to: new Date('2026-11-25T10:30:00Z') };
    expect(summarizeSource([month('done', 7), delta('fetching', '2026-11-25T11:55:00Z')], fold, previous, now)).toMatchObject({
      totalFetched: 37,
      windows: { done: 41, fetching: 1 },
      lastSyncedDate: fold.to,
    });
    expect(summarizeSource([delta('done', '2026-11-25T11:50:00Z')], fold, previous, now).lastSyncedDate).toEqual(new Date('2026-11-25T11:50:00Z'));
  });
});
