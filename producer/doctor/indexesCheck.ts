import type { Db, IndexDescriptionInfo } from 'mongodb';
import type { Config } from '../../shared/config.ts';
import { COLLECTIONS, INDEXES, type ProjectIndex } from '../../shared/store/db.ts';
import { productIndexes } from '../../shared/store/ensureIndexes.ts';
import type { Finding } from './check.ts';

export const MISSING_INDEX_FIX = 'run once: the first cron creates them (ensureIndexes runs at minute 7 of every hour); if they are still missing after it, npx wrangler tail shows its error.';

/**
 * Every index ensureIndexes creates, looked for by name and key; none is created here: the
 * pipeline's (INDEXES) and, unless QUERY_INDEXES is off (the product then manages its own, under
 * names the doctor cannot know), the product's, as ensureIndexes decides them for this server (no
 * text index on FerretDB, nor beside an Atlas Search index). A database no cron has run on (no
 * index of the project's and no window) is as expected before the first cron: that passes, saying
 * so. Collections without an index are made by their first write (deadLetters by the first letter,
 * remapState by the first remap), so their absence is reported, not failed.
 */
export async function checkIndexes(db: Db, queryIndexes: Config['QUERY_INDEXES']): Promise<Finding> {
  const product = await productIndexes(db, queryIndexes);
  const wanted = [...INDEXES, ...product.indexes];
  const present = new Set((await db.listCollections({}, { nameOnly: true }).toArray()).map((c) => c.name));
  const missing: ProjectIndex[] = [];
  for (const collection of new Set(wanted.map((index) => index.collection))) {
    const existing = present.has(collection) ? await db.collection(collection).listIndexes().toArray() : [];
    missing.push(...wanted.filter((index) => index.collection === collection && !existing.some((e) => isIndex(e, index))));
  }
  const absent = Object.values(COLLECTIONS).filter((name) => !present.has(name));
  const collections = absent.length === 0 ? 'every collection present' : `not created yet (each at its first write): ${absent.join(', ')}`;
  const which = [`${INDEXES.length} of the pipeline, ${product.indexes.length} for the product's queries`, ...product.notes].join('; ');
  if (missing.length === 0) return { ok: true, detail: `all ${wanted.length} indexes present (${which}); ${collections}` };
  if (missing.length === wanted.length && !(await hasWindows(db))) {
    return { ok: true, detail: `none of the ${wanted.length} indexes yet (${which}), as before the first cron (which creates them): run the doctor again after it` };
  }
  return { ok: false, detail: `missing: ${missing.map((index) => `${index.collection}.${index.name}`).join(', ')}; ${collections}`, fix: MISSING_INDEX_FIX };
}

/**
 * Whether a listed index is `index`: its name and key. A text index is listed under MongoDB's own key
 * (`_fts`, `_ftsx`), its fields in `weights` (1 unless given).
 */
export function isIndex(listed: IndexDescriptionInfo, index: ProjectIndex): boolean {
  if (listed.name !== index.name) return false;
  const textFields = Object.keys(index.key).filter((field) => index.key[field] === 'text');
  if (textFields.length === 0) return JSON.stringify(listed.key) === JSON.stringify(index.key);
  const weights = Object.fromEntries(textFields.map((field) => [field, index.weights?.[field] ?? 1]));
  return JSON.stringify(listed.key) === JSON.stringify({ _fts: 'text', _ftsx: 1 }) && sameEntries(listed.weights ?? {}, weights);
}

const sameEntries = (a: object, b: object) => JSON.stringify(Object.entries(a).sort()) === JSON.stringify(Object.entries(b).sort());

/** Whether a cron has planned anything here (every cron creates the indexes first). */
async function hasWindows(db: Db): Promise<boolean> {
  return (await db.collection(COLLECTIONS.syncJobs).countDocuments({ kind: 'window' }, { limit: 1 })) > 0;
}
