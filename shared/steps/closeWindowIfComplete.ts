import type { Db } from 'mongodb';
import { countQuarantined } from '../store/quarantine.ts';
import { recordVerification } from '../store/reconciliation.ts';
import { closeWindow, readWrittenParts } from '../store/windows.ts';
import { isWindowComplete } from '../windows/isWindowComplete.ts';
import type { WindowDoc } from '../windows/window.ts';

/**
 * Closes a window if every part of every page it fetched is stored. Whoever moves last calls it:
 * the fetch consumer finishing the chain, the write consumer storing the last part, or the
 * producer's sweep (a crash between storing the last part and closing). True if it closed.
 */
export async function closeWindowIfComplete(db: Db, window: WindowDoc, now: Date): Promise<boolean> {
  if (window.state !== 'fetched') return false;
  const parts = await readWrittenParts(db, window);
  if (!isWindowComplete(window, new Set(parts.map((p) => p.key)))) return false;
  const releasesWritten = parts.reduce((sum, p) => sum + p.releases, 0);
  await closeWindow(db, window, { releasesWritten, quarantined: await countQuarantined(db, window._id) }, now);
  // A reconciliation walk's month is verified (and the walk's findings counted) once it is stored.
  if (window.span === 'reconcile' && !window.closerOf) await recordVerification(db, window, now);
  return true;
}
