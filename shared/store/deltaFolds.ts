import type { Db } from 'mongodb';
import type { SourceName } from '../sources/sourceName.ts';
import type { DeltaFold, FoldCandidate } from '../windows/planDeltaFold.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import { windowsCollection } from './windows.ts';

/** A fold of finished delta windows, in `syncJobs` (see windows/planDeltaFold.ts). */
export interface DeltaFoldDoc extends DeltaFold {
  _id: string;
  kind: 'deltaFold';
  source: SourceName;
  createdAt: Date;
}

function foldsCollection(db: Db) {
  return db.collection<DeltaFoldDoc>(COLLECTIONS.syncJobs);
}

/** Zero-padded, so the ids sort as the folds were made. */
const foldId = (source: SourceName, seq: number): string => `${source}:delta-fold:${String(seq).padStart(9, '0')}`;

export async function readNewestFold(db: Db, source: SourceName): Promise<DeltaFoldDoc | null> {
  const [newest] = await foldsCollection(db).find({ kind: 'deltaFold', source }).sort({ seq: -1 }).limit(1).toArray();
  return newest ?? null;
}

/** The done delta windows of a source: the only ones a fold takes. */
export async function listDoneDeltas(db: Db, source: SourceName): Promise<FoldCandidate[]> {
  return windowsCollection(db)
    .find({ kind: 'window', source, span: 'delta', state: 'done' }, { projection: { _id: 1, state: 1, span: 1, to: 1, releasesWritten: 1, quarantined: 1 } })
    .toArray();
}

/** Records the fold; false when another run recorded fold `seq` first (its unique id decides). */
export async function recordFold(db: Db, source: SourceName, fold: DeltaFold, now: Date): Promise<boolean> {
  const existing = await insertNew(foldsCollection(db), [{ _id: foldId(source, fold.seq), kind: 'deltaFold' as const, source, ...fold, createdAt: now }]);
  return existing.size === 0;
}

/** Deletes the windows a recorded fold names, and their stored-part records; again is harmless. */
export async function removeFolded(db: Db, fold: Pick<DeltaFold, 'folded'>): Promise<void> {
  if (fold.folded.length === 0) return;
  await windowsCollection(db).deleteMany({ _id: { $in: fold.folded }, kind: 'window', span: 'delta', state: 'done' });
  await db.collection(COLLECTIONS.windowParts).deleteMany({ windowId: { $in: fold.folded } });
}

/** Deletes folds older than `beforeSeq`: the newest carries every total. */
export async function pruneFolds(db: Db, source: SourceName, beforeSeq: number): Promise<void> {
  await foldsCollection(db).deleteMany({ kind: 'deltaFold', source, seq: { $lt: beforeSeq } });
}
