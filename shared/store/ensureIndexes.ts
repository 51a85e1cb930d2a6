import type { Db } from 'mongodb';
import { INDEXES } from './db.ts';

/** Creates INDEXES (each one that exists already is left as it is), one at a time; every cron runs it. */
export async function ensureIndexes(db: Db): Promise<void> {
  for (const { collection, key, name, unique } of INDEXES) await db.collection(collection).createIndex(key, { name, ...(unique && { unique }) });
}
