import type { Db } from 'mongodb';
import type { TimeRange } from '../sources/source.ts';
import type { SourceName } from '../sources/sourceName.ts';
import type { RecordedWalk } from '../windows/reconciliation.ts';
import type { Checkpoint, Verification, WindowDoc } from '../windows/window.ts';
import { COLLECTIONS } from './db.ts';
import { insertNew } from './insertNew.ts';
import { walkOf } from '../windows/lookCloser.ts';
import { nothingDoneYet, windowsCollection } from './windows.ts';

/**
 * What a reconciliation walk found on a page that the copy did not hold: a notice not stored at
 * all (`missing`), or stored at an older release than the service now publishes (`newer`, with
 * the fields that differ). One document per finding, kept for good: a loss that repeats shows its
 * shape (which months, which slices, which kinds).
 */
export interface Finding {
  kind: 'missing' | 'newer';
  contractId: string;
  noticeId: string;
  /** The release the service published, and the one stored (none when missing). */
  releaseId: string;
  storedReleaseId: string | null;
  /** For `newer`: the contract's fields that the newer release changes. */
  changedFields: string[];
  /** `record`: found through the source's record endpoint, not a list page (absent: a list page). */
  door?: 'record';
}

export interface FindingDoc extends Finding {
  _id: string;
  source: SourceName;
  windowId: string;
  generation: number;
  /** The month walked, and the slice whose page carried the release (the month, through the record door). */
  window: TimeRange;
  slice: TimeRange;
  foundAt: Date;
}

const findingsCollection = (db: Db) => db.collection<FindingDoc>(COLLECTIONS.reconciliation);

/** Findings of one walk share an `_id` prefix, so a walk's findings are read through the `_id` index. */
const walkPrefix = (windowId: string, generation: number) => `${windowId}|${generation}|`;

/**
 * Keeps a page's findings, once per walk: a page asked again (a crash before its checkpoint) or a
 * closer look that meets a release again records nothing twice. Returns those new to the walk.
 */
export async function recordFindings(db: Db, window: Pick<WindowDoc, '_id' | 'source' | 'generation' | 'from' | 'to' | 'closerOf'>, slice: TimeRange, findings: readonly Finding[], now: Date): Promise<Finding[]> {
  const walk = walkOf(window);
  const id = (finding: Finding) => `${walkPrefix(walk.walkId, walk.generation)}${finding.contractId}|${finding.releaseId}`;
  const known = await insertNew(
    findingsCollection(db),
    findings.map((finding) => ({
      _id: id(finding),
      source: window.source,
      windowId: window._id,
      generation: window.generation,
      window: { from: window.from, to: window.to },
      slice,
      ...finding,
      foundAt: now,
    })),
  );
  return findings.filter((finding) => !known.has(id(finding)));
}

/**
 * What a page's releases are stored as: one read of their contracts, without the raw release
 * (the bulk of a document), by `_id`.
 */
export async function readStoredContracts(db: Db, ids: readonly string[]): Promise<Map<string, Record<string, unknown>>> {
  if (ids.length === 0) return new Map();
  const docs = await db
    .collection<{ _id: string }>(COLLECTIONS.contracts)
    .find({ _id: { $in: [...new Set(ids)] } }, { projection: { rawData: 0, rawDataGz: 0 } })
    .toArray();
  return new Map(docs.map((doc) => [doc._id, doc as Record<string, unknown>]));
}

/**
 * A random sample of the procurements stored with a release dated in `month`, for a walk to ask
 * through the record endpoint: the ocids of `size` of the month's contracts drawn at random (each
 * one read at a random offset of the source_releaseDate index: `$sample` is not in FerretDB, the
 * local server), or of all of them when the month holds no more, distinct.
 */
export async function sampleProcurements(db: Db, source: SourceName, month: TimeRange, size: number, random: () => number = Math.random): Promise<string[]> {
  if (size === 0) return [];
  const contracts = db.collection<{ _id: string; ocid: string }>(COLLECTIONS.contracts);
  const filter = { source, releaseDate: { $gte: month.from, $lt: month.to } };
  const stored = await contracts.countDocuments(filter);
  const inMonth = () => contracts.find(filter, { projection: { ocid: 1 } }).sort({ releaseDate: 1 });
  const drawn =
    size >= stored
      ? await inMonth().toArray()
      : await Promise.all(drawOffsets(stored, size, random).map((offset) => inMonth().skip(offset).limit(1).next()));
  return [...new Set(drawn.flatMap((doc) => (doc?.ocid ? [doc.ocid] : [])))].sort();
}

/** `size` distinct offsets below `count` (size < count), uniformly at random. Pure given `random`. */
export function drawOffsets(count: number, size: number, random: () => number): number[] {
  const offsets = new Set<number>();
  while (offsets.size < size) offsets.add(Math.floor(random() * count));
  return [...offsets];
}

/** The source's reconcile windows, as the planner reads them (one a month of history at most). */
export async function listWalks(db: Db, source: SourceName): Promise<RecordedWalk[]> {
  return windowsCollection(db)
    .find({ kind: 'window', source, span: 'reconcile', closerOf: { $exists: false } }, { projection: { _id: 1, seq: 1, state: 1, from: 1, to: 1, attempts: 1, 'verification.passes': 1, 'verification.verifiedAt': 1 } })
    .toArray();
}

/**
 * Starts a walked month's window again for the next pass, over the month as it is now (the running
 * month grows): a new generation from its first checkpoint, pending, its attempts given back; only
 * if nobody moved it since it was read (seq). Returns whether it was restarted.
 */
export async function restartWalk(db: Db, walk: RecordedWalk, month: TimeRange, checkpoint: Checkpoint, now: Date): Promise<boolean> {
  const result = await windowsCollection(db).updateOne(
    { _id: walk._id, seq: walk.seq, state: walk.state },
    { $set: { ...nothingDoneYet(), from: month.from, to: month.to, checkpoint, state: 'pending', events: [], updatedAt: now }, $inc: { generation: 1 } },
  );
  return result.modifiedCount === 1;
}

/**
 * A walk has closed: its month records when it was verified, how many pages and releases the walk
 * read and what it found. Set once per generation, whoever closes the window.
 */
export async function recordVerification(db: Db, window: Pick<WindowDoc, '_id' | 'generation' | 'checkpoint' | 'verification'>, now: Date): Promise<void> {
  const findings = await findingsCollection(db)
    .find({ _id: { $regex: `^${escapeRegex(walkPrefix(window._id, window.generation))}` } }, { projection: { kind: 1 } })
    .toArray();
  const verification: Verification = {
    passes: (window.verification?.passes ?? 0) + 1,
    generation: window.generation,
    verifiedAt: now,
    pages: window.checkpoint.pages,
    releases: window.checkpoint.releasesFetched,
    missing: findings.filter((f) => f.kind === 'missing').length,
    newer: findings.filter((f) => f.kind === 'newer').length,
  };
  await windowsCollection(db).updateOne({ _id: window._id, generation: window.generation, 'verification.generation': { $ne: window.generation } }, { $set: { verification } });
}

/** The newest finding of a source, for the status page: sorted on the `foundAt` of a small collection. */
export async function lastFinding(db: Db, source: SourceName): Promise<Pick<FindingDoc, 'kind' | 'noticeId' | 'foundAt'> | null> {
  const [last] = await findingsCollection(db).find({ source }, { projection: { kind: 1, noticeId: 1, foundAt: 1 } }).sort({ foundAt: -1 }).limit(1).toArray();
  return last ?? null;
}

function escapeRegex(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
