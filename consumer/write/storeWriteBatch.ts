import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { closeWindowIfComplete } from '../../shared/steps/closeWindowIfComplete.ts';
import { readStagedReleases } from '../../shared/store/stagedReleases.ts';
import { recordWrittenParts } from '../../shared/store/windows.ts';
import { writtenPartKey } from '../../shared/windows/isWindowComplete.ts';
import { storeReleases, type StoredCounts } from './storeReleases.ts';

/**
 * Stores the write parts of one batch together, in a fixed number of MongoDB round trips whatever
 * the number of notices and buyers: one command per step, or one per WRITE_CHUNK_SIZE operations
 * where a step updates; a step with nothing to do sends nothing.
 *   1. read the parked releases            9. group the links of the buyers touched → counts
 *   2. read the notices' links, the       10. create / widen the buyers, set their counts
 *      buyers' registry keys and the      11. insert the new records
 *      procurements' markers              12. move the changed records on (compare-and-set)
 *   3. read the touched records (only     13. pass a changed status on to the other contracts
 *      where a marker or a stored         14. record the parts
 *      notice exists)                     15. read their windows (closing one costs 3 more)
 *   4. read the touched ocids' contracts
 *      (only where a record or a stored notice exists)
 *   5. insert the new contracts
 *   6. update those of newer releases
 *   7. insert the new links, keys and markers (and merges found)
 *   8. move the other links on (compare-and-set)
 * Between 2 and 3, each buyer is resolved to its registry entry (resolveBuyers.ts).
 * So 8 for new notices of new procurements (most of a backfill; step 11 is the records' own), 10
 * when some have a record, 7 for a replay (it recounts its buyers), 11 for
 * newer releases, 13 for a batch with new notices and newer releases, one more with parked
 * releases, one more when a status moves (an award on a stored tender), two more (read links, align
 * contracts) when another writer or a cut-off run stored some of its notices first. Steps 2–13 are
 * storeReleases.ts, which `npm run remap` shares. Records are read before the contracts they are
 * computed from, so a record written by another writer after that read fails this batch's
 * compare-and-set (the batch is retried) instead of being overwritten with fewer notices.
 * Contracts, then links, then counts, then records, then parts: every step is idempotent, so a
 * redelivery after a crash anywhere only finishes the job, and a window is closed only over parts
 * whose data is all stored.
 */
export async function storeWriteBatch(db: Db, config: Config, messages: readonly WriteMessage[]): Promise<StoredCounts> {
  const now = new Date();
  const releases = [...messages.flatMap((m) => m.releases), ...(await readStagedReleases(db, messages.flatMap((m) => m.staged)))];
  const counts = await storeReleases(db, config, releases, now);

  const parts = messages.map((m) => ({ windowId: m.windowId, generation: m.generation, key: writtenPartKey(m.generation, m.page, m.part), releases: m.releases.length + m.staged.length }));
  for (const window of await recordWrittenParts(db, parts, now)) {
    // A part of an older generation never closes the window's current one.
    if (parts.some((p) => p.windowId === window._id && p.generation === window.generation)) await closeWindowIfComplete(db, window, now);
  }
  return counts;
}
