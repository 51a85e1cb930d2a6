import { describe, expect, it } from 'vitest';
import { handOnEarly, startBatchClock } from './batchClock.ts';

describe('a fetch batch handing on early, when a window ends', () => {
  const now = 100_000;
  const clock = startBatchClock(now - 10_000, 60);

  it.each([
    { why: 'no slot granted yet: at once', lastSlotAt: 0, handOnAt: now },
    { why: 'every granted slot has passed: at once', lastSlotAt: now - 500, handOnAt: now },
    { why: 'a window waits for a slot: when it asks, the others paging until then', lastSlotAt: now + 2_400, handOnAt: now + 2_400 },
    { why: "never after the invocation's own end", lastSlotAt: now + 60_000, handOnAt: now + 50_000 },
  ])('$why', ({ lastSlotAt, handOnAt }) => {
    expect(handOnEarly({ ...clock, lastSlotAt }, now)).toBe(handOnAt);
  });
});
