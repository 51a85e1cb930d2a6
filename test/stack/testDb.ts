import type { Db, MongoClient, MongoClientOptions } from 'mongodb';
import { inject } from 'vitest';
import { connectWarm } from '../../scripts/local/connectWarm.ts';

/** A fresh database on the run's server, dropped by `close`. Names are unique per call; with `minPoolSize`, that many connections are open first. */
export async function openTestDb(prefix: string, options: MongoClientOptions = {}): Promise<{ db: Db; client: MongoClient; uri: string; name: string; close(): Promise<void> }> {
  const uri = inject('mongoUri');
  const name = `${prefix}_${Date.now().toString(36)}_${Math.random().toString(36).slice(2, 6)}`;
  const client = await connectWarm(uri, options);
  const db = client.db(name);
  return {
    db,
    client,
    uri,
    name,
    async close() {
      await db.dropDatabase().catch(() => {});
      await client.close();
    },
  };
}
