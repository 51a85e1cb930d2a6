import { describe, expect, it } from 'vitest';
import { backoffSeconds, OUTAGE_CAP_SECONDS, outageDelaySeconds, outageRetriesFor } from './backoff.ts';

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
  it.each([
    { attempts: 1, shortest: 15, longest: 30 },
    { attempts: 2, shortest: 30, longest: 60 },
    { attempts: 3, shortest: 60, longest: 120 },
    { attempts: 4, shortest: 60, longest: 120 },
    { attempts: 62, shortest: 60, longest: 120 },
    { attempts: 100, shortest: 60, longest: 120 },
  ])('attempt $attempts: between $shortest and $longest s', ({ attempts, shortest, longest }) => {
    expect(outageDelaySeconds(attempts, () => 0)).toBe(shortest);
    expect(outageDelaySeconds(attempts, () => 1)).toBe(longest);
  });

  it('never waits longer than two minutes, so work resumes within two minutes of MongoDB coming back', () => {
    expect(OUTAGE_CAP_SECONDS).toBe(120);
    for (let attempts = 1; attempts <= 100; attempts++) expect(outageDelaySeconds(attempts)).toBeLessThanOrEqual(120);
  });

  it.each([
    { seconds: 0, retries: 0 },
    { seconds: 15, retries: 1 },
    { seconds: 45, retries: 2 },
    { seconds: 46, retries: 3 },
    // 15 + 30 + 60 × 60 = 3,645 s: the hour wrangler.toml's max_retries leaves room for.
    { seconds: 3600, retries: 62 },
    { seconds: 3645, retries: 62 },
    { seconds: 3646, retries: 63 },
  ])('waiting out $seconds s at the shortest delays takes $retries retries', ({ seconds, retries }) => {
    expect(outageRetriesFor(seconds)).toBe(retries);
  });
});
