import type { Binary, Db } from 'mongodb';
import { TransientError } from '../errors.ts';
import type { ContractStage, ContractStatus } from '../mapping/mappedRelease.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew, isDuplicateKeyError } from './insertNew.ts';

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
 * Writes records, each as one compare-and-set, in one command (per `chunkSize`): a record replaces
 * the stored one only if that is still at the version read, and a new one is created where none
 * was. Where another writer got there in between, the new record meets its `_id` (a duplicate key,
 * on FerretDB too) or the stored one has moved on: the batch is retried and decides again. New
 * records alone are inserted, which costs no scan on FerretDB; beside records that move on they
 * are upserts in the same command (a scan each there, a lookup by `_id` on MongoDB).
 */
export async function writeRecords(db: Db, writes: readonly RecordWrite[], chunkSize: number): Promise<void> {
  const collection = recordsCollection(db);
  if (writes.every((w) => w.readVersion === null)) {
    const there = await insertNew(collection, writes.map((w) => w.doc));
    if (there.size > 0) throw conflict([...there]);
    return;
  }
  for (const chunk of chunks(writes, chunkSize)) {
    try {
      const result = await collection.bulkWrite(
        chunk.map(({ doc, readVersion }) => ({ replaceOne: { filter: { _id: doc._id, v: readVersion ?? { $exists: false } }, replacement: doc, upsert: readVersion === null } })),
        { ordered: false },
      );
      if (result.matchedCount + result.upsertedCount < chunk.length) throw conflict(chunk.map((w) => w.doc._id));
    } catch (error) {
      if (isDuplicateKeyError(error)) throw conflict(chunk.map((w) => w.doc._id));
      throw error;
    }
  }
}

const conflict = (ids: readonly string[]) => new TransientError(`records changed while this batch was stored, by another writer (among ${ids.slice(0, 3).join(', ')}): deciding again`);

export interface ContractStatusWrite {
  contractId: string;
  status: ContractStatus;
  /**
   * The record version the status comes from: an older one never overwrites a newer one; the same
   * one does (a writer that lost its compare-and-set may have stamped its contracts with it).
   */
  version: number;
}

/** Sets the procurement's status on contracts, in bulk writes of `chunkSize` updates by `_id`. */
export async function writeContractStatuses(db: Db, writes: readonly ContractStatusWrite[], chunkSize: number, now: Date): Promise<void> {
  for (const chunk of chunks(writes, chunkSize)) {
    await db.collection<{ _id: string }>(COLLECTIONS.contracts).bulkWrite(
      chunk.map(({ contractId, status, version }) => ({
        updateOne: {
          filter: { _id: contractId, $or: [{ statusVersion: { $lte: version } }, { statusVersion: { $exists: false } }] },
          update: { $set: { status, statusVersion: version, updatedAt: now } },
        },
      })),
      { ordered: false },
    );
  }
}

/**
 * The hourly close: every OPEN record whose deadline has passed becomes CLOSED, and so do its
 * contracts. Found by the `status_deadline` index; updated by `_id` in chunks of `chunkSize` (one
 * FerretDB update command must match fewer than 100 documents), each record only at the version
 * read, then read back so that only the records this run closed pass their status on. A record a
 * writer changed meanwhile is left to that writer (or the next run). Returns how many it closed.
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
    const mine = (await collection.find({ _id: { $in: chunk.map((r) => r._id) } }, { projection: { v: 1, status: 1, notices: 1 } }).toArray()).filter(
      (r) => r.status === 'CLOSED' && r.v === versionAfter.get(r._id),
    );
    closed += mine.length;
    const statuses = mine.flatMap((r) => r.notices.map((n) => ({ contractId: n.contractId, status: 'CLOSED' as const, version: r.v })));
    await writeContractStatuses(db, statuses, chunkSize, now);
  }
  return closed;
}
