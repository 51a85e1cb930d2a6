import { describe, expect, it } from 'vitest';
import type { Change } from '../../shared/changes/readChanges.ts';
import { SETTLE_MS } from '../../shared/store/changes.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { BackfillRun } from './backfillRun.ts';

/**
 * The run's change feed, read as a product would, through GET /changes on the Worker under wrangler
 * dev, page by page from cursor 0: exactly one `new` entry per stored notice (the backfill's, the
 * procurement suite's, none again for the releases it wrote a second time), every entry once, in
 * cursor order; the amended tender and its award each told.
 */
export function describeChangeFeed(run: BackfillRun): void {
  describe('the change feed of the run, through GET /changes', () => {
    it('holds exactly one `new` entry per stored notice and every entry once, in cursor order; the amendment and the award told', async () => {
      const changes = await readFeed(run);
      const cursors = changes.map((c) => c.cursor);
      expect(cursors).toEqual([...cursors].sort((a, b) => a - b));
      expect(new Set(changes.map((c) => c.id)).size).toBe(changes.length);
      const stored = (await run.stack.db.collection(COLLECTIONS.contracts).find({}, { projection: { _id: 1 } }).toArray()).map((c) => String(c._id));
      expect(changes.filter((c) => c.kind === 'new').map((c) => `${c.source}:${c.noticeId}`).sort()).toEqual(stored.sort());

      const ofTender = changes.filter((c) => c.ocid === run.ownTender.release.ocid);
      expect(ofTender.filter((c) => c.kind === 'new')).toHaveLength(2);
      expect(ofTender.find((c) => c.noticeId === run.ownTender.id && c.kind !== 'new')?.fields).toContain('title');
      expect(ofTender.some((c) => c.noticeId === undefined && c.kind === 'awarded')).toBe(true);
    }, 5 * 60_000);
  });
}

/** Every entry from cursor 0, 1,000 a page, until the feed is caught up; behind a batch still being written it asks again, for SETTLE_MS at most. */
async function readFeed(run: BackfillRun): Promise<Change[]> {
  const changes: Change[] = [];
  let after = 0;
  const deadline = Date.now() + SETTLE_MS + 60_000;
  while (Date.now() < deadline) {
    const response = await fetch(`${run.stack.worker.url}/changes?after=${after}&limit=1000`, { headers: { authorization: `Bearer ${run.stack.adminToken}` } });
    expect(response.status).toBe(200);
    const page = (await response.json()) as { changes: Change[]; next: number; caughtUp: boolean; waitingOn?: number };
    changes.push(...page.changes);
    if (page.caughtUp) return changes;
    if (page.next === after) await new Promise((resolve) => setTimeout(resolve, 5_000));
    after = page.next;
  }
  throw new Error(`the feed was not caught up within ${SETTLE_MS / 1000 + 60} s (stopped at ${after})`);
}
