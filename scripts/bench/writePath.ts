/**
 * The write path as the write consumer runs it (storeWriteBatch, batches of 10 messages) at full
 * speed, with no upstream limit: throughput, and MongoDB round trips per batch from the driver's
 * command monitoring (one command is one round trip).
 */
import { MongoClient } from 'mongodb';
import { storeWriteBatch } from '../../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../../shared/config.ts';
import type { MappedRelease } from '../../shared/mapping/mappedRelease.ts';
import { COLLECTIONS, ensureIndexes } from '../../shared/store/db.ts';
import { makeWriteBatches } from '../../test/factories.ts';
import { logCommands } from '../local/commandLog.ts';
import { bsonSize, stats } from '../local/sizing.ts';

export interface WriteRun {
  name: string;
  releasesPerSecond: number;
  seconds: number;
  batches: number;
  roundTrips: { avg: number; max: number; per1000Releases: number };
  /** Round trips when every step is one command (a WRITE_CHUNK_SIZE that fits the batch). */
  steps: { avg: number; max: number };
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
  const client = await new MongoClient(uri, { monitorCommands: true }).connect();
  const commands = logCommands(client);
  const db = client.db(`bench_${Date.now().toString(36)}`);
  const config = readConfig({ MONGODB_URI: uri, WRITE_CHUNK_SIZE: String(chunkSize) });

  /** The write consumer's work, batch after batch, timed and with the round trips of each batch. */
  async function writeAll(name: string): Promise<{ run: WriteRun; firstBatch: string[] }> {
    let seconds = 0;
    const roundTrips: number[] = [];
    const steps: number[] = [];
    let firstBatch: string[] = [];
    let [inserted, updated] = [0, 0];
    for (const batch of makeWriteBatches(releases)) {
      commands.take();
      const started = performance.now();
      const counts = await storeWriteBatch(db, config, batch);
      seconds += (performance.now() - started) / 1000;
      const sent = commands.take();
      if (roundTrips.length === 0) firstBatch = sent;
      roundTrips.push(sent.length);
      steps.push(sent.filter((command, i) => command !== sent[i - 1]).length);
      inserted += counts.inserted;
      updated += counts.updated;
    }
    const [perBatch, perStep] = [stats(roundTrips), stats(steps)];
    const total = roundTrips.reduce((a, b) => a + b, 0);
    return {
      firstBatch,
      run: {
        name,
        releasesPerSecond: releases.length / seconds,
        seconds,
        batches: roundTrips.length,
        roundTrips: { avg: perBatch.avg, max: perBatch.max, per1000Releases: (total / releases.length) * 1000 },
        steps: { avg: perStep.avg, max: perStep.max },
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
    '| server | run | releases/s | × production ingest (20/s) | total s | batches | round trips per batch (avg / max) | per 1,000 releases | one command per step (avg / max) | inserted | updated |',
    '|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
  ];
  for (const result of results) {
    for (const r of result.runs) {
      lines.push(
        `| ${result.server} | ${r.name} | ${r.releasesPerSecond.toFixed(1)} | ${(r.releasesPerSecond / PRODUCTION_RELEASES_PER_SECOND).toFixed(1)} | ${r.seconds.toFixed(1)} | ${r.batches} | ${r.roundTrips.avg.toFixed(1)} / ${r.roundTrips.max} | ${r.roundTrips.per1000Releases.toFixed(0)} | ${r.steps.avg.toFixed(1)} / ${r.steps.max} | ${r.inserted} | ${r.updated} |`,
      );
    }
  }
  return lines.join('\n');
}
