import { MongoClient, type Db } from 'mongodb';
import type { Config } from '../config.ts';

/** The collections, by the names the search application reads. */
export const COLLECTIONS = {
  contracts: 'contracts',
  buyers: 'buyers',
  buyerLinks: 'buyerLinks',
  syncJobs: 'syncJobs',
  quarantine: 'quarantine',
  deadLetters: 'deadLetters',
  /** One per replay of a letter: the unique key that lets one replay, and only one, take it. */
  deadLetterClaims: 'deadLetterClaims',
  stagedReleases: 'stagedReleases',
  windowParts: 'windowParts',
  messageFailures: 'messageFailures',
} as const;

/**
 * One client per invocation, closed at its end: workerd does not let a socket opened while
 * handling one event be used by the next, so a client cannot be kept across invocations.
 * `maxPoolSize` is the most sockets it opens: they count against the invocation's six connections.
 */
export async function withDb<T>(config: Config, work: (db: Db) => Promise<T>, maxPoolSize = 4): Promise<T> {
  const client = new MongoClient(config.MONGODB_URI, {
    // Generous by default: a busy server should slow a batch down, not fail it into a retry.
    serverSelectionTimeoutMS: config.MONGODB_TIMEOUT_MS,
    connectTimeoutMS: config.MONGODB_TIMEOUT_MS,
    maxPoolSize,
  });
  try {
    await client.connect();
    return await work(client.db(config.MONGODB_DB));
  } finally {
    await client.close().catch(() => {});
  }
}

/**
 * Documents are keyed by a deterministic `_id` (the only filter FerretDB serves without a full
 * scan); the `{source, noticeId}` unique index is the one the application queries and guards
 * the natural key on Atlas too.
 */
export async function ensureIndexes(db: Db): Promise<void> {
  await db.collection(COLLECTIONS.contracts).createIndex({ source: 1, noticeId: 1 }, { unique: true, name: 'source_noticeId' });
  await db.collection(COLLECTIONS.syncJobs).createIndex({ kind: 1, source: 1, state: 1 }, { name: 'kind_source_state' });
  await db.collection(COLLECTIONS.windowParts).createIndex({ windowId: 1, generation: 1 }, { name: 'window_generation' });
  // The write consumer counts a buyer's contracts from the links that ever pointed at it.
  await db.collection(COLLECTIONS.buyerLinks).createIndex({ buyers: 1 }, { name: 'buyers' });
}
