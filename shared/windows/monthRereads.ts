import type { PlannedWindow } from './planWindows.ts';
import { startOfMonth } from './planWindows.ts';

/**
 * A source with no filter on the update date (Public Contracts Scotland) sees a new or changed
 * notice only by reading its month again. Each hourly cron plans, as delta windows, the current
 * month up to now and, in the month's first `PREVIOUS_MONTH_DAYS` days, the whole previous month
 * (notices published late in a month, and their first corrections). Ids name the cron hour, so two
 * producers in one hour plan each once. Pure.
 */
export function planMonthRereads<Name extends string>(source: Name, now: Date): PlannedWindow<Name>[] {
  const hour = new Date(Math.floor(now.getTime() / HOUR) * HOUR).toISOString().slice(0, 13);
  const month = startOfMonth(now);
  const reread = (from: Date, to: Date): PlannedWindow<Name> => ({ _id: `${source}:delta:${hour}:${from.toISOString().slice(0, 7)}`, source, span: 'delta', from, to });
  const windows = [reread(month, now)];
  if (now.getTime() - month.getTime() < PREVIOUS_MONTH_DAYS * DAY) windows.unshift(reread(startOfMonth(new Date(month.getTime() - 1)), month));
  return windows;
}

/** The previous month is read again through the first week of the next. */
export const PREVIOUS_MONTH_DAYS = 7;
const HOUR = 3_600_000;
const DAY = 24 * HOUR;
