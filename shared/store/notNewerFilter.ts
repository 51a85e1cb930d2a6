import type { Ordered } from '../mapping/releaseOrder.ts';

/**
 * The stored documents `incoming` replaces, as a MongoDB filter: mapping/releaseOrder.ts
 * `supersedes`, written for an update's filter, so a replay or a late older release matches
 * nothing whoever writes at the same time. test/integration/supersededFilter.test.ts checks the
 * two agree.
 */
export function supersededFilter({ releaseOrder, mappingVersion }: Ordered) {
  return {
    $or: [
      { releaseOrder: { $exists: false } },
      { releaseOrder: { $lt: releaseOrder } },
      { releaseOrder, mappingVersion: { $lt: mappingVersion } },
    ],
  };
}
