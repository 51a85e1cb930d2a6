/**
 * Sliding-window rate limit: at most `requests` accepted in any window (now − periodMs, now].
 * Refused requests are not recorded, so hammering does not push the reopening further away.
 */

export interface RateLimit {
  requests: number;
  periodMs: number;
}

export interface Limiter {
  /** Null when accepted (and recorded); otherwise whole seconds until a slot frees. */
  refuse(now: number): number | null;
}

export function slidingWindowLimiter(limit: RateLimit): Limiter {
  const accepted: number[] = [];
  return {
    refuse(now) {
      while (accepted.length > 0 && accepted[0] <= now - limit.periodMs) accepted.shift();
      if (accepted.length >= limit.requests) return Math.max(1, Math.ceil((accepted[0] + limit.periodMs - now) / 1000));
      accepted.push(now);
      return null;
    },
  };
}

/** The most of `times` (ascending) that fall in any one window (t − periodMs, t]. */
export function maxInAnyPeriod(times: number[], periodMs: number): number {
  let max = 0;
  let first = 0;
  for (let last = 0; last < times.length; last++) {
    while (times[first] <= times[last] - periodMs) first++;
    max = Math.max(max, last - first + 1);
  }
  return max;
}
