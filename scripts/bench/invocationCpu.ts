/**
 * CPU time of the Worker's largest invocations, for `[limits] cpu_ms` (wrangler.toml): the fetch
 * consumer's path (read, validate, map, split into parts, serialize each part as the queue binding
 * sends it) on the 4 largest real captured pages, and the write consumer storing a batch of 10
 * parts of the largest one (new notices) on a real server. Node's process CPU (user + system, every thread, the
 * MongoDB driver's included; the server is another process), after a pass that warms the code up:
 * an upper bound of what workerd's isolate counts, which is the JavaScript thread alone.
 */
import { MongoClient } from 'mongodb';
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import { consumeWriteBatch } from '../../consumer/write/writeConsumer.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { sources } from '../../shared/sources/sources.ts';
import { decisionsOf, fakeBatch, fakeEnv } from '../../test/handlers/fakeEnv.ts';
import { largestPages, pageBytes } from './largestPages.ts';

export interface InvocationCpu {
  fetch: { pages: number; releases: number; ms: number; msPerRelease: number };
  write: { parts: number; releases: number; ms: number; msPerRelease: number; acked: boolean };
}

const PAGES = 4;
const WRITE_BATCH = 10;

const cpuMsOf = async (work: () => Promise<unknown>): Promise<number> => {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

export async function measureInvocationCpu(mongoUri: string): Promise<InvocationCpu> {
  const pages = await Promise.all(largestPages(PAGES).map(async (page) => ({ ...page, bytes: await pageBytes(page.file) })));
  let releases = 0;
  const partsOf: WriteMessage[][] = [];
  const fetchPath = async () => {
    releases = 0;
    for (const page of pages) {
      const read = await readPage(sources[page.source], page.bytes, 'object');
      if (!read.ok) throw new Error(`${page.file}: ${read.reason}`);
      const { messages } = buildWriteMessages({ windowId: 'bench:cpu', generation: 1, page: 0 }, read.mapped);
      for (const message of messages) JSON.stringify(message);
      if (partsOf.length < 2) partsOf.push(messages);
      releases += read.mapped.length;
    }
  };
  await fetchPath();
  const fetchMs = await cpuMsOf(fetchPath);

  // A batch as the queue delivers it: each part deserialized from its JSON. The second page's parts
  // warm the write path up; the largest page's are measured, new notices too.
  const batchOf = (parts: WriteMessage[]) => fakeBatch('write', parts.slice(0, WRITE_BATCH).map((m) => JSON.parse(JSON.stringify(m)) as WriteMessage));
  const [batch, warmUp] = partsOf.map(batchOf);
  const writeReleases = batch.messages.reduce((n, m) => n + (m.body as WriteMessage).releases.length, 0);
  const dbName = `bench_cpu_${Date.now().toString(36)}`;
  const env = fakeEnv({ MONGODB_URI: mongoUri, MONGODB_DB: dbName });
  await consumeWriteBatch(warmUp, env);
  const writeMs = await cpuMsOf(() => consumeWriteBatch(batch, env));
  const client = await MongoClient.connect(mongoUri);
  await client.db(dbName).dropDatabase().finally(() => client.close());

  return {
    fetch: { pages: pages.length, releases, ms: fetchMs, msPerRelease: fetchMs / releases },
    write: { parts: batch.messages.length, releases: writeReleases, ms: writeMs, msPerRelease: writeMs / writeReleases, acked: decisionsOf(batch).every((d) => d?.kind === 'ack') },
  };
}
