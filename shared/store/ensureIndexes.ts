import type { Db } from 'mongodb';
import type { Config } from '../config.ts';
import { errorText } from '../errors.ts';
import { COLLECTIONS, INDEXES, type ProjectIndex } from './db.ts';
import { KEYWORD_INDEX, keywordIndexPlan } from './keywordSearch.ts';
import { PRODUCT_INDEXES } from './queryIndexes.ts';

/**
 * Creates the pipeline's INDEXES, the change feed's retention (a TTL index), then the product's
 * (queryIndexes.ts, and the keyword index where the server takes it) unless QUERY_INDEXES is off,
 * one at a time; each one that exists already is left as it is. Every cron runs it. The pipeline's
 * own failing fails the cron; the retention's and the product's never do (a server without TTL
 * indexes, as FerretDB; the product may hold its own index on the same keys under another name,
 * which MongoDB refuses): what could not be made is returned as notes for the log, and the doctor
 * names the product's.
 */
export async function ensureIndexes(db: Db, queryIndexes: Config['QUERY_INDEXES'] = 'on', retentionDays = 30): Promise<string[]> {
  for (const index of INDEXES) await createIndex(db, index);
  const { indexes, notes } = await productIndexes(db, queryIndexes);
  await ensureChangesRetention(db, retentionDays).catch((error) => notes.push(`${CHANGES_TTL} not created, so change entries do not expire: ${errorText(error)}`));
  for (const index of indexes) await createIndex(db, index).catch((error) => notes.push(`${index.name} not created: ${errorText(error)}`));
  return notes;
}

/** The change feed's TTL index: an entry expires `days` after its `at`. */
export const CHANGES_TTL = 'at_ttl';
const INDEX_OPTIONS_CONFLICT = 85;

/** The TTL index, its expiry moved by collMod when CHANGES_RETENTION_DAYS changed since it was made. */
async function ensureChangesRetention(db: Db, days: number): Promise<void> {
  const expireAfterSeconds = days * 86_400;
  try {
    await db.collection(COLLECTIONS.changes).createIndex({ at: 1 }, { name: CHANGES_TTL, expireAfterSeconds });
  } catch (error) {
    if ((error as { code?: unknown }).code !== INDEX_OPTIONS_CONFLICT) throw error;
    await db.command({ collMod: COLLECTIONS.changes, index: { name: CHANGES_TTL, expireAfterSeconds } });
  }
}

/** The product's indexes this server should have under the setting, and why any is left out. */
export async function productIndexes(db: Db, queryIndexes: Config['QUERY_INDEXES']): Promise<{ indexes: ProjectIndex[]; notes: string[] }> {
  if (queryIndexes === 'off') return { indexes: [], notes: ["the product's query indexes are left to it (QUERY_INDEXES=off)"] };
  const plan = await keywordIndexPlan(db).catch((error) => ({ create: false, why: `could not tell whether this server wants it: ${errorText(error)}` }) as const);
  if (plan.create) return { indexes: [...PRODUCT_INDEXES, KEYWORD_INDEX], notes: [] };
  return { indexes: [...PRODUCT_INDEXES], notes: [`no ${KEYWORD_INDEX.name} text index: ${plan.why}`] };
}

function createIndex(db: Db, { collection, key, name, unique, weights }: ProjectIndex): Promise<string> {
  return db.collection(collection).createIndex(key, { name, ...(unique && { unique }), ...(weights && { weights }) });
}
