import { describe, expect, it } from 'vitest';
import { isWindowComplete, writtenPartKey } from './isWindowComplete.ts';
import { pickWindowsToFetch, type WindowPick } from './pickWindowsToFetch.ts';
import { planDeltaWindow, planMonthWindows } from './planWindows.ts';
import { firstCheckpoint } from './advanceCheckpoint.ts';
import { waitsOnQueue } from './waitsOnQueue.ts';

describe('planMonthWindows', () => {
  it('covers the history in whole months without gaps, up to the delta origin', () => {
    const windows = planMonthWindows('FIND_A_TENDER', new Date('2021-01-01'), new Date('2024-03-01'));
    expect(windows).toHaveLength(38);
    expect(windows[0]).toMatchObject({ _id: 'FIND_A_TENDER:2021-01', from: new Date('2021-01-01'), to: new Date('2021-02-01') });
    for (let i = 1; i < windows.length; i++) expect(windows[i].from).toEqual(windows[i - 1].to);
    expect(windows.at(-1)!.to).toEqual(new Date('2024-03-01'));
  });

  it('starts the first window on the start date, not the month', () => {
    const [first] = planMonthWindows('CONTRACTS_FINDER', new Date('2016-11-15'), new Date('2017-01-01'));
    expect(first).toMatchObject({ _id: 'CONTRACTS_FINDER:2016-11', from: new Date('2016-11-15'), to: new Date('2016-12-01') });
  });

  it('gives the same ids every time', () => {
    const a = planMonthWindows('FIND_A_TENDER', new Date('2021-01-01'), new Date('2022-01-01'));
    const b = planMonthWindows('FIND_A_TENDER', new Date('2021-01-01'), new Date('2022-01-01'));
    expect(a).toEqual(b);
  });
});

describe('planDeltaWindow', () => {
  const cursor = new Date('2026-11-24T10:00:00Z');
  it.each([
    // now, minimum new time, the window planned (from..to) or null, why
    ['2026-11-24T10:05:00Z', 4, '09:45..10:04', 'a tick on time: 4 min new, 15 min over the previous window'],
    ['2026-11-24T11:00:00Z', 4, '09:45..10:59', 'a late tick: the window just reaches further'],
    ['2026-11-24T10:04:30Z', 4, null, 'a duplicate right after its twin: 3.5 min new, under the minimum'],
    ['2026-11-24T10:10:00Z', 15, null, 'under a larger minimum'],
  ])('at %s with %i min new: %s (%s)', (now, minNewMinutes, expected, _why) => {
    const window = planDeltaWindow('FIND_A_TENDER', cursor, new Date(now), minNewMinutes * 60_000);
    expect(window && `${window.from.toISOString().slice(11, 16)}..${window.to.toISOString().slice(11, 16)}`).toBe(expected);
    if (window) expect(window._id).toBe('FIND_A_TENDER:delta:2026-11-24T10:00:00.000Z');
  });
});

describe('pickWindowsToFetch', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const policy = { inFlight: 2, stallMs: 30 * 60_000, maxAttempts: 3 };
  const w = (id: string, over: Partial<WindowPick>): WindowPick => ({
    _id: id, seq: 0, state: 'pending', span: 'month', from: new Date(`${id}-01`), to: new Date(`${id}-28`), attempts: 0, updatedAt: now, lease: null, checkpoint: { holes: [] }, ...over,
  });

  it.each([
    // windows (id:state, span delta when the id says so), what starts, why
    { windows: ['2021-01', '2023-05', 'd-2026-11'], start: ['d-2026-11', '2023-05', '2021-01'], why: 'the delta first, then the newest months' },
    { windows: ['2021-01:fetching', '2022-01:queued', '2023-05', 'd-2026-11'], start: ['d-2026-11'], why: 'a delta starts even while the backfill fills the in-flight limit' },
    { windows: ['d-2026-11:fetching', 'd-2026-12', '2021-01', '2023-05'], start: ['d-2026-12', '2023-05', '2021-01'], why: 'deltas in flight do not take backfill slots' },
    { windows: ['2021-01:fetching', '2022-01', '2023-05'], start: ['2023-05'], why: 'months up to the limit' },
    { windows: ['d-2026-11', 'r-2021-01'], start: ['d-2026-11', 'r-2021-01'], why: 'a reconciliation walk after the deltas, once the backfill is done' },
    { windows: ['2023-05', 'r-2021-01'], start: ['2023-05'], why: 'no walk while a month waits' },
    { windows: ['2023-05:fetching', 'r-2021-01'], start: [], why: 'no walk while a month is fetched' },
    { windows: ['2023-05:failed:3', 'r-2021-01'], start: ['r-2021-01'], why: 'a month given up on does not hold reconciliation' },
    { windows: ['r-2021-01'], start: [], reconcile: false, why: 'no walk with RECONCILE=off' },
  ])('$why', ({ windows, start, reconcile = true }) => {
    const picks = windows.map((spec) => {
      const [id, state = 'pending', attempts = '0'] = spec.split(':');
      const span = id.startsWith('d-') ? 'delta' : id.startsWith('r-') ? 'reconcile' : 'month';
      return w(id, { span, state: state as WindowPick['state'], attempts: Number(attempts), from: new Date(`${id.replace(/^[dr]-/, '')}-01`) });
    });
    expect(pickWindowsToFetch(picks, now, { ...policy, inFlight: 2, reconcile }).start.map((x) => x._id)).toEqual(start);
  });

  it('resumes a stalled walk only while reconciliation is on', () => {
    const stalled = w('r-2021-01', { span: 'reconcile', state: 'fetching', from: new Date('2021-01-01'), updatedAt: new Date(now.getTime() - 31 * 60_000) });
    expect(pickWindowsToFetch([stalled], now, { ...policy, reconcile: true }).resume.map((x) => x._id)).toEqual(['r-2021-01']);
    expect(pickWindowsToFetch([stalled], now, { ...policy, reconcile: false }).resume).toEqual([]);
  });

  it('counts windows in flight, resumes stalled ones and gives failed ones a limited number of tries', () => {
    const plan = pickWindowsToFetch(
      [
        w('2021-01', { state: 'fetching', updatedAt: new Date(now.getTime() - 31 * 60_000) }),
        w('2021-02', { state: 'failed', attempts: 3 }),
        w('2021-03', { state: 'failed', attempts: 1 }),
        w('2021-04', { state: 'done' }),
      ],
      now,
      policy,
    );
    expect(plan.resume.map((x) => x._id)).toEqual(['2021-01']);
    expect(plan.start.map((x) => x._id)).toEqual(['2021-03']);
  });
});

describe('pickWindowsToFetch, fetched windows', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const policy = { inFlight: 2, stallMs: 30 * 60_000, maxAttempts: 3 };
  const fetched: WindowPick = { _id: 'w', seq: 4, state: 'fetched', span: 'month', from: new Date('2024-01-01'), to: new Date('2024-02-01'), attempts: 0, updatedAt: new Date(now.getTime() - 40 * 60_000), lease: null, checkpoint: { holes: [] } };

  it('restarts a fetched window whose parts stopped coming only while the writer is idle', () => {
    expect(pickWindowsToFetch([fetched], now, { ...policy, writerIdle: true }).start.map((w) => w._id)).toEqual(['w']);
    expect(pickWindowsToFetch([fetched], now, { ...policy, writerIdle: false }).start).toEqual([]);
  });

  it('leaves a recently fetched window, or one out of attempts, alone', () => {
    expect(pickWindowsToFetch([{ ...fetched, updatedAt: now }], now, { ...policy, writerIdle: true }).start).toEqual([]);
    expect(pickWindowsToFetch([{ ...fetched, attempts: 3 }], now, { ...policy, writerIdle: true }).start).toEqual([]);
  });
});

describe('isWindowComplete', () => {
  const range = { from: new Date('2024-01-01'), to: new Date('2024-02-01') };
  const base = { state: 'fetched' as const, generation: 1, checkpoint: { ...firstCheckpoint(range, 1), complete: true }, pageParts: { p0: 2, p1: 1 } };

  it('waits for every part of every page of this generation', () => {
    expect(isWindowComplete(base, new Set([writtenPartKey(1, 0, 0), writtenPartKey(1, 1, 0)]))).toBe(false);
    expect(isWindowComplete(base, new Set([writtenPartKey(1, 0, 0), writtenPartKey(1, 0, 1), writtenPartKey(1, 1, 0)]))).toBe(true);
  });

  it('does not count parts from an older generation', () => {
    expect(isWindowComplete(base, new Set(['0.0.0', '0.0.1', '0.1.0']))).toBe(false);
  });

  it('is never complete while pages are still being fetched', () => {
    expect(isWindowComplete({ ...base, state: 'fetching', pageParts: {} }, new Set())).toBe(false);
  });

  it('is never complete while a page could not be read, however many parts are stored', () => {
    const hole = { sliceFrom: range.from, sliceTo: range.to, page: 1, pageUrl: 'https://x/p1', reason: 'cut off' };
    const all = new Set([writtenPartKey(1, 0, 0), writtenPartKey(1, 0, 1), writtenPartKey(1, 1, 0)]);
    expect(isWindowComplete({ ...base, checkpoint: { ...base.checkpoint, holes: [hole] } }, all)).toBe(false);
    expect(isWindowComplete(base, all)).toBe(true);
  });
});

describe('waitsOnQueue', () => {
  const now = new Date('2026-11-24T12:00:00Z');
  const lease = (minutes: number) => ({ holder: 'message-1', until: new Date(now.getTime() + minutes * 60_000) });
  it.each([
    { state: 'queued', lease: null, waits: true, why: 'claimed, its message not yet taken' },
    { state: 'fetching', lease: null, waits: true, why: 'handed on: its follow-up is on the queue' },
    { state: 'fetching', lease: lease(-1), waits: true, why: 'its chain crashed: the message comes back' },
    { state: 'fetching', lease: lease(5), waits: false, why: 'a consumer pages it now' },
    { state: 'pending', lease: null, waits: false, why: 'not claimed yet: no message' },
    { state: 'fetched', lease: null, waits: false, why: 'every page asked for' },
  ] as const)('$state, lease $lease: $waits ($why)', ({ state, lease, waits }) => {
    expect(waitsOnQueue({ state, lease }, now)).toBe(waits);
  });
});
