import { toIsoInstant } from '../ocds/isoInstant.ts';
import type { Release } from '../ocds/releaseSchema.ts';
import { ukLocalReadings } from '../time/ukTime.ts';

/** Which deadline `deadlineDate` is: bids (`tenderPeriod.endDate`) or requests to participate. */
export type DeadlineKind = 'tender' | 'expressionOfInterest';

export interface MappedDeadline {
  deadlineDate?: string;
  deadlineKind?: DeadlineKind;
}

/**
 * The deadline a supplier must act by: the tender period's end, else the expression-of-interest
 * deadline (FTS competitive flexible procedures give only that one: 24 of 1,628 real releases), and
 * which of the two it is. Empty when the release gives neither.
 */
export function deadlineOf(release: Release): MappedDeadline {
  const tender = release.tender;
  const bids = deadlineInstant(tender?.tenderPeriod?.endDate);
  if (bids !== undefined) return { deadlineDate: bids, deadlineKind: 'tender' };
  const interest = deadlineInstant(tender?.expressionOfInterestDeadline);
  if (interest !== undefined) return { deadlineDate: interest, deadlineKind: 'expressionOfInterest' };
  return {};
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;

/**
 * A deadline as an instant. A date without a time (`2026-08-25`: 2015-regulation FTS notices) is the
 * end of that UK day, 23:59:59 UK time as FTS writes its own deadlines, never 00:00 UTC, which
 * would hide the notice from a "closing after today" search all of its last day.
 */
function deadlineInstant(value: unknown): string | undefined {
  if (typeof value === 'string' && DATE_ONLY.test(value.trim())) {
    const [end] = ukLocalReadings(`${value.trim()}T23:59:59`);
    return end?.toISOString();
  }
  return toIsoInstant(value);
}
