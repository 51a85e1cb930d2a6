import type { Db } from 'mongodb';
import { COLLECTIONS, INDEXES, type ProjectIndex } from '../../shared/store/db.ts';
import type { Finding } from './check.ts';

export const MISSING_INDEX_FIX = 'run once: the first cron creates them (ensureIndexes runs at minute 7 of every hour); if they are still missing after it, npx wrangler tail shows its error.';

/**
 * Every index ensureIndexes creates (INDEXES), looked for by name and key; none is created here.
 * A database no cron has run on (no index of the project's and no window) is as expected before the
 * first cron: that passes, saying so. Collections without an index are made by their first write
 * (deadLetters by the first letter, remapState by the first remap), so their absence is reported,
 * not failed.
 */
export async function checkIndexes(db: Db): Promise<Finding> {
  const present = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const missing: ProjectIndex[] = [];
  for (const collection of new Set(INDEXES.map((index) => index.collection))) {
    const existing = present.has(collection) ? await db.collection(collection).listIndexes().toArray() : [];
    const has = (index: ProjectIndex) => existing.some((e) => e.name === index.name && JSON.stringify(e.key) === JSON.stringify(index.key));
    missing.push(...INDEXES.filter((index) => index.collection === collection && !has(index)));
  }
  const absent = Object.values(COLLECTIONS).filter((name) => !present.has(name));
  const collections = absent.length === 0 ? 'every collection present' : `not created yet (each at its first write): ${absent.join(', ')}`;
  if (missing.length === 0) return { ok: true, detail: `all ${INDEXES.length} indexes present; ${collections}` };
  if (missing.length === INDEXES.length && !(await hasWindows(db))) {
    return { ok: true, detail: `none of the ${INDEXES.length} indexes yet, as before the first cron (which creates them): run the doctor again after it` };
  }
  return { ok: false, detail: `missing: ${missing.map((index) => `${index.collection}.${index.name}`).join(', ')}; ${collections}`, fix: MISSING_INDEX_FIX };
}

/** Whether a cron has planned anything here (every cron creates the indexes first). */
async function hasWindows(db: Db): Promise<boolean> {
  return (await db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' }, { limit: 1 })) > 0;
}
