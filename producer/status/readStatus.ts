import type { Db } from 'mongodb';
import { emptyBook, type SlotBook } from '../../shared/rateGate/slotBook.ts';
import { SOURCE_NAMES, type SourceName } from '../../shared/sources/sourceName.ts';
import { countMergesDone } from '../../shared/store/buyerMerges.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { readSourceStatus, type SourceStatusDoc } from '../../shared/store/sourceStatus.ts';
import { windowsCollection } from '../../shared/store/windows.ts';
import type { WindowState } from '../../shared/windows/window.ts';
import { heatmapYears, type HeatmapYear } from './heatmap.ts';
import { reconcileFigures } from './reconcileFigures.ts';
import { lastFinding } from '../../shared/store/reconciliation.ts';
import { reconcileTargets } from '../../shared/windows/reconciliation.ts';
import { readFeedStatus, type FeedStatus } from './readFeedStatus.ts';
import { sourceFigures, type SourceFacts, type SourceFigures } from './sourceFigures.ts';

/** What GET /status answers and GET / draws. */
export interface StatusReport {
  generatedAt: Date;
  /** Per source: its syncJobs summary as the producer last saved it (absent before the first run), the figures and the heatmap. */
  sources: (Partial<Omit<SourceStatusDoc, '_id' | 'kind'>> & { source: SourceName; figures: SourceFigures; heatmap: HeatmapYear[]; switchedOff: boolean })[];
  counts: { contracts: number; buyers: number; quarantined: number; deadLetters: number };
  quarantine: { count: number; topReasons: ReasonCount[] };
  deadLetters: { count: number; topReasons: ReasonCount[] };
  /** The change feed's newest cursor, and each webhook subscription's lag and failures. */
  feed: FeedStatus;
}

export interface ReasonCount {
  reason: string;
  count: number;
}

const OPEN_STATES: WindowState[] = ['pending', 'queued', 'fetching', 'fetched', 'failed'];
/** Dead letters not (yet) replayed: waiting, being replayed, or parked for good. */
const KEPT_LETTERS = ['dead', 'claimed', 'parked'];
const TOP_REASONS = 5;
const RATE_WINDOW_MS = 3_600_000;

/**
 * Reads the status with bounded queries only: counts and groups with filters on indexed fields,
 * the month windows of each source (one a month since its start date: ~120 for CF's history),
 * never every delta window or every contract. `gates`: each source's RateGate book, read by the
 * caller before it opened the MongoDB client (see producer/http/getStatus.ts).
 */
export async function readStatus(db: Db, gates: ReadonlyMap<SourceName, SlotBook>, now: Date, reconcileOff = false, switchedOff: readonly SourceName[] = []): Promise<StatusReport> {
  const [sources, contracts, buyerDocs, mergedAway, quarantine, deadLetters, feed] = await Promise.all([
    Promise.all(SOURCE_NAMES.map(async (source) => ({ ...(await readSource(db, source, gates.get(source) ?? emptyBook, now, reconcileOff)), switchedOff: switchedOff.includes(source) }))),
    db.collection(COLLECTIONS.contracts).estimatedDocumentCount(),
    db.collection(COLLECTIONS.buyers).estimatedDocumentCount(),
    countMergesDone(db),
    reasonsOf(db, COLLECTIONS.quarantine, {}, '$reason'),
    reasonsOf(db, COLLECTIONS.deadLetters, { state: { $in: KEPT_LETTERS } }, '$error'),
    readFeedStatus(db),
  ]);
  return {
    generatedAt: now,
    sources,
    // A merged-away entry stays as a tombstone for readers holding its id: not a buyer of its own.
    counts: { contracts, buyers: Math.max(0, buyerDocs - mergedAway), quarantined: quarantine.count, deadLetters: deadLetters.count },
    quarantine,
    deadLetters,
    feed,
  };
}

async function readSource(db: Db, source: SourceName, gate: SlotBook, now: Date, reconcileOff: boolean): Promise<Omit<StatusReport['sources'][number], 'switchedOff'>> {
  const windows = windowsCollection(db);
  const [summary, months, openDeltas, contracts, releasesLastHour, newest, walks, found] = await Promise.all([
    readSourceStatus(db, source),
    windows.find({ kind: 'window', source, span: 'month' }, { projection: { from: 1, state: 1, releasesWritten: 1 } }).toArray(),
    windows.countDocuments({ kind: 'window', source, state: { $in: OPEN_STATES }, span: 'delta' }),
    db.collection(COLLECTIONS.contracts).countDocuments({ source }),
    sumOf(db, COLLECTIONS.windowParts, { storedAt: { $gte: new Date(now.getTime() - RATE_WINDOW_MS) }, windowId: { $regex: `^${source}:` } }, '$releases'),
    db.collection<{ releaseDate: Date }>(COLLECTIONS.contracts).find({ source }, { projection: { releaseDate: 1 } }).sort({ releaseDate: -1 }).limit(1).toArray(),
    // One reconcile window a month of history, like the month windows.
    windows.find({ kind: 'window', source, span: 'reconcile', closerOf: { $exists: false } }, { projection: { from: 1, to: 1, state: 1, verification: 1 } }).toArray(),
    lastFinding(db, source),
  ]);
  const monthsByState: Partial<Record<WindowState, number>> = {};
  for (const w of months) monthsByState[w.state] = (monthsByState[w.state] ?? 0) + 1;
  const facts: SourceFacts = {
    source,
    monthsByState,
    releasesInDoneMonths: months.filter((w) => w.state === 'done').reduce((sum, w) => sum + (w.releasesWritten ?? 0), 0),
    openDeltas,
    contracts,
    releasesLastHour,
    newestRelease: newest[0]?.releaseDate ?? null,
    lastError: summary?.errorLog.at(-1) ?? null,
    gate,
    reconciliation: reconcileFigures(
      walks,
      summary ? reconcileTargets(source, summary.backfillStartDate, summary.cursor).length : 0,
      found && { at: found.foundAt, kind: found.kind, noticeId: found.noticeId },
      reconcileOff,
    ),
  };
  const { _id, kind, ...saved } = summary ?? {};
  return { ...saved, source, figures: sourceFigures(facts, now), heatmap: heatmapYears(months) };
}

/** A collection's documents matching `filter`: how many, and the most frequent values of `field`. */
async function reasonsOf(db: Db, collection: string, filter: object, field: string): Promise<{ count: number; topReasons: ReasonCount[] }> {
  const [count, groups] = await Promise.all([
    db.collection(collection).countDocuments(filter),
    // One accumulator per $group: FerretDB zeroes a second one (scripts/local/ferretdb/FERRETDB.md).
    db.collection(collection).aggregate<{ _id: string; n: number }>([{ $match: filter }, { $group: { _id: field, n: { $sum: 1 } } }, { $sort: { n: -1, _id: 1 } }, { $limit: TOP_REASONS }]).toArray(),
  ]);
  return { count, topReasons: groups.map((g) => ({ reason: String(g._id), count: g.n })) };
}

async function sumOf(db: Db, collection: string, filter: object, field: string): Promise<number> {
  const [total] = await db.collection(collection).aggregate<{ n: number }>([{ $match: filter }, { $group: { _id: null, n: { $sum: field } } }]).toArray();
  return total?.n ?? 0;
}
