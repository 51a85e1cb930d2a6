import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, endOfChain, firstCheckpoint, MIN_SLICE_MS, recordHole } from './advanceCheckpoint.ts';
import type { Checkpoint } from './window.ts';

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

describe('a page that cannot be read', () => {
  type Step = 'next' | 'last' | 'unreadable';
  /** Pages the window through: a full page with links.next, a last page, or a page that could not be read. */
  function walk(steps: Step[]): Checkpoint {
    let checkpoint = firstCheckpoint(window, SIX_HOURS);
    for (const step of steps) {
      expect(checkpoint.complete).toBe(false);
      const url = `https://x/page${checkpoint.pages}`;
      checkpoint =
        step === 'unreadable'
          ? recordHole(checkpoint, window, { url, reason: 'body cut off' }, SIX_HOURS).checkpoint
          : advanceCheckpoint(checkpoint, window, step === 'next' ? { releases: 100, nextUrl: `${url}+1` } : { releases: 3, nextUrl: null }, 100, SIX_HOURS).checkpoint;
    }
    expect(checkpoint.complete).toBe(true);
    return checkpoint;
  }

  it.each<{ name: string; steps: Step[]; holes: { slice: string; page: number }[]; end: 'fetched' | 'failed' }>([
    { name: 'every page read', steps: ['next', 'last', 'last', 'last', 'last'], holes: [], end: 'fetched' },
    { name: 'a slice whose first page is unreadable', steps: ['unreadable', 'last', 'last', 'last'], holes: [{ slice: '00:00', page: 0 }], end: 'failed' },
    { name: 'a page mid-slice unreadable, the next slices still fetched', steps: ['next', 'next', 'unreadable', 'last', 'last', 'last'], holes: [{ slice: '00:00', page: 2 }], end: 'failed' },
    { name: 'the last slice unreadable', steps: ['last', 'last', 'last', 'next', 'unreadable'], holes: [{ slice: '18:00', page: 4 }], end: 'failed' },
    { name: 'two slices with a hole', steps: ['unreadable', 'last', 'next', 'unreadable', 'last'], holes: [{ slice: '00:00', page: 0 }, { slice: '12:00', page: 3 }], end: 'failed' },
  ])('$name: a hole per unreadable page, and the chain ends $end', ({ steps, holes, end }) => {
    const checkpoint = walk(steps);
    expect(checkpoint.holes.map((h) => ({ slice: h.sliceFrom.toISOString().slice(11, 16), page: h.page }))).toEqual(holes);
    expect(checkpoint.pages).toBe(steps.length);
    expect(endOfChain(checkpoint).state).toBe(end);
  });

  it('keeps what is known of a hole (slice, page URL, reason) and says the number of releases is not', () => {
    const start = advanceCheckpoint(firstCheckpoint(window, SIX_HOURS), window, { releases: 100, nextUrl: 'https://x/next' }, 100, SIX_HOURS).checkpoint;
    const { checkpoint, event } = recordHole(start, window, { url: 'https://x/next', reason: 'Unterminated string in JSON' }, SIX_HOURS);
    expect(checkpoint.holes).toEqual([{ sliceFrom: window.from, sliceTo: new Date('2024-01-01T06:00:00Z'), page: 1, pageUrl: 'https://x/next', reason: 'Unterminated string in JSON' }]);
    expect(checkpoint).toMatchObject({ sliceFrom: new Date('2024-01-01T06:00:00Z'), nextUrl: null, pages: 2 });
    expect(event).toMatch(/unreadable page .*2024-01-01T00:00:00.000Z..2024-01-01T06:00:00.000Z not fetched from page 1 on \(how many releases is unknown\).*https:\/\/x\/next/);
    expect(endOfChain(checkpoint)).toEqual({ state: 'failed', reason: expect.stringMatching(/^an unreadable page left a hole: slice .* from page 1 on \(how many releases is unknown\): Unterminated string/) });
  });

  it('names the first three holes in the failure reason and counts the rest', () => {
    const hole = recordHole(firstCheckpoint(window, SIX_HOURS), window, { url: 'https://x/p', reason: 'cut off' }, SIX_HOURS).checkpoint.holes[0];
    const end = endOfChain({ holes: [0, 1, 2, 3, 4].map((page) => ({ ...hole, page })) });
    const reason = end.state === 'failed' ? end.reason : '';
    expect(reason).toMatch(/^5 unreadable pages left holes: .*; 2 more in checkpoint.holes$/);
    expect(reason.match(/from page \d+ on/g)).toEqual(['from page 0 on', 'from page 1 on', 'from page 2 on']);
  });
});
