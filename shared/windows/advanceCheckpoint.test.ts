import { describe, expect, it } from 'vitest';
import { advanceCheckpoint, endOfChain, firstCheckpoint, nextRecord, recordAsked, recordHole } from './advanceCheckpoint.ts';
import type { Checkpoint } from './window.ts';

const HOUR = 3_600_000;
const window = { from: new Date('2024-01-01T00:00:00Z'), to: new Date('2024-01-02T00:00:00Z') };
const SIX_HOURS = 6 * HOUR;
/** A time of day on the window's day, UTC. */
const at = (time: string) => new Date(`2024-01-01T${time}Z`);

describe('advanceCheckpoint', () => {
  it('starts with the first slice of the window', () => {
    const start = firstCheckpoint(window, SIX_HOURS);
    expect(start.sliceFrom).toEqual(window.from);
    expect(start.sliceTo).toEqual(new Date('2024-01-01T06:00:00Z'));
    expect(start.complete).toBe(false);
  });

  it('follows links.next inside a slice and counts pages and releases', () => {
    const start = firstCheckpoint(window, SIX_HOURS);
    const { checkpoint } = advanceCheckpoint(start, window, { releases: 100, nextUrl: 'https://x/next', oldest: at('05:00:00') }, 100, SIX_HOURS);
    expect(checkpoint).toMatchObject({ nextUrl: 'https://x/next', pages: 1, releasesFetched: 100, sliceFrom: start.sliceFrom, sliceTo: start.sliceTo });
  });

  it('walks slice by slice to the end of the window, then is complete', () => {
    let checkpoint = firstCheckpoint(window, SIX_HOURS);
    const slicesSeen: string[] = [];
    while (!checkpoint.complete) {
      slicesSeen.push(checkpoint.sliceFrom.toISOString());
      checkpoint = advanceCheckpoint(checkpoint, window, { releases: 3, nextUrl: null, oldest: checkpoint.sliceFrom }, 100, SIX_HOURS).checkpoint;
    }
    expect(slicesSeen).toHaveLength(4);
    expect(checkpoint).toMatchObject({ pages: 4, releasesFetched: 12, complete: true });
  });

  it('a slice of exactly 100: one more request below the oldest release, which comes back short; the next slice starts at the old end', () => {
    const start = firstCheckpoint(window, SIX_HOURS);
    const below = advanceCheckpoint(start, window, { releases: 100, nextUrl: null, oldest: new Date('2024-01-01T01:23:45.678Z') }, 100, SIX_HOURS);
    // Bounds go to the second and `to` is exclusive: the oldest release's second is asked again.
    expect(below.checkpoint).toMatchObject({ sliceFrom: start.sliceFrom, sliceTo: at('01:23:46'), resumeAt: at('06:00:00'), nextUrl: null, pages: 1 });
    expect(below.event).toBe(
      'full page (100) without links.next in slice 2024-01-01T00:00:00.000Z..2024-01-01T06:00:00.000Z: continuing below its oldest release (2024-01-01T01:23:45.678Z), slice now 2024-01-01T00:00:00.000Z..2024-01-01T01:23:46.000Z',
    );

    const done = advanceCheckpoint(below.checkpoint, window, { releases: 1, nextUrl: null, oldest: new Date('2024-01-01T01:23:45.678Z') }, 100, SIX_HOURS);
    expect(done.checkpoint).toMatchObject({ sliceFrom: at('06:00:00'), sliceTo: at('12:00:00'), resumeAt: null, pages: 2, releasesFetched: 101 });
    expect(done.event).toBeUndefined();
  });

  it('a full page without links.next on every page (the defect for weeks): walks down the slice by dates, sees every release, asks nothing twice', () => {
    // A release every 37 s (at .250), and 5 in one second, where a page ends.
    const tie = new Date('2024-01-01T02:57:20.500Z');
    const dates = [...Array.from({ length: 583 }, (_, k) => new Date(window.from.getTime() + 5_250 + k * 37_000)), ...Array<Date>(5).fill(tie)];
    const releases = dates.map((date, id) => ({ id, date })).sort((a, b) => b.date.getTime() - a.date.getTime());
    const seen = new Set<number>();
    const asked: string[] = [];
    let tiesSplit = false;
    let checkpoint = firstCheckpoint(window, SIX_HOURS);
    while (checkpoint.sliceFrom.getTime() === window.from.getTime()) {
      asked.push(`${checkpoint.sliceFrom.toISOString()}..${checkpoint.sliceTo.toISOString()}`);
      // The service: [from, to) newest first, no links.next ever.
      const page = releases.filter((r) => r.date >= checkpoint.sliceFrom && r.date < checkpoint.sliceTo).slice(0, 100);
      for (const r of page) seen.add(r.id);
      const ties = page.filter((r) => r.date.getTime() === tie.getTime()).length;
      tiesSplit ||= ties > 0 && ties < 5;
      const oldest = page.length > 0 ? page[page.length - 1].date : null;
      const advance = advanceCheckpoint(checkpoint, window, { releases: page.length, nextUrl: null, oldest }, 100, SIX_HOURS);
      if (page.length === 100) expect(advance.event).toMatch(/continuing below its oldest release/);
      checkpoint = advance.checkpoint;
    }
    expect(tiesSplit).toBe(true);
    expect(seen.size).toBe(releases.length);
    expect(new Set(asked).size).toBe(asked.length);
    expect(asked.length).toBe(6);
    expect(checkpoint).toMatchObject({ sliceFrom: at('06:00:00'), sliceTo: at('12:00:00'), resumeAt: null });
  });

  it.each([
    // slice (UTC), oldest release on the full page, where the slice now ends, why
    ['2024-10-26T22:00:00Z', '2024-10-27T04:00:00Z', '2024-10-27T00:30:00.250Z', '2024-10-27T02:30:01.000Z', 'local 01:30:01 BST names two instants: two hours later'],
    ['2024-10-26T22:00:00Z', '2024-10-27T04:00:00Z', '2024-10-27T01:30:00.250Z', '2024-10-27T02:30:01.000Z', 'local 01:30:01 GMT names two instants: an hour later'],
    ['2024-10-26T22:00:00Z', '2024-10-27T04:00:00Z', '2024-10-26T23:59:59.900Z', '2024-10-27T02:00:00.000Z', 'local 01:00:00 BST, the first of the repeated hour: two hours later'],
    ['2024-10-26T22:00:00Z', '2024-10-27T04:00:00Z', '2024-10-27T02:10:00.000Z', '2024-10-27T02:10:01.000Z', 'local 02:10:01 GMT: kept'],
  ])('continues %s..%s below %s in the autumn: to %s (%s)', (from, to, oldest, sliceTo) => {
    const autumn = { from: new Date('2024-10-01T00:00:00Z'), to: new Date('2024-11-01T00:00:00Z') };
    const current = { ...firstCheckpoint(autumn, SIX_HOURS), sliceFrom: new Date(from), sliceTo: new Date(to) };
    const { checkpoint } = advanceCheckpoint(current, autumn, { releases: 100, nextUrl: null, oldest: new Date(oldest) }, 100, SIX_HOURS);
    expect({ sliceTo: checkpoint.sliceTo.toISOString(), resumeAt: checkpoint.resumeAt }).toEqual({ sliceTo, resumeAt: new Date(to) });
  });

  it.each<[string, string, string | null, string, string]>([
    // slice (UTC), oldest on the full page, where the slice is split, why
    ['2024-10-26T23:00:00Z', '2024-10-27T02:00:00Z', null, '2024-10-26T23:30:00.000Z', 'the middle, local 01:30 BST, names two instants'],
    ['2024-10-26T22:00:00Z', '2024-10-27T05:00:00Z', null, '2024-10-27T02:30:00.000Z', 'the middle, local 01:30 GMT, names two instants'],
    ['2024-10-26T22:00:00Z', '2024-10-27T02:30:00Z', '2024-10-27T01:45:00Z', '2024-10-26T23:15:00.000Z', 'below 01:45 GMT would end at 02:45:01, after the slice'],
  ])('never splits %s..%s in the repeated autumn hour (oldest %s): at %s (%s)', (from, to, oldest, split) => {
    const autumn = { from: new Date('2024-10-01T00:00:00Z'), to: new Date('2024-11-01T00:00:00Z') };
    const current = { ...firstCheckpoint(autumn, SIX_HOURS), sliceFrom: new Date(from), sliceTo: new Date(to) };
    const { checkpoint, event } = advanceCheckpoint(current, autumn, { releases: 100, nextUrl: null, oldest: oldest ? new Date(oldest) : null }, 100, SIX_HOURS);
    expect(checkpoint.sliceTo.toISOString()).toBe(split);
    expect(event).toMatch(/nothing to continue below .*: split at/);
  });

  it.each<{ name: string; sliceTo: string; resumeAt: string | null; oldest: string | null; after: { sliceFrom: string; sliceTo: string; resumeAt: string | null }; event: RegExp }>([
    {
      name: 'no release on the page dated: halved',
      sliceTo: '06:00:00', resumeAt: null, oldest: null,
      after: { sliceFrom: '00:00:00', sliceTo: '03:00:00', resumeAt: null },
      event: /nothing to continue below \(no release on it dated\): split at 2024-01-01T03:00:00.000Z$/,
    },
    {
      name: "the oldest release in the slice's last second (a page or more of releases in it): halved",
      sliceTo: '06:00:00', resumeAt: null, oldest: '05:59:59.200',
      after: { sliceFrom: '00:00:00', sliceTo: '03:00:00', resumeAt: null },
      event: /its oldest release, 2024-01-01T05:59:59.200Z, gives no earlier bound\): split at/,
    },
    {
      name: 'stuck in a narrowed slice: halved, and the next slice starts at the split point, not where the slice really ended',
      sliceTo: '01:00:00', resumeAt: '06:00:00', oldest: '00:59:59.500',
      after: { sliceFrom: '00:00:00', sliceTo: '00:30:00', resumeAt: null },
      event: /split at 2024-01-01T00:30:00.000Z$/,
    },
    {
      name: 'too short to halve: accepted, the next slice',
      sliceTo: '00:15:00', resumeAt: null, oldest: null,
      after: { sliceFrom: '00:15:00', sliceTo: '06:15:00', resumeAt: null },
      event: /too short to split: accepted as is$/,
    },
    {
      name: 'a narrowed slice too short to halve: accepted, the next slice from where the slice really ended',
      sliceTo: '00:10:00', resumeAt: '06:00:00', oldest: '00:09:59.999',
      after: { sliceFrom: '06:00:00', sliceTo: '12:00:00', resumeAt: null },
      event: /too short to split: accepted as is$/,
    },
  ])('no progress below the page, $name', ({ sliceTo, resumeAt, oldest, after, event }) => {
    const current = { ...firstCheckpoint(window, SIX_HOURS), sliceTo: at(sliceTo), resumeAt: resumeAt ? at(resumeAt) : null };
    const advance = advanceCheckpoint(current, window, { releases: 100, nextUrl: null, oldest: oldest ? at(oldest) : null }, 100, SIX_HOURS);
    expect(advance.checkpoint).toMatchObject({ sliceFrom: at(after.sliceFrom), sliceTo: at(after.sliceTo), resumeAt: after.resumeAt ? at(after.resumeAt) : null, nextUrl: null });
    expect(advance.event).toMatch(event);
  });

  it('reads a checkpoint stored before resumeAt (with the old suspiciousRetries): the next slice starts at its end', () => {
    const { resumeAt: _, ...fields } = firstCheckpoint(window, SIX_HOURS);
    const stored = { ...fields, suspiciousRetries: 1 };
    const { checkpoint } = advanceCheckpoint(stored, window, { releases: 7, nextUrl: null, oldest: at('02:00:00') }, 100, SIX_HOURS);
    expect(checkpoint).toMatchObject({ sliceFrom: at('06:00:00'), sliceTo: at('12:00:00'), resumeAt: null });
  });

  it('never moves the slice back', () => {
    let checkpoint = firstCheckpoint(window, SIX_HOURS);
    let previous = checkpoint.sliceFrom.getTime();
    for (const releases of [100, 100, 100, 5, 100, 100, 100, 2, 0, 0, 0, 0]) {
      if (checkpoint.complete) break;
      // Full pages alternately dated (halfway down the slice) and not.
      const oldest = releases % 200 === 100 && checkpoint.pages % 2 === 0 ? new Date((checkpoint.sliceFrom.getTime() + checkpoint.sliceTo.getTime()) / 2) : null;
      checkpoint = advanceCheckpoint(checkpoint, window, { releases, nextUrl: null, oldest }, 100, SIX_HOURS).checkpoint;
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
          : advanceCheckpoint(checkpoint, window, step === 'next' ? { releases: 100, nextUrl: `${url}+1`, oldest: null } : { releases: 3, nextUrl: null, oldest: null }, 100, SIX_HOURS).checkpoint;
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
    const start = advanceCheckpoint(firstCheckpoint(window, SIX_HOURS), window, { releases: 100, nextUrl: 'https://x/next', oldest: null }, 100, SIX_HOURS).checkpoint;
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

describe("a reconciliation walk's record door", () => {
  const listWalked: Checkpoint = { ...firstCheckpoint(window, SIX_HOURS), pages: 9, releasesFetched: 40, complete: true, records: ['ocds-a', 'ocds-b'] };

  it('asks the sample only once every slice is asked for, one procurement a page', () => {
    expect(nextRecord({ ...listWalked, complete: false })).toBeNull();
    expect(nextRecord(listWalked)).toBe('ocds-a');
    const asked = recordAsked(listWalked, 3);
    expect(asked).toMatchObject({ pages: 10, releasesFetched: 43, complete: true, records: ['ocds-b'] });
    expect(nextRecord(recordAsked(asked, 0))).toBeNull();
  });

  it('has nothing to ask before a sample is drawn', () => {
    expect(nextRecord({ ...listWalked, records: undefined })).toBeNull();
  });
});
