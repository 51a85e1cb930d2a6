import { toIsoInstant } from '../ocds/isoInstant.ts';
import type { Release } from '../ocds/releaseSchema.ts';
import { ukLocalReadings } from '../time/ukTime.ts';
import type { NoticeRules } from './noticeRules.ts';

/** Which deadline `deadlineDate` is: bids (`tenderPeriod.endDate`) or requests to participate. */
export type DeadlineKind = 'tender' | 'expressionOfInterest';

export interface MappedDeadline {
  deadlineDate?: string;
  deadlineKind?: DeadlineKind;
}

/**
 * The deadline a supplier must act by: the tender period's end, else the expression-of-interest
 * deadline (FTS competitive flexible procedures give only that one: 24 of 1,628 real releases), and
 * which of the two it is. Empty when the release gives neither. `clock`: the source's (NoticeRules).
 */
export function deadlineOf(release: Release, clock?: NoticeRules['clock']): MappedDeadline {
  const tender = release.tender;
  const bids = deadlineInstant(tender?.tenderPeriod?.endDate, clock);
  if (bids !== undefined) return { deadlineDate: bids, deadlineKind: 'tender' };
  const interest = deadlineInstant(tender?.expressionOfInterestDeadline, clock);
  if (interest !== undefined) return { deadlineDate: interest, deadlineKind: 'expressionOfInterest' };
  return {};
}

const DATE_ONLY = /^\d{4}-\d{2}-\d{2}$/;
/** A time written with `Z` by a source whose `Z` means UK local time: the wall time, seconds kept. */
const WALL_CLOCK_Z = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.\d+)?Z$/;

/**
 * A deadline as an instant. A date without a time (`2026-08-25`: 2015-regulation FTS notices) is the
 * end of that UK day, 23:59:59 UK time as FTS writes its own deadlines, never 00:00 UTC, which
 * would hide the notice from a "closing after today" search all of its last day.
 */
function deadlineInstant(value: unknown, clock: NoticeRules['clock']): string | undefined {
  if (typeof value === 'string' && DATE_ONLY.test(value.trim())) {
    const [end] = ukLocalReadings(`${value.trim()}T23:59:59`);
    return end?.toISOString();
  }
  const wallClock = clock === 'ukWallClock' && typeof value === 'string' ? WALL_CLOCK_Z.exec(value.trim()) : null;
  // In the repeated autumn hour the earlier reading: a supplier is never told a deadline too late.
  if (wallClock !== null) return ukLocalReadings(wallClock[1])[0]?.toISOString() ?? toIsoInstant(value);
  return toIsoInstant(value);
}
