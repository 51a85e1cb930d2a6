import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { ContractStatus, MappedContract, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { closeWindowIfComplete } from '../../shared/steps/closeWindowIfComplete.ts';
import { groupLinks, readLinks, writeLinks, type LinkWrite } from '../../shared/store/buyerLinks.ts';
import { writeBuyers } from '../../shared/store/buyers.ts';
import { insertContracts, toContractDocument, updateContracts } from '../../shared/store/contracts.ts';
import { readProcurementContracts, readRecords, recordId, writeContractStatuses, writeRecords, type NoticeContract } from '../../shared/store/records.ts';
import { readStagedReleases } from '../../shared/store/stagedReleases.ts';
import { recordWrittenParts } from '../../shared/store/windows.ts';
import { writtenPartKey } from '../../shared/windows/isWindowComplete.ts';
import { buyerCounts } from './buyerCounts.ts';
import { buyerSightings } from './buyerSightings.ts';
import type { NoticeInput } from './compileRecord.ts';
import { contractStatusWrites, planRecords, type RecordsPlan } from './planRecords.ts';
import { planWrites } from './planWrites.ts';
import { rawReleaseOf } from './rawRelease.ts';

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
 *   1. read the parked releases           9. insert the new records
 *   2. read the notices' links           10. move the changed records on (compare-and-set)
 *   3. read the touched records          11. pass a changed status on to the other contracts
 *   4. read the touched ocids' contracts  12. group the links of the buyers touched → counts
 *   5. insert the new contracts          13. create / widen the buyers, set their counts
 *   6. update those of newer releases    14. record the parts
 *   7. insert the new links              15. read their windows (closing one costs 3 more)
 *   8. move the other links on (compare-and-set)
 * So 10 for new notices (7 before records: steps 3, 4 and 9 are theirs), 7 for a replay, 11 for
 * newer releases, 13 for a batch with new notices and newer releases, one more with parked
 * releases, one more when a status moves (an award on a stored tender). Records are read before
 * the contracts they are computed from, so a record written by another writer after that read
 * fails this batch's compare-and-set (the batch is retried) instead of being overwritten with
 * fewer notices. Contracts, then links, then records, then counts, then parts: every step is
 * idempotent, so a redelivery after a crash anywhere only finishes the job, and a window is closed
 * only over parts whose data is all stored.
 */
export async function storeWriteBatch(db: Db, config: Config, messages: readonly WriteMessage[]): Promise<BatchWriteCounts> {
  const now = new Date();
  const chunkSize = config.WRITE_CHUNK_SIZE;
  const releases = [...messages.flatMap((m) => m.releases), ...(await readStagedReleases(db, messages.flatMap((m) => m.staged)))];
  const plan = planWrites(releases, await readLinks(db, [...new Set(releases.map((r) => r.contract._id))]));

  const procurements = releases.map(({ contract }) => ({ source: contract.source, ocid: contract.ocid }));
  const storedRecords = await readRecords(db, [...new Set(procurements.map((p) => recordId(p.source, p.ocid)))]);
  const storedContracts = await readProcurementContracts(db, procurements);
  const written = [...plan.fresh, ...plan.newer.map(({ release }) => release)].map(({ contract }) => ({ contract, doc: toContractDocument(contract, now) }));
  const notices = await noticesAfterBatch(storedContracts, written.map((w) => w.doc as unknown as NoticeContract));
  const records = planRecords(notices, storedRecords, now);
  // Each contract carries its procurement's status; its own is kept as noticeStatus.
  for (const { contract, doc } of written) Object.assign(doc, { noticeStatus: contract.status, ...procurementStatusOf(records, contract) });

  const fresh = written.slice(0, plan.fresh.length).map((w) => w.doc);
  // Stored after all (by a writer at the same moment, or a run that crashed before its link): updated instead.
  const storedAfterAll = await insertContracts(db, fresh);
  const newer = [...fresh.filter((doc) => storedAfterAll.has(doc._id)), ...written.slice(plan.fresh.length).map((w) => w.doc)];
  const updated = await updateContracts(db, newer, chunkSize);
  await writeLinks(db, [...plan.fresh.map((r) => linkWrite(r, null)), ...plan.newer.map(({ release, readVersion }) => linkWrite(release, readVersion))], chunkSize);
  await writeRecords(db, records.writes, chunkSize);
  // The batch's own contracts (the same objects, given their status above) need none.
  await writeContractStatuses(db, contractStatusWrites(notices.map((n) => n.contract), records.statusOf), chunkSize, now);

  const counts = buyerCounts(await groupLinks(db, plan.buyersToCount), plan.buyersToCount);
  await writeBuyers(db, buyerSightings(releases), counts, chunkSize, now);

  const parts = messages.map((m) => ({ windowId: m.windowId, generation: m.generation, key: writtenPartKey(m.generation, m.page, m.part), releases: m.releases.length + m.staged.length }));
  for (const window of await recordWrittenParts(db, parts, now)) {
    // A part of an older generation never closes the window's current one.
    if (parts.some((p) => p.windowId === window._id && p.generation === window.generation)) await closeWindowIfComplete(db, window, now);
  }
  return { releases: releases.length, inserted: fresh.length - storedAfterAll.size, updated };
}

/** The touched procurements' notices once the batch is stored: a batch contract replaces a stored one only if newer. */
async function noticesAfterBatch(stored: readonly NoticeContract[], batch: readonly NoticeContract[]): Promise<NoticeInput[]> {
  const notices = new Map(stored.map((c) => [c._id, c]));
  for (const contract of batch) {
    const before = notices.get(contract._id);
    if (!before || before.releaseDate.getTime() < contract.releaseDate.getTime()) notices.set(contract._id, contract);
  }
  return Promise.all([...notices.values()].map(async (contract) => ({ contract, release: await rawReleaseOf(contract) })));
}

/** The status of the contract's procurement; its own when the batch lost to a newer stored release of another ocid. */
function procurementStatusOf(records: RecordsPlan, contract: MappedContract): { status: ContractStatus; statusVersion: number } {
  const { status, version } = records.statusOf.get(recordId(contract.source, contract.ocid)) ?? { status: contract.status, version: 0 };
  return { status, statusVersion: version };
}

function linkWrite({ contract }: MappedRelease, readVersion: number | null): LinkWrite {
  return { contractId: contract._id, buyer: contract.buyerOrg ?? null, releaseDate: new Date(contract.releaseDate), readVersion };
}
