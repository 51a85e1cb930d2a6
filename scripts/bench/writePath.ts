/**
 * The write path as the write consumer runs it (storeWriteBatch, batches of 10 messages) at full
 * speed, with no upstream limit: throughput, and per batch the MongoDB commands and the round trips
 * they cost in sequence (commands sent side by side share one), from the driver's command monitoring.
 */
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { COLLECTIONS, MAX_POOL_SIZE } from '../../shared/store/db.ts';
import { ensureIndexes } from '../../shared/store/ensureIndexes.ts';
import { makeWriteBatches } from '../../test/factories.ts';
import { logCommands } from '../local/commandLog.ts';
import { connectWarm } from '../local/connectWarm.ts';
import { bsonSize, stats } from '../local/sizing.ts';

export interface WriteRun {
  name: string;
  releasesPerSecond: number;
  seconds: number;
  batches: number;
  commands: { avg: number; max: number; per1000Releases: number };
  /** Round trips in sequence, as sent here (in chunks of `chunkSize`). */
  roundTrips: { avg: number; max: number };
  /** The same when every step is one command, as production sends them (a WRITE_CHUNK_SIZE that fits the batch). */
  productionRoundTrips: { avg: number; max: number };
  inserted: number;
  updated: number;
}

export interface WritePathResult {
  server: string;
  chunkSize: number;
  releases: number;
  runs: WriteRun[];
  firstBatchCommands: string[];
  buyers: { count: number; avgBytes: number; medianBytes: number; maxBytes: number; links: number };
}

/** Writes `releases` twice (all new, then the same again: changes nothing) on the server at `uri`. */
export async function measureWritePath(uri: string, server: string, releases: readonly MappedRelease[], chunkSize: number): Promise<WritePathResult> {
  // The Worker's pool (db.ts), open: more commands side by side than it holds would wait for a connection.
  const client = await connectWarm(uri, { monitorCommands: true, maxPoolSize: MAX_POOL_SIZE, minPoolSize: MAX_POOL_SIZE });
  const commands = logCommands(client);
  const steps = logCommands(client, { stepOnce: true });
  const db = client.db(`bench_${Date.now().toString(36)}`);
  const config = readConfig({ MONGODB_URI: uri, WRITE_CHUNK_SIZE: String(chunkSize) });

  /** The write consumer's work, batch after batch, timed and with the round trips of each batch. */
  async function writeAll(name: string): Promise<{ run: WriteRun; firstBatch: string[] }> {
    let seconds = 0;
    const [commandCounts, roundTrips, productionRoundTrips]: number[][] = [[], [], []];
    let firstBatch: string[] = [];
    let [inserted, updated] = [0, 0];
    for (const batch of makeWriteBatches(releases)) {
      commands.take();
      steps.take();
      const started = performance.now();
      const counts = await storeWriteBatch(db, config, batch);
      seconds += (performance.now() - started) / 1000;
      const sent = commands.take();
      if (commandCounts.length === 0) firstBatch = sent.commands;
      commandCounts.push(sent.commands.length);
      roundTrips.push(sent.roundTrips);
      productionRoundTrips.push(steps.take().roundTrips);
      inserted += counts.inserted;
      updated += counts.updated;
    }
    const [perBatch, inSequence, asProduction] = [stats(commandCounts), stats(roundTrips), stats(productionRoundTrips)];
    const total = commandCounts.reduce((a, b) => a + b, 0);
    return {
      firstBatch,
      run: {
        name,
        releasesPerSecond: releases.length / seconds,
        seconds,
        batches: commandCounts.length,
        commands: { avg: perBatch.avg, max: perBatch.max, per1000Releases: (total / releases.length) * 1000 },
        roundTrips: { avg: inSequence.avg, max: inSequence.max },
        productionRoundTrips: { avg: asProduction.avg, max: asProduction.max },
        inserted,
        updated,
      },
    };
  }

  try {
    await ensureIndexes(db);
    const first = await writeAll('first (all new)');
    const again = await writeAll('again (same data: changes nothing)');
    // Buyers hold no list of contracts: their size does not grow with their history.
    const buyers = await db.collection(COLLECTIONS.buyers).find().toArray();
    const buyerSizes = stats(buyers.map(bsonSize));
    return {
      server,
      chunkSize,
      releases: releases.length,
      runs: [first.run, again.run],
      firstBatchCommands: first.firstBatch,
      buyers: { count: buyers.length, avgBytes: buyerSizes.avg, medianBytes: buyerSizes.median, maxBytes: buyerSizes.max, links: await db.collection(COLLECTIONS.buyerLinks).countDocuments({ v: { $exists: true } }) },
    };
  } finally {
    await db.dropDatabase().catch(() => {});
    await client.close();
  }
}

/** Production ingest at the real budgets: two services × 6 requests a minute × 100 releases a page. */
export const PRODUCTION_RELEASES_PER_SECOND = (2 * 6 * 100) / 60;

export function writePathTable(results: readonly WritePathResult[]): string {
  const lines = [
    '| server | run | releases/s | × production ingest (20/s) | total s | batches | commands per batch (avg / max) | per 1,000 releases | round trips per batch, as sent here (avg / max) | as production sends them (avg / max) | inserted | updated |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    for (const r of result.runs) {
      lines.push(
        `| ${result.server} | ${r.name} | ${r.releasesPerSecond.toFixed(1)} | ${(r.releasesPerSecond / PRODUCTION_RELEASES_PER_SECOND).toFixed(1)} | ${r.seconds.toFixed(1)} | ${r.batches} | ${r.commands.avg.toFixed(1)} / ${r.commands.max} | ${r.commands.per1000Releases.toFixed(0)} | ${r.roundTrips.avg.toFixed(1)} / ${r.roundTrips.max} | ${r.productionRoundTrips.avg.toFixed(1)} / ${r.productionRoundTrips.max} | ${r.inserted} | ${r.updated} |`,
      );
    }
  }
  return lines.join('\n');
}
