import { MongoClient, type MongoClientOptions } from 'mongodb';
import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A connected client whose pool already holds `minPoolSize` open connections, so that commands
 * measured on it (round trips, scripts/local/commandLog.ts) never wait for one to be opened: a
 * Worker opens its pool once per invocation, its two connections side by side (db.ts).
 */
export async function connectWarm(uri: string, options: MongoClientOptions): Promise<MongoClient> {
  const client = new MongoClient(uri, options);
  let ready = 0;
  client.on('connectionReady', () => ready++);
  await client.connect();
  const deadline = Date.now() + 10_000;
  while (ready < (options.minPoolSize ?? 0)) {
    if (Date.now() > deadline) throw new Error(`the pool opened ${ready} of ${options.minPoolSize} connections in 10 s`);
    await sleep(10);
  }
  return client;
}
