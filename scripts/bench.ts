/**
 * `npm run bench`: figures, no assertions. (1) Stored size per STORE_RAW mode and what the full
 * history would weigh; mapping speed; how pages split into queue messages. (2) Write throughput
 * of the real write path (upsertContracts + upsertBuyers) on the server startMongo() gives:
 * MONGODB_URI, else mongod, else FerretDB, whose write speed says little (scripts/local/ferretdb/FERRETDB.md).
 * Env: BENCH_WRITE_RELEASES (default 2000; keep FerretDB ≤ 2000), WRITE_CHUNK_SIZE (default 20,
 * the config default that is safe on FerretDB; Atlas can take larger), BENCH_REPLAY_RELEASES.
 */
import { MongoClient, type Db } from 'mongodb';
import type { MappedRelease } from '../shared/mapping/mappedRelease.ts';
import { upsertBuyers } from '../shared/store/buyers.ts';
import { upsertContracts } from '../shared/store/contracts.ts';
import { COLLECTIONS, ensureIndexes } from '../shared/store/db.ts';
import { startMongo } from './local/mongoServer.ts';
import { bsonSize, formatBytes, jsonSize, mappingTable, measureMode, MODES, sampleReleases, SOURCES, sizingTable, stats, type ModeSizes } from './local/sizing.ts';

const WRITE_RELEASES = Number(process.env.BENCH_WRITE_RELEASES ?? 2000);
const CHUNK_SIZE = Number(process.env.WRITE_CHUNK_SIZE ?? 20);
/** Releases per write batch. Real messages hold fewer with STORE_RAW=object (see the table above). */
const BATCH = 40;
/**
 * The second run's size. On FerretDB each duplicate chunk costs a full collection scan (its
 * `_id: {$in}` read is not pushed down), ~4 s a chunk at 2,000 documents: a subset gives the same
 * rate in a fraction of the time. Elsewhere the whole set is replayed.
 */
const replayCount = (kind: string) => Number(process.env.BENCH_REPLAY_RELEASES ?? (kind === 'ferretdb' ? 400 : Infinity));

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

console.log(`\n## Write throughput (${toWrite.length} releases, STORE_RAW=object, batches of ${BATCH}, chunk size ${CHUNK_SIZE})\n`);
const server = await startMongo();
const client = await new MongoClient(server.uri).connect();
const db = client.db(`bench_${Date.now().toString(36)}`);
try {
  await ensureIndexes(db);
  const first = await writeAll(db, toWrite);
  const replay = toWrite.slice(0, replayCount(server.kind));
  const second = await writeAll(db, replay);
  console.log(`Server: ${server.kind}\n`);
  console.log('| run | releases/s | total s | contracts s | buyers s | inserted | replaced | unchanged |');
  console.log('|---|---:|---:|---:|---:|---:|---:|---:|');
  for (const [name, r, n] of [['first (all new)', first, toWrite.length], [`second (same data, idempotent; first ${replay.length})`, second, replay.length]] as const) {
    console.log(`| ${name} | ${(n / r.total).toFixed(1)} | ${r.total.toFixed(1)} | ${r.contracts.toFixed(1)} | ${r.buyers.toFixed(1)} | ${r.inserted} | ${r.replaced} | ${r.unchanged} |`);
  }
  // Buyers as actually stored (contractIds grows with each buyer's contracts).
  const buyers = await db.collection(COLLECTIONS.buyers).find().toArray();
  const buyerSizes = stats(buyers.map(bsonSize));
  console.log(`\nBuyers stored: ${buyers.length}, BSON bytes avg ${Math.round(buyerSizes.avg)}, median ${Math.round(buyerSizes.median)}, max ${buyerSizes.max} (after ${toWrite.length} releases; grows ~${Math.round(bsonSize({ x: [toWrite[0].contract._id] }) - bsonSize({ x: [] }))} B per contract id)`);
} finally {
  await db.dropDatabase().catch(() => {});
  await client.close();
  await server.stop();
}
console.log(`Peak RSS of this process: ${formatBytes(peakRss)}`);

/** The write consumer's store step per message: contracts, then buyers. */
async function writeAll(db: Db, releases: readonly MappedRelease[]) {
  const result = { total: 0, contracts: 0, buyers: 0, inserted: 0, replaced: 0, unchanged: 0 };
  for (let i = 0; i < releases.length; i += BATCH) {
    const batch = releases.slice(i, i + BATCH);
    const t0 = performance.now();
    const counts = await upsertContracts(db, batch.map((r) => r.contract), CHUNK_SIZE, now);
    const t1 = performance.now();
    await upsertBuyers(db, batch, now);
    result.contracts += (t1 - t0) / 1000;
    result.buyers += (performance.now() - t1) / 1000;
    result.inserted += counts.inserted;
    result.replaced += counts.replaced;
    result.unchanged += counts.unchanged;
  }
  result.total = result.contracts + result.buyers;
  return result;
}
