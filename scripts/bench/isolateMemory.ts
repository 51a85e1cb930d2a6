/**
 * Peak memory of one Worker isolate while its three consumers run at once, as Cloudflare may place
 * them in one isolate, whose 128 MB they then share:
 * - a fetch batch: up to 4 windows (the `fetch` queue's max_batch_size), each on one page of the
 *   batch measured (batchPages.ts: the 4 largest real captured pages; a Public Contracts Scotland
 *   whole-month answer of a peak size, alone or beside the 3 largest real pages), read, validated,
 *   mapped and split into write parts at once, as the fetch consumer does (readAnswer.ts: a PCS
 *   answer a chunk of releases at a time), each part serialized as the queue binding sends it;
 * - a write batch: 10 parts (the `write` queue's max_batch_size) of the largest real page, stored
 *   by the write consumer on a real MongoDB-compatible server;
 * - a dead-letter batch: the same 10 parts as letters, kept by the dead-letter consumer.
 * Measured in a process of its own (Node's V8, as workerd's), so nothing else of the bench counts.
 * Node reports its whole heap; an isolate's 128 MB is its V8 heap and the buffers it holds, which
 * is what `heapUsed + external` approximates here (Node's own runtime adds to both; workerd's
 * bundle and bindings are not in it).
 */
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { MongoClient } from 'mongodb';
import { buildWriteMessages } from '../../consumer/fetch/buildWriteMessages.ts';
import { readPage } from '../../consumer/fetch/readPage.ts';
import type { WriteMessage } from '../../shared/queue/messages.ts';
import { sources } from '../../shared/sources/sources.ts';
import { consumeDeadLetterBatch } from '../../consumer/deadLetter/deadLetterConsumer.ts';
import { consumeWriteBatch } from '../../consumer/write/writeConsumer.ts';
import { decisionsOf, fakeBatch, fakeEnv } from '../../test/handlers/fakeEnv.ts';
import { BATCHES, largestBatchPages, type BatchName } from './batchPages.ts';
import { readAnswer } from './readAnswer.ts';

export interface IsolateMemory {
  /** The fetch batch measured (batchPages.ts). */
  batch: BatchName;
  /** Its pages, one per window: bytes as served, packages read (a whole-month answer's chunks), releases mapped, write parts, releases too big for a part (the consumer parks them). */
  pages: { label: string; source: string; bytes: number; chunks: number; releases: number; parts: number; oversized: number }[];
  writeBatch: { parts: number; releases: number; bytes: number; acked: boolean };
  deadLetters: { letters: number; acked: boolean };
  /** JS heap used before the batches (Node and the modules loaded), after a full collection. */
  heapBeforeMb: number;
  /** The most the heap held at once (sampled every 2 ms and at each step), garbage not yet collected included. */
  heapPeakMb: number;
  /** The most of heap + the external memory (ArrayBuffers, Buffers) the batches added, at once: the figure against the isolate's 128 MB. */
  heapAndExternalPeakMb: number;
  /** What is live once every window holds its page, its mapped releases and its parts (a chunked answer: its bytes, its chunks and the first chunk's releases and parts), after a full collection. */
  heapHeldMb: number;
  /** The same with the buffers the batches added (the page bodies among them): the least any collector could bring the batches to. */
  heapAndExternalHeldMb: number;
  /** The write batch was still being stored when the windows were measured held (so its documents were in memory too). */
  writeRunningWhenHeld: boolean;
  rssPeakMb: number;
  seconds: { fetch: number; write: number; deadLetters: number };
}

const WRITE_BATCH = 10;
const MB = 1024 * 1024;

/** Runs the probe of `batch` in a child process against the server at `mongoUri` (a database of its own, dropped after). */
export function measureIsolateMemory(mongoUri: string, batch: BatchName = 'largestPages'): IsolateMemory {
  const run = spawnSync(process.execPath, [...process.execArgv, '--expose-gc', fileURLToPath(import.meta.url), mongoUri, batch], { encoding: 'utf8', maxBuffer: 16 * 1024 * 1024 });
  if (run.status !== 0) throw new Error(`isolate memory probe failed: ${run.stderr}`);
  return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as IsolateMemory;
}

async function probe(mongoUri: string, batch: BatchName): Promise<IsolateMemory> {
  const gc = globalThis.gc!;
  // Built before the measure (a PCS month is generated here): each window reads a copy of its own.
  const pages = BATCHES[batch]();
  // The write and dead-letter batches' bodies as the queue delivers them: text until deserialized in the isolate.
  const [largest] = largestBatchPages(1);
  const first = await readPage(sources[largest.source], await largest.body(), 'object');
  if (!first.ok) throw new Error(`${largest.label}: ${first.reason}`);
  const delivered = buildWriteMessages({ windowId: 'bench:write', generation: 1, page: 0 }, first.mapped).messages.slice(0, WRITE_BATCH).map((m) => JSON.stringify(m));
  const env = fakeEnv({ MONGODB_URI: mongoUri, MONGODB_DB: `bench_memory_${Date.now().toString(36)}` });

  gc();
  const before = process.memoryUsage();
  // The external memory Node held before (its TypeScript stripper's WebAssembly among it) is no Worker's: only what the batches add counts.
  const peak = { heap: before.heapUsed, heapAndExternal: before.heapUsed };
  const sample = () => {
    const m = process.memoryUsage();
    peak.heap = Math.max(peak.heap, m.heapUsed);
    peak.heapAndExternal = Math.max(peak.heapAndExternal, m.heapUsed + m.external - before.external);
  };
  const sampler = setInterval(sample, 2);
  const timed = async <T>(work: () => Promise<T>): Promise<{ value: T; seconds: number }> => {
    const started = performance.now();
    const value = await work();
    return { value, seconds: (performance.now() - started) / 1000 };
  };

  let writeRunning = true;
  const writeBatch = fakeBatch('write', delivered.map((text) => JSON.parse(text) as WriteMessage));
  const write = timed(() => consumeWriteBatch(writeBatch, env)).finally(() => (writeRunning = false));
  const letters = fakeBatch('write-dlq', delivered.map((text) => JSON.parse(text) as unknown));
  const deadLetters = timed(() => consumeDeadLetterBatch(letters, env, 'write'));

  // Each window holds its page's bytes, its mapped releases and its parts until its checkpoint; a
  // chunked answer its bytes and its chunks, and one chunk's releases and parts at a time. Measured
  // held once every window is at that point (a chunked one at its first chunk), after a full collection.
  let arrived = 0;
  let heldAt!: () => void;
  const allHeld = new Promise<void>((resolve) => (heldAt = resolve));
  let heldUsage!: NodeJS.MemoryUsage;
  let writeRunningWhenHeld = false;
  const hold = async () => {
    if (++arrived === pages.length) {
      sample();
      writeRunningWhenHeld = writeRunning;
      gc();
      heldUsage = process.memoryUsage();
      heldAt();
    }
    await allHeld;
  };
  const fetch = timed(() =>
    Promise.all(
      pages.map(async (page, window) => {
        const bytes = await page.body();
        sample();
        let first = true;
        const read = await readAnswer(page, bytes, `bench:${window}`, async () => {
          sample();
          if (first) await hold();
          first = false;
        });
        sample();
        return { bytes, read };
      }),
    ),
  );
  const held = await fetch;
  sample();
  const heapHeld = heldUsage.heapUsed;
  const [stored, kept] = await Promise.all([write, deadLetters]);
  clearInterval(sampler);
  sample();
  const client = await MongoClient.connect(mongoUri);
  await client.db(env.MONGODB_DB).dropDatabase().finally(() => client.close());

  return {
    batch,
    pages: pages.map((p, i) => {
      const { read } = held.value[i];
      return { label: p.label, source: p.source, bytes: p.bytes, chunks: read.chunks, releases: read.releases, parts: read.parts, oversized: read.oversized };
    }),
    writeBatch: {
      parts: delivered.length,
      releases: writeBatch.messages.reduce((n, m) => n + (m.body as WriteMessage).releases.length, 0),
      bytes: delivered.reduce((n, text) => n + text.length, 0),
      acked: decisionsOf(writeBatch).every((d) => d?.kind === 'ack'),
    },
    deadLetters: { letters: delivered.length, acked: decisionsOf(letters).every((d) => d?.kind === 'ack') },
    heapBeforeMb: before.heapUsed / MB,
    heapPeakMb: peak.heap / MB,
    heapAndExternalPeakMb: peak.heapAndExternal / MB,
    heapHeldMb: heapHeld / MB,
    heapAndExternalHeldMb: (heapHeld + heldUsage.external - before.external) / MB,
    writeRunningWhenHeld,
    rssPeakMb: process.resourceUsage().maxRSS / 1024,
    seconds: { fetch: held.seconds, write: stored.seconds, deadLetters: kept.seconds },
  };
}

if (process.argv[1] === fileURLToPath(import.meta.url)) console.log(JSON.stringify(await probe(process.argv[2], (process.argv[3] ?? 'largestPages') as BatchName)));
