import type { Db } from 'mongodb';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { readStoredContracts, recordFindings } from '../../shared/store/reconciliation.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { comparePage } from './comparePage.ts';

/**
 * A reconciliation walk's page: compared with the copy in one MongoDB read (comparePage.ts), its
 * findings kept with the month and slice; returns only what differs, for the write queue. A page
 * the copy already holds costs that read and nothing else.
 */
export async function differencesToWrite(db: Db, window: WindowDoc, page: readonly MappedRelease[], now: Date): Promise<MappedRelease[]> {
  const { write, findings } = comparePage(page, await readStoredContracts(db, page.map((release) => release.contract._id)));
  if (findings.length > 0) await recordFindings(db, window, findings, now);
  return write;
}
