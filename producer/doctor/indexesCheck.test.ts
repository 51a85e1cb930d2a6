import { describe, expect, it } from 'vitest';
import type { IndexDescriptionInfo } from 'mongodb';
import { KEYWORD_INDEX } from '../../shared/store/keywordSearch.ts';
import { isIndex } from './indexesCheck.ts';

/** How MongoDB lists a text index (listIndexes): its own key, the fields in `weights`. FerretDB has none to list. */
const listedText: IndexDescriptionInfo = {
  v: 2,
  key: { _fts: 'text', _ftsx: 1 },
  name: 'query_keywords',
  weights: { buyerName: 5, description: 1, title: 10 },
  default_language: 'english',
  language_override: 'language',
  textIndexVersion: 3,
};

describe('isIndex: a listed index is the one the project creates', () => {
  it('by name and key, in order', () => {
    const index = { collection: 'contracts', name: 'query_supplier', key: { 'awards.suppliers.id': 1, publishedDate: -1 } } as const;
    expect(isIndex({ v: 2, name: 'query_supplier', key: { 'awards.suppliers.id': 1, publishedDate: -1 } }, index)).toBe(true);
    expect(isIndex({ v: 2, name: 'query_supplier', key: { publishedDate: -1, 'awards.suppliers.id': 1 } }, index)).toBe(false);
    expect(isIndex({ v: 2, name: 'supplier_1', key: { 'awards.suppliers.id': 1, publishedDate: -1 } }, index)).toBe(false);
  });

  it('a text index by its fields and weights, as MongoDB lists them', () => {
    expect(isIndex(listedText, KEYWORD_INDEX)).toBe(true);
    expect(isIndex({ ...listedText, weights: { buyerName: 1, description: 1, title: 1 } }, KEYWORD_INDEX)).toBe(false);
    expect(isIndex({ ...listedText, weights: { description: 1, title: 10 } }, KEYWORD_INDEX)).toBe(false);
  });
});
