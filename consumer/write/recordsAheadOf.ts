import type { NoticeContract, RecordDoc } from '../../shared/store/records.ts';

/**
 * The stored records that are ahead of the stored contracts read beside them: a notice they list
 * whose contract was not read, or was read at an older release. A record is written only after its
 * contracts, and contracts only move on, so this means another writer stored contracts and then
 * the record between the two reads (sent side by side): a record computed from those contracts
 * would drop what that writer added, so the batch is retried and reads again. Pure.
 */
export function recordsAheadOf(records: ReadonlyMap<string, Pick<RecordDoc, 'notices'>>, contracts: readonly Pick<NoticeContract, '_id' | 'releaseDate'>[]): string[] {
  const read = new Map(contracts.map((c) => [c._id, c.releaseDate.getTime()]));
  return [...records].filter(([, record]) => record.notices.some((n) => (read.get(n.contractId) ?? -Infinity) < n.date.getTime())).map(([id]) => id);
}
