import { describe, expect, it } from 'vitest';
import { closerLooks, walkOf } from './lookCloser.ts';

describe('closerLooks', () => {
  const walk = { _id: 'FIND_A_TENDER:reconcile:2024-02', generation: 2, source: 'FIND_A_TENDER' as const };
  const slice = (from: string, to: string) => ({ from: new Date(from), to: new Date(to) });
  const bounds = (looks: ReturnType<typeof closerLooks>) => looks.map((w) => `${w.from.toISOString().slice(11, 16)}..${w.to.toISOString().slice(11, 16)}`);

  it.each([
    { why: 'a 6 h slice that found a notice the walk had not: its two halves', at: slice('2024-02-14T06:00Z', '2024-02-14T12:00Z'), missing: 1, looks: ['06:00..09:00', '09:00..12:00'] },
    { why: 'a 2 h slice: halves of an hour', at: slice('2024-02-14T06:00Z', '2024-02-14T08:00Z'), missing: 2, looks: ['06:00..07:00', '07:00..08:00'] },
    { why: 'under two hours: not halved (down to an hour)', at: slice('2024-02-14T06:00Z', '2024-02-14T07:30Z'), missing: 1, looks: [] },
    { why: 'nothing new found: no closer look', at: slice('2024-02-14T06:00Z', '2024-02-14T12:00Z'), missing: 0, looks: [] },
  ])('$why', ({ at, missing, looks }) => {
    expect(bounds(closerLooks(walk, at, missing))).toEqual(looks);
  });

  it('names each look after the walk and pass it looks closer for, so planning it twice records it once', () => {
    const [first] = closerLooks(walk, slice('2024-02-14T06:00Z', '2024-02-14T12:00Z'), 1);
    expect(first).toMatchObject({ _id: 'FIND_A_TENDER:reconcile:2024-02#2:2024-02-14T06:00:00.000Z..2024-02-14T09:00:00.000Z', span: 'reconcile', closerOf: { walkId: walk._id, generation: 2 } });
    const [deeper] = closerLooks({ ...first, generation: 0 }, first, 1);
    expect(deeper.closerOf).toEqual({ walkId: walk._id, generation: 2 });
    expect(walkOf({ ...first, generation: 0 })).toEqual({ walkId: walk._id, generation: 2 });
  });

  it('cuts no half in the repeated autumn hour', () => {
    // 2024-10-27: UK local 01:00-02:00 comes twice (00:00-02:00 UTC); the middle of 22:00..04:00 is 01:00 UTC.
    const [half] = closerLooks(walk, slice('2024-10-26T22:00Z', '2024-10-27T04:00Z'), 1);
    expect(half.to.toISOString()).not.toBe('2024-10-27T01:00:00.000Z');
  });
});
