import { describe, expect, it } from 'vitest';
import { backoffSeconds } from './backoff.ts';

describe('backoffSeconds', () => {
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
