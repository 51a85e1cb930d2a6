import type { Address, Release } from '../ocds/releaseSchema.ts';
import { cleanText } from './text.ts';

/**
 * UK regions (ITL1 / former NUTS1) by the letter after the country prefix: FTS sends NUTS codes
 * (`UKC11`, `UKE2`, `UKC`), newer ITL codes start with `TL`. Names as Contracts Finder writes them,
 * so both sources filter alike.
 */
const ITL1_REGIONS: Readonly<Record<string, string>> = {
  C: 'North East',
  D: 'North West',
  E: 'Yorkshire and the Humber',
  F: 'East Midlands',
  G: 'West Midlands',
  H: 'East of England',
  I: 'London',
  J: 'South East',
  K: 'South West',
  L: 'Wales',
  M: 'Scotland',
  N: 'Northern Ireland',
};

/** `UK`, `UKC`, `UKC1`, `UKC11`, `UKZ`, `TLI31` … (capture: the ITL1 letter). */
const REGION_CODE = /^(?:UK|TL)(?:([C-NZ])(?:\d[0-9A-Z]?)?)?$/;

export interface Region {
  /** Human name: `London`. */
  region?: string;
  /** The NUTS/ITL code when the source gave one: `UKI31`. */
  regionCode?: string;
}

/**
 * Reads an address `region`: a NUTS/ITL code (FTS) becomes its ITL1 name and keeps the code; a
 * name (CF: `London`, `England`) is kept as written. A code with no UK region (`UK`, `UKZ`
 * extra-regio) has a code and no name.
 */
export function regionOf(value: unknown): Region {
  const text = cleanText(value);
  if (text === undefined) return {};
  const match = REGION_CODE.exec(text);
  if (match === null) return { region: text };
  const name = match[1] === undefined ? undefined : ITL1_REGIONS[match[1]];
  return name === undefined ? { regionCode: text } : { region: name, regionCode: text };
}

/** Delivery addresses of tender items, then of award items. */
function deliveryAddresses(release: Release): Address[] {
  const items = [
    ...(release.tender?.items ?? []),
    ...(release.awards ?? []).flatMap((award) => award.items ?? []),
  ];
  return items.flatMap((item) => item.deliveryAddresses ?? []);
}

/**
 * The contract's region: the buyer's address region, else the first delivery address region (CF
 * buyers have no address region in the real data; their items' delivery addresses do). The first
 * candidate that names a region wins; failing that, the first bare code.
 */
export function contractRegion(release: Release, buyerAddress: Address | null | undefined): Region {
  const candidates = [buyerAddress?.region, ...deliveryAddresses(release).map((a) => a.region)].map(regionOf);
  return (
    candidates.find((c) => c.region !== undefined) ?? candidates.find((c) => c.regionCode !== undefined) ?? {}
  );
}
