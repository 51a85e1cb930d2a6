import type { UkRegion } from './regions.ts';

/**
 * UK postcode area (the letters a postcode starts with) → the region most of it lies in (ONS
 * postcode directory, by area). Crown dependencies (GY, JE, IM) and BFPO are no UK region.
 */
const BY_AREA: Readonly<Record<string, UkRegion>> = {
  ...areas('North East', 'DH DL NE SR TS'),
  ...areas('North West', 'BB BL CA CH CW FY L LA M OL PR SK WA WN'),
  ...areas('Yorkshire and the Humber', 'BD DN HD HG HU HX LS S WF YO'),
  ...areas('East Midlands', 'DE LE LN NG NN'),
  ...areas('West Midlands', 'B CV DY HR ST SY TF WR WS WV'),
  ...areas('East of England', 'AL CB CM CO EN IP LU NR PE SG SS WD'),
  ...areas('London', 'BR CR E EC HA IG N NW RM SE SM SW TW UB W WC'),
  ...areas('South East', 'BN CT DA GU HP KT ME MK OX PO RG RH SL SO TN'),
  ...areas('South West', 'BA BH BS DT EX GL PL SN SP TA TQ TR'),
  ...areas('Wales', 'CF LD LL NP SA'),
  ...areas('Scotland', 'AB DD DG EH FK G HS IV KA KW KY ML PA PH TD ZE'),
  ...areas('Northern Ireland', 'BT'),
};

/**
 * Districts of areas that straddle a regional border, where they lie outside their area's region
 * (`EN2` Enfield is London though most of EN is Hertfordshire).
 */
const BY_DISTRICT: Readonly<Record<string, UkRegion>> = {
  ...districts('London', 'EN', [1, 2, 3, 4, 5]),
  ...districts('East of England', 'IG', [7, 9, 10]),
  ...districts('East of England', 'RM', [14, 15, 16, 17, 18, 19, 20]),
  ...districts('London', 'KT', [1, 2, 3, 4, 5, 6, 9]),
  ...districts('London', 'DA', [5, 6, 7, 8, 14, 15, 16, 17, 18]),
  ...districts('South East', 'TW', [15, 16, 17, 18, 19, 20]),
  ...districts('South East', 'CR', [3, 6]),
  ...districts('South East', 'BR', [8]),
  ...districts('South East', 'SM', [7]),
  ...districts('Wales', 'CH', [5, 6, 7, 8]),
  ...districts('Wales', 'SY', [15, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25]),
  ...districts('East Midlands', 'S', [18, 32, 33, 40, 41, 42, 43, 44, 45, 80, 81]),
  ...districts('East Midlands', 'DN', [21, 22]),
  ...districts('East Midlands', 'PE', [8, 9, 10, 11, 12, 20, 21, 22, 23, 24, 25]),
  ...districts('East of England', 'MK', [40, 41, 42, 43, 44, 45]),
  ...districts('East of England', 'HP', [1, 2, 3, 4, 23]),
  ...districts('Yorkshire and the Humber', 'DL', [6, 7, 8, 9, 10, 11]),
  ...districts('South East', 'SP', [6, 10, 11]),
  ...districts('North East', 'TD', [15]),
};

function areas(region: UkRegion, list: string): Record<string, UkRegion> {
  return Object.fromEntries(list.split(' ').map((area) => [area, region]));
}

function districts(region: UkRegion, area: string, numbers: number[]): Record<string, UkRegion> {
  return Object.fromEntries(numbers.map((n) => [`${area}${n}`, region]));
}

/** Area letters and district number of a full postcode (`SW1W 0BD`, `TS176FB`) or an outward code (`EN2`). */
const POSTCODE = /^([A-Z]{1,2})(\d{1,2})[A-Z]?(?:\d[A-Z]{2})?$/;

/** The UK region of a postcode, or undefined when it is not a UK postcode of a known area. */
export function regionOfPostcode(postcode: string | null | undefined): UkRegion | undefined {
  const match = POSTCODE.exec((postcode ?? '').toUpperCase().replace(/\s+/g, ''));
  if (match === null) return undefined;
  const [, area, district] = match as unknown as [string, string, string];
  return BY_DISTRICT[`${area}${Number(district)}`] ?? BY_AREA[area];
}

/** A full UK postcode (`G21 4LS`, `KY169SS`) or its outward code alone (`G21`). */
const OUTWARD = /^([A-Z]{1,2}\d[A-Z\d]?)(?:\d[A-Z]{2})?$/;

/** The postcode's district (its outward code: `G21 4LS` → `G21`), or undefined when it is no UK postcode. */
export function postcodeDistrict(postcode: string | null | undefined): string | undefined {
  return OUTWARD.exec((postcode ?? '').toUpperCase().replace(/\s+/g, ''))?.[1];
}
