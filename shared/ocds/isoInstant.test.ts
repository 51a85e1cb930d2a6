import { describe, expect, it } from 'vitest';
import { toIsoInstant } from './isoInstant.ts';

describe('toIsoInstant', () => {
  it.each([
    // The three offsets seen in real data.
    ['2026-10-06T18:31:55+01:00', '2026-10-06T17:31:55.000Z'],
    ['2026-11-05T12:00:00+00:00', '2026-11-05T12:00:00.000Z'],
    ['2020-11-10T11:04:19Z', '2020-11-10T11:04:19.000Z'],
    // A summer midnight in UK local time is the previous day in UTC.
    ['2026-10-06T00:00:00+01:00', '2026-10-05T23:00:00.000Z'],
    ['2026-05-08T23:59:59+0100', '2026-05-08T22:59:59.000Z'],
    ['2022-10-20T09:43:52.123Z', '2022-10-20T09:43:52.123Z'],
    // No zone: read as UTC, whatever the machine's zone.
    ['2022-10-20T09:43:52', '2022-10-20T09:43:52.000Z'],
    ['2022-10-20', '2022-10-20T00:00:00.000Z'],
  ])('%s → %s', (input, expected) => {
    expect(toIsoInstant(input)).toBe(expected);
  });

  it.each([[''], ['not a date'], ['October 5, 2022'], ['2022-13-45T99:00:00Z'], [null], [undefined], [20221020]])(
    'rejects %j',
    (input) => {
      expect(toIsoInstant(input)).toBeUndefined();
    },
  );
});
