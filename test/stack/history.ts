/**
 * The first day of a history `days` long, ending today (UTC), as the pipeline's start dates take it.
 * A fixed length, not "from the first of a month": a run's data size does not change with the day of
 * the month it runs on.
 */
export function daysAgo(days: number, now = new Date()): string {
  return new Date(now.getTime() - days * 86_400_000).toISOString().slice(0, 10);
}
