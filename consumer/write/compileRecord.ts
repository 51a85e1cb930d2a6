import { compact } from '../../shared/mapping/compact.ts';
import type { ContractStage } from '../../shared/mapping/mappedRelease.ts';
import type { NoticeContract, RecordDoc, RecordNotice } from '../../shared/store/records.ts';
import { recordId } from '../../shared/store/records.ts';
import { compileReleases } from './ocdsMerge.ts';
import { procurementStatus } from './procurementStatus.ts';
import { appendHistory, fieldChanges, sameValue, valueAt } from './recordHistory.ts';

/** A notice's stored contract and its raw release (undefined when not stored). */
export interface NoticeInput {
  contract: NoticeContract;
  release: unknown;
}

const STAGE_ORDER: readonly ContractStage[] = ['PLANNING', 'TENDER', 'AWARD'];
const LIVE_AWARD = new Set([undefined, 'active', 'pending']);
/** Bookkeeping, not content: a record whose content is unchanged is not written. */
const BOOKKEEPING = new Set(['history', 'v', 'createdAt', 'updatedAt']);

/**
 * The record of one procurement from its notices' stored contracts (all of them, any order), and
 * the stored record if any. Returns null when the content would not change (a replay, an older
 * release that lost), else the record to store at `v` + 1, its history extended by the field changes
 * from the stored compiled state, each attributed to the first newly arrived notice that says the
 * new value. Pure.
 */
export function compileRecord(inputs: readonly NoticeInput[], stored: RecordDoc | undefined, now: Date): RecordDoc | null {
  const sorted = [...inputs].sort((a, b) => a.contract.releaseDate.getTime() - b.contract.releaseDate.getTime() || releaseKey(a).localeCompare(releaseKey(b)));
  const contracts = sorted.map((i) => i.contract);
  const newest = contracts.at(-1)!;
  const latest = <K extends keyof NoticeContract>(field: K): NoticeContract[K] | undefined => contracts.findLast((c) => c[field] !== undefined)?.[field];
  const valued = contracts.findLast((c) => c.valueMin !== undefined || c.valueMax !== undefined);
  // The deadline and which one it is, from the newest notice that gives one.
  const deadlined = contracts.findLast((c) => c.deadlineDate !== undefined);
  const deadlineDate = deadlined?.deadlineDate;
  const notices = contracts.map(noticeOf);
  const content = {
    _id: recordId(newest.source, newest.ocid),
    source: newest.source,
    ocid: newest.ocid,
    notices,
    ...(sorted.every((i) => i.release !== undefined) && { compiledRelease: compileReleases(sorted.map((i) => i.release)) }),
    stage: contracts.map((c) => c.stage).reduce((a, b) => (STAGE_ORDER.indexOf(b) > STAGE_ORDER.indexOf(a) ? b : a)),
    status: procurementStatus(notices.map((n) => ({ noticeStatus: n.noticeStatus, date: n.date })), deadlineDate, now),
    title: newest.title,
    ...compact({
      description: latest('description'),
      buyerName: latest('buyerName'),
      buyerOrg: latest('buyerOrg'),
      valueMin: valued?.valueMin,
      valueMax: valued?.valueMax,
      currency: valued?.currency,
      deadlineDate,
      deadlineKind: deadlined?.deadlineKind,
      framework: latest('framework'),
    }),
    awardedSuppliers: awardedSuppliers(contracts),
    cpvCodes: [...new Set(contracts.flatMap((c) => c.cpvCodes))],
    firstPublished: new Date(Math.min(...contracts.map((c) => (c.publishedDate ?? c.releaseDate).getTime()))),
    lastUpdated: newest.releaseDate,
  };
  if (stored && sameValue(withoutBookkeeping(stored), content)) return null;

  const changes = stored ? fieldChanges(tracked(stored), tracked(content)) : [];
  const storedNotices = new Set((stored?.notices ?? []).map(noticeKey));
  const arrived = sorted.filter((i) => !storedNotices.has(noticeKey(noticeOf(i.contract))));
  const history = appendHistory(stored?.history ?? [], changes, (change) => {
    // The first newly arrived notice that says the new value; else the newest one that arrived.
    const by = arrived.find((i) => change.new !== undefined && sameValue(valueAt(trackedInput(i, content.compiledRelease !== undefined), change.path), change.new)) ?? arrived.at(-1) ?? sorted.at(-1)!;
    return { noticeId: by.contract.noticeId, date: by.contract.releaseDate };
  });
  return {
    ...content,
    history,
    v: (stored?.v ?? 0) + 1,
    createdAt: stored?.createdAt ?? now,
    updatedAt: now,
  };
}

function noticeOf(c: NoticeContract): RecordNotice {
  return {
    noticeId: c.noticeId,
    ...compact({ releaseId: c.releaseId }),
    contractId: c._id,
    ...compact({ noticeType: c.noticeType }),
    stage: c.stage,
    noticeStatus: noticeStatusOf(c),
    date: c.releaseDate,
  };
}

/** Contracts stored before records carry only their own status, in `status`. */
export const noticeStatusOf = (c: NoticeContract) => c.noticeStatus ?? c.status;

const releaseKey = (input: NoticeInput) => input.contract.releaseId ?? input.contract.noticeId;
const noticeKey = (n: { noticeId: string; releaseId?: string; date: Date }) => `${n.noticeId}|${n.releaseId ?? ''}|${n.date.toISOString()}`;

/** What the history follows: the compiled release, else (raw data not stored) the latest values. */
function tracked(record: Partial<RecordDoc>): unknown {
  return record.compiledRelease ?? latestValues(record);
}

/** The same of one notice: its release, or its contract's values. */
function trackedInput(input: NoticeInput, compiled: boolean): unknown {
  return compiled ? input.release : latestValues(input.contract);
}

function latestValues({ title, description, valueMin, valueMax, currency, deadlineDate, buyerName }: Partial<RecordDoc>) {
  return compact({ title, description, valueMin, valueMax, currency, deadlineDate, buyerName });
}

function withoutBookkeeping(record: RecordDoc): Partial<RecordDoc> {
  return Object.fromEntries(Object.entries(record).filter(([key]) => !BOOKKEEPING.has(key)));
}

/** Suppliers of live awards (active, pending or without status), each once, in order of appearance. */
function awardedSuppliers(contracts: readonly NoticeContract[]): { id?: string; name?: string }[] {
  const seen = new Map<string, { id?: string; name?: string }>();
  for (const award of contracts.flatMap((c) => c.awards ?? [])) {
    if (!LIVE_AWARD.has(award.status)) continue;
    for (const supplier of award.suppliers) {
      const key = supplier.id ?? supplier.name;
      if (key !== undefined && !seen.has(key)) seen.set(key, compact({ id: supplier.id, name: supplier.name }));
    }
  }
  return [...seen.values()];
}
