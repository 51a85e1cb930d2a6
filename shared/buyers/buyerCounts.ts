import type { LinkGroup } from '../store/buyerLinks.ts';
import type { BuyerCount, ValueCount } from '../store/buyers.ts';

/**
 * Each buyer's count from the grouped links (store/buyerLinks.ts groupLinks): the links that point
 * at it now, as lead buyer (`buyer`) or as a joint procurement's co-buyer (`joint`). Its stamp is the sum of the versions of every link that ever pointed at it: links are
 * never removed and a version only grows, so a count taken later, after more links moved, always
 * has a higher stamp, and every change of the count raises it (a link's sector or region changes
 * only with its version). The contracts it counts are also tallied per sector, and those it leads
 * per region (a link's region is the lead's address), most frequent first (ties by value). Buyers no link ever pointed at are left out. Pure.
 */
export function buyerCounts(groups: readonly LinkGroup[], buyers: readonly string[]): BuyerCount[] {
  const counts = new Map(buyers.map((orgId) => [orgId, { orgId, contractCount: 0, stamp: 0, sectors: new Map<string, number>(), regions: new Map<string, number>() }]));
  for (const group of groups) {
    for (const orgId of group.buyers) {
      const count = counts.get(orgId);
      if (!count) continue;
      count.stamp += group.v * group.links;
      const lead = group.buyer === orgId;
      if (!lead && !(group.joint ?? []).includes(orgId)) continue;
      count.contractCount += group.links;
      if (group.sector) count.sectors.set(group.sector, (count.sectors.get(group.sector) ?? 0) + group.links);
      // A link's region is its lead buyer's (the contract's buyerRegion): a co-buyer's own address may lie elsewhere.
      if (group.region && lead) count.regions.set(group.region, (count.regions.get(group.region) ?? 0) + group.links);
    }
  }
  return [...counts.values()].filter((count) => count.stamp > 0).map((count) => ({ ...count, sectors: mostFrequentFirst(count.sectors), regions: mostFrequentFirst(count.regions) }));
}

function mostFrequentFirst(tally: ReadonlyMap<string, number>): ValueCount[] {
  return [...tally].map(([value, count]) => ({ value, count })).sort((a, b) => b.count - a.count || a.value.localeCompare(b.value));
}
