import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { BuyerLinkDoc } from '../../shared/store/buyerLinks.ts';

/** What the plan needs of a stored link. */
export type StoredLink = Pick<BuyerLinkDoc, 'v' | 'releaseDate' | 'buyers'>;

export interface WritePlan {
  /** Notices without a link yet: their contracts are inserted and their links created. */
  fresh: MappedRelease[];
  /** Releases newer than the one stored: contract and link move on from the link's version `readVersion`. */
  newer: { release: MappedRelease; readVersion: number }[];
  /**
   * Buyers whose count may move: those the releases point at, and every buyer the batch's links
   * ever pointed at (a contract that moved away, also in a run that crashed before counting).
   */
  buyersToCount: string[];
}

/**
 * Decides, from the stored links alone, what a batch writes: the newest release of each notice in
 * the batch, if it is newer than the stored one. A release not newer changes nothing (a replay, or
 * an older release arriving late). Pure.
 */
export function planWrites(releases: readonly MappedRelease[], links: ReadonlyMap<string, StoredLink>): WritePlan {
  const plan: WritePlan = { fresh: [], newer: [], buyersToCount: [] };
  const buyers = new Set<string>();
  for (const release of newestPerNotice(releases)) {
    const { _id, buyerOrg, releaseDate } = release.contract;
    if (buyerOrg !== undefined) buyers.add(buyerOrg);
    const link = links.get(_id);
    if (!link) plan.fresh.push(release);
    else if (link.releaseDate.getTime() < Date.parse(releaseDate)) plan.newer.push({ release, readVersion: link.v });
    for (const before of link?.buyers ?? []) buyers.add(before);
  }
  plan.buyersToCount = [...buyers].sort();
  return plan;
}

/** Within one batch, the newest release of a notice is the one that counts. */
function newestPerNotice(releases: readonly MappedRelease[]): MappedRelease[] {
  const newest = new Map<string, MappedRelease>();
  for (const release of releases) {
    const seen = newest.get(release.contract._id);
    if (!seen || Date.parse(seen.contract.releaseDate) < Date.parse(release.contract.releaseDate)) newest.set(release.contract._id, release);
  }
  return [...newest.values()];
}
