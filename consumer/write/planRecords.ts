import type { ContractStatus } from '../../shared/mapping/mappedRelease.ts';
import type { ContractStatusWrite } from '../../shared/store/contracts.ts';
import { recordId, type NoticeContract, type RecordDoc, type RecordWrite } from '../../shared/store/records.ts';
import { compileRecord, type NoticeInput } from './compileRecord.ts';

export interface RecordsPlan {
  /** Records to insert (readVersion null) or to move on from the version read. */
  writes: RecordWrite[];
  /** Per record id, the status its contracts carry, and the record version it comes from. */
  statusOf: Map<string, { status: ContractStatus; version: number }>;
}

/**
 * The records of the procurements a batch touched, from their notices as they will be once the batch
 * is stored (stored contracts with the batch's newer ones in their place). Unchanged records are
 * not written. Pure.
 */
export function planRecords(notices: readonly NoticeInput[], stored: ReadonlyMap<string, RecordDoc>, now: Date): RecordsPlan {
  const byRecord = new Map<string, NoticeInput[]>();
  for (const notice of notices) {
    const id = recordId(notice.contract.source, notice.contract.ocid);
    byRecord.set(id, [...(byRecord.get(id) ?? []), notice]);
  }
  const plan: RecordsPlan = { writes: [], statusOf: new Map() };
  for (const [id, inputs] of byRecord) {
    const before = stored.get(id);
    const record = compileRecord(inputs, before, now);
    if (record) plan.writes.push({ doc: record, readVersion: before?.v ?? null });
    const current = record ?? before!;
    plan.statusOf.set(id, { status: current.status, version: current.v });
  }
  return plan;
}

/**
 * The stored contracts whose status is not their record's. A contract already showing the record's
 * status is left as it is, even under an older record version: every update is a full scan on
 * FerretDB, and most new notices of a procurement change its record but not its status.
 */
export function contractStatusWrites(contracts: readonly NoticeContract[], statusOf: RecordsPlan['statusOf']): ContractStatusWrite[] {
  return contracts.flatMap((c) => {
    const target = statusOf.get(recordId(c.source, c.ocid));
    if (!target || c.status === target.status) return [];
    return [{ contractId: c._id, status: target.status, version: target.version }];
  });
}
