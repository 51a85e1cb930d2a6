import { cleanText } from './text.ts';

/**
 * The twelve UK regions (ITL1, former NUTS1) in ITL1 order, named as Contracts Finder writes them
 * so both sources filter alike. Every region a contract carries is one of these names.
 */
export const UK_REGIONS = [
  'North East',
  'North West',
  'Yorkshire and the Humber',
  'East Midlands',
  'West Midlands',
  'East of England',
  'London',
  'South East',
  'South West',
  'Wales',
  'Scotland',
  'Northern Ireland',
] as const;

export type UkRegion = (typeof UK_REGIONS)[number];

/** The nine that make up England: CF's "England" delivery location means all of them. */
export const ENGLISH_REGIONS: readonly UkRegion[] = UK_REGIONS.slice(0, 9);

/** ITL1 letter after the country prefix (`UKC11`, `TLC`) → region. */
const BY_LETTER: Readonly<Record<string, UkRegion>> = Object.fromEntries(
  UK_REGIONS.map((region, i) => [String.fromCharCode('C'.charCodeAt(0) + i), region]),
);

/** `UKC`, `UKC1`, `UKC11`, `TLI31` … (capture: the ITL1 letter C–N). `UK`, `UKZ`, `UKZZZ` do not match. */
const REGION_CODE = /^(?:UK|TL)([C-N])(?:\d[0-9A-Z]?)?$/;

export interface Region {
  /** One of UK_REGIONS. */
  region?: UkRegion;
  /** The NUTS/ITL code behind `region`, only when the source gave a code that names a region. */
  regionCode?: string;
}

/**
 * An address `region` read as one UK region: a NUTS/ITL code (FTS) becomes its ITL1 name and keeps
 * the code; a region name (CF) is kept when it is one of the twelve (any case). Anything else —
 * `England`, `UK`, extra-regio `UKZZZ`, a county — is no region: `{}`, never the raw text.
 */
export function regionOf(value: unknown): Region {
  const text = cleanText(value);
  if (text === undefined) return {};
  const code = REGION_CODE.exec(text.toUpperCase());
  if (code !== null) return { region: BY_LETTER[code[1]!]!, regionCode: text.toUpperCase() };
  const name = UK_REGIONS.find((region) => region.toLowerCase() === text.toLowerCase());
  return name === undefined ? {} : { region: name };
}
