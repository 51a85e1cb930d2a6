import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import type { TickMessage } from '../../shared/queue/messages.ts';
import { enabledSources } from '../../shared/enabledSources.ts';
import { enqueueDueWindows } from '../../shared/steps/enqueueDueWindows.ts';
import { planDelta } from '../../shared/steps/planDelta.ts';
import { tickNow } from '../../shared/windows/deltaTicks.ts';

/**
 * A delta tick between two hourly crons (shared/windows/deltaTicks.ts): plans each source's next
 * delta window as of the tick's time and enqueues it ahead of the backfill. Cheap on purpose: one
 * read of the source's cursor, an insert, and the open windows; no summary, no sweep (the cron does
 * those). At-least-once is safe: a duplicate or late tick plans nothing twice (planDelta).
 */
export async function runDeltaTick(env: Env, config: Config, db: Db, tick: TickMessage): Promise<Record<string, string | null>> {
  const now = tickNow(new Date(tick.at), new Date());
  const planned: Record<string, string | null> = {};
  // A whole-month source has no delta between crons: reading its month every five minutes would
  // cost its whole budget (producer/rereadMonths.ts reads it hourly).
  for (const source of enabledSources(config).filter((s) => !s.wholeMonths)) {
    planned[source.name] = await planDelta(db, source, now);
    await enqueueDueWindows(env, config, db, source.name, now);
  }
  return planned;
}
