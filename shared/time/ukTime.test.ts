import { describe, expect, it } from 'vitest';
import { ukIsoDateTime, ukLocalDateTime, ukLocalIsAmbiguous, ukLocalReadings, ukOffsetMinutes } from './ukTime.ts';

describe('UK local time', () => {
  it('is UTC in winter and UTC+1 in summer', () => {
    expect(ukLocalDateTime(new Date('2024-01-15T12:00:00Z'))).toBe('2024-01-15T12:00:00');
    expect(ukLocalDateTime(new Date('2024-07-15T12:00:00Z'))).toBe('2024-07-15T13:00:00');
    expect(ukOffsetMinutes(new Date('2024-07-15T12:00:00Z'))).toBe(60);
  });

  it('writes the offset CF expects', () => {
    expect(ukIsoDateTime(new Date('2022-10-20T08:43:52Z'))).toBe('2022-10-20T09:43:52+01:00');
    expect(ukIsoDateTime(new Date('2022-12-01T00:00:00Z'))).toBe('2022-12-01T00:00:00Z');
  });

  it('crosses the spring-forward hour correctly', () => {
    // 2024-03-31 01:00 UTC is when the UK clocks go from 01:00 GMT to 02:00 BST.
    expect(ukLocalDateTime(new Date('2024-03-31T00:59:59Z'))).toBe('2024-03-31T00:59:59');
    expect(ukLocalDateTime(new Date('2024-03-31T01:00:00Z'))).toBe('2024-03-31T02:00:00');
  });

  it('knows the repeated autumn hour', () => {
    // 2024-10-27: 01:00 UTC is 02:00 BST, which becomes 01:00 GMT; local 01:30 happens twice.
    expect(ukLocalDateTime(new Date('2024-10-27T00:30:00Z'))).toBe('2024-10-27T01:30:00');
    expect(ukLocalDateTime(new Date('2024-10-27T01:30:00Z'))).toBe('2024-10-27T01:30:00');
    expect(ukLocalIsAmbiguous(new Date('2024-10-27T01:30:00Z'))).toBe(true);
    expect(ukLocalIsAmbiguous(new Date('2024-10-27T06:00:00Z'))).toBe(false);
  });

  it.each([
    // local time, the instants it names
    ['2024-01-15T12:00:00', ['2024-01-15T12:00:00.000Z']],
    ['2024-07-15T12:00:00', ['2024-07-15T11:00:00.000Z']],
    // Autumn: 01:00-02:00 happens in BST, then again in GMT.
    ['2024-10-27T00:59:59', ['2024-10-26T23:59:59.000Z']],
    ['2024-10-27T01:00:00', ['2024-10-27T00:00:00.000Z', '2024-10-27T01:00:00.000Z']],
    ['2024-10-27T01:59:59', ['2024-10-27T00:59:59.000Z', '2024-10-27T01:59:59.000Z']],
    ['2024-10-27T02:00:00', ['2024-10-27T02:00:00.000Z']],
    // Spring: 01:00-02:00 is skipped.
    ['2024-03-31T00:59:59', ['2024-03-31T00:59:59.000Z']],
    ['2024-03-31T01:30:00', []],
    ['2024-03-31T02:00:00', ['2024-03-31T01:00:00.000Z']],
  ])('reads %s as %j', (local, instants) => {
    expect(ukLocalReadings(local).map((d) => d.toISOString())).toEqual(instants);
  });
});
