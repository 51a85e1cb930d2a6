import { Buffer } from 'node:buffer';
import { Binary, type Db, type Document } from 'mongodb';
import type { ContractStatus, MappedContract } from '../mapping/mappedRelease.ts';
import type { MappedPeriod } from '../mapping/periods.ts';
import type { RelatedNotice } from '../mapping/relatedNotices.ts';
import { chunks } from './chunks.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import { notNewerFilter } from './notNewerFilter.ts';

/** Inserts contracts not stored yet; returns the ids that were already there. Costs no scan on FerretDB. */
export async function insertContracts(db: Db, docs: readonly ContractDocument[]): Promise<Set<string>> {
  return insertNew(contractsCollection(db), docs);
}

/**
 * Moves stored contracts on to a release that supersedes theirs (newer, or the same under a newer
 * mapping), or rewrites one already on that release (stored by a run cut off before its link, or by
 * another writer, maybe under another registry answer: the link written next decides;
 * notNewerFilter.ts), and sets the procurement's status on other contracts (`statuses`): one
 * bulk write per `chunkSize` operations. A replay, or an older release arriving late, changes
 * nothing, whoever writes at the same time. Fields the newer release lacks are removed; `createdAt` stays.
 * `twins`: Find a Tender notices to be named on the stored PCS notices they were sent on from.
 */
export async function updateContracts(
  db: Db,
  docs: readonly ContractDocument[],
  statuses: readonly ContractStatusWrite[],
  chunkSize: number,
  now: Date,
  twins: readonly TwinLink[] = [],
): Promise<void> {
  const operations = [
    ...docs.map(({ _id, createdAt: _kept, ...fields }) => {
      const absent = OPTIONAL_FIELDS.filter((field) => !(field in fields));
      return {
        updateOne: {
          filter: { _id, ...notNewerFilter(fields) },
          update: { $set: fields, ...(absent.length > 0 && { $unset: Object.fromEntries(absent.map((field) => [field, ''])) }) },
        },
      };
    }),
    ...statuses.map((status) => statusUpdate(status, now)),
    ...twins.map(twinUpdate),
  ];
  for (const chunk of chunks(operations, chunkSize)) await contractsCollection(db).bulkWrite(chunk, { ordered: false });
}

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
  await updateContracts(db, [], writes, chunkSize, now);
}

const statusUpdate = ({ contractId, status, version }: ContractStatusWrite, now: Date) => ({
  updateOne: {
    filter: { _id: contractId, $or: [{ statusVersion: { $lte: version } }, { statusVersion: { $exists: false } }] },
    update: { $set: { status, statusVersion: version, updatedAt: now } },
  },
});

/** A Find a Tender notice PCS sent on, to be named on its PCS notice's contract (consumer/write/planTwins.ts). */
export interface TwinLink {
  contractId: string;
  notice: RelatedNotice;
}

// The same notice twice is one: a replay, or a PCS notice that named it when it was stored, changes nothing.
const twinUpdate = ({ contractId, notice }: TwinLink) => ({
  updateOne: { filter: { _id: contractId }, update: { $addToSet: { relatedNotices: notice } } },
});

type ContractDocument = ReturnType<typeof toContractDocument>;

const contractsCollection = (db: Db) => db.collection<ContractDocument>(COLLECTIONS.contracts);

type OptionalKeys<T> = { [K in keyof T]-?: object extends Pick<T, K> ? K : never }[keyof T];

/** Every field a release may lack (the type checks the list is complete). */
const OPTIONAL_FIELDS = Object.keys({
  description: 1, noticeType: 1, buyerName: 1, buyerOrg: 1, buyers: 1, buyerRegion: 1, buyerRegionCode: 1, sector: 1, valueMin: 1, valueMax: 1,
  currency: 1, publishedDate: 1, deadlineDate: 1, lots: 1, awards: 1, rawData: 1, rawDataGz: 1,
  deliveryRegions: 1, valueIncludesVat: 1, values: 1, suitableForSme: 1, suitableForVcse: 1, procurementMethod: 1,
  procurementMethodDetails: 1, mainProcurementCategory: 1, contractPeriod: 1, enquiryPeriod: 1, documents: 1,
  submissionMethods: 1, submissionUrl: 1, submissionDetails: 1, relatedNotices: 1, scRef: 1, deadlineKind: 1, framework: 1,
} satisfies Record<OptionalKeys<MappedContract>, 1>);

/** The message form (ISO strings, base64) to BSON: dates become dates, gzip bytes binary. */
export function toContractDocument(contract: MappedContract, now: Date): Document & { _id: string; source: string; ocid: string; noticeId: string; releaseDate: Date; releaseOrder: string; mappingVersion: number } {
  const { rawDataGz, publishedDate, deadlineDate, releaseDate, awards, contractPeriod, enquiryPeriod, ...rest } = contract;
  return {
    ...rest,
    ...(contractPeriod && { contractPeriod: periodDates(contractPeriod) }),
    ...(enquiryPeriod && { enquiryPeriod: periodDates(enquiryPeriod) }),
    ...(publishedDate && { publishedDate: new Date(publishedDate) }),
    ...(deadlineDate && { deadlineDate: new Date(deadlineDate) }),
    releaseDate: new Date(releaseDate),
    ...(awards && { awards: awards.map(({ date, ...award }) => ({ ...award, ...(date && { date: new Date(date) }) })) }),
    ...(rawDataGz && { rawDataGz: new Binary(Buffer.from(rawDataGz, 'base64')) }),
    createdAt: now,
    updatedAt: now,
  };
}

/** A mapped period's ISO strings as BSON dates, like every other date of a contract. */
function periodDates(period: MappedPeriod): Record<string, Date> {
  return Object.fromEntries(Object.entries(period).map(([key, iso]: [string, string]) => [key, new Date(iso)]));
}
