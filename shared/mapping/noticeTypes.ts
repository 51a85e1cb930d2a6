import type { ContractStatus } from './mappedRelease.ts';

/**
 * The Procurement Act 2023 notice types (FTS `documents[].noticeType`, from 2025-02-24) and the
 * status each gives its notice. `status` is set where the type itself decides (the release's
 * statuses would say otherwise); elsewhere the release's own statuses decide (releaseStatus.ts rules),
 * as for 2015-regulation and Contracts Finder notices, which have no type. Names as FTS labels its
 * notice documents (`"Transparency notice on Find a Tender"`); types not in the real corpus say so.
 */
export interface NoticeTypeRow {
  name: string;
  status?: ContractStatus;
  /** Why the type decides, where it does. */
  why?: string;
}

export const NOTICE_TYPES: Readonly<Record<string, NoticeTypeRow>> = {
  UK1: { name: 'pipeline notice' },
  UK2: { name: 'preliminary market engagement notice' },
  UK3: { name: 'planned procurement notice' },
  UK4: { name: 'tender notice' },
  UK5: {
    name: 'transparency notice',
    status: 'CLOSED',
    why: 'a direct award is intended (its award `pending`): closed to bids, not awarded yet; the UK6/UK7 that follows is AWARDED',
  },
  UK6: { name: 'contract award notice' },
  UK7: { name: 'contract details notice' },
  UK8: { name: 'payments compliance notice (not in the corpus)' },
  UK9: { name: 'contract performance notice' },
  UK10: { name: 'contract change notice' },
  UK11: {
    name: 'contract termination notice',
    status: 'TERMINATED',
    why: 'the contract ended (`contracts[].status: terminated`); what was paid is its `final` value',
  },
  UK12: { name: 'procurement termination notice', status: 'CANCELLED', why: 'the procurement was stopped, whatever its awards said before' },
  UK13: { name: 'dynamic market intention notice' },
  UK14: { name: 'dynamic market establishment notice (not in the corpus)', status: 'OPEN', why: 'a dynamic market admits suppliers for as long as it runs' },
  UK15: {
    name: 'dynamic market modification notice',
    status: 'OPEN',
    why: 'its awards list the suppliers admitted so far (no status, no value); the market stays open to new ones',
  },
  UK16: { name: 'dynamic market cessation notice (not in the corpus)', status: 'CLOSED', why: 'the dynamic market admits no one any more' },
  UK17: { name: 'UK17 (not in the corpus)' },
};

/** The status a notice type decides, or undefined when the release's own statuses decide. */
export function statusByNoticeType(noticeType: string | undefined): ContractStatus | undefined {
  return noticeType === undefined || !Object.hasOwn(NOTICE_TYPES, noticeType) ? undefined : NOTICE_TYPES[noticeType]!.status;
}
