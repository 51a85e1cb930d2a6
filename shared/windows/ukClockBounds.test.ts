import { describe, expect, it } from 'vitest';
import { longestReadingMs, splitPoint, unambiguousAtOrAfter, unambiguousAtOrBefore } from './ukClockBounds.ts';

// 2024-03-31: clocks go forward at 01:00 UTC (local 01:00-02:00 skipped).
// 2024-10-27: clocks go back at 01:00 UTC (local 01:00-02:00 twice: UTC 00:00-01:00, then 01:00-02:00).
const range = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
const HOUR = 3_600_000;

describe('longestReadingMs', () => {
  it.each([
    // from, to (UTC), longest reading in hours, why
    ['2024-01-15T00:00:00Z', '2024-01-15T06:00:00Z', 6, 'winter: local = UTC'],
    ['2024-07-15T00:00:00Z', '2024-07-15T06:00:00Z', 6, 'summer: both bounds an hour on'],
    ['2024-03-31T00:00:00Z', '2024-03-31T06:00:00Z', 7, 'spring: 00:00 to 07:00 on the wall clock'],
    ['2024-03-31T00:00:00Z', '2024-03-31T05:00:00Z', 6, 'spring, an hour shorter: 00:00 to 06:00'],
    ['2024-10-26T18:00:00Z', '2024-10-27T00:00:00Z', 7, 'autumn: to is 01:00, maybe the GMT one'],
    ['2024-10-27T00:00:00Z', '2024-10-27T06:00:00Z', 6, 'autumn: from is 01:00, maybe the GMT one (5 h)'],
    ['2024-10-26T23:00:00Z', '2024-10-27T06:00:00Z', 7, 'autumn: 00:00 to 06:00 GMT, the old widened slice'],
    ['2024-10-26T23:00:00Z', '2024-10-27T05:00:00Z', 6, 'autumn: 00:00 to 05:00 GMT'],
    ['2024-01-15T00:00:00.900Z', '2024-01-15T06:00:00.000Z', 6, 'whole seconds as sent: 00:00:00 to 06:00:00'],
  ])('%s..%s reads as at most %i h (%s)', (from, to, hours) => {
    expect(longestReadingMs(range(from, to))).toBe(hours * HOUR);
  });
});

describe('unambiguousAtOrBefore', () => {
  it.each([
    ['2024-10-26T23:59:59Z', '2024-10-26T23:59:59.000Z', 'local 00:59:59 BST: kept'],
    ['2024-10-27T00:00:00Z', '2024-10-26T23:00:00.000Z', 'local 01:00 BST: an hour back'],
    ['2024-10-27T01:30:00Z', '2024-10-26T23:30:00.000Z', 'local 01:30 GMT: two hours back'],
    ['2024-10-27T02:00:00Z', '2024-10-27T02:00:00.000Z', 'local 02:00 GMT: kept'],
    ['2024-03-31T01:30:00Z', '2024-03-31T01:30:00.000Z', 'spring has no repeated hour'],
  ])('%s → %s (%s)', (instant, expected) => {
    expect(unambiguousAtOrBefore(new Date(instant)).toISOString()).toBe(expected);
  });
});

describe('unambiguousAtOrAfter', () => {
  it.each([
    ['2024-10-26T23:59:59Z', '2024-10-26T23:59:59.000Z', 'local 00:59:59 BST: kept'],
    ['2024-10-27T00:00:00Z', '2024-10-27T02:00:00.000Z', 'local 01:00 BST: two hours on'],
    ['2024-10-27T00:30:01Z', '2024-10-27T02:30:01.000Z', 'local 01:30:01 BST: two hours on'],
    ['2024-10-27T01:30:01Z', '2024-10-27T02:30:01.000Z', 'local 01:30:01 GMT: an hour on'],
    ['2024-10-27T02:00:00Z', '2024-10-27T02:00:00.000Z', 'local 02:00 GMT: kept'],
    ['2024-03-31T01:30:00Z', '2024-03-31T01:30:00.000Z', 'spring has no repeated hour'],
  ])('%s → %s (%s)', (instant, expected) => {
    expect(unambiguousAtOrAfter(new Date(instant)).toISOString()).toBe(expected);
  });
});

describe('splitPoint', () => {
  it.each([
    ['2024-01-15T00:00:00Z', '2024-01-15T06:00:00Z', '2024-01-15T03:00:00.000Z', 'the middle'],
    ['2024-10-26T23:00:00Z', '2024-10-27T02:00:00Z', '2024-10-26T23:30:00.000Z', 'middle in the BST hour: an hour before'],
    ['2024-10-26T23:00:00Z', '2024-10-27T05:00:00Z', '2024-10-27T02:00:00.000Z', 'middle at 02:00 GMT: kept'],
    ['2024-10-26T22:00:00Z', '2024-10-27T05:00:00Z', '2024-10-27T02:30:00.000Z', 'middle in the GMT hour: an hour after'],
    ['2024-10-27T00:00:00Z', '2024-10-27T01:59:00Z', '2024-10-27T00:59:30.000Z', 'all in the repeated hour: nothing better'],
  ])('%s..%s splits at %s (%s)', (from, to, expected) => {
    expect(splitPoint(range(from, to)).toISOString()).toBe(expected);
  });
});
