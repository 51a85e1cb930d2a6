import type { MongoClient } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import { workerClient } from '../../shared/store/db.ts';
import { runCheck, skipped, type Check, type Finding } from './check.ts';
import { fixFor, mongoContext } from './fixFor.ts';
import { checkIndexes } from './indexesCheck.ts';
import { probeDocument } from './probeCheck.ts';

export const MONGODB_CHECK = 'mongodb connect';
const PROBE_CHECK = 'probe document';
const INDEXES_CHECK = 'indexes';

/** The MongoDB checks when the config they need failed. */
export const mongoChecksSkipped = (because: string): Check[] => [MONGODB_CHECK, PROBE_CHECK, INDEXES_CHECK].map((name) => skipped(name, because));

/**
 * The MongoDB checks, on one client made as the Worker makes it (shared/store/db.ts: its options,
 * its pool) and closed before the doctor goes on, so the gates and upstream requests after it have
 * the invocation's connections: connect and describe the server, then a probe document and the
 * indexes, which are skipped when the connection failed. A thrown error's fix comes from fixFor.
 */
export async function mongoChecks(config: Config): Promise<Check[]> {
  const client = workerClient(config);
  const connections = countConnections(client);
  const fixOf = (error: unknown) => fixFor(error, mongoContext(config.MONGODB_URI, config.MONGODB_DB));
  try {
    const connect = await runCheck(MONGODB_CHECK, () => connectAndDescribe(client, config, connections), fixOf);
    if (!connect.ok) return [connect, skipped(PROBE_CHECK, MONGODB_CHECK), skipped(INDEXES_CHECK, MONGODB_CHECK)];
    const db = client.db(config.MONGODB_DB);
    return [connect, await runCheck(PROBE_CHECK, () => probeDocument(db), fixOf), await runCheck(INDEXES_CHECK, () => checkIndexes(db, config.QUERY_INDEXES), fixOf)];
  } finally {
    await client.close().catch(() => {});
  }
}

/** Resolve, connect and log in (client.connect), then the server's version, its members and a ping's round trip. */
async function connectAndDescribe(client: MongoClient, config: Config, connections: () => string): Promise<Finding> {
  await client.connect();
  const db = client.db(config.MONGODB_DB);
  const hello = await db.command({ hello: 1 });
  const build = await db.command({ buildInfo: 1 });
  const pingAt = Date.now();
  await db.command({ ping: 1 });
  const pingMs = Date.now() - pingAt;
  const members = hello.setName
    ? `replica set ${hello.setName}: ${hello.hosts.length} member(s) ${hello.hosts.join(', ')}, primary ${hello.primary ?? 'none'}`
    : 'a single server (no replica set)';
  return { ok: true, detail: `MongoDB ${build.version}; ${members}; ping ${pingMs} ms; ${connections()}; database ${config.MONGODB_DB}` };
}

/**
 * The connections the client holds, counted from its own events from the start (the driver has no
 * public count): pooled ones open, and the servers it monitors (one socket each with `poll`).
 */
function countConnections(client: MongoClient): () => string {
  let pooled = 0;
  let monitored = 0;
  client.on('connectionCreated', () => pooled++);
  client.on('connectionClosed', () => pooled--);
  client.on('serverOpening', () => monitored++);
  client.on('serverClosed', () => monitored--);
  return () => `the client holds ${pooled} pooled connection(s) and monitors ${monitored} server(s)`;
}
