import { describe, expect, it } from 'vitest';
import type { Hole } from './window.ts';
import { startPoint } from './startPoint.ts';

const hole: Hole = { sliceFrom: new Date('2024-01-01'), sliceTo: new Date('2024-01-01T06:00:00Z'), page: 3, pageUrl: 'https://example/page', reason: 'unreadable' };

describe('startPoint', () => {
  it.each([
    { state: 'failed', holes: [], from: 'checkpoint', why: 'a failed chain (dead letter, outage) resumes: no page with parts sent is asked again' },
    { state: 'pending', holes: [], from: 'checkpoint', why: 'a pending window is at its first slice already' },
    { state: 'failed', holes: [hole], from: 'first slice', why: 'a hole is reached only from its slice start' },
    { state: 'fetched', holes: [], from: 'first slice', why: 'lost write messages are written again only by asking the pages again' },
  ] as const)('$state with $holes.length hole(s): from its $from ($why)', ({ state, holes, from }) => {
    expect(startPoint({ state, checkpoint: { holes: [...holes] } })).toBe(from);
  });
});
