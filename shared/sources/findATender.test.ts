import { describe, expect, it } from 'vitest';
import type { Config } from '../config.ts';
import { firstCheckpoint, moveToNextSlice } from '../windows/advanceCheckpoint.ts';
import { ukLocalReadings } from '../time/ukTime.ts';
import type { TimeRange } from './source.ts';
import { findATender } from './findATender.ts';

const config = { FTS_API_URL: 'https://fts.test', PAGE_LIMIT: 100 } as Config;

function requestedRange(slice: TimeRange): [string, string] {
  const query = new URL(findATender.firstPageUrl(config, slice)).searchParams;
  return [query.get('updatedFrom')!, query.get('updatedTo')!];
}

/** Every request the paging makes for the window's slices, in order. */
function requestedRanges(window: TimeRange): [string, string][] {
  const ranges: [string, string][] = [];
  for (let checkpoint = firstCheckpoint(window, findATender.maxSliceMs); !checkpoint.complete; ) {
    ranges.push(requestedRange({ from: checkpoint.sliceFrom, to: checkpoint.sliceTo }));
    checkpoint = moveToNextSlice(checkpoint, window, findATender.maxSliceMs).checkpoint;
  }
  return ranges;
}

describe('findATender.firstPageUrl', () => {
  it.each([
    // slice (UTC), updatedFrom, updatedTo (UK local, no zone)
    ['2024-01-15T00:00:00Z', '2024-01-15T06:00:00Z', '2024-01-15T00:00:00', '2024-01-15T06:00:00'],
    ['2024-07-15T00:00:00Z', '2024-07-15T06:00:00Z', '2024-07-15T01:00:00', '2024-07-15T07:00:00'],
    ['2024-07-15T00:00:00.900Z', '2024-07-15T06:00:00.900Z', '2024-07-15T01:00:00', '2024-07-15T07:00:00'],
  ])('asks %s..%s as %s..%s', (from, to, updatedFrom, updatedTo) => {
    expect(requestedRange({ from: new Date(from), to: new Date(to) })).toEqual([updatedFrom, updatedTo]);
  });

  it.each([
    // month, the requests around its clock-change night
    ['2024-03', [['2024-03-30T18:00:00', '2024-03-31T00:00:00'], ['2024-03-31T00:00:00', '2024-03-31T06:00:00'], ['2024-03-31T06:00:00', '2024-03-31T12:00:00']]],
    ['2024-10', [['2024-10-26T19:00:00', '2024-10-27T00:00:00'], ['2024-10-27T00:00:00', '2024-10-27T05:00:00'], ['2024-10-27T05:00:00', '2024-10-27T11:00:00']]],
  ])('%s: asks around the clock change %j', (month, around) => {
    const from = new Date(`${month}-01T00:00:00Z`);
    const ranges = requestedRanges({ from, to: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) });
    const at = ranges.findIndex(([updatedFrom]) => updatedFrom === around[0][0]);
    expect(ranges.slice(at, at + 3)).toEqual(around);
  });

  it.each(['2023-03', '2023-10', '2024-03', '2024-10'])('%s: every request names one instant per bound and is at most 6 h, whichever way it is read', (month) => {
    const from = new Date(`${month}-01T00:00:00Z`);
    const ranges = requestedRanges({ from, to: new Date(Date.UTC(from.getUTCFullYear(), from.getUTCMonth() + 1, 1)) });
    for (const [i, [updatedFrom, updatedTo]] of ranges.entries()) {
      // Each request starts where the one before ended, as the same text.
      if (i > 0) expect(updatedFrom).toBe(ranges[i - 1][1]);
      const [start] = ukLocalReadings(updatedFrom);
      const ends = ukLocalReadings(updatedTo);
      expect(ends, updatedTo).toHaveLength(1);
      expect(ends[0].getTime() - start.getTime(), updatedFrom).toBeLessThanOrEqual(findATender.maxSliceMs);
      expect(Date.parse(`${updatedTo}Z`) - Date.parse(`${updatedFrom}Z`), `${updatedFrom} on the wall clock`).toBeLessThanOrEqual(findATender.maxSliceMs);
    }
  });
});
