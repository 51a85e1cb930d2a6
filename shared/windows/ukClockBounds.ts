import type { TimeRange } from '../sources/source.ts';
import { ukLocalDateTime, ukLocalIsAmbiguous, ukLocalReadings } from '../time/ukTime.ts';

/**
 * Slice bounds reach the services as UK local time to the second, FTS's without a zone. Twice a
 * year that is not a plain clock: in autumn 01:00-02:00 happens twice, so a bound there may be read
 * as either instant (and `updatedFrom` and `updatedTo` need not be read alike); in spring
 * 01:00-02:00 is skipped, so the wall clock runs an hour ahead of elapsed time. FTS loses releases
 * when one request covers more than 6 hours, so a slice is judged by the longest the service could
 * take it to be, and no bound is put where it could be read two ways.
 */

const HOUR = 3_600_000;

/**
 * The longest a service could take [from, to) to be, as sent (whole seconds): the elapsed time
 * with whichever instant each bound may name, or the difference of the two wall-clock times.
 */
export function longestReadingMs(slice: TimeRange): number {
  const from = ukLocalDateTime(slice.from);
  const to = ukLocalDateTime(slice.to);
  const elapsed = Math.max(...ukLocalReadings(to).map(Number)) - Math.min(...ukLocalReadings(from).map(Number));
  const onWallClock = Date.parse(`${to}Z`) - Date.parse(`${from}Z`);
  return Math.max(elapsed, onWallClock);
}

/** The instant, or whole hours before it, out of the repeated hour (at most two steps back). */
export function unambiguousAtOrBefore(instant: Date): Date {
  let ms = instant.getTime();
  while (ukLocalIsAmbiguous(new Date(ms))) ms -= HOUR;
  return new Date(ms);
}

/** The instant, or whole hours after it, out of the repeated hour (at most two steps on). */
export function unambiguousAtOrAfter(instant: Date): Date {
  let ms = instant.getTime();
  while (ukLocalIsAmbiguous(new Date(ms))) ms += HOUR;
  return new Date(ms);
}

/**
 * Where to halve a slice: its middle, or, when that is in the repeated hour, the hour before it
 * (first, BST, hour) or after it (second, GMT, hour), whichever is out of it and inside the slice.
 * A slice whose own bounds name one instant always has one; otherwise the middle is kept.
 */
export function splitPoint(slice: TimeRange): Date {
  const middle = slice.from.getTime() + Math.floor((slice.to.getTime() - slice.from.getTime()) / 2);
  const candidates = [middle, middle - HOUR, middle + HOUR].map((ms) => new Date(ms));
  return candidates.find((at) => at > slice.from && at < slice.to && !ukLocalIsAmbiguous(at)) ?? candidates[0];
}
