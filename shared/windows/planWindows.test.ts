import { describe, expect, it } from 'vitest';
import type { TimeRange } from '../sources/source.ts';
import { ukLocalIsAmbiguous } from '../time/ukTime.ts';
import { nextSlice, planDeltaWindow } from './planWindows.ts';
import { longestReadingMs } from './ukClockBounds.ts';

const HOUR = 3_600_000;
const SIX_HOURS = 6 * HOUR;
const FIFTEEN_DAYS = 15 * 24 * HOUR;

function slicesOf(window: TimeRange, maxSliceMs: number): TimeRange[] {
  const slices: TimeRange[] = [];
  for (let slice = nextSlice(window, window.from, maxSliceMs); slice; slice = nextSlice(window, slice.to, maxSliceMs)) slices.push(slice);
  return slices;
}

const month = (year: number, month: number): TimeRange => ({ from: new Date(Date.UTC(year, month - 1, 1)), to: new Date(Date.UTC(year, month, 1)) });
const iso = (slices: TimeRange[]) => slices.map((s) => `${s.from.toISOString().slice(5, 16)}..${s.to.toISOString().slice(5, 16)}`);

describe('nextSlice on clock-change nights', () => {
  it.each([
    // month, the 6-hour slices around the night (UTC), why
    [
      2024, 3,
      ['03-30T18:00..03-31T00:00', '03-31T00:00..03-31T05:00', '03-31T05:00..03-31T11:00'],
      'spring: 00:00 GMT to 07:00 BST is 7 h on the wall clock, so the slice ends at 06:00 BST',
    ],
    [
      2024, 10,
      ['10-26T18:00..10-26T23:00', '10-26T23:00..10-27T05:00', '10-27T05:00..10-27T11:00'],
      'autumn: 00:00 UTC is local 01:00, which names two instants, so the slice ends at local 00:00',
    ],
    [
      2023, 10,
      ['10-28T18:00..10-28T23:00', '10-28T23:00..10-29T05:00', '10-29T05:00..10-29T11:00'],
      'autumn 2023 alike',
    ],
  ])('%i-%i: %j (%s)', (year, monthNumber, around) => {
    const slices = iso(slicesOf(month(year, monthNumber), SIX_HOURS));
    const at = slices.indexOf(around[0]);
    expect(slices.slice(at, at + 3)).toEqual(around);
  });

  const changeMonths = [2021, 2022, 2023, 2024, 2025, 2026, 2027, 2028, 2029, 2030].flatMap((year) => [month(year, 3), month(year, 10)]);

  it.each([
    ['FTS, 6 h', SIX_HOURS],
    ['CF, 15 days', FIFTEEN_DAYS],
  ])('%s: every change month of ten years is covered end to end, no reading longer, no bound in the repeated hour', (_, maxSliceMs) => {
    for (const window of changeMonths) {
      const slices = slicesOf(window, maxSliceMs);
      expect(slices[0].from).toEqual(window.from);
      expect(slices.at(-1)!.to).toEqual(window.to);
      for (const [i, slice] of slices.entries()) {
        if (i > 0) expect(slice.from).toEqual(slices[i - 1].to);
        expect(longestReadingMs(slice), slice.from.toISOString()).toBeLessThanOrEqual(maxSliceMs);
        expect(ukLocalIsAmbiguous(slice.to), slice.to.toISOString()).toBe(false);
      }
      // One slice more than plain UTC cutting at most: the month's last slice is an hour short.
      expect(slices.length).toBeLessThanOrEqual(Math.ceil((window.to.getTime() - window.from.getTime()) / maxSliceMs) + 1);
    }
  });

  it('checks only the reading of a window end it cannot move', () => {
    // A window recorded before delta windows stopped ending in the repeated hour: its end, local
    // 01:30, may be read as 01:30 GMT, so the last slice must leave room for that hour.
    const window = { from: new Date('2024-10-26T21:00:00Z'), to: new Date('2024-10-27T00:30:00Z') };
    expect(iso(slicesOf(window, 2 * HOUR))).toEqual(['10-26T21:00..10-26T23:00', '10-26T23:00..10-26T23:30', '10-26T23:30..10-27T00:30']);
  });

  it('always moves on, even when a slice is too short to leave the repeated hour', () => {
    const window = { from: new Date('2024-10-26T23:50:00Z'), to: new Date('2024-10-27T03:00:00Z') };
    const slices = slicesOf(window, 30 * 60_000);
    expect(slices.at(-1)!.to).toEqual(window.to);
    for (const slice of slices) expect(slice.to > slice.from).toBe(true);
  });
});

describe('planDeltaWindow on the autumn night', () => {
  const cursor = new Date('2024-10-26T22:00:00Z');
  it.each([
    // now (UTC), the window's end (a minute before now, out of the repeated hour), why
    ['2024-10-26T23:51:00Z', '2024-10-26T23:50:00.000Z', 'local 00:50 BST: as usual'],
    ['2024-10-27T00:31:00Z', '2024-10-26T23:30:00.000Z', 'local 01:30 BST: an hour back'],
    ['2024-10-27T01:31:00Z', '2024-10-26T23:30:00.000Z', 'local 01:30 GMT: two hours back'],
    ['2024-10-27T02:01:00Z', '2024-10-27T02:00:00.000Z', 'local 02:00 GMT: as usual'],
  ])('at %s ends at %s (%s)', (now, to) => {
    expect(planDeltaWindow('FIND_A_TENDER', cursor, new Date(now), 15 * 60_000)?.to.toISOString()).toBe(to);
  });

  it.each([
    // cursor (UTC), the window's start, why
    ['2024-10-26T22:00:00Z', '2024-10-26T21:45:00.000Z', 'local 22:45 BST: 15 minutes back, as usual'],
    ['2024-10-27T02:00:00Z', '2024-10-26T23:45:00.000Z', 'local 01:45 GMT names two instants: back two hours to 00:45 BST'],
    ['2024-10-27T02:10:00Z', '2024-10-26T23:55:00.000Z', 'local 01:55 GMT names two instants, and so does 01:55 BST: back to 00:55 BST (2 h 15 min of overlap)'],
    ['2024-10-27T02:20:00Z', '2024-10-27T02:05:00.000Z', 'local 02:05 GMT: as usual'],
  ])('with the cursor at %s starts at %s (%s)', (cursorAt, from) => {
    expect(planDeltaWindow('FIND_A_TENDER', new Date(cursorAt), new Date('2024-10-27T06:00:00Z'), 4 * 60_000)?.from.toISOString()).toBe(from);
  });

  it('plans nothing while the end it may take is too close to the cursor', () => {
    expect(planDeltaWindow('FIND_A_TENDER', new Date('2024-10-26T23:30:00Z'), new Date('2024-10-27T01:35:00Z'), 15 * 60_000)).toBeNull();
  });
});
