import { describe, expect, it } from 'vitest';
import { jsonBytes } from '../../shared/queue/jsonBytes.ts';
import { splitIntoParts } from './splitIntoParts.ts';

const item = (id: number, size: number) => ({ id, pad: 'x'.repeat(size) });

describe('splitIntoParts', () => {
  it('keeps every part under the limit and every item in order, once', () => {
    const items = Array.from({ length: 200 }, (_, i) => item(i, 100 + ((i * 37) % 900)));
    const { parts, oversized } = splitIntoParts(items, 10_000, jsonBytes);
    expect(oversized).toEqual([]);
    for (const part of parts) expect(jsonBytes(part)).toBeLessThanOrEqual(10_000);
    expect(parts.flat().map((i) => i.id)).toEqual(items.map((i) => i.id));
  });

  it('sets an item larger than the limit apart', () => {
    const { parts, oversized } = splitIntoParts([item(1, 10), item(2, 5000), item(3, 10)], 1000, jsonBytes);
    expect(oversized.map((i) => i.id)).toEqual([2]);
    expect(parts.flat().map((i) => i.id)).toEqual([1, 3]);
  });

  it('gives no parts for no items', () => {
    expect(splitIntoParts([], 1000, jsonBytes)).toEqual({ parts: [], oversized: [] });
  });
});
