import type { Binary, Db } from 'mongodb';
import { TransientError } from '../errors.ts';
import type { DeadlineKind } from '../mapping/deadline.ts';
import type { MappedFramework } from '../mapping/framework.ts';
import type { ContractStage, ContractStatus } from '../mapping/mappedRelease.ts';
import { appendChangesNow, changeIds } from './changes.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { writeContractStatuses } from './contracts.ts';
import { insertNew } from './insertNew.ts';

/** The values a search shows, as a contract holds them and as a record keeps its procurement's latest. */
export interface LatestValues {
  title: string;
  description?: string;
  buyerName?: string;
  buyerOrg?: string;
  valueMin?: number;
  valueMax?: number;
  currency?: string;
}

/**
 * One procurement (`{source, ocid}`): its notices, compiled release, current status and history.
 * Computed from its notices' stored contracts (consumer/write/compileRecord.ts); written with a
 * compare-and-set on `v`, so of two writers deciding from the same state only one lands.
 */
export interface RecordDoc extends LatestValues {
  /** `${source}:${ocid}` */
  _id: string;
  source: string;
  ocid: string;
  /** Oldest first, by release date then release id. */
  notices: RecordNotice[];
  /** The OCDS merge of the notices' releases; absent when a notice's raw release is not stored (STORE_RAW=off). */
  compiledRelease?: Record<string, unknown>;
  stage: ContractStage;
  /** The procurement's status, which every one of its contracts carries (consumer/write/procurementStatus.ts). */
  status: ContractStatus;
  deadlineDate?: Date;
  /** Which deadline `deadlineDate` is (mapping/deadline.ts), from the same notice. */
  deadlineKind?: DeadlineKind;
  /** The framework the procurement is a call-off under, as its newest notice that names one says. */
  framework?: MappedFramework;
  awardedSuppliers: { id?: string; name?: string }[];
  cpvCodes: string[];
  firstPublished: Date;
  lastUpdated: Date;
  history: RecordHistoryEntry[];
  v: number;
  createdAt: Date;
  updatedAt: Date;
}

export interface RecordNotice {
  noticeId: string;
  /** The release the notice's contract holds, when the mapping names it. */
  releaseId?: string;
  contractId: string;
  noticeType?: string;
  stage: ContractStage;
  /** The notice's own status, as its release says. */
  noticeStatus: ContractStatus;
  /** The release date of the notice's newest release. */
  date: Date;
}

export interface RecordHistoryEntry {
  path: string;
  old?: unknown;
  new?: unknown;
  noticeId: string;
  date: Date;
}

/** What a record is computed from: the fields of a stored contract it reads. */
export interface NoticeContract extends LatestValues {
  _id: string;
  source: string;
  ocid: string;
  noticeId: string;
  releaseId?: string;
  noticeType?: string;
  /** The procurement's status once the record is written; the notice's own before (contracts stored before records). */
  status: ContractStatus;
  /** The notice's own status. */
  noticeStatus?: ContractStatus;
  /** The record version whose status `status` is. */
  statusVersion?: number;
  stage: ContractStage;
  cpvCodes: string[];
  publishedDate?: Date;
  deadlineDate?: Date;
  deadlineKind?: DeadlineKind;
  framework?: MappedFramework;
  releaseDate: Date;
  /** Which release of the notice is newest (mapping/releaseOrder.ts); absent on contracts stored before it. */
  releaseOrder?: string;
  mappingVersion?: number;
  awards?: { id: string; status?: string; suppliers: { id?: string; name?: string }[] }[];
  rawData?: unknown;
  rawDataGz?: Binary;
}

export const recordId = (source: string, ocid: string): string => `${source}:${ocid}`;

export function recordsCollection(db: Db) {
  return db.collection<RecordDoc>(COLLECTIONS.records);
}

/** The stored records of these procurements, by `_id`: one query. */
export async function readRecords(db: Db, ids: readonly string[]): Promise<Map<string, RecordDoc>> {
  if (ids.length === 0) return new Map();
  const found = await recordsCollection(db).find({ _id: { $in: [...ids] } }, { batchSize: ids.length + 1 }).toArray();
  return new Map(found.map((record) => [record._id, record]));
}

/** Every stored contract of these procurements (index `source_ocid`): one query. */
export async function readProcurementContracts(db: Db, procurements: readonly { source: string; ocid: string }[]): Promise<NoticeContract[]> {
  if (procurements.length === 0) return [];
  const bySource = new Map<string, Set<string>>();
  for (const { source, ocid } of procurements) bySource.set(source, (bySource.get(source) ?? new Set()).add(ocid));
  const filter = { $or: [...bySource].map(([source, ocids]) => ({ source, ocid: { $in: [...ocids] } })) };
  // One reply for all (up to 16 MB): the default of 101 would cost a getMore round trip.
  return db.collection<NoticeContract>(COLLECTIONS.contracts).find(filter, { batchSize: 100_000 }).toArray();
}

export interface RecordWrite {
  doc: RecordDoc;
  /** The `v` of the stored record the new one was computed from; null when there was none. */
  readVersion: number | null;
}

/**
 * Records are written by compare-and-set, in two steps that can go side by side with others: new
 * ones are inserted (a unique `_id` decides a race between writers, on FerretDB too, and an insert
 * costs no scan there), stored ones are replaced only if still at the version read. Losing either
 * way means another writer got there in between: the batch is retried and decides again.
 */
export async function insertRecords(db: Db, writes: readonly RecordWrite[]): Promise<void> {
  const there = await insertNew(recordsCollection(db), writes.filter((w) => w.readVersion === null).map((w) => w.doc));
  if (there.size > 0) throw conflict([...there]);
}

/** The stored records of `writes` moved on from the version read (see insertRecords), in bulk writes of `chunkSize`. */
export async function moveRecords(db: Db, writes: readonly RecordWrite[], chunkSize: number): Promise<void> {
  for (const chunk of chunks(writes.filter((w) => w.readVersion !== null), chunkSize)) {
    const result = await recordsCollection(db).bulkWrite(chunk.map(({ doc, readVersion }) => ({ replaceOne: { filter: { _id: doc._id, v: readVersion! }, replacement: doc } })), { ordered: false });
    if (result.matchedCount < chunk.length) throw conflict(chunk.map((w) => w.doc._id));
  }
}

const conflict = (ids: readonly string[]) => new TransientError(`records changed while this batch was stored, by another writer (among ${ids.slice(0, 3).join(', ')}): deciding again`);

/**
 * The hourly close: every OPEN record whose deadline has passed becomes CLOSED, and so do its
 * contracts. Found by the `status_deadline` index; updated by `_id` in chunks of `chunkSize` (one
 * FerretDB update command must match fewer than 100 documents), each record only at the version
 * read, then read back so that only the records this run closed pass their status on, and have a
 * `status changed` entry in the change feed (after the close, so that only a close that happened has
 * one; a run cut off in between leaves it out). A record a writer changed meanwhile is left to that
 * writer (or the next run). Returns how many it closed.
 */
export async function closeExpiredRecords(db: Db, now: Date, chunkSize: number): Promise<number> {
  const collection = recordsCollection(db);
  const due = await collection.find({ status: 'OPEN', deadlineDate: { $lt: now } }, { projection: { _id: 1, v: 1 } }).toArray();
  let closed = 0;
  for (const chunk of chunks(due, chunkSize)) {
    await collection.bulkWrite(
      chunk.map(({ _id, v }) => ({ updateOne: { filter: { _id, v, status: 'OPEN' }, update: { $set: { status: 'CLOSED', updatedAt: now }, $inc: { v: 1 } } } })),
      { ordered: false },
    );
    const versionAfter = new Map(chunk.map(({ _id, v }) => [_id, v + 1]));
    const mine = (await collection.find({ _id: { $in: chunk.map((r) => r._id) } }, { projection: { v: 1, status: 1, notices: 1, source: 1, ocid: 1 } }).toArray()).filter(
      (r) => r.status === 'CLOSED' && r.v === versionAfter.get(r._id),
    );
    closed += mine.length;
    const statuses = mine.flatMap((r) => r.notices.map((n) => ({ contractId: n.contractId, status: 'CLOSED' as const, version: r.v })));
    await writeContractStatuses(db, statuses, chunkSize, now);
    await appendChangesNow(db, mine.map(({ _id, v, source, ocid }) => ({ _id: changeIds.procurement(_id, v - 1, 'status changed'), source, ocid, kind: 'status changed' as const, fields: ['status'] })));
  }
  return closed;
}
