import { MongoClient } from 'mongodb';
import { startMongo } from './scripts/local/mongoServer.ts';
import { storeWriteBatch } from './consumer/write/storeWriteBatch.ts';
import { readConfig } from './shared/config.ts';
import { ensureIndexes } from './shared/store/db.ts';
import { makeMappedRelease, makeWriteBatches } from './test/factories.ts';
const server = await startMongo();
const client = await new MongoClient(server.uri, { monitorCommands: true }).connect();
const db = client.db('probe');
const times = new Map<string, number>();
const names = new Map<number, string>();
client.on('commandStarted', (e) => names.set(e.requestId, `${e.commandName} ${e.command[e.commandName]}`));
client.on('commandSucceeded', (e) => { const n = names.get(e.requestId)!; times.set(n, (times.get(n) ?? 0) + e.duration); });
const config = readConfig({ MONGODB_URI: 'mongodb://x', WRITE_CHUNK_SIZE: '1000' });
try {
  await ensureIndexes(db);
  const rel = Array.from({ length: 2000 }, (_, i) => makeMappedRelease({ contract: { noticeId: `${700000 + i}-2024`, buyerOrg: 'BIG', buyerName: 'BIG' } }));
  const batches = makeWriteBatches(rel, { pageSize: 20 });
  for (const [i, b] of batches.entries()) { const t = performance.now(); await storeWriteBatch(db, config, b); if (i % 3 === 0) console.log(i, Math.round(performance.now() - t), 'ms', JSON.stringify([...times].map(([k, v]) => [k, Math.round(v)]))); times.clear(); }
} finally { await client.close(); await server.stop(); }
