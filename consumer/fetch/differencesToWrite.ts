import type { Db } from 'mongodb';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { sources } from '../../shared/sources/sources.ts';
import { readStoredContracts, recordFindings } from '../../shared/store/reconciliation.ts';
import { recordWindows } from '../../shared/store/windows.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { closerLooks } from '../../shared/windows/lookCloser.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { comparePage } from './comparePage.ts';

/**
 * A reconciliation walk's page, or a page of a whole-month source's re-read (a delta: no findings
 * kept, no closer look): compared with the copy in one MongoDB read (comparePage.ts), its
 * findings kept with the month and slice, and a slice that held notices the walk had not found
 * before looked at closer (shared/windows/lookCloser.ts); returns only what differs, for the write
 * queue. A page the copy already holds costs that read and nothing else. A record (`door`
 * 'record': every release of one procurement) is compared the same way; its findings are kept
 * with the month, and there is no slice to look closer at.
 */
export async function differencesToWrite(db: Db, window: WindowDoc, page: readonly MappedRelease[], now: Date, door: 'list' | 'record' = 'list'): Promise<MappedRelease[]> {
  const { write, findings } = comparePage(page, await readStoredContracts(db, page.map((release) => release.contract._id)));
  // Findings are a walk's: what a whole-month source's hourly re-read (a delta) finds is news, not a loss.
  if (findings.length === 0 || window.span !== 'reconcile') return write;
  if (door === 'record') {
    await recordFindings(db, window, { from: window.from, to: window.to }, findings.map((finding) => ({ ...finding, door })), now);
    return write;
  }
  const slice = { from: window.checkpoint.sliceFrom, to: window.checkpoint.sliceTo };
  const found = await recordFindings(db, window, slice, findings, now);
  // A whole-month source serves nothing finer than a month: there is no closer look to take.
  const looks = sources[window.source].wholeMonths ? [] : closerLooks(window, slice, found.filter((f) => f.kind === 'missing').length);
  // Each a reconcile window of its own, walked like any; planned twice (a page asked again), recorded once.
  if (looks.length > 0) await recordWindows(db, looks, (w) => firstCheckpoint(w, sources[window.source].maxSliceMs), now);
  return write;
}
