import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, firstCheckpoint, MIN_SLICE_MS } from './advanceCheckpoint.ts';

const HOUR = 3_600_000;
const window = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-02T00:00:00Z') };
const SIX_HOURS = 6 * HOUR;

describe('advanceCheckpoint', () => {
  it('starts with the first slice of the window', () => {
    const start = firstCheckpoint(window, SIX_HOURS);
    expect(start.sliceFrom).toEqual(window.from);
    expect(start.sliceTo).toEqual(new Date('2024-01-01T06:00:00Z'));
    expect(start.complete).toBe(false);
  });

  it('follows links.next inside a slice and counts pages and releases', () => {
    const start = firstCheckpoint(window, SIX_HOURS);
    const { checkpoint } = advanceCheckpoint(start, window, { releases: 100, nextUrl: 'https://x/next' }, 100, SIX_HOURS);
    expect(checkpoint).toMatchObject({ nextUrl: 'https://x/next', pages: 1, releasesFetched: 100, sliceFrom: start.sliceFrom });
  });

  it('walks slice by slice to the end of the window, then is complete', () => {
    let checkpoint = firstCheckpoint(window, SIX_HOURS);
    const slicesSeen: string[] = [];
    while (!checkpoint.complete) {
      slicesSeen.push(checkpoint.sliceFrom.toISOString());
      checkpoint = advanceCheckpoint(checkpoint, window, { releases: 3, nextUrl: null }, 100, SIX_HOURS).checkpoint;
    }
    expect(slicesSeen).toHaveLength(4);
    expect(checkpoint).toMatchObject({ pages: 4, releasesFetched: 12, complete: true });
  });

  it('asks again once for a full page without links.next, then halves the slice', () => {
    const start = firstCheckpoint(window, SIX_HOURS);
    const again = advanceCheckpoint(start, window, { releases: 100, nextUrl: null }, 100, SIX_HOURS);
    expect(again.checkpoint).toMatchObject({ sliceTo: start.sliceTo, nextUrl: null, suspiciousRetries: 1, pages: 1 });
    expect(again.event).toMatch(/asking again/);

    const split = advanceCheckpoint(again.checkpoint, window, { releases: 100, nextUrl: null }, 100, SIX_HOURS);
    expect(split.checkpoint.sliceTo).toEqual(new Date('2024-01-01T03:00:00Z'));
    expect(split.checkpoint.suspiciousRetries).toBe(0);
    expect(split.event).toMatch(/split/);
  });

  it.each([
    // slice (UTC), where it is split, why
    ['2024-10-26T23:00:00Z', '2024-10-27T02:00:00Z', '2024-10-26T23:30:00.000Z', 'the middle, local 01:30 BST, names two instants'],
    ['2024-10-26T22:00:00Z', '2024-10-27T05:00:00Z', '2024-10-27T02:30:00.000Z', 'the middle, local 01:30 GMT, names two instants'],
  ])('never splits %s..%s in the repeated autumn hour: at %s (%s)', (from, to, split) => {
    const autumn = { from: new Date('2024-10-01T00:00:00Z'), to: new Date('2024-11-01T00:00:00Z') };
    const suspicious = { ...firstCheckpoint(autumn, SIX_HOURS), sliceFrom: new Date(from), sliceTo: new Date(to), suspiciousRetries: 1 };
    const { checkpoint } = advanceCheckpoint(suspicious, autumn, { releases: 100, nextUrl: null }, 100, SIX_HOURS);
    expect(checkpoint.sliceTo.toISOString()).toBe(split);
  });

  it('accepts a suspicious page once the slice is too short to split', () => {
    const tiny = { ...firstCheckpoint(window, SIX_HOURS), sliceTo: new Date(window.from.getTime() + MIN_SLICE_MS), suspiciousRetries: 1 };
    const { checkpoint, event } = advanceCheckpoint(tiny, window, { releases: 100, nextUrl: null }, 100, SIX_HOURS);
    expect(checkpoint.sliceFrom).toEqual(tiny.sliceTo);
    expect(event).toMatch(/accepted/);
  });

  it('never moves the slice back', () => {
    let checkpoint = firstCheckpoint(window, SIX_HOURS);
    let previous = checkpoint.sliceFrom.getTime();
    for (const releases of [100, 100, 100, 5, 100, 100, 100, 2, 0, 0, 0, 0]) {
      if (checkpoint.complete) break;
      checkpoint = advanceCheckpoint(checkpoint, window, { releases, nextUrl: null }, 100, SIX_HOURS).checkpoint;
      expect(checkpoint.sliceFrom.getTime()).toBeGreaterThanOrEqual(previous);
      previous = checkpoint.sliceFrom.getTime();
    }
  });
});
