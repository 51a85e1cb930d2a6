import type { MappedBuyer, MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import type { BuyerSighting } from '../../shared/store/buyers.ts';

/** Every buyer a release names: its lead, then a joint procurement's others (MappedRelease.jointBuyers). */
export const buyersOf = (release: MappedRelease): MappedBuyer[] => [...(release.buyer ? [release.buyer] : []), ...(release.jointBuyers ?? [])];

/**
 * The registry entries the releases name (a joint procurement's every buyer), one each (`registryIds`: by the orgId a release gave its
 * buyer, see resolveBuyers.ts): fields from the first release that names it, under the entry's id;
 * every name and source id it was seen under; the sources and the release dates of every release
 * that names it (older ones included: they were seen). Pure.
 */
export function buyerSightings(releases: readonly MappedRelease[], registryIds: ReadonlyMap<string, string>): BuyerSighting[] {
  const byEntry = new Map<string, BuyerSighting>();
  for (const release of releases) for (const buyer of buyersOf(release)) {
    const { contract } = release;
    const orgId = registryIds.get(buyer.orgId) ?? buyer.orgId;
    const date = new Date(contract.releaseDate);
    const { identifiers, ...fields } = buyer;
    const sourceIds = [buyer.orgId, ...(identifiers ?? [])];
    const seen = byEntry.get(orgId);
    if (!seen) {
      byEntry.set(orgId, { buyer: { ...fields, orgId }, aliases: [buyer.name], sourceIds, sources: [contract.source], firstSeen: date, lastSeen: date });
      continue;
    }
    addNew(seen.aliases, [buyer.name]);
    addNew(seen.sourceIds, sourceIds);
    addNew(seen.sources, [contract.source]);
    if (date < seen.firstSeen) seen.firstSeen = date;
    if (date > seen.lastSeen) seen.lastSeen = date;
  }
  return [...byEntry.values()];
}

function addNew(list: string[], values: readonly string[]): void {
  for (const value of values) if (!list.includes(value)) list.push(value);
}
