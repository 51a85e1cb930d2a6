import type { Ordered } from '../mapping/releaseOrder.ts';

/**
 * The stored documents that are not newer than `incoming`, as a MongoDB filter: those it
 * supersedes (mapping/releaseOrder.ts `supersedes`) and those already on its release and mapping,
 * written for an update's filter, so that a replay rewrites at most what it holds already and a
 * late older release matches nothing, whoever writes at the same time.
 * test/integration/notNewerFilter.test.ts checks the two agree.
 */
export function notNewerFilter({ releaseOrder, mappingVersion }: Ordered) {
  return {
    $or: [{ releaseOrder: { $exists: false } }, { releaseOrder: { $lt: releaseOrder } }, { releaseOrder, mappingVersion: { $lte: mappingVersion } }],
  };
}
