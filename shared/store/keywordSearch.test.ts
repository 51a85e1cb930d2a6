import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { readConfig } from '../config.ts';
import { COLLECTIONS } from './db.ts';
import { ATLAS_SEARCH_INDEX, KEYWORD_INDEX } from './keywordSearch.ts';
import { PRODUCT_QUERIES } from './queryIndexes.ts';

/**
 * docs/atlas-search-index.json is what `atlas clusters search indexes create --file` and the Admin
 * API take (docs/querying.md). No local server runs Atlas Search, so what can be checked here is that
 * it names the index the cron looks for, on the default database's contracts, and maps the fields
 * the keyword query searches and the product's queries filter on.
 */
const definition = JSON.parse(readFileSync(fileURLToPath(new URL('../../docs/atlas-search-index.json', import.meta.url).href), 'utf8'));

/** Each mapped field's type by its dotted path. */
function mappedTypes(fields: Record<string, { type: string; fields?: object }>, prefix = ''): Record<string, string> {
  return Object.fromEntries(
    Object.entries(fields).flatMap(([name, field]) => [[`${prefix}${name}`, field.type], ...Object.entries(field.fields ? mappedTypes(field.fields as never, `${prefix}${name}.`) : {})]),
  );
}

describe('the Atlas Search index definition', () => {
  const types = mappedTypes(definition.definition.mappings.fields);

  it('is the index the cron looks for, on the default database, static', () => {
    expect(definition).toMatchObject({ name: ATLAS_SEARCH_INDEX, database: readConfig({ MONGODB_URI: 'mongodb://x' }).MONGODB_DB, collectionName: COLLECTIONS.contracts, type: 'search' });
    expect(definition.definition.mappings.dynamic).toBe(false);
  });

  it("maps the keyword fields as text, and every field the product's queries filter on", () => {
    for (const field of Object.keys(KEYWORD_INDEX.key)) expect(types[field], field).toBe('string');
    const filtered = PRODUCT_QUERIES.flatMap(({ example: { filter } }) => [...Object.keys(filter), ...((filter.$or as object[] | undefined) ?? []).flatMap(Object.keys)]).filter((f) => f !== '$or');
    for (const field of new Set(filtered)) expect(types, field).toHaveProperty([field]);
  });
});
