import type { WindowPick } from './pickWindowsToFetch.ts';

/**
 * A window whose message is on the fetch queue with no consumer holding it: claimed and not yet
 * taken, or handed on (or left by a crashed chain) with its lease let go. A fetch batch that sees
 * one of its source waiting hands on early, so the next batch starts it instead of the source idling.
 */
export function waitsOnQueue(window: Pick<WindowPick, 'state' | 'lease'>, now: Date): boolean {
  if (window.state === 'queued') return true;
  return window.state === 'fetching' && (!window.lease || window.lease.until < now);
}
