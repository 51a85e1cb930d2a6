/**
 * The bench's reconciliation run: on the stack the pipeline run has just backfilled, the Worker is
 * started again with RECONCILE on (its pace raised with the bench's compressed time) and left to
 * walk the whole history `passes` times, while a new notice of each source is published every
 * `publishEveryMs` and its lag from publication to stored is measured. What a pass costs comes
 * from the walks' own windows (`syncJobs`: pages in each month's `verification`, fetch messages as
 * seq moves, closer looks included), their stored write parts (`windowParts`), the simulator's log
 * (record-door requests) and the source gates' own counts (gateReadings.ts).
 *
 * One cron starts it; from then on nothing but the Worker's own delta ticks and consumers: a walk
 * that found nothing closes at its last page and its fetch consumer plans the next month at once,
 * so the bench fires no more crons (a cron every few seconds, as the e2e test fires them, piles
 * closes and merges onto a loaded FerretDB until its `contracts` table stops answering).
 */
import { BENCHED, type BenchedSource } from './benchedSources.ts';
import { randomUUID } from 'node:crypto';
import type { Db } from 'mongodb';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReconcileFigures } from '../../producer/status/reconcileFigures.ts';
import type { UsageBetween } from '../../shared/rateGate/gateUsage.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { republished } from '../../test/simulator/republish.ts';
import type { RequestLogEntry } from '../../test/simulator/server.ts';
import type { LocalStack } from '../local/localStack.ts';
import { statusHeaders } from '../local/workerHeaders.ts';
import { readGatesThroughout, servedBetween, type GateMark } from './gateReadings.ts';

export interface ReconcileRunOptions {
  /** RECONCILE for the run: the walks' requests a minute per source. */
  perMinute: number;
  /** Full passes over the history to measure (the second and later over unchanged data). */
  passes: number;
  publishEveryMs: number;
  /** Give up on a pass after this long. */
  passTimeoutMs: number;
}

export interface WalkPass {
  source: BenchedSource;
  pass: number;
  months: number;
  /** Pages the pass's walks read (month walks and their closer looks), list and record door apart. */
  listPages: number;
  recordPages: number;
  closerLooks: number;
  /** Fetch messages the walks sent (a walk's chain: one per invocation), and write messages stored. */
  fetchSends: number;
  writeSends: number;
  /** The source gate's calls over the pass (its deltas' few included), by its own count. */
  gate: UsageBetween;
  findings: { missing: number; newer: number };
  startedAt: number;
  endedAt: number;
}

/**
 * The sources a notice is published to while the walks run: those read between crons by delta
 * ticks. Public Contracts Scotland has no delta: its new notices are read by the next hourly cron's
 * month re-reads (producer/rereadMonths.ts), which the bench does not fire.
 */
const PUBLISHED = ['FIND_A_TENDER', 'CONTRACTS_FINDER'] as const;
export type PublishedSource = (typeof PUBLISHED)[number];

export interface Publication {
  source: PublishedSource;
  releaseId: string;
  publishedAt: number;
  /** When the delta window that carried it was planned (the latest of its source planned before it was served); null if folded away first. */
  plannedAt: number | null;
  /** The first whole answer that held it. */
  servedAt: number | null;
  storedAt: number | null;
}

export interface ReconcileRun {
  options: ReconcileRunOptions;
  passes: WalkPass[];
  publications: Publication[];
  /** Per source: the list page's path (others are the record door's). */
  listPaths: Partial<Record<BenchedSource, string>>;
}

/** Seconds apart: GET /status counts every source's contracts, a full scan on FerretDB. */
const POLL_MS = 5_000;
/** A publication not stored this long after the run's passes ended counts as not stored. */
export const TAIL_WAIT_MS = 11 * 60_000;

type WalkDoc = Pick<WindowDoc, '_id' | 'source' | 'seq' | 'generation' | 'closerOf' | 'verification'> & { checkpoint: { pages: number } };

export async function runReconciliation(stack: LocalStack, options: ReconcileRunOptions, log: (line: string) => void): Promise<ReconcileRun> {
  const db = stack.db;
  const listPaths = listPathsOf(stack.simulator!.requests);
  // PCS walks at the others' pace here (its own is a tenth of theirs): the bench measures what a
  // walked page costs, and a pass of PCS at its pace would outlast the run (projection.ts bills it at its own).
  await stack.restartWorker({ RECONCILE: String(options.perMinute), PCS_RECONCILE_PER_HOUR: String(options.perMinute * 60) });
  const gates = await readGatesThroughout(stack.worker.url);
  const tally = new WalkTally();
  const publications: Publication[] = [];
  const passes: WalkPass[] = [];
  const passStart = Object.fromEntries(BENCHED.map((s) => [s, { at: Date.now(), gate: gates.mark() }])) as Record<BenchedSource, { at: number; gate: GateMark }>;
  await stack.worker.runCron();
  let nextPublish = Date.now();
  let deadline = Date.now() + options.passTimeoutMs;
  let lastLog = 0;
  try {
    for (;;) {
      if (Date.now() >= nextPublish) {
        publications.push(...publish(stack, publications.length));
        nextPublish += options.publishEveryMs;
      }
      await notePublications(db, stack.simulator!.requests, publications);
      const walks = await readWalks(db);
      tally.observe(walks);
      // A status answer that failed (FerretDB timing out under load) is asked again at the next poll;
      // one is waited for up to 3 minutes, so slow ones never pile up on the server.
      const figures = await reconcileFiguresOf(stack.worker.url).catch((error: unknown) => {
        log(`  GET /status: ${String(error)}; asked again`);
        return null;
      });
      if (!figures) {
        if (Date.now() > deadline) throw new Error(`reconciliation: no pass ended within ${options.passTimeoutMs / 1000} s, GET /status failing`);
        await sleep(POLL_MS);
        continue;
      }
      for (const source of BENCHED) {
        const done = passes.filter((p) => p.source === source).length;
        if (done >= options.passes || figures[source].months === 0 || figures[source].pass <= done + 1) continue;
        // Every month walked once more: the pass has ended at its last month's close (read again:
        // the status may have seen a close this poll's read of the walks had not).
        const fresh = await readWalks(db);
        tally.observe(fresh);
        const endedAt = figures[source].lastFullPassAt ? new Date(figures[source].lastFullPassAt!).getTime() : Date.now();
        const gate = gates.mark();
        const pass = await passFigures(db, stack.simulator!.requests, source, done + 1, fresh, tally, listPaths[source], figures[source].months, { startedAt: passStart[source].at, endedAt });
        passes.push({ ...pass, gate: servedBetween(passStart[source].gate, gate, source) });
        passStart[source] = { at: endedAt, gate };
        deadline = Date.now() + options.passTimeoutMs;
        log(`  ${source} pass ${done + 1}: ${pass.listPages} list + ${pass.recordPages} record pages in ${((endedAt - pass.startedAt) / 1000).toFixed(0)} s, ${pass.fetchSends} fetch and ${pass.writeSends} write messages`);
      }
      if (passes.length >= options.passes * BENCHED.length) break;
      if (Date.now() > deadline) throw new Error(`reconciliation: a pass took more than ${options.passTimeoutMs / 1000} s: ${JSON.stringify(figures)}`);
      if (Date.now() - lastLog > 15_000) {
        lastLog = Date.now();
        log(`  ${BENCHED.map((s) => `${s} pass ${figures[s].pass}, ${figures[s].verifiedInPass}/${figures[s].months} months`).join('; ')}; ${publications.filter((p) => p.storedAt).length}/${publications.length} published stored`);
      }
      await sleep(POLL_MS);
    }
    // The last notices published: wait for them (the deltas' freshness, not the walks', is measured).
    const tailEnd = Date.now() + TAIL_WAIT_MS;
    while (publications.some((p) => p.storedAt === null) && Date.now() < tailEnd) {
      await notePublications(db, stack.simulator!.requests, publications);
      await sleep(POLL_MS);
    }
    return { options, passes, publications, listPaths };
  } finally {
    await gates.stop();
  }
}

/** One new notice per source, published now: `n` keeps the ids apart. */
function publish(stack: LocalStack, n: number): Publication[] {
  const now = new Date();
  const year = now.getUTCFullYear();
  const ids: Record<PublishedSource, string> = { FIND_A_TENDER: `97${String(n).padStart(4, '0')}-${year}`, CONTRACTS_FINDER: `${randomUUID()}-900001` };
  return PUBLISHED.map((source) => {
    // A procurement of its own: one of a stored procurement could be found first by a walk's record door.
    stack.simulator!.publish(source, [republished(stack.dataset![source][0], now, { id: ids[source], ocid: `ocds-bench-${source}-${n}` })]);
    return { source, releaseId: ids[source], publishedAt: now.getTime(), plannedAt: null, servedAt: null, storedAt: null };
  });
}

/** Fills in when each publication was served, planned and stored, as far as it has got. */
async function notePublications(db: Db, log: readonly RequestLogEntry[], publications: Publication[]): Promise<void> {
  const waiting = publications.filter((p) => p.storedAt === null);
  if (waiting.length === 0) return;
  const stored = await db
    .collection(COLLECTIONS.contracts)
    .find({ releaseId: { $in: waiting.map((p) => p.releaseId) } }, { projection: { releaseId: 1, createdAt: 1 } })
    .toArray();
  for (const doc of stored) {
    const p = waiting.find((w) => w.releaseId === doc.releaseId)!;
    p.storedAt = (doc.createdAt as Date).getTime();
    p.servedAt = log.find((r) => r.status === 200 && r.at >= p.publishedAt && r.releaseIds.includes(p.releaseId))?.at ?? null;
    if (p.servedAt === null) continue;
    const [delta] = await db
      .collection<WindowDoc>(COLLECTIONS.syncJobs)
      .find({ kind: 'window', span: 'delta', source: p.source, createdAt: { $lte: new Date(p.servedAt) } }, { projection: { createdAt: 1 } })
      .sort({ createdAt: -1 })
      .limit(1)
      .toArray();
    p.plannedAt = delta ? delta.createdAt.getTime() : null;
  }
}

async function readWalks(db: Db): Promise<WalkDoc[]> {
  return db
    .collection<WindowDoc>(COLLECTIONS.syncJobs)
    .find({ kind: 'window', span: 'reconcile' }, { projection: { source: 1, seq: 1, generation: 1, closerOf: 1, verification: 1, 'checkpoint.pages': 1 } })
    .toArray() as Promise<WalkDoc[]>;
}

/** The pass a walk's generation belongs to: a month's generation g is pass g + 1; a closer look belongs to its walk's. */
function passOf(walk: Pick<WalkDoc, 'generation' | 'closerOf'>): number {
  return (walk.closerOf ? walk.closerOf.generation : walk.generation) + 1;
}

/**
 * What the walks did, per source and pass, from their windows read every poll. Fetch messages:
 * every seq a walk's window moves on is one (a claim, a hand-on), counted to the pass of the
 * generation it moved in. Each month's verification is kept as it is first seen, since the next
 * pass's walk of that month overwrites it (a month comes round again only after every other month
 * and a cron per month: far longer than a poll).
 */
class WalkTally {
  private seen = new Map<string, number>();
  private sent = new Map<string, number>();
  private verified = new Map<string, { source: BenchedSource; pass: number; pages: number; missing: number; newer: number }>();
  observe(walks: readonly WalkDoc[]): void {
    for (const w of walks) {
      const moved = w.seq - (this.seen.get(w._id) ?? 0);
      if (moved > 0) this.sent.set(`${w.source}#${passOf(w)}`, this.fetchSends(w.source, passOf(w)) + moved);
      this.seen.set(w._id, w.seq);
      const v = w.verification;
      if (v && !w.closerOf) this.verified.set(`${w._id}#${v.passes}`, { source: w.source, pass: v.passes, pages: v.pages, missing: v.missing, newer: v.newer });
    }
  }
  fetchSends(source: BenchedSource, pass: number): number {
    return this.sent.get(`${source}#${pass}`) ?? 0;
  }
  /** The month walks of a source's pass, as verified. */
  monthsVerified(source: BenchedSource, pass: number): { windowId: string; pages: number; missing: number; newer: number }[] {
    return [...this.verified.entries()].filter(([, v]) => v.source === source && v.pass === pass).map(([key, v]) => ({ windowId: key.slice(0, key.lastIndexOf('#')), ...v }));
  }
}

async function passFigures(
  db: Db,
  requests: readonly RequestLogEntry[],
  source: BenchedSource,
  pass: number,
  walks: readonly WalkDoc[],
  tally: WalkTally,
  listPath: string | undefined,
  months: number,
  span: { startedAt: number; endedAt: number },
): Promise<Omit<WalkPass, 'gate'>> {
  const monthWalks = tally.monthsVerified(source, pass);
  const closer = walks.filter((w) => w.source === source && w.closerOf && passOf(w) === pass);
  const pages = monthWalks.reduce((n, w) => n + w.pages, 0) + closer.reduce((n, w) => n + w.checkpoint.pages, 0);
  const recordPages = requests.filter((r) => r.source === source && r.at >= span.startedAt && r.at <= span.endedAt && r.status === 200 && listPath !== undefined && r.path !== listPath).length;
  const parts = [...monthWalks.map((w) => ({ windowId: w.windowId, generation: pass - 1 })), ...closer.map((w) => ({ windowId: w._id, generation: w.generation }))];
  const writeSends = parts.length === 0 ? 0 : await db.collection(COLLECTIONS.windowParts).countDocuments({ $or: parts });
  return {
    source,
    pass,
    months,
    listPages: pages - recordPages,
    recordPages,
    closerLooks: closer.length,
    fetchSends: tally.fetchSends(source, pass),
    writeSends,
    findings: { missing: monthWalks.reduce((n, w) => n + w.missing, 0), newer: monthWalks.reduce((n, w) => n + w.newer, 0) },
    ...span,
  };
}

/** The path most of a source's backfill asked: its list (any other path is the record door). */
function listPathsOf(requests: readonly RequestLogEntry[]): Partial<Record<BenchedSource, string>> {
  const counts = new Map<string, number>();
  for (const r of requests) if (r.source) counts.set(`${r.source} ${r.path}`, (counts.get(`${r.source} ${r.path}`) ?? 0) + 1);
  const paths: Partial<Record<BenchedSource, string>> = {};
  for (const source of BENCHED) {
    const best = [...counts.entries()].filter(([k]) => k.startsWith(`${source} `)).sort((a, b) => b[1] - a[1])[0];
    if (best) paths[source] = best[0].slice(source.length + 1);
  }
  return paths;
}

async function reconcileFiguresOf(workerUrl: string): Promise<Record<BenchedSource, ReconcileFigures>> {
  const response = await fetch(`${workerUrl}/status`, { headers: statusHeaders(), signal: AbortSignal.timeout(180_000) });
  if (!response.ok) throw new Error(`GET /status answered ${response.status}`);
  const body = (await response.json()) as { sources: { source: BenchedSource; figures: { reconciliation: ReconcileFigures } }[] };
  return Object.fromEntries(body.sources.map((s) => [s.source, s.figures.reconciliation])) as Record<BenchedSource, ReconcileFigures>;
}
