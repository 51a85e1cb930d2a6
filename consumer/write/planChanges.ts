import type { ContractStatus } from '../../shared/mapping/mappedRelease.ts';
import { changeIds, type ChangeEntry, type ChangeKind } from '../../shared/store/changes.ts';
import { recordId, type RecordDoc, type RecordWrite } from '../../shared/store/records.ts';
import { sameValue } from './recordHistory.ts';

/** What a contract document needs for its change entry. */
export interface WrittenContract {
  _id: string;
  source: string;
  ocid: string;
  noticeId: string;
  releaseOrder: string;
  mappingVersion: number;
  [field: string]: unknown;
}

/**
 * The change entries a write batch makes, decided before it writes anything (so a run cut off after
 * writing is repeated with the same entries, which the feed already holds): a `new` entry per notice
 * stored for the first time, one per contract moved on to a newer release (or mapping, or registry
 * entry) that changes a field, one per procurement whose status, deadline or awards move. A stored
 * contract already on the batch's release (a repeated run) changes nothing, so it has none. Pure.
 */
export function planChanges(batch: {
  fresh: readonly WrittenContract[];
  newer: readonly { doc: WrittenContract; readVersion: number }[];
  storedContracts: ReadonlyMap<string, Record<string, unknown>>;
  records: readonly RecordWrite[];
  storedRecords: ReadonlyMap<string, RecordDoc>;
}): ChangeEntry[] {
  const notice = (doc: WrittenContract) => ({ source: doc.source, ocid: doc.ocid, noticeId: doc.noticeId });
  const fresh = batch.fresh.map((doc): ChangeEntry => ({ _id: changeIds.newNotice(doc._id), ...notice(doc), kind: 'new', fields: [] }));
  const newer = batch.newer.flatMap(({ doc, readVersion }): ChangeEntry[] => {
    const change = contractChange(batch.storedContracts.get(doc._id) ?? {}, doc);
    if (!change) return [];
    return [{ _id: changeIds.notice(doc._id, doc.releaseOrder, doc.mappingVersion, readVersion, change.kind), ...notice(doc), ...change }];
  });
  const procurements = batch.records.flatMap(({ doc, readVersion }): ChangeEntry[] => {
    const before = batch.storedRecords.get(recordId(doc.source, doc.ocid));
    // A procurement's first notice is told by that notice's `new` entry.
    const change = readVersion === null || !before ? null : procurementChange(before, doc);
    if (!change) return [];
    return [{ _id: changeIds.procurement(doc._id, readVersion!, change.kind), source: doc.source, ocid: doc.ocid, ...change }];
  });
  return [...fresh, ...newer, ...procurements];
}

/** Bookkeeping, not content: never a change on its own. */
const NOT_CONTENT = new Set(['_id', 'createdAt', 'updatedAt', 'rawData', 'rawDataGz', 'statusVersion', 'releaseOrder', 'mappingVersion']);
const BUYER_FIELDS = new Set(['buyerOrg', 'buyers']);
const STATUS_KINDS: Partial<Record<ContractStatus, ChangeKind>> = { AWARDED: 'awarded', CANCELLED: 'cancelled' };

/**
 * The fields of a contract that differ between the stored document and the one written (absent on
 * one side counts), and the kind of change, the first that applies: its status (its procurement's,
 * else its notice's own) moved (`awarded`, `cancelled`, else `status changed`); its awards changed
 * (`awarded`); its deadline moved (`deadline changed`); only its buyer's registry entry changed
 * (`buyer merged`); else `updated`. Null when nothing but bookkeeping differs.
 */
export function contractChange(stored: Record<string, unknown>, written: Record<string, unknown>): { kind: ChangeKind; fields: string[] } | null {
  const fields = changedFields(stored, written, [...new Set([...Object.keys(written), ...Object.keys(stored)])].filter((field) => !NOT_CONTENT.has(field)));
  if (fields.length === 0) return null;
  const statusField = ['status', 'noticeStatus'].find((field) => fields.includes(field));
  const kind: ChangeKind = statusField
    ? (STATUS_KINDS[written[statusField] as ContractStatus] ?? 'status changed')
    : fields.includes('awards')
      ? 'awarded'
      : fields.includes('deadlineDate')
        ? 'deadline changed'
        : fields.every((field) => BUYER_FIELDS.has(field))
          ? 'buyer merged'
          : 'updated';
  return { kind, fields };
}

/** What a procurement's own entry is about; the rest of its record moves with its notices, whose entries tell. */
const PROCUREMENT_FIELDS = ['status', 'deadlineDate', 'awardedSuppliers'] as const;

/**
 * The procurement fields that moved between the stored record and the one written, and the kind:
 * its status (`awarded`, `cancelled`, else `status changed`), else its awarded suppliers
 * (`awarded`), else its deadline (`deadline changed`). Null when none moved.
 */
export function procurementChange(stored: RecordDoc, written: RecordDoc): { kind: ChangeKind; fields: string[] } | null {
  const fields = changedFields(stored, written, PROCUREMENT_FIELDS);
  if (fields.length === 0) return null;
  const kind: ChangeKind = fields.includes('status') ? (STATUS_KINDS[written.status] ?? 'status changed') : fields.includes('awardedSuppliers') ? 'awarded' : 'deadline changed';
  return { kind, fields };
}

function changedFields(stored: object, written: object, fields: readonly string[]): string[] {
  const at = (doc: object, field: string) => (doc as Record<string, unknown>)[field];
  return fields.filter((field) => !sameValue(at(stored, field), at(written, field))).sort();
}
