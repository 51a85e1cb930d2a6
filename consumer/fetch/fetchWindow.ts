import type { Db } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import { advanceCheckpoint, endOfChain, nextRecord, recordAsked, recordHole, type Advance } from '../../shared/windows/advanceCheckpoint.ts';
import { fetchMessage, type FetchMessage } from '../../shared/queue/messages.ts';
import { queueBinding } from '../../shared/queue/queues.ts';
import { enabledSources } from '../../shared/enabledSources.ts';
import { sources } from '../../shared/sources/sources.ts';
import { quarantine } from '../../shared/store/quarantine.ts';
import { sampleProcurements } from '../../shared/store/reconciliation.ts';
import { logSourceError } from '../../shared/store/sourceStatus.ts';
import { handOff, markFailed, markFetched, saveCheckpoint, takeLease, windowsCollection } from '../../shared/store/windows.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';
import { closeWindowIfComplete } from '../../shared/steps/closeWindowIfComplete.ts';
import { enqueueDueWindows } from '../../shared/steps/enqueueDueWindows.ts';
import { errorText, PermanentError } from '../../shared/errors.ts';
import { isMongoUnreachable } from '../../shared/store/mongoUnreachable.ts';
import { backoffSeconds } from '../backoff.ts';
import { chainStep } from './pageOutcome.ts';
import { readPage } from './readPage.ts';
import { requestPage } from '../../shared/rateGate/requestPage.ts';
import { handOnEarly, startBatchClock, type BatchClock } from './batchClock.ts';
import { differencesToWrite } from './differencesToWrite.ts';
import { oneWholeMonthAtATime } from './oneWholeMonthAtATime.ts';
import { sendAnswer, sendPage } from './sendAnswer.ts';
import { requestSparePage } from './requestSparePage.ts';

export type FetchOutcome =
  | { kind: 'ignored'; reason: string }
  | { kind: 'fetched'; pages: number }
  /** Every slice was asked for, but a page could not be read: the window is failed, not fetched. */
  | { kind: 'failed'; pages: number; reason: string }
  | { kind: 'handedOff'; pages: number; delayMs: number };

/** The longest a consumer waits in line for a request slot before handing the window on instead. */
const MAX_INLINE_WAIT_MS = 30_000;
/** Times an unreadable body (cut off, invalid JSON) is asked for again before it is quarantined. */
const UNREADABLE_RETRIES = 2;

/**
 * Pages through one window for at most FETCH_INVOCATION_SECONDS, then hands it on in a follow-up
 * message. Per page, in this order: request (inside the source's budget) → read and map → park what
 * is oversized, quarantine what is invalid → send the write parts → save the checkpoint. A crash
 * before the checkpoint repeats that one page, whose writes are idempotent.
 * The upstream down (5xx, timeouts) pauses the source in its gate like a refusal: the window waits
 * for the probe's turn, or hands on, delayed by the pause; nothing is thrown. A TLS failure the
 * same, held an hour at a time (shared/rateGate/tlsFailure.ts). A failure of the
 * message's own after it saved a page hands the window on too: only a message that saved nothing
 * spends its retries (consumeEach.ts), so one that made progress never nears dead-lettering.
 */
export async function fetchWindow(
  env: Env,
  config: Config,
  db: Db,
  message: FetchMessage,
  holder: string,
  batch: BatchClock = startBatchClock(Date.now(), config.FETCH_INVOCATION_SECONDS),
): Promise<FetchOutcome> {
  // Switched off (PCS_ENABLED=false) while its window was on the queue: not asked; the stall rule
  // resumes the window once the source is on again.
  const off = enabledSources(config).every((source) => !message.windowId.startsWith(`${source.name}:`));
  if (off) return { kind: 'ignored', reason: `the source of ${message.windowId} is switched off` };
  const leaseMs = config.FETCH_INVOCATION_SECONDS * 1000 + config.FETCH_TIMEOUT_MS + MAX_INLINE_WAIT_MS + 60_000;
  const window = await takeLease(db, message.windowId, message.seq, holder, leaseMs, new Date());
  if (!window) return ignored(db, message);
  const progress = { pages: 0 };
  try {
    const paging = () => pageWindow(env, config, db, window, holder, leaseMs, batch, progress);
    return await (sources[window.source].wholeMonths ? oneWholeMonthAtATime(paging) : paging());
  } catch (error) {
    if (progress.pages === 0 || error instanceof PermanentError || isMongoUnreachable(error)) throw error;
    console.warn(`fetch ${window._id}: failed after ${progress.pages} page(s), handing on from the checkpoint: ${errorText(error)}`);
    return handOn(env, db, window, holder, progress.pages, backoffSeconds(1) * 1000);
  }
}

/** The paging loop of fetchWindow; `progress.pages` counts the pages whose checkpoint was saved. */
async function pageWindow(env: Env, config: Config, db: Db, window: WindowDoc, holder: string, leaseMs: number, batch: BatchClock, progress: { pages: number }): Promise<FetchOutcome> {
  const source = sources[window.source];
  let unreadable = 0;

  while (!window.checkpoint.complete) {
    const pages = progress.pages;
    const remaining = batch.handOnAt - Date.now();
    if (remaining <= 0) return handOn(env, db, window, holder, pages, 0);
    const url = window.checkpoint.nextUrl ?? source.firstPageUrl(config, { from: window.checkpoint.sliceFrom, to: window.checkpoint.sliceTo });
    const onSlot = (slotAt: number) => {
      batch.lastSlotAt = Math.max(batch.lastSlotAt, slotAt);
    };
    // A reconciliation walk takes spare slots only, and waits for them within the batch's time.
    const response = window.span === 'reconcile' ? await requestSparePage(env, config, source, url, remaining, onSlot) : await requestPage(env, config, source, url, Math.min(remaining, MAX_INLINE_WAIT_MS), onSlot);
    // A slot the next invocation can wait for inline needs no delay: only the batch's time ran out.
    if (response.kind === 'wait') return handOn(env, db, window, holder, pages, response.delayMs > MAX_INLINE_WAIT_MS ? response.delayMs : 0);
    if (response.kind === 'paused') continue;
    if (response.kind === 'down' || response.kind === 'tls') {
      console.warn(`fetch ${window._id}: ${response.kind === 'down' ? 'upstream down: ' : ''}${response.reason}`);
      continue;
    }
    if (response.kind === 'permanent') throw new PermanentError(response.reason);

    // A reconciliation walk, and a whole-month source's re-read, send only what differs from the copy (differencesToWrite.ts).
    const compared = window.span === 'reconcile' || source.wholeMonths === true;
    const answer = await sendAnswer(env, config, db, window, url, response.bytes, compared);
    let advance: Advance;
    if (!answer.ok) {
      if (unreadable++ < UNREADABLE_RETRIES) continue;
      await quarantine(db, [{ source: window.source, windowId: window._id, pageUrl: url, reason: answer.reason, rawText: answer.rawText }], new Date());
      advance = recordHole(window.checkpoint, window, { url, reason: answer.reason }, source.maxSliceMs);
    } else {
      const { outcome, limit } = chainStep(source, config, url, answer);
      advance = advanceCheckpoint(window.checkpoint, window, outcome, limit, source.maxSliceMs);
    }
    unreadable = 0;
    const parts = answer.ok ? answer.parts : 0;
    const saved = await saveCheckpoint(db, window, holder, { checkpoint: advance.checkpoint, page: window.checkpoint.pages, parts, event: advance.event }, leaseMs, new Date());
    if (!saved) return { kind: 'ignored', reason: 'lease lost to another chain' };
    window.checkpoint = advance.checkpoint;
    progress.pages++;
  }
  const recordsLeft = await askRecords(env, config, db, window, holder, leaseMs, batch, progress);
  if (recordsLeft) return recordsLeft;
  const pages = progress.pages;
  const end = endOfChain(window.checkpoint);
  if (end.state === 'failed') {
    // Never closed over a hole: failed, the producer starts it again while attempts remain.
    if (await markFailed(db, window._id, end.reason, new Date(), { seq: window.seq, holder })) {
      await logSourceError(db, window.source, `${window._id}: ${end.reason}`, new Date());
    }
  } else {
    const fetched = await markFetched(db, window, holder, new Date());
    if (fetched) await closeWindowIfComplete(db, fetched, new Date());
  }
  // The source's next window may already be on the queue (the in-flight limit was reached before
  // this one ended): hand on for it as for one sent now, or the source idles until the batch ends.
  if ((await enqueueDueWindows(env, config, db, window.source, new Date())).waiting > 0) batch.handOnAt = handOnEarly(batch, Date.now());
  return end.state === 'failed' ? { kind: 'failed', pages, reason: end.reason } : { kind: 'fetched', pages };
}

/**
 * A reconciliation walk's record door, once its list is walked: each procurement of a random
 * sample of those stored in its month (checkpoint.records, RECONCILE_RECORDS of them) asked
 * through the source's record endpoint with spare budget, compared with the copy like a list page,
 * what differs sent to the write queue, a page of the walk each. A procurement the service no
 * longer knows (404) or whose record cannot be read is skipped, with an event (the list walk, not
 * the sample, is what verifies the month). Returns an outcome when the invocation must end first
 * (handed on, lease lost), null once the sample is asked.
 */
async function askRecords(env: Env, config: Config, db: Db, window: WindowDoc, holder: string, leaseMs: number, batch: BatchClock, progress: { pages: number }): Promise<FetchOutcome | null> {
  const source = sources[window.source];
  // Not for a closer look (no month of its own), nor a walk that left holes (it is walked again).
  if (window.span !== 'reconcile' || window.closerOf || window.checkpoint.holes.length > 0 || !source.recordUrl) return null;
  // Drawn once the list is walked (the copy as it is now); kept with the checkpoint from the first record on.
  if (window.checkpoint.records === undefined) window.checkpoint = { ...window.checkpoint, records: await sampleProcurements(db, window.source, window, config.RECONCILE_RECORDS) };
  let unreadable = 0;
  for (let ocid = nextRecord(window.checkpoint); ocid; ocid = nextRecord(window.checkpoint)) {
    const remaining = batch.handOnAt - Date.now();
    if (remaining <= 0) return handOn(env, db, window, holder, progress.pages, 0);
    const url = source.recordUrl(config, ocid);
    const response = await requestSparePage(env, config, source, url, remaining, (slotAt) => {
      batch.lastSlotAt = Math.max(batch.lastSlotAt, slotAt);
    });
    if (response.kind === 'wait') return handOn(env, db, window, holder, progress.pages, response.delayMs > MAX_INLINE_WAIT_MS ? response.delayMs : 0);
    if (response.kind === 'paused' || response.kind === 'down' || response.kind === 'tls') continue;
    const page = response.kind === 'permanent' ? null : await readPage(source, response.bytes, config.STORE_RAW, { kind: source.recordAnswer, url });
    if (page && !page.ok && unreadable++ < UNREADABLE_RETRIES) continue;
    unreadable = 0;
    const skipped = response.kind === 'permanent' ? response.reason : page && !page.ok ? page.reason : null;
    if (page && !page.ok) await quarantine(db, [{ source: window.source, windowId: window._id, pageUrl: url, reason: page.reason, rawText: page.rawText }], new Date());
    const releases = page?.ok ? await differencesToWrite(db, window, page.mapped, new Date(), 'record') : [];
    const parts = releases.length > 0 ? await sendPage(env, db, window, window.checkpoint.pages, releases) : 0;
    const checkpoint = recordAsked(window.checkpoint, page?.ok ? page.releaseCount : 0);
    const event = skipped === null ? undefined : `record of ${ocid} skipped: ${skipped}`;
    if (!(await saveCheckpoint(db, window, holder, { checkpoint, page: window.checkpoint.pages, parts, event }, leaseMs, new Date()))) return { kind: 'ignored', reason: 'lease lost to another chain' };
    window.checkpoint = checkpoint;
    progress.pages++;
  }
  return null;
}

/** Releases the window and sends the follow-up that continues it after `delayMs`. */
async function handOn(env: Env, db: Db, window: WindowDoc, holder: string, pages: number, delayMs: number): Promise<FetchOutcome> {
  if (!(await handOff(db, window, holder, new Date()))) return { kind: 'ignored', reason: 'lease lost to another chain' };
  await queueBinding(env, 'fetch').send(fetchMessage(window._id, window.seq + 1), { contentType: 'json', delaySeconds: Math.min(43_200, Math.ceil(delayMs / 1000)) });
  return { kind: 'handedOff', pages, delayMs };
}

/** Why a message got no lease: its window is gone (an error), or it is stale or a duplicate (fine). */
async function ignored(db: Db, message: FetchMessage): Promise<FetchOutcome> {
  const window = await windowsCollection(db).findOne({ _id: message.windowId });
  if (!window) throw new PermanentError(`no window ${message.windowId} in syncJobs`);
  if (window.seq !== message.seq) return { kind: 'ignored', reason: `stale: window is at seq ${window.seq}, message at ${message.seq}` };
  if (window.state !== 'queued' && window.state !== 'fetching') return { kind: 'ignored', reason: `window is ${window.state}` };
  return { kind: 'ignored', reason: 'duplicate: another message holds the lease' };
}
