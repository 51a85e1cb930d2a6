import { MongoServerError, type Db } from 'mongodb';
import { COLLECTIONS, type ProjectIndex } from './db.ts';

/**
 * Keyword search over `contracts`. On Atlas it is the Atlas Search index defined in
 * docs/atlas-search-index.json (created by the command docs/querying.md gives, not by the cron);
 * where there is none, a plain `$text` index is the fallback, created by ensureIndexes on a server
 * that has text indexes. Only one text index per collection is allowed, and it costs every write a
 * key per distinct word, so it is made only where Atlas Search does not serve the query.
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
 * Whether this server should have the `$text` fallback. FerretDB (its buildInfo names it) has no
 * text index at all; a collection with the Atlas Search index needs none.
 */
export async function keywordIndexPlan(db: Db): Promise<KeywordIndexPlan> {
  const build = await db.command({ buildInfo: 1 });
  if (build.ferretdbVersion !== undefined) return { create: false, why: 'FerretDB has no text indexes; keyword search needs MongoDB or Atlas Search' };
  if (await hasAtlasSearchIndex(db)) return { create: false, why: `the Atlas Search index ${ATLAS_SEARCH_INDEX} serves keyword search` };
  return { create: true };
}

/**
 * The answers that mean "no Atlas Search here": a mongod without a search process (SearchNotEnabled),
 * one older than the stage (unrecognised stage), no collection yet. Anything else is an error.
 */
const NO_ATLAS_SEARCH = new Set([31082, 40324, 26]);

async function hasAtlasSearchIndex(db: Db): Promise<boolean> {
  try {
    return (await db.collection(COLLECTIONS.contracts).listSearchIndexes(ATLAS_SEARCH_INDEX).toArray()).length > 0;
  } catch (error) {
    if (error instanceof MongoServerError && typeof error.code === 'number' && NO_ATLAS_SEARCH.has(error.code)) return false;
    throw error;
  }
}
