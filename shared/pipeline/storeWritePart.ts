import type { Db } from 'mongodb';
import type { Config } from '../config.ts';
import type { WriteMessage } from '../queue/messages.ts';
import { upsertBuyers } from '../store/buyers.ts';
import { upsertContracts, type ContractWriteCounts } from '../store/contracts.ts';
import { readStagedReleases } from '../store/stagedReleases.ts';
import { recordWrittenPart } from '../store/windows.ts';
import { writtenPartKey } from '../windows/isWindowComplete.ts';

/**
 * Stores one write part: contracts, then buyers, then the part's mark on its window (which may
 * close it). The mark comes last, so a window is never closed over a part that is not stored;
 * each step is idempotent, so a redelivery after a crash anywhere in between only finishes the job.
 */
export async function storeWritePart(db: Db, config: Config, message: WriteMessage): Promise<ContractWriteCounts> {
  const now = new Date();
  const releases = [...message.releases, ...(await readStagedReleases(db, message.staged))];
  const counts = await upsertContracts(db, releases.map((r) => r.contract), config.WRITE_CHUNK_SIZE, now);
  await upsertBuyers(db, releases, now);
  const key = writtenPartKey(message.generation, message.page, message.part);
  await recordWrittenPart(db, { windowId: message.windowId, generation: message.generation, key, releases: releases.length }, now);
  return counts;
}
