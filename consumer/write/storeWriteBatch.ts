import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { TransientError } from '../../shared/errors.ts';
import { closeWindowIfComplete } from '../../shared/steps/closeWindowIfComplete.ts';
import { alignContractsWithLinks } from '../../shared/store/alignContracts.ts';
import { keyDocId, readLinksAndKeys } from '../../shared/store/buyerKeys.ts';
import { groupLinks, writeLinks, type LinkWrite } from '../../shared/store/buyerLinks.ts';
import { writeBuyers } from '../../shared/store/buyers.ts';
import { insertContracts, toContractDocument, updateContracts } from '../../shared/store/contracts.ts';
import { readStagedReleases } from '../../shared/store/stagedReleases.ts';
import { recordWrittenParts } from '../../shared/store/windows.ts';
import { writtenPartKey } from '../../shared/windows/isWindowComplete.ts';
import { buyerCounts } from '../../shared/buyers/buyerCounts.ts';
import { keysOf } from './buyerKeys.ts';
import { buyerSightings } from './buyerSightings.ts';
import { planWrites } from './planWrites.ts';
import { resolveBuyers, type Resolution } from './resolveBuyers.ts';

export interface BatchWriteCounts {
  releases: number;
  /** Contracts stored for the first time. */
  inserted: number;
  /** Contracts moved on to a newer release. */
  updated: number;
}

/**
 * Stores the write parts of one batch together, in a fixed number of MongoDB round trips whatever
 * the number of notices and buyers: one command per step, or one per WRITE_CHUNK_SIZE operations
 * where a step updates; a step with nothing to do sends nothing.
 *   1. read the parked releases          6. move the other links on (compare-and-set)
 *   2. read the notices' links and the   7. group the links of the buyers touched → counts
 *      buyers' registry keys             8. create / widen the buyers, set their counts
 *   3. insert the new contracts          9. record the parts
 *   4. update those of newer releases   10. read their windows (closing one costs 3 more)
 *   5. insert the new links and keys
 * Between 2 and 3, each buyer is resolved to its registry entry (resolveBuyers.ts): contracts,
 * links and counts use the entry's id.
 * So 7 for new notices, 5 for a replay, 7 for newer releases, 9 for a batch with new notices and
 * newer releases, one more with parked releases; two more (read links, align contracts) when
 * another writer or a cut-off run stored some of its notices first. Contracts, then links, then counts, then parts:
 * every step is idempotent, so a redelivery after a crash anywhere only finishes the job, and a
 * window is closed only over parts whose data is all stored.
 */
export async function storeWriteBatch(db: Db, config: Config, messages: readonly WriteMessage[]): Promise<BatchWriteCounts> {
  const now = new Date();
  const chunkSize = config.WRITE_CHUNK_SIZE;
  const releases = [...messages.flatMap((m) => m.releases), ...(await readStagedReleases(db, messages.flatMap((m) => m.staged)))];
  const buyers = releases.flatMap((r) => (r.buyer ? [r.buyer] : []));
  const stored = await readLinksAndKeys(db, releases.map((r) => r.contract._id), buyers.flatMap(keysOf));
  const registry = resolveBuyers(buyers, stored.keys);
  const plan = planWrites(releases.map((r) => pointAtRegistry(r, registry)), stored.links);

  const fresh = plan.fresh.map((r) => toContractDocument(r.contract, now));
  // Stored after all (by a writer at the same moment, or a run that crashed before its link): updated instead.
  const storedAfterAll = await insertContracts(db, fresh);
  const newer = [...fresh.filter((doc) => storedAfterAll.has(doc._id)), ...plan.newer.map(({ release }) => toContractDocument(release.contract, now))];
  const updated = await updateContracts(db, newer, chunkSize);
  const newKeys = registry.newKeys.map(({ key, ...rest }) => ({ _id: keyDocId(key), key, ...rest, at: now }));
  const linkWrites = [...plan.fresh.map((r) => linkWrite(r, null)), ...plan.newer.map(({ release, readVersion }) => linkWrite(release, readVersion))];
  try {
    await writeLinks(db, linkWrites, chunkSize, newKeys);
  } catch (error) {
    // Another writer's link won: its buyer, maybe another registry entry, is the contract's too.
    if (error instanceof TransientError) await alignContractsWithLinks(db, linkWrites.map((w) => w.contractId), chunkSize);
    throw error;
  }
  // Some contracts were already on their release (stored by a cut-off run or another writer, maybe
  // under another registry answer): they follow the links just written.
  if (updated < newer.length) await alignContractsWithLinks(db, linkWrites.map((w) => w.contractId), chunkSize);

  const counts = buyerCounts(await groupLinks(db, plan.buyersToCount), plan.buyersToCount);
  await writeBuyers(db, buyerSightings(releases, registry.registryIds), counts, chunkSize, now);

  const parts = messages.map((m) => ({ windowId: m.windowId, generation: m.generation, key: writtenPartKey(m.generation, m.page, m.part), releases: m.releases.length + m.staged.length }));
  for (const window of await recordWrittenParts(db, parts, now)) {
    // A part of an older generation never closes the window's current one.
    if (parts.some((p) => p.windowId === window._id && p.generation === window.generation)) await closeWindowIfComplete(db, window, now);
  }
  return { releases: releases.length, inserted: fresh.length - storedAfterAll.size, updated };
}

function linkWrite({ contract, buyer }: MappedRelease, readVersion: number | null): LinkWrite {
  return {
    contractId: contract._id,
    buyer: contract.buyerOrg ?? null,
    via: buyer?.orgId ?? null,
    sector: contract.sector ?? null,
    region: contract.buyerRegion ?? null,
    releaseDate: new Date(contract.releaseDate),
    readVersion,
  };
}

/** The release with its contract's `buyerOrg` set to the buyer's registry entry. */
function pointAtRegistry(release: MappedRelease, { registryIds }: Resolution): MappedRelease {
  const registryId = release.buyer ? registryIds.get(release.buyer.orgId) : undefined;
  return registryId === undefined ? release : { ...release, contract: { ...release.contract, buyerOrg: registryId } };
}
