import type { Address } from '../ocds/releaseSchema.ts';
import { regionOfPostcode } from './postcodeRegions.ts';
import { type Region, regionOf } from './regions.ts';

/**
 * The buyer's own region, from the buyer party's address alone (never from where the work is
 * delivered): its `region` when that is a NUTS/ITL code or a UK region name (FTS: `UKC11`), else
 * its postcode's region (CF buyers have a postcode and no region). `{}` when neither says:
 * "England", `UKZZZ` or a foreign postcode give no region.
 */
export function buyerRegionOf(address: Address | null | undefined): Region {
  const fromRegion = regionOf(address?.region);
  if (fromRegion.region !== undefined) return fromRegion;
  const region = regionOfPostcode(address?.postalCode);
  return region === undefined ? {} : { region };
}
