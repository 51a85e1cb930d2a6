import { describe, expect, it } from 'vitest';
import { drawOffsets } from './reconciliation.ts';

describe("the record door's sample", () => {
  it('draws distinct offsets below the count, however often the random source repeats itself', () => {
    const values = [0.5, 0.5, 0.1, 0.5, 0.99, 0.1, 0.3];
    const random = () => values.shift() ?? 0;
    expect(drawOffsets(10, 4, random)).toEqual([5, 1, 9, 3]);
  });

  it('reaches every offset over many draws', () => {
    const seen = new Set(Array.from({ length: 200 }, () => drawOffsets(20, 5, Math.random)).flat());
    expect([...seen].sort((a, b) => a - b)).toEqual(Array.from({ length: 20 }, (_, i) => i));
  });
});
