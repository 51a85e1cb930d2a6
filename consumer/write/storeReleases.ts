import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { ContractStatus, MappedContract, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { supersedes, type Ordered } from '../../shared/mapping/releaseOrder.ts';
import { buyerCounts } from '../../shared/buyers/buyerCounts.ts';
import { appendChanges, takeFeedBatch } from '../../shared/store/changes.ts';
import { TransientError } from '../../shared/errors.ts';
import { alignContractsWithLinks } from '../../shared/store/alignContracts.ts';
import { keyDocId, readBatchIndex, recordMarkerId } from '../../shared/store/buyerKeys.ts';
import { groupLinks, writeLinks, type LinkWrite } from '../../shared/store/buyerLinks.ts';
import { mergeDoc, recordMerges } from '../../shared/store/buyerMerges.ts';
import { writeBuyers } from '../../shared/store/buyers.ts';
import { insertContracts, toContractDocument, updateContracts } from '../../shared/store/contracts.ts';
import { sideBySide } from '../../shared/store/sideBySide.ts';
import { insertRecords, moveRecords, readProcurementContracts, readRecords, recordId, type NoticeContract } from '../../shared/store/records.ts';
import { keysOf } from './buyerKeys.ts';
import { buyerSightings, buyersOf } from './buyerSightings.ts';
import type { NoticeInput } from './compileRecord.ts';
import { planChanges } from './planChanges.ts';
import { planTwins, twinMarkersOf } from './planTwins.ts';
import { contractStatusWrites, planRecords, type RecordsPlan } from './planRecords.ts';
import { jointIds, planWrites, type WritePlan } from './planWrites.ts';
import { rawReleaseOf } from './rawRelease.ts';
import { recordsAheadOf } from './recordsAheadOf.ts';
import { mergesForTakenKeys, resolveBuyers, type Resolution } from './resolveBuyers.ts';

export interface StoredCounts {
  releases: number;
  /** Contracts stored for the first time. */
  inserted: number;
  /** Contracts sent on to a newer release (or rewritten under a newer mapping, or found already stored): as planned, not as MongoDB counted them (the same command also passes statuses on). */
  updated: number;
}

/**
 * Stores mapped releases: each buyer resolved to its registry entry (resolveBuyers.ts: contracts,
 * links and counts use the entry's id), the change feed's entries, contracts, buyer links and new
 * registry keys, buyers and their counts, then the records of the procurements touched (rounds 1–7
 * of storeWriteBatch.ts, which says why in this order). The write path of both the write consumer
 * and `npm run remap`; every step is idempotent, so running it again only finishes the job.
 */
export async function storeReleases(db: Db, config: Config, releases: readonly MappedRelease[], now: Date): Promise<StoredCounts> {
  const chunkSize = config.WRITE_CHUNK_SIZE;
  const buyers = releases.flatMap(buyersOf);
  const recordIds = [...new Set(releases.map(({ contract }) => recordId(contract.source, contract.ocid)))];
  // The batch's number in the change feed is taken beside the first read (store/changes.ts).
  const [stored, feedBatch] = await sideBySide(
    readBatchIndex(db, { contractIds: releases.map((r) => r.contract._id), keys: buyers.flatMap(keysOf), recordIds, twinMarkers: twinMarkersOf(releases.map((r) => r.contract)) }),
    releases.length > 0 ? takeFeedBatch(db) : Promise.resolve(null),
  );
  const registry = resolveBuyers(buyers, stored.keys);
  const plan = planWrites(releases.map((r) => pointAtRegistry(r, registry)), stored.links, new Set(registry.merges.map((m) => m.from)));

  // Only a procurement with a marker (see recordMarkerId) or a notice already stored can have a
  // record: its record and contracts are read side by side, and must agree (recordsAheadOf).
  const withStoredNotice = procurementsWithStoredNotice(releases, plan);
  const touched = recordIds.filter((id) => stored.recorded.has(id) || withStoredNotice.has(id));
  const [storedRecords, storedContracts] = await sideBySide(readRecords(db, touched), readProcurementContracts(db, procurementsOf(releases, new Set(touched))));
  const ahead = recordsAheadOf(storedRecords, storedContracts);
  if (ahead.length > 0) {
    // Its number in the feed closed as an empty batch, so that readers do not wait on it (store/changes.ts).
    if (feedBatch) await appendChanges(db, feedBatch, []);
    throw new TransientError(`records moved on while this batch read them, by another writer (among ${ahead.slice(0, 3).join(', ')}): reading again`);
  }
  const writing = [...plan.fresh, ...plan.newer.map(({ release }) => release)].map(({ contract }) => contract);
  // PCS notices and the Find a Tender notices sent on from them name each other (planTwins.ts).
  const twins = planTwins(writing, stored.twins);
  const written = writing
    .map((contract) => (twins.relatedNotices.has(contract._id) ? { ...contract, relatedNotices: twins.relatedNotices.get(contract._id) } : contract))
    .map((contract) => ({ contract, doc: toContractDocument(contract, now) }));
  const notices = await noticesAfterBatch(storedContracts, written.map((w) => w.doc as unknown as NoticeContract & Ordered));
  const records = planRecords(notices, storedRecords, now);
  // Each contract carries its procurement's status; its own is kept as noticeStatus.
  for (const { contract, doc } of written) Object.assign(doc, { noticeStatus: contract.status, ...procurementStatusOf(records, contract) });

  // The status a record moves to goes to its other contracts with the contracts' own updates (the batch's own carry it already).
  const statuses = contractStatusWrites(notices.map((n) => n.contract), records.statusOf);
  const fresh = written.slice(0, plan.fresh.length).map((w) => w.doc);
  const newer = written.slice(plan.fresh.length).map((w) => w.doc);
  // The batch's change entries go first: a run cut off after any write below is repeated with the same ones (planChanges.ts).
  if (feedBatch) {
    const changes = planChanges({
      fresh,
      newer: newer.map((doc, i) => ({ doc, readVersion: plan.newer[i].readVersion })),
      storedContracts: new Map(storedContracts.map((c) => [c._id, c as unknown as Record<string, unknown>])),
      records: records.writes,
      storedRecords,
    });
    await appendChanges(db, feedBatch, changes);
  }
  const [storedAfterAll] = await sideBySide(insertContracts(db, fresh), updateContracts(db, newer, statuses, chunkSize, now, twins.links));
  // Stored after all (by a writer at the same moment, or a run that crashed before its link): rewritten instead.
  await updateContracts(db, fresh.filter((doc) => storedAfterAll.has(doc._id)), [], chunkSize, now);
  const newKeys = registry.newKeys.map(({ key, ...rest }) => ({ _id: keyDocId(key), key, ...rest, at: now }));
  const newMarkers = records.writes.filter((w) => w.readVersion === null).map((w) => ({ _id: recordMarkerId(w.doc._id) }));
  // Entries found to be one organisation: recorded with the keys, carried out by the hourly run (producer/mergeBuyers.ts).
  const merges = registry.merges.map((merge) => mergeDoc(merge, now));
  const linkWrites = [...plan.fresh.map((r) => linkWrite(r, null)), ...plan.newer.map(({ release, readVersion }) => linkWrite(release, readVersion))];
  let alreadyThere: Set<string>;
  try {
    alreadyThere = await writeLinks(db, linkWrites, chunkSize, [...newKeys, ...newMarkers, ...twins.markers, ...merges]);
  } catch (error) {
    // Another writer's link won: its buyer, maybe another registry entry, is the contract's too.
    if (error instanceof TransientError) await alignContractsWithLinks(db, linkWrites.map((w) => w.contractId), chunkSize);
    throw error;
  }
  // Keys another writer registered at the same moment for another entry: the two entries merge (two round trips, on that path only).
  const taken = registry.newKeys.filter((k) => alreadyThere.has(keyDocId(k.key)));
  if (taken.length > 0) await recordMerges(db, mergesForTakenKeys(taken, (await readBatchIndex(db, { contractIds: [], keys: taken.map((k) => k.key), recordIds: [] })).keys), now);

  // Counts from the links just written, side by side with the new records; then the buyers, side by
  // side with the stored records moving on. A record another writer changed meanwhile fails this
  // batch, which is retried; the buyers are written all the same, so every buyer the contracts
  // point at exists by then.
  const [groups, insertFailure] = await sideBySide(groupLinks(db, plan.buyersToCount), failureOf(insertRecords(db, records.writes)));
  const [, moveFailure] = await sideBySide(
    writeBuyers(db, buyerSightings(releases, registry.registryIds), buyerCounts(groups, plan.buyersToCount), chunkSize, now),
    insertFailure ? Promise.resolve(undefined) : failureOf(moveRecords(db, records.writes, chunkSize)),
  );
  if (insertFailure ?? moveFailure) throw insertFailure ?? moveFailure;
  return { releases: releases.length, inserted: fresh.length - storedAfterAll.size, updated: newer.length + storedAfterAll.size };
}

/**
 * The procurements whose stored contracts the records need (`touched`: those with a record, and
 * those with a notice of the batch already stored). A new procurement whose notices are all new is
 * computed from the batch alone (most of a backfill), saving a query that scans on FerretDB.
 * Contracts stored by a run cut off before its records belong to a message not yet acked: its
 * redelivery finds them stored and reads them all.
 */
function procurementsOf(releases: readonly MappedRelease[], touched: ReadonlySet<string>): { source: string; ocid: string }[] {
  return releases.map(({ contract }) => contract).filter((c) => touched.has(recordId(c.source, c.ocid))).map(({ source, ocid }) => ({ source, ocid }));
}

/** What a step failed with, or undefined: for a failure that must wait until the next step is done. */
const failureOf = (step: Promise<unknown>): Promise<unknown> => step.then(() => undefined, (error: unknown) => error);

/** The record ids of the procurements with a notice of the batch already stored (it has a link). */
function procurementsWithStoredNotice(releases: readonly MappedRelease[], plan: WritePlan): Set<string> {
  const fresh = new Set(plan.fresh.map((r) => r.contract._id));
  return new Set(releases.filter(({ contract }) => !fresh.has(contract._id)).map(({ contract }) => recordId(contract.source, contract.ocid)));
}

/** The touched procurements' notices once the batch is stored: a batch contract replaces a stored one only if it supersedes it. */
async function noticesAfterBatch(stored: readonly NoticeContract[], batch: readonly (NoticeContract & Ordered)[]): Promise<NoticeInput[]> {
  const notices = new Map(stored.map((c) => [c._id, c]));
  for (const contract of batch) {
    const before = notices.get(contract._id);
    if (!before || supersedes(contract, before)) notices.set(contract._id, contract);
  }
  return Promise.all([...notices.values()].map(async (contract) => ({ contract, release: await rawReleaseOf(contract) })));
}

/** The status of the contract's procurement; its own when the batch lost to a newer stored release of another ocid. */
function procurementStatusOf(records: RecordsPlan, contract: MappedContract): { status: ContractStatus; statusVersion: number } {
  const { status, version } = records.statusOf.get(recordId(contract.source, contract.ocid)) ?? { status: contract.status, version: 0 };
  return { status, statusVersion: version };
}

function linkWrite({ contract, buyer, jointBuyers }: MappedRelease, readVersion: number | null): LinkWrite {
  const joint = jointIds(contract);
  return {
    contractId: contract._id,
    buyer: contract.buyerOrg ?? null,
    via: buyer?.orgId ?? null,
    joint,
    // The orgIds the release gave its co-buyers (those not on the lead's entry): what an unmerge moves.
    jointVia: joint.length === 0 ? [] : (jointBuyers ?? []).map((b) => b.orgId).filter((orgId) => orgId !== buyer?.orgId),
    sector: contract.sector ?? null,
    region: contract.buyerRegion ?? null,
    releaseOrder: contract.releaseOrder,
    mappingVersion: contract.mappingVersion,
    readVersion,
  };
}

/**
 * The release with its contract's `buyerOrg` set to the buyer's registry entry, and a joint
 * procurement's `buyers` to theirs: one per entry (co-buyers the registry finds to be one
 * organisation, or the lead's, are listed once), the list left out when one entry is left.
 */
function pointAtRegistry(release: MappedRelease, { registryIds }: Resolution): MappedRelease {
  const registryId = release.buyer ? registryIds.get(release.buyer.orgId) : undefined;
  const { buyers: listed, ...contract } = release.contract;
  if (registryId !== undefined) contract.buyerOrg = registryId;
  const buyers = [...new Map((listed ?? []).map(({ orgId, name }) => [registryIds.get(orgId) ?? orgId, name])).entries()].map(([orgId, name]) => ({ orgId, name }));
  return { ...release, contract: buyers.length > 1 ? { ...contract, buyers } : contract };
}
