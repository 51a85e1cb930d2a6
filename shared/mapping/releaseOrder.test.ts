import { describe, expect, it } from 'vitest';
import { releaseOrder, supersedes } from './releaseOrder.ts';

const at = (time: string, counter = 0, mappingVersion = 2) => ({ releaseOrder: releaseOrder(time, counter), mappingVersion });

describe('releaseOrder', () => {
  it.each([
    // earlier, later: the later sorts after the earlier as text
    ['2022-10-20T09:12:34.000Z', 582334, '2022-10-20T09:27:24.000Z', 582322, 'a later date wins over a higher counter'],
    ['2022-10-20T09:12:34.000Z', 582322, '2022-10-20T09:12:34.000Z', 582334, 'at the same instant the higher counter wins'],
    ['2022-10-20T09:12:34.000Z', 9, '2022-10-20T09:12:34.000Z', 10, 'counters compare as numbers, not as text'],
    ['2024-03-01T10:00:00.000Z', 0, '2024-03-01T10:00:00.001Z', 0, 'a millisecond later is later (FTS: no counter)'],
    ['2024-03-01T10:00:00+01:00', 0, '2024-03-01T09:30:00Z', 0, 'offsets are read as instants'],
  ])('%s #%i < %s #%i: %s', (earlyDate, earlyCounter, lateDate, lateCounter) => {
    expect(releaseOrder(earlyDate, earlyCounter) < releaseOrder(lateDate, lateCounter)).toBe(true);
  });

  it.each([-1, 1.5, 10 ** 12])('refuses counter %s', (counter) => {
    expect(() => releaseOrder('2024-03-01T10:00:00.000Z', counter)).toThrow(/release counter/);
  });
});

describe('supersedes', () => {
  it.each([
    { case: 'nothing stored', incoming: at('2024-03-05T00:00:00Z'), stored: undefined, expected: true },
    { case: 'stored before releaseOrder existed', incoming: at('2024-03-05T00:00:00Z'), stored: {}, expected: true },
    { case: 'a newer release', incoming: at('2024-03-05T00:00:00Z'), stored: at('2024-03-04T00:00:00Z'), expected: true },
    { case: 'an older release arriving late', incoming: at('2024-03-04T00:00:00Z'), stored: at('2024-03-05T00:00:00Z'), expected: false },
    { case: 'the same release again (a replay)', incoming: at('2024-03-05T00:00:00Z', 7), stored: at('2024-03-05T00:00:00Z', 7), expected: false },
    { case: 'the same instant, a higher counter', incoming: at('2024-03-05T00:00:00Z', 8), stored: at('2024-03-05T00:00:00Z', 7), expected: true },
    { case: 'the same instant, a lower counter', incoming: at('2024-03-05T00:00:00Z', 6), stored: at('2024-03-05T00:00:00Z', 7), expected: false },
    { case: 'the same release, stored by an older mapping', incoming: at('2024-03-05T00:00:00Z', 7, 3), stored: at('2024-03-05T00:00:00Z', 7, 2), expected: true },
    { case: 'the same release, stored by a newer mapping', incoming: at('2024-03-05T00:00:00Z', 7, 2), stored: at('2024-03-05T00:00:00Z', 7, 3), expected: false },
    { case: 'an older release under a newer mapping', incoming: at('2024-03-04T00:00:00Z', 0, 3), stored: at('2024-03-05T00:00:00Z', 0, 2), expected: false },
  ])('$case: $expected', ({ incoming, stored, expected }) => {
    expect(supersedes(incoming, stored)).toBe(expected);
  });
});
