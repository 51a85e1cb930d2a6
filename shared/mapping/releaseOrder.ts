/**
 * Which release of a notice is the newest: by release date, then by the source's release counter
 * (CF's `-nnnnnn`; 0 where a source has none). Stored as one sortable text, `releaseOrder`, on the
 * contract and its buyer link, so the write plan and the store's update filter
 * (store/notNewerFilter.ts) compare the same thing.
 */
export function releaseOrder(releaseDate: string, counter: number): string {
  if (!Number.isSafeInteger(counter) || counter < 0 || counter > MAX_COUNTER) throw new Error(`release counter ${counter} is not an integer in 0..${MAX_COUNTER}`);
  // ISO instants (`2024-03-01T10:00:00.000Z`) sort as text; the counter is padded to sort so too.
  return `${new Date(releaseDate).toISOString()}#${String(counter).padStart(COUNTER_DIGITS, '0')}`;
}

const COUNTER_DIGITS = 12;
const MAX_COUNTER = 10 ** COUNTER_DIGITS - 1;

/** What decides whether a release replaces the stored one. */
export interface Ordered {
  releaseOrder: string;
  mappingVersion: number;
}

/**
 * Whether `incoming` replaces `stored`: a newer release does; the same release does when the
 * stored document came from an older mapping (a mapping fix reaches stored data). An older
 * release arriving late, or a replay, does not. Nothing stored, or stored before releaseOrder
 * existed: it does. Pure; store/notNewerFilter.ts is the same rule as a MongoDB filter.
 */
export function supersedes(incoming: Ordered, stored: Partial<Ordered> | undefined): boolean {
  if (stored?.releaseOrder === undefined) return true;
  if (incoming.releaseOrder !== stored.releaseOrder) return incoming.releaseOrder > stored.releaseOrder;
  return incoming.mappingVersion > (stored.mappingVersion ?? 0);
}
