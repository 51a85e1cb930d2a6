import type { LinkGroup } from '../store/buyerLinks.ts';
import type { BuyerCount } from '../store/buyers.ts';

/**
 * Each buyer's count from the grouped links (store/buyerLinks.ts groupLinks): the links that point
 * at it now. Its stamp is the sum of the versions of every link that ever pointed at it: links are
 * never removed and a version only grows, so a count taken later, after more links moved, always
 * has a higher stamp, and every change of the count raises it. Buyers no link ever pointed at are
 * left out. Pure.
 */
export function buyerCounts(groups: readonly LinkGroup[], buyers: readonly string[]): BuyerCount[] {
  const counts = new Map(buyers.map((orgId) => [orgId, { orgId, contractCount: 0, stamp: 0 }]));
  for (const group of groups) {
    for (const orgId of group.buyers) {
      const count = counts.get(orgId);
      if (!count) continue;
      count.stamp += group.v * group.links;
      if (group.buyer === orgId) count.contractCount += group.links;
    }
  }
  return [...counts.values()].filter((count) => count.stamp > 0);
}
