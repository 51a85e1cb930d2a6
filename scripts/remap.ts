/**
 * `npm run remap`: rebuilds every contract stored by an older mapping (shared/mapping/
 * mappingVersion.ts) from the raw data it keeps, and with it the buyer links and buyers, through
 * the write path the Worker uses (scripts/remap/remapContracts.ts). No refetch.
 *
 *   MONGODB_URI=mongodb://... [MONGODB_DB=tendhunt] [WRITE_CHUNK_SIZE=20] [REMAP_CHUNK_SIZE=100] npm run remap
 *
 * A run cut off continues where it stopped; a second run after a finished one rewrites nothing.
 * Contracts written with STORE_RAW=off cannot be rebuilt: they are counted, named and left as they
 * are. Exit 0 when the pass finished, 1 on any error.
 */
import { MongoClient } from 'mongodb';
import { readConfig } from '../shared/config.ts';
import { CURSORS_PER_BATCH } from '../shared/store/changes.ts';
import { progressBar } from './local/progressBar.ts';
import { remapContracts, type RemapProgress, type RemapReport } from './remap/remapContracts.ts';

const env = process.env;
const MAX_REMAP_CHUNK = Math.floor((CURSORS_PER_BATCH - 1) / 2);

async function main(): Promise<number> {
  if (!env.MONGODB_URI) throw new Error('set MONGODB_URI (+ MONGODB_DB, default tendhunt): the database whose contracts to rebuild');
  // The Worker's own parser: a bad variable fails here, named.
  const config = readConfig(env);
  const chunkSize = Number(env.REMAP_CHUNK_SIZE ?? 100);
  // A chunk's change entries (one per contract and per procurement at most) go in one feed batch (store/changes.ts).
  if (!Number.isInteger(chunkSize) || chunkSize < 1 || chunkSize > MAX_REMAP_CHUNK) throw new Error(`REMAP_CHUNK_SIZE must be a whole number from 1 to ${MAX_REMAP_CHUNK}, got ${env.REMAP_CHUNK_SIZE}`);
  const client = await new MongoClient(config.MONGODB_URI, { serverSelectionTimeoutMS: config.MONGODB_TIMEOUT_MS }).connect();
  try {
    const report = await remapContracts(client.db(config.MONGODB_DB), config, { chunkSize, onProgress: drawProgress });
    printReport(report, config.MONGODB_DB);
    return 0;
  } finally {
    await client.close();
  }
}

let lastPrinted = 0;
function drawProgress({ done, total }: RemapProgress): void {
  const line = `contracts ${progressBar(done, total)} ${done.toLocaleString('en-GB')}/${total.toLocaleString('en-GB')} of an older mapping read`;
  if (process.stderr.isTTY) process.stderr.write(`\r${line}${done === total ? '\n' : ''}`);
  else if (done === total || Date.now() - lastPrinted > 5000) {
    console.error(line);
    lastPrinted = Date.now();
  }
}

function printReport(r: RemapReport, dbName: string): void {
  console.log(`remap of ${dbName}.contracts to mapping version ${r.mappingVersion}${r.resumedAfter ? ` (continued after ${r.resumedAfter})` : ''}:`);
  console.log(`  ${r.examined} contract(s) of an older mapping read, ${r.rewritten} rewritten, ${r.inserted} created`);
  if (r.noRaw > 0) {
    console.log(`  ${r.noRaw} contract(s) CANNOT be rebuilt: no raw data was stored (STORE_RAW=off). They keep their older mapping; only refetching their windows rebuilds them. For example:`);
    for (const id of r.examples.noRaw) console.log(`    ${id}`);
  }
  if (r.failed > 0) {
    console.log(`  ${r.failed} contract(s) whose raw data no longer maps, left as they are:`);
    for (const line of r.examples.failed) console.log(`    ${line}`);
  }
  if (r.movedAway > 0) {
    console.log(`  ${r.movedAway} contract(s) stored under an older notice id: their release was written to its notice's contract, the old document left in place:`);
    for (const line of r.examples.movedAway) console.log(`    ${line}`);
  }
}

main().then(
  (code) => process.exit(code),
  (error: Error) => {
    console.error(`\nremap failed: ${error.message}`);
    process.exit(1);
  },
);
