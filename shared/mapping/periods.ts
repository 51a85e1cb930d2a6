import { toIsoInstant } from '../ocds/isoInstant.ts';
import type { Period, Release } from '../ocds/releaseSchema.ts';
import { compact } from './compact.ts';

/** A period's dates as ISO-8601 instants; `maxExtentDate` is the end with every extension taken. */
export interface MappedPeriod {
  startDate?: string;
  endDate?: string;
  maxExtentDate?: string;
}

/** The period's parseable dates, or undefined when it has none. */
export function mapPeriod(period: Period | null | undefined): MappedPeriod | undefined {
  const mapped = compact({
    startDate: toIsoInstant(period?.startDate),
    endDate: toIsoInstant(period?.endDate),
    maxExtentDate: toIsoInstant(period?.maxExtentDate),
  });
  return Object.keys(mapped).length === 0 ? undefined : mapped;
}

/**
 * `contractPeriod`: the tender's (CF), else the first lot's (FTS tender notices), else the first
 * award's (FTS award notices), else the first signed contract's `period`.
 */
export function contractPeriodOf(release: Release): MappedPeriod | undefined {
  const candidates = [
    release.tender?.contractPeriod,
    ...(release.tender?.lots ?? []).map((lot) => lot.contractPeriod),
    ...(release.awards ?? []).map((award) => award.contractPeriod),
    ...(release.contracts ?? []).map((contract) => contract.period),
  ];
  return candidates.map(mapPeriod).find((period) => period !== undefined);
}

/** `enquiryPeriod`: when suppliers may ask questions (`tender.enquiryPeriod`). */
export function enquiryPeriodOf(release: Release): MappedPeriod | undefined {
  return mapPeriod(release.tender?.enquiryPeriod);
}
