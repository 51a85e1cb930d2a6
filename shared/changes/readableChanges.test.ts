import { describe, expect, it } from 'vitest';
import { cursorOf, CURSORS_PER_BATCH, SETTLE_MS, type FeedDoc } from '../store/changes.ts';
import { readableChanges } from './readableChanges.ts';

const NOW = new Date('2026-12-07T12:00:00Z');
const fresh = new Date(NOW.getTime() - 5_000);
const old = new Date(NOW.getTime() - SETTLE_MS);

/** Batch `batch`'s `entries` entries, then its marker unless `marker` is false. */
function batch(batch: number, entries: number, { at = fresh, marker = true } = {}): FeedDoc[] {
  const rows: FeedDoc[] = Array.from({ length: entries }, (_, i) => ({ _id: `e${batch}.${i}`, cursor: cursorOf(batch, i), at, source: 'FIND_A_TENDER', ocid: 'o', noticeId: 'n', kind: 'new' as const, fields: [] }));
  return marker ? [...rows, { _id: `batch:${batch}`, cursor: cursorOf(batch, CURSORS_PER_BATCH - 1), at, kind: 'batch' as const, entries }] : rows;
}
const cursors = (rows: readonly FeedDoc[]) => rows.map((r) => r.cursor);

describe('readableChanges: how far a reader may go without missing an entry stored later', () => {
  it.each<[string, FeedDoc[], number, number[], number[], number | undefined]>([
    ['every batch marked: all', [...batch(1, 2), ...batch(2, 0), ...batch(3, 1)], 0, [], cursors([...batch(1, 2), ...batch(2, 0), ...batch(3, 1)]), undefined],
    ['a batch still writing (no marker): stops before it', [...batch(1, 1), ...batch(2, 2, { marker: false }), ...batch(3, 1)], 0, [], cursors(batch(1, 1)), 2],
    ['a batch not written at all yet, a later one is: stops at the gap', [...batch(1, 1), ...batch(3, 1)], 0, [], cursors(batch(1, 1)), 2],
    ['from cursor 0, the first batch not there yet', batch(2, 1), 0, [], [], 1],
    ['a gap older than the bound (its writer gave up): passed over', [...batch(1, 1), ...batch(3, 1, { at: old })], 0, [], cursors([...batch(1, 1), ...batch(3, 1, { at: old })]), undefined],
    ['after expiry, the oldest kept batches are old: read from cursor 0', batch(40, 1, { at: old }), 0, [], cursors(batch(40, 1, { at: old })), undefined],
    ['a batch without its marker, taken longer ago than the bound: passed', [...batch(1, 1, { at: old, marker: false }), ...batch(2, 1)], 0, [], cursors([...batch(1, 1, { at: old, marker: false }), ...batch(2, 1)]), undefined],
    ['a page cut inside a batch whose marker is stored: read', batch(5, 3, { marker: false }), cursorOf(4, CURSORS_PER_BATCH - 1), [5], cursors(batch(5, 3, { marker: false })), undefined],
    ['going on inside a batch from a cursor in it', batch(5, 3).slice(2), cursorOf(5, 1), [], cursors(batch(5, 3).slice(2)), undefined],
    ['after a marker, the next batch is due', batch(7, 1), cursorOf(5, CURSORS_PER_BATCH - 1), [], [], 6],
  ])('%s', (_, rows, after, marked, readable, waitingOn) => {
    const result = readableChanges(rows, after, NOW, new Set(marked));
    expect(cursors(result.readable)).toEqual(readable);
    expect(result.waitingOn).toBe(waitingOn);
  });
});
