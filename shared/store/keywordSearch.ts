import { MongoServerError, type Db, type Document } from 'mongodb';
import { COLLECTIONS, type ProjectIndex } from './db.ts';

/**
 * Keyword search over `contracts`. Where the server has Atlas Search (Atlas; a mongod with its search
 * process), it is the Atlas Search index defined in docs/atlas-search-index.json, created by the
 * command docs/querying.md gives, not by the cron. Elsewhere a plain `$text` index is the fallback,
 * created by ensureIndexes on a server that has text indexes. It costs every write a key per
 * distinct word (only one text index per collection is allowed, too), so it is never made beside
 * Atlas Search, not even before its index exists: a first cron would build it over the whole
 * backfill.
 */
export const ATLAS_SEARCH_INDEX = 'contracts_search';

/** A title match counts most, then the buyer's name, then the description. */
export const KEYWORD_INDEX: ProjectIndex = {
  collection: COLLECTIONS.contracts,
  name: 'query_keywords',
  key: { title: 'text', description: 'text', buyerName: 'text' },
  weights: { title: 10, buyerName: 5, description: 1 },
};

/** The `$text` fallback's query: every notice matching any of `words`, best match first. */
export function keywordSearch(words: string) {
  return { filter: { $text: { $search: words } }, sort: { score: { $meta: 'textScore' } } } as const;
}

export type KeywordIndexPlan = { create: true } | { create: false; why: string };

/**
 * Whether this server should have the `$text` fallback: not on FerretDB (its buildInfo names it),
 * which has no text index at all, nor where Atlas Search answers.
 */
export async function keywordIndexPlan(db: Db): Promise<KeywordIndexPlan> {
  const build = await db.command({ buildInfo: 1 });
  if (build.ferretdbVersion !== undefined) return { create: false, why: 'FerretDB has no text indexes; keyword search needs MongoDB or Atlas Search' };
  const search = await atlasSearchIndexes(db);
  if (search === undefined) return { create: true };
  const state = search.length > 0 ? 'present' : 'not created yet: docs/querying.md';
  return { create: false, why: `Atlas Search serves keyword search (index ${ATLAS_SEARCH_INDEX} ${state})` };
}

/**
 * The answers that mean "no Atlas Search here": a mongod without a search process (SearchNotEnabled),
 * one older than the stage (unrecognised stage). Anything else is an error.
 */
const NO_ATLAS_SEARCH = new Set([31082, 40324]);

/** The Atlas Search indexes named ATLAS_SEARCH_INDEX on contracts, or undefined where the server has no Atlas Search. */
async function atlasSearchIndexes(db: Db): Promise<Document[] | undefined> {
  try {
    return await db.collection(COLLECTIONS.contracts).listSearchIndexes(ATLAS_SEARCH_INDEX).toArray();
  } catch (error) {
    if (error instanceof MongoServerError && typeof error.code === 'number' && NO_ATLAS_SEARCH.has(error.code)) return undefined;
    throw error;
  }
}
