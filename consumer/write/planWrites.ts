import type { MappedContract, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { supersedes } from '../../shared/mapping/releaseOrder.ts';
import type { BuyerLinkDoc } from '../../shared/store/buyerLinks.ts';

/** What the plan needs of a stored link. */
export type StoredLink = Pick<BuyerLinkDoc, 'v' | 'releaseOrder' | 'mappingVersion' | 'buyers' | 'buyer' | 'joint'>;

/** A joint procurement's co-buyers: the entries of its contract's `buyers` but the lead's (none with one buyer). */
export const jointIds = (contract: MappedContract): string[] => (contract.buyers ?? []).map((b) => b.orgId).filter((orgId) => orgId !== contract.buyerOrg);

export interface WritePlan {
  /** Notices without a link yet: their contracts are inserted and their links created. */
  fresh: MappedRelease[];
  /**
   * Releases that supersede the stored one (a newer release, or the same one under a newer
   * mapping), and the stored release itself when the registry now answers another buyer for it:
   * contract and link move on from the link's version `readVersion`.
   */
  newer: { release: MappedRelease; readVersion: number }[];
  /**
   * Buyers whose count may move: those the releases point at (a joint procurement's co-buyers too),
   * and every buyer the batch's links ever pointed at (a contract that moved away, also in a run
   * that crashed before counting).
   */
  buyersToCount: string[];
}

/**
 * Decides, from the stored links alone, what a batch writes: the newest release of each notice in
 * the batch, if it supersedes the stored one (mapping/releaseOrder.ts). A release that does not
 * changes nothing (a replay, or an older release arriving late), unless it is the stored release
 * and the registry's answer for its buyer changed: a retry whose first run lost the race for a
 * registry key to another writer, or an unmerge or a merge already carried out. The link then
 * follows the registry, so no contract stays on an entry the registry no longer gives. Not when the
 * change is a merge this batch found (`mergedAway`: the entries merged into others): the hourly run
 * carries merges out, and one an admin undid must not be redone by a replay. Pure.
 */
export function planWrites(releases: readonly MappedRelease[], links: ReadonlyMap<string, StoredLink>, mergedAway: ReadonlySet<string> = new Set()): WritePlan {
  const plan: WritePlan = { fresh: [], newer: [], buyersToCount: [] };
  const buyers = new Set<string>();
  for (const release of newestPerNotice(releases)) {
    const { _id, buyerOrg } = release.contract;
    const joint = jointIds(release.contract);
    if (buyerOrg !== undefined) buyers.add(buyerOrg);
    for (const coBuyer of joint) buyers.add(coBuyer);
    const link = links.get(_id);
    if (!link) plan.fresh.push(release);
    else if (supersedes(release.contract, link) || (isSameRelease(release.contract, link) && registryMoved(link, buyerOrg, joint, mergedAway))) plan.newer.push({ release, readVersion: link.v });
    for (const before of link?.buyers ?? []) buyers.add(before);
  }
  plan.buyersToCount = [...buyers].sort();
  return plan;
}

/** The registry answers other entries than the link's for its lead or co-buyers, not by a merge this batch found. */
function registryMoved(link: StoredLink, buyerOrg: string | undefined, joint: readonly string[], mergedAway: ReadonlySet<string>): boolean {
  const leadMoved = link.buyer !== buyerOrg && !mergedAway.has(link.buyer ?? '');
  const stored = link.joint ?? [];
  const jointMoved = (stored.length !== joint.length || stored.some((id) => !joint.includes(id))) && !stored.some((id) => mergedAway.has(id));
  return leadMoved || jointMoved;
}

function isSameRelease(contract: MappedRelease['contract'], link: StoredLink): boolean {
  return contract.releaseOrder === link.releaseOrder && contract.mappingVersion === link.mappingVersion;
}

/** Within one batch, the newest release of a notice is the one that counts. */
function newestPerNotice(releases: readonly MappedRelease[]): MappedRelease[] {
  const newest = new Map<string, MappedRelease>();
  for (const release of releases) {
    const seen = newest.get(release.contract._id);
    if (!seen || supersedes(release.contract, seen.contract)) newest.set(release.contract._id, release);
  }
  return [...newest.values()];
}
