import type { ContractStatus } from '../../shared/mapping/mappedRelease.ts';

/** What the roll-up needs of one notice of the procurement: its own status and when it was published. */
export interface NoticeStatusFact {
  noticeStatus: ContractStatus;
  date: Date;
}

/**
 * The procurement's status, from all its notices (an award or a cancellation is a notice of its
 * own on the same ocid), its deadline and the clock. Every contract of the procurement carries it,
 * so no notice of an awarded, cancelled or closed procurement reads OPEN. First match wins:
 *
 * | # | when                                                                | status                 |
 * |---|---------------------------------------------------------------------|------------------------|
 * | 1 | a notice is AWARDED, CANCELLED or TERMINATED                        | the newest such one's  |
 * | 2 | a notice is CLOSED (complete, unsuccessful)                          | CLOSED                 |
 * | 3 | the deadline has passed                                             | CLOSED                 |
 * | 4 | otherwise (tender or planning notices only)                         | OPEN                   |
 *
 * Rule 1 takes the newest of them because each can follow another: an award cancelled, a
 * cancelled tender awarded after all, an awarded contract terminated. Pure; the hourly run applies rule 3 to records whose deadline
 * passed since they were written (shared/store/records.ts closeExpiredRecords).
 */
const DECISIVE = new Set<ContractStatus>(['AWARDED', 'CANCELLED', 'TERMINATED']);

export function procurementStatus(notices: readonly NoticeStatusFact[], deadline: Date | undefined, now: Date): ContractStatus {
  const decisive = notices.filter((n) => DECISIVE.has(n.noticeStatus));
  if (decisive.length > 0) return decisive.reduce((a, b) => (b.date.getTime() >= a.date.getTime() ? b : a)).noticeStatus;
  if (notices.some((n) => n.noticeStatus === 'CLOSED')) return 'CLOSED';
  if (deadline !== undefined && deadline.getTime() < now.getTime()) return 'CLOSED';
  return 'OPEN';
}
