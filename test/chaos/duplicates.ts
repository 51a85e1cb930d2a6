/**
 * Duplicate deliveries through the Worker's own door: messages that already ran are stored as dead
 * letters and sent again by POST /replay, so the same write parts and fetch messages are delivered
 * a second time (and a stale one) to the real consumers.
 */
import type { Db } from 'mongodb';
import { readConfig } from '../../shared/config.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import { fetchMessage, type FetchMessage, type WriteMessage } from '../../shared/queue/messages.ts';
import { firstCheckpoint } from '../../shared/windows/advanceCheckpoint.ts';
import { sources } from '../../shared/sources/sources.ts';
import { COLLECTIONS } from '../../shared/store/db.ts';
import { messageKey } from '../../shared/store/messageFailures.ts';
import type { WindowDoc } from '../../shared/windows/window.ts';

/**
 * For each done window given: its first page again (fetched from the simulator, read and split by
 * the pipeline's own code) as write messages of its current generation, plus fetch messages at its
 * current and an older seq. Stores them all as dead letters; returns how many.
 */
export async function storeDuplicatesAsDeadLetters(db: Db, windows: WindowDoc[], simulatorUrl: string): Promise<{ write: number; fetch: number }> {
  const config = readConfig({ FTS_API_URL: simulatorUrl, CF_API_URL: simulatorUrl, MONGODB_URI: 'mongodb://unused' });
  const bodies: { queue: 'write' | 'fetch'; body: WriteMessage | FetchMessage }[] = [];
  for (const window of windows) {
    const source = sources[window.source];
    const first = firstCheckpoint(window, source.maxSliceMs);
    const url = source.firstPageUrl(config, { from: first.sliceFrom, to: first.sliceTo });
    const response = await fetch(url);
    if (response.status !== 200) throw new Error(`simulator answered ${response.status} for ${url}`);
    const page = await readPage(source, await response.arrayBuffer(), config.STORE_RAW, { url });
    if (!page.ok) throw new Error(`page unreadable: ${page.reason}`);
    const { messages } = buildWriteMessages({ windowId: window._id, generation: window.generation, page: 0 }, page.mapped);
    for (const body of messages) bodies.push({ queue: 'write', body });
    for (const seq of [window.seq, Math.max(0, window.seq - 1)]) bodies.push({ queue: 'fetch', body: fetchMessage(window._id, seq) });
  }
  const now = new Date();
  for (const { queue, body } of bodies) {
    await db.collection<{ _id: string }>(COLLECTIONS.deadLetters).updateOne(
      { _id: messageKey(queue, body) },
      { $setOnInsert: { queue, body, error: 'chaos: delivered again on purpose', attempts: 1, state: 'dead', replays: 0, parkedReason: null, messageIds: [], firstFailedAt: now, lastFailedAt: now } },
      { upsert: true },
    );
  }
  return { write: bodies.filter((b) => b.queue === 'write').length, fetch: bodies.filter((b) => b.queue === 'fetch').length };
}

/** Contracts and buyer links in full; buyers by what must not change (their counts). */
export async function dataState(db: Db): Promise<unknown> {
  const contracts = await db.collection(COLLECTIONS.contracts).find({}).sort({ _id: 1 }).toArray();
  const links = await db.collection(COLLECTIONS.buyerLinks).find({}).sort({ _id: 1 }).toArray();
  const buyers = await db.collection(COLLECTIONS.buyers).find({}, { projection: { contractCount: 1, countStamp: 1 } }).sort({ _id: 1 }).toArray();
  const parts = await db.collection(COLLECTIONS.windowParts).countDocuments();
  const windows = await db.collection(COLLECTIONS.syncJobs).find({ kind: 'window' }, { projection: { state: 1, releasesWritten: 1, generation: 1 } }).sort({ _id: 1 }).toArray();
  return { contracts, links, buyers, parts, windows };
}
