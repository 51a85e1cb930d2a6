import type { Address, Release } from '../ocds/releaseSchema.ts';
import { regionOfPostcode } from './postcodeRegions.ts';
import { ENGLISH_REGIONS, regionOf, UK_REGIONS, type UkRegion } from './regions.ts';
import { cleanText } from './text.ts';

/** Country names and codes that mean the whole UK when an address names no region. */
const WHOLE_UK = new Set(['united kingdom', 'uk', 'gb', 'great britain']);

/**
 * The regions one delivery address covers: its region (code or name), else its postcode's
 * region. CF's "England" is the nine English regions, and an address naming only the United
 * Kingdom (CF's "United Kingdom" location, NUTS `UK`) is all twelve. Other countries (Isle of
 * Man, "Europe", …) and extra-regio `UKZ…` cover no UK region.
 */
function regionsOfAddress(address: Address): readonly UkRegion[] {
  const named = regionOf(address.region).region ?? regionOfPostcode(address.postalCode);
  if (named !== undefined) return [named];
  const region = cleanText(address.region)?.toLowerCase();
  if (region === 'england') return ENGLISH_REGIONS;
  if (region === 'uk') return UK_REGIONS;
  if (region !== undefined || cleanText(address.postalCode) !== undefined) return [];
  const country = cleanText(address.countryName) ?? cleanText(address.country);
  return country !== undefined && WHOLE_UK.has(country.toLowerCase()) ? UK_REGIONS : [];
}

/**
 * `deliveryRegions`: every UK region the work is delivered in, from the delivery addresses of the
 * tender's and the awards' items, in UK_REGIONS order without repeats. "All regions" is the full
 * list of twelve (never its first entry). Empty when no address names a UK place.
 */
export function deliveryRegionsOf(release: Release): UkRegion[] {
  const items = [...(release.tender?.items ?? []), ...(release.awards ?? []).flatMap((award) => award.items ?? [])];
  const covered = new Set(items.flatMap((item) => item.deliveryAddresses ?? []).flatMap(regionsOfAddress));
  return UK_REGIONS.filter((region) => covered.has(region));
}
