import { MongoClient, type Db, type MongoClientOptions } from 'mongodb';
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
  /** One per procurement (`{source, ocid}`): its notices, compiled release, status and history. */
  records: 'records',
  /** Where `npm run remap` stands, so a run cut off continues (store/remapState.ts). */
  remapState: 'remapState',
  /** The change feed: one entry per change to a contract or a procurement, in cursor order (store/changes.ts). */
  changes: 'changes',
  /** One per difference a reconciliation walk found between a service and the copy (store/reconciliation.ts). */
  reconciliation: 'reconciliation',
  /** Webhook subscriptions: where to POST matching changes, the secret that signs them, the cursor delivered up to (store/webhooks.ts). */
  webhooks: 'webhooks',
} as const;

/**
 * The client's connection settings. A Worker invocation may hold only 6 simultaneous outbound
 * connections (Cloudflare's limits), and the driver opens, per member of a replica set, a
 * monitoring socket, plus with `stream` monitoring (the default outside the serverless hosts it
 * recognises, and workerd is not one of them) a second for round-trip times, on top of the pool of
 * the member it talks to. On a 3-node Atlas cluster: 3 monitoring sockets (`poll`) + a pool of 2 on
 * the primary = 5, leaving 1 for the upstream request; `stream` would take 6 for monitoring alone.
 * docs/workers-limits.md ("Connections") has the arithmetic.
 */
export function clientOptions(config: Pick<Config, 'MONGODB_TIMEOUT_MS'>, maxPoolSize = MAX_POOL_SIZE): MongoClientOptions {
  return {
    // Generous by default: a busy server should slow a batch down, not fail it into a retry.
    serverSelectionTimeoutMS: config.MONGODB_TIMEOUT_MS,
    connectTimeoutMS: config.MONGODB_TIMEOUT_MS,
    // One monitoring socket per member, asked every heartbeat, instead of two streaming.
    serverMonitoringMode: 'poll',
    // Per member; reads and writes go to the primary, so only its pool fills. More operations wait their turn.
    maxPoolSize,
    minPoolSize: 0,
    // The first round of a batch opens both at once: one handshake's time, not two (store/sideBySide.ts).
    maxConnecting: maxPoolSize,
  };
}

/** Connections of the pool to the member in use (see clientOptions). */
export const MAX_POOL_SIZE = 2;

/** A client as the Worker makes it, not yet connected: withDb's, and the doctor's (which watches its connections from the start). */
export function workerClient(config: Pick<Config, 'MONGODB_URI' | 'MONGODB_TIMEOUT_MS'>, maxPoolSize = MAX_POOL_SIZE): MongoClient {
  return new MongoClient(config.MONGODB_URI, clientOptions(config, maxPoolSize));
}

/**
 * One client per invocation, closed at its end: workerd does not let a socket opened while
 * handling one event be used by the next, so a client cannot be kept across invocations.
 * `maxPoolSize` is the most sockets it opens: they count against the invocation's six connections.
 */
export async function withDb<T>(config: Config, work: (db: Db) => Promise<T>, maxPoolSize = MAX_POOL_SIZE): Promise<T> {
  const client = workerClient(config, maxPoolSize);
  try {
    await client.connect();
    return await work(client.db(config.MONGODB_DB));
  } finally {
    await client.close().catch(() => {});
  }
}

/** An index ensureIndexes creates: on `collection`, `key`, under `name` (the doctor looks for these). */
export interface ProjectIndex {
  collection: (typeof COLLECTIONS)[keyof typeof COLLECTIONS];
  /** `text` fields make one text index of them all, weighted by `weights`. */
  key: Record<string, 1 | -1 | 'text'>;
  name: string;
  unique?: true;
  weights?: Record<string, number>;
}

/**
 * Documents are keyed by a deterministic `_id` (the only filter FerretDB serves without a full
 * scan); the `{source, noticeId}` unique index is the one the application queries and guards
 * the natural key on Atlas too.
 */
export const INDEXES: readonly ProjectIndex[] = [
  { collection: COLLECTIONS.contracts, key: { source: 1, noticeId: 1 }, name: 'source_noticeId', unique: true },
  { collection: COLLECTIONS.syncJobs, key: { kind: 1, source: 1, state: 1 }, name: 'kind_source_state' },
  // The status page (month windows, open deltas), the delta fold (a source's done deltas) and replan
  // (windows by start) read windows by these; the fold finds its newest fold record by seq.
  { collection: COLLECTIONS.syncJobs, key: { kind: 1, source: 1, span: 1, state: 1 }, name: 'kind_source_span_state' },
  { collection: COLLECTIONS.syncJobs, key: { kind: 1, source: 1, from: 1 }, name: 'kind_source_from' },
  { collection: COLLECTIONS.syncJobs, key: { kind: 1, source: 1, seq: -1 }, name: 'kind_source_seq' },
  // The status page: lag (newest release of a source), rate (parts stored in the last hour), top reasons.
  { collection: COLLECTIONS.contracts, key: { source: 1, releaseDate: -1 }, name: 'source_releaseDate' },
  { collection: COLLECTIONS.windowParts, key: { storedAt: 1 }, name: 'storedAt' },
  { collection: COLLECTIONS.quarantine, key: { reason: 1 }, name: 'reason' },
  { collection: COLLECTIONS.windowParts, key: { windowId: 1, generation: 1 }, name: 'window_generation' },
  // The write consumer counts a buyer's contracts from the links that ever pointed at it.
  { collection: COLLECTIONS.buyerLinks, key: { buyers: 1 }, name: 'buyers' },
  // A write batch reads the contracts of the procurements it touched; the hourly run closes the
  // OPEN records whose deadline passed.
  { collection: COLLECTIONS.contracts, key: { source: 1, ocid: 1 }, name: 'source_ocid' },
  { collection: COLLECTIONS.records, key: { status: 1, deadlineDate: 1 }, name: 'status_deadline' },
  // GET /changes pages the feed by cursor (its retention's TTL index: ensureIndexes.ts).
  { collection: COLLECTIONS.changes, key: { cursor: 1 }, name: 'cursor' },
];
