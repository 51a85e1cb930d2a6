import type { WindowPick } from './pickWindowsToFetch.ts';

/**
 * Where a window the producer starts begins. A failed window resumes from its checkpoint: its chain
 * died (a dead letter, an upstream outage before this was handled, a bug) but every page before the
 * checkpoint has its parts sent, so none is asked again. Two cases start a new generation at the
 * first slice instead: a window with holes (an unreadable page is reached only from its slice's
 * start, and the checkpoint has moved past it), and a fetched window whose write messages were lost
 * (only asking its pages again writes them). A pending window is at its first slice already. Pure.
 */
export function startPoint(window: Pick<WindowPick, 'state' | 'checkpoint'>): 'checkpoint' | 'first slice' {
  if (window.state === 'fetched' || window.checkpoint.holes.length > 0) return 'first slice';
  return 'checkpoint';
}
