import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { BuyerSighting } from '../../shared/store/buyers.ts';

/**
 * The buyers the releases name, one each: fields from the first release that names it, the sources
 * and the release dates of every release that does (older ones included: they were seen). Pure.
 */
export function buyerSightings(releases: readonly MappedRelease[]): BuyerSighting[] {
  const byOrg = new Map<string, BuyerSighting>();
  for (const { contract, buyer } of releases) {
    if (!buyer) continue;
    const date = new Date(contract.releaseDate);
    const seen = byOrg.get(buyer.orgId);
    if (!seen) {
      byOrg.set(buyer.orgId, { buyer, sources: [contract.source], firstSeen: date, lastSeen: date });
      continue;
    }
    if (!seen.sources.includes(contract.source)) seen.sources.push(contract.source);
    if (date < seen.firstSeen) seen.firstSeen = date;
    if (date > seen.lastSeen) seen.lastSeen = date;
  }
  return [...byOrg.values()];
}
