/**
 * `npm run bench`: figures, no assertions. (1) Stored size per STORE_RAW mode and what the full
 * history would weigh; mapping speed; how pages split into queue messages. (2) The write path as
 * the write consumer runs it (storeWriteBatch, batches of 10 messages): throughput, and MongoDB
 * round trips per batch and per 1,000 releases (the driver's command monitoring), on the server
 * startMongo() gives: MONGODB_URI, else mongod, else FerretDB, whose write speed says little
 * (scripts/local/ferretdb/FERRETDB.md). Env: BENCH_WRITE_RELEASES (default 2000; keep FerretDB
 * ≤ 2000), WRITE_CHUNK_SIZE (default 20, safe on FerretDB; on Atlas 1000 fits any batch).
 */
import { MongoClient, type Db } from 'mongodb';
import { storeWriteBatch } from '../consumer/write/storeWriteBatch.ts';
import { readConfig } from '../shared/config.ts';
import type { MappedRelease } from '../shared/mapping/mappedRelease.ts';
import { COLLECTIONS, ensureIndexes } from '../shared/store/db.ts';
import { makeWriteBatches } from '../test/factories.ts';
import { logCommands } from './local/commandLog.ts';
import { startMongo } from './local/mongoServer.ts';
import { bsonSize, formatBytes, jsonSize, mappingTable, measureMode, MODES, sampleReleases, SOURCES, sizingTable, stats, type ModeSizes } from './local/sizing.ts';

const WRITE_RELEASES = Number(process.env.BENCH_WRITE_RELEASES ?? 2000);
const CHUNK_SIZE = Number(process.env.WRITE_CHUNK_SIZE ?? 20);

// Peak RSS of this process, sampled; unref'd so it never keeps the process alive.
let peakRss = process.memoryUsage().rss;
setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage().rss)), 20).unref();

const now = new Date();
const sample = sampleReleases();

console.log('# tender-sync bench\n');
console.log(`Sample: ${SOURCES.map((s) => `${sample.filter((r) => r.source === s).length} ${s}`).join(', ')} (one generated year, 3/day/source, seed 1, plus all real captured releases)\n`);
const raw = (source?: string) => stats(sample.filter((r) => !source || r.source === source).map((r) => jsonSize(r.release)));
console.log(`Raw release JSON, avg bytes: FTS ${Math.round(raw('FIND_A_TENDER').avg)}, CF ${Math.round(raw('CONTRACTS_FINDER').avg)}, all ${Math.round(raw().avg)} (max ${raw().max})\n`);

const rows: ModeSizes[] = [];
for (const mode of MODES) rows.push(await measureMode(sample, mode, now));

console.log('## Stored contract document, BSON bytes\n');
console.log(sizingTable(rows));
console.log('\nBSON size is before WiredTiger compression and without indexes; Atlas M0 counts its 512 MB on data + indexes.\n');
console.log('## Mapping and message splitting (single thread)\n');
console.log(mappingTable(rows));

// The write run uses STORE_RAW=object (the default), oldest first, in message-sized batches.
const objectRows = rows.find((r) => r.mode === 'object')!;
const toWrite = [...objectRows.mapping.mapped].sort((a, b) => a.contract.releaseDate.localeCompare(b.contract.releaseDate)).slice(0, WRITE_RELEASES);

console.log(`\n## Write path (${toWrite.length} releases, STORE_RAW=object, pages of 100, batches of 10 messages, WRITE_CHUNK_SIZE ${CHUNK_SIZE})\n`);
const server = await startMongo();
const client = await new MongoClient(server.uri, { monitorCommands: true }).connect();
const commands = logCommands(client);
const db = client.db(`bench_${Date.now().toString(36)}`);
const config = readConfig({ MONGODB_URI: server.uri, WRITE_CHUNK_SIZE: String(CHUNK_SIZE) });
try {
  await ensureIndexes(db);
  const runs = [['first (all new)', await writeAll(db, toWrite)], ['again (same data: changes nothing)', await writeAll(db, toWrite)]] as const;
  console.log(`Server: ${server.kind}\n`);
  console.log('| run | releases/s | total s | batches | round trips per batch (avg / max) | per 1,000 releases | per batch, one command per step (avg / max) | inserted | updated |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, r] of runs) {
    const [perBatch, perStep] = [stats(r.roundTrips), stats(r.steps)];
    const total = r.roundTrips.reduce((a, b) => a + b, 0);
    console.log(`| ${name} | ${(toWrite.length / r.seconds).toFixed(1)} | ${r.seconds.toFixed(1)} | ${r.roundTrips.length} | ${perBatch.avg.toFixed(1)} / ${perBatch.max} | ${((total / toWrite.length) * 1000).toFixed(0)} | ${perStep.avg.toFixed(1)} / ${perStep.max} | ${r.inserted} | ${r.updated} |`);
  }
  console.log('\nOne command per step is what a WRITE_CHUNK_SIZE that fits the batch sends (1000 on Atlas): chunks are the only repeats.');
  console.log(`\nCommands of the first batch: ${runs[0][1].firstBatch.join(', ')}`);
  // Buyers hold no list of contracts: their size does not grow with their history.
  const buyers = await db.collection(COLLECTIONS.buyers).find().toArray();
  const buyerSizes = stats(buyers.map(bsonSize));
  console.log(`\nBuyers stored: ${buyers.length}, BSON bytes avg ${Math.round(buyerSizes.avg)}, median ${Math.round(buyerSizes.median)}, max ${buyerSizes.max}; links: ${await db.collection(COLLECTIONS.buyerLinks).countDocuments()}`);
} finally {
  await db.dropDatabase().catch(() => {});
  await client.close();
  await server.stop();
}
console.log(`Peak RSS of this process: ${formatBytes(peakRss)}`);

/** The write consumer's work, batch after batch, timed and with the round trips of each batch. */
async function writeAll(db: Db, releases: readonly MappedRelease[]) {
  const result = { seconds: 0, roundTrips: [] as number[], steps: [] as number[], firstBatch: [] as string[], inserted: 0, updated: 0 };
  for (const batch of makeWriteBatches(releases)) {
    commands.take();
    const started = performance.now();
    const counts = await storeWriteBatch(db, config, batch);
    result.seconds += (performance.now() - started) / 1000;
    const sent = commands.take();
    if (result.roundTrips.length === 0) result.firstBatch = sent;
    result.roundTrips.push(sent.length);
    result.steps.push(sent.filter((command, i) => command !== sent[i - 1]).length);
    result.inserted += counts.inserted;
    result.updated += counts.updated;
  }
  return result;
}
