/**
 * Ten-minute freshness without a cron every five minutes: each hourly cron run plans a delta itself
 * (tick +0) and puts the hour's other ticks on the fetch queue at once, delayed (+5 … +55 min). A
 * tick plans the next delta window and enqueues it. Nothing re-enqueues itself, so a duplicated or
 * lost tick cannot multiply or end the schedule: the next cron sends a fresh hour of ticks, and a
 * duplicate or late tick plans nothing twice (planDeltaWindow's minimum and its id, the cursor).
 */
/**
 * The least new time a delta window must cover, under the closest tick spacing (5 minutes,
 * DELTA_TICK_MINUTES): ticks on time always plan, a duplicate delivered right after its twin plans nothing.
 */
export const DELTA_MIN_NEW_MS = 4 * 60_000;

export interface Tick {
  /** When the tick is due: the instant it plans for (a late tick plans no further than this). */
  at: Date;
  delaySeconds: number;
}

/** The ticks a cron run at `now` sends: one every `everyMinutes` through the hour, the run itself being the first; none for 0. */
export function ticksAfterCron(now: Date, everyMinutes: number): Tick[] {
  const ticks: Tick[] = [];
  if (everyMinutes <= 0) return ticks;
  for (let offset = everyMinutes * 60_000; offset < 3_600_000; offset += everyMinutes * 60_000) {
    ticks.push({ at: new Date(now.getTime() + offset), delaySeconds: offset / 1000 });
  }
  return ticks;
}

/**
 * The instant a tick plans for: its due time, or the clock if that is earlier (a queue that
 * delivered early must not plan a window ending in the future, whose cursor would skip what is
 * published before that future comes).
 */
export function tickNow(at: Date, clock: Date): Date {
  return at < clock ? at : clock;
}
