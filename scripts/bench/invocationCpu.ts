/**
 * CPU time of the Worker's largest invocations, for `[limits] cpu_ms` (wrangler.toml): the fetch
 * consumer's path (read, validate, map, split into parts, serialize each part as the queue binding
 * sends it; readAnswer.ts) on the 4 largest real captured pages and on one Public Contracts Scotland
 * whole-month answer of a peak size (batchPages.ts), read a chunk of releases at a time as the
 * consumer reads it, and the write consumer storing a batch of 10
 * parts of the largest one (new notices) on a real server. Node's process CPU (user + system, every thread, the
 * MongoDB driver's included; the server is another process), after a pass that warms the code up:
 * an upper bound of what workerd's isolate counts, which is the JavaScript thread alone.
 */
import { MongoClient } from 'mongodb';
import { consumeWriteBatch } from '../../consumer/write/writeConsumer.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { decisionsOf, fakeBatch, fakeEnv } from '../../test/handlers/fakeEnv.ts';
import { largestBatchPages, pcsMonthPage, type BatchPage } from './batchPages.ts';
import { readAnswer } from './readAnswer.ts';

export interface InvocationCpu {
  fetch: { pages: number; releases: number; ms: number; msPerRelease: number };
  write: { parts: number; releases: number; ms: number; msPerRelease: number; acked: boolean };
  /** The fetch path on one peak PCS month answer, read a chunk at a time: its bytes, chunks, releases, write parts and releases too big for a part. */
  pcsMonth: { bytes: number; chunks: number; releases: number; parts: number; oversized: number; ms: number; msPerRelease: number };
}

const PAGES = 4;
const WRITE_BATCH = 10;

const cpuMsOf = async (work: () => Promise<unknown>): Promise<number> => {
  const before = process.cpuUsage();
  await work();
  const used = process.cpuUsage(before);
  return (used.user + used.system) / 1000;
};

/** The fetch consumer's path over `pages`, one after the other: releases mapped, the parts kept of each page read whole, chunks, parts, releases too big for a part. */
async function fetchPath(pages: (BatchPage & { data: ArrayBuffer })[]): Promise<{ releases: number; partsOf: WriteMessage[][]; chunks: number; parts: number; oversized: number }> {
  const sum = { releases: 0, partsOf: [] as WriteMessage[][], chunks: 0, parts: 0, oversized: 0 };
  for (const page of pages) {
    const read = await readAnswer(page, page.data, 'bench:cpu');
    if (read.kept) sum.partsOf.push(read.kept.messages);
    sum.releases += read.releases;
    sum.chunks += read.chunks;
    sum.parts += read.parts;
    sum.oversized += read.oversized;
  }
  return sum;
}

/** The fetch path's CPU over `pages`, after a pass that warms it up. */
async function fetchCpu(batch: BatchPage[]): Promise<{ ms: number; read: Awaited<ReturnType<typeof fetchPath>> }> {
  const pages = await Promise.all(batch.map(async (page) => ({ ...page, data: await page.body() })));
  const read = await fetchPath(pages);
  return { ms: await cpuMsOf(() => fetchPath(pages)), read };
}

export async function measureInvocationCpu(mongoUri: string): Promise<InvocationCpu> {
  const largest = largestBatchPages(PAGES);
  const { ms: fetchMs, read: { releases, partsOf } } = await fetchCpu(largest);
  const pcsPage = pcsMonthPage();
  const pcs = await fetchCpu([pcsPage]);

  // A batch as the queue delivers it: each part deserialized from its JSON. The second page's parts
  // warm the write path up; the largest page's are measured, new notices too.
  const batchOf = (parts: WriteMessage[]) => fakeBatch('write', parts.slice(0, WRITE_BATCH).map((m) => JSON.parse(JSON.stringify(m)) as WriteMessage));
  const [batch, warmUp] = partsOf.slice(0, 2).map(batchOf);
  const writeReleases = batch.messages.reduce((n, m) => n + (m.body as WriteMessage).releases.length, 0);
  const dbName = `bench_cpu_${Date.now().toString(36)}`;
  const env = fakeEnv({ MONGODB_URI: mongoUri, MONGODB_DB: dbName });
  await consumeWriteBatch(warmUp, env);
  const writeMs = await cpuMsOf(() => consumeWriteBatch(batch, env));
  const client = await MongoClient.connect(mongoUri);
  await client.db(dbName).dropDatabase().finally(() => client.close());

  return {
    fetch: { pages: largest.length, releases, ms: fetchMs, msPerRelease: fetchMs / releases },
    pcsMonth: { bytes: pcsPage.bytes, chunks: pcs.read.chunks, releases: pcs.read.releases, parts: pcs.read.parts, oversized: pcs.read.oversized, ms: pcs.ms, msPerRelease: pcs.ms / pcs.read.releases },
    write: { parts: batch.messages.length, releases: writeReleases, ms: writeMs, msPerRelease: writeMs / writeReleases, acked: decisionsOf(batch).every((d) => d?.kind === 'ack') },
  };
}
