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
 * where a step updates; independent steps go side by side (store/sideBySide.ts: two at once, the
 * pool's size) and share a round trip; a step with nothing to do sends nothing.
 *   1. read the notices' links, the buyers' registry keys, the procurements' markers and the twin
 *      markers of their SC Refs (planTwins.ts)  |  take
 *      the batch's number in the change feed (store/changes.ts)
 *   2. read the touched procurements' records  |  and their contracts (only where a marker or a
 *      stored notice says a record may exist)
 *   3. append the batch's change entries and its marker (planChanges.ts): before anything is
 *      written, so a run cut off after any write is repeated with the same entries
 *   4. insert the new contracts  |  update those of newer releases, pass a record's new status
 *      on to its other contracts, and name a Find a Tender copy on its stored PCS notice
 *   5. insert the new links, keys and markers, twin markers too (and merges found)  |  move the other links on
 *      (compare-and-set)
 *   6. group the links of the buyers touched: counts  |  insert the new records
 *   7. create / widen the buyers, set their counts  |  move the stored records on (compare-and-set)
 *   8. record the parts
 *   9. read their windows (closing one costs 3 more)
 * Between 1 and 2, each buyer is resolved to its registry entry (resolveBuyers.ts). So 8 round trips
 * (10 commands) for new notices of new procurements, most of a backfill; 7 for a replay (it rereads
 * its procurements, recounts its buyers and appends only its marker); 9 (15 commands) for a batch
 * mixing new notices with newer releases and awards of recorded procurements; the change feed costs
 * each batch one round trip (3), its number riding beside the first read. One more with parked
 * releases; two more (align contracts with links; read taken keys and record merges) when another
 * writer stored some of its notices or keys at the same moment. Rounds 1–7 are storeReleases.ts,
 * which `npm run remap` shares. A record and the contracts it is computed from are read at once;
 * where the record is ahead of them (another writer stored both in between:
 * consumer/write/recordsAheadOf.ts), the batch is retried rather than overwrite the record with
 * fewer notices. Change entries, then contracts, then links, then counts and records, then parts:
 * every step is idempotent, so a redelivery after a crash anywhere only finishes the job, and a
 * window is closed only over parts whose data is all stored (the parts are recorded before their
 * windows are read, so a window the fetch side marks fetched meanwhile is closed by one side or the
 * other).
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
