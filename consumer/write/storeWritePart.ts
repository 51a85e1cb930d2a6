import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { upsertBuyers } from '../../shared/store/buyers.ts';
import { upsertContracts, type ContractWriteCounts } from '../../shared/store/contracts.ts';
import { readStagedReleases } from '../../shared/store/stagedReleases.ts';
import { closeWindowIfComplete } from '../../shared/steps/closeWindowIfComplete.ts';
import { recordWrittenPart } from '../../shared/store/windows.ts';
import { writtenPartKey } from '../../shared/windows/isWindowComplete.ts';

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
  const window = await recordWrittenPart(db, { windowId: message.windowId, generation: message.generation, key, releases: releases.length }, now);
  // The part of an older generation never closes the window's current one.
  if (window?.generation === message.generation) await closeWindowIfComplete(db, window, now);
  return counts;
}
