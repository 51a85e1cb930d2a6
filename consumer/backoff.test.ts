import { describe, expect, it } from 'vitest';
import { backoffSeconds, outageDelaySeconds, outageRetriesFor } from './backoff.ts';

describe('backoffSeconds (a message failing on its own)', () => {
  it('grows exponentially and stays within the cap', () => {
    expect(backoffSeconds(1, () => 1)).toBe(5);
    expect(backoffSeconds(3, () => 1)).toBe(20);
    expect(backoffSeconds(20, () => 1)).toBe(300);
  });

  it('jitters within the upper half of the step', () => {
    expect(backoffSeconds(3, () => 0)).toBe(10);
    for (let i = 0; i < 50; i++) expect(backoffSeconds(4)).toBeGreaterThanOrEqual(20);
  });
});

describe('outageDelaySeconds (MongoDB unreachable)', () => {
  it('doubles from 30 s to 15 minutes, jittered over the upper half', () => {
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((attempts) => outageDelaySeconds(attempts, () => 1))).toEqual([30, 60, 120, 240, 480, 900, 900, 900]);
    expect([1, 2, 3, 4, 5, 6, 7, 100].map((attempts) => outageDelaySeconds(attempts, () => 0))).toEqual([15, 30, 60, 120, 240, 450, 450, 450]);
  });

  it('takes 12 retries to wait out an hour at the shortest delays (15 + 30 + 60 + 120 + 240 + 7 x 450 = 3,615 s)', () => {
    expect(outageRetriesFor(3600)).toBe(12);
    expect(outageRetriesFor(3615)).toBe(12);
    expect(outageRetriesFor(3616)).toBe(13);
    expect(outageRetriesFor(0)).toBe(0);
  });
});
