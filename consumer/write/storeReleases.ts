import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { groupLinks, readLinks, writeLinks, type LinkWrite } from '../../shared/store/buyerLinks.ts';
import { writeBuyers } from '../../shared/store/buyers.ts';
import { insertContracts, toContractDocument, updateContracts } from '../../shared/store/contracts.ts';
import { buyerCounts } from './buyerCounts.ts';
import { buyerSightings } from './buyerSightings.ts';
import { planWrites } from './planWrites.ts';

export interface StoredCounts {
  releases: number;
  /** Contracts stored for the first time. */
  inserted: number;
  /** Contracts moved on to a newer release (or rewritten under a newer mapping). */
  updated: number;
}

/**
 * Stores mapped releases: contracts, buyer links, buyers and their counts (steps 2–8 of
 * storeWriteBatch.ts, which says why in this order). The write path of both the write consumer and
 * `npm run remap`; every step is idempotent, so running it again only finishes the job.
 */
export async function storeReleases(db: Db, config: Config, releases: readonly MappedRelease[], now: Date): Promise<StoredCounts> {
  const chunkSize = config.WRITE_CHUNK_SIZE;
  const plan = planWrites(releases, await readLinks(db, [...new Set(releases.map((r) => r.contract._id))]));

  const fresh = plan.fresh.map((r) => toContractDocument(r.contract, now));
  // Stored after all (by a writer at the same moment, or a run that crashed before its link): updated instead.
  const storedAfterAll = await insertContracts(db, fresh);
  const newer = [...fresh.filter((doc) => storedAfterAll.has(doc._id)), ...plan.newer.map(({ release }) => toContractDocument(release.contract, now))];
  const updated = await updateContracts(db, newer, chunkSize);
  await writeLinks(db, [...plan.fresh.map((r) => linkWrite(r, null)), ...plan.newer.map(({ release, readVersion }) => linkWrite(release, readVersion))], chunkSize);

  const counts = buyerCounts(await groupLinks(db, plan.buyersToCount), plan.buyersToCount);
  await writeBuyers(db, buyerSightings(releases), counts, chunkSize, now);
  return { releases: releases.length, inserted: fresh.length - storedAfterAll.size, updated };
}

function linkWrite({ contract }: MappedRelease, readVersion: number | null): LinkWrite {
  return { contractId: contract._id, buyer: contract.buyerOrg ?? null, releaseOrder: contract.releaseOrder, mappingVersion: contract.mappingVersion, readVersion };
}
